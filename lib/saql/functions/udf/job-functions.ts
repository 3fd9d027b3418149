// The job's declared functions (JobSpec.functions) as callables for the engine: JavaScript UDFs
// and UDAs are loaded from their files; C# UDFs and Azure ML functions cannot run locally and
// say so when a query calls them. Declared input and output types (other than `any`) convert
// values as ASA's function bindings do.
import { resolve } from "node:path";
import { readFileSync } from "node:fs";
import type { FunctionSpec } from "../../../job/schema";
import { NotSupportedError, StreamkitError } from "../../../core/errors";
import type { Value } from "../../values";
import type { ScalarFunction } from "../context";
import type { AggregateDefinition } from "../aggregates/types";
import { cast } from "../cast";
import { ConversionError, UdfError } from "../errors";
import { parseTypeName, type SaqlType } from "../types";
import { FunctionThread, loadJavaScriptUda, loadJavaScriptUdf, type JavaScriptFunctionOptions } from "./javascript";

export interface JobFunctions {
  /** `udf.<name>(…)` by lower-case name. */
  udfs: Record<string, ScalarFunction>;
  /** `uda.<name>(…)` by lower-case name. */
  udas: Record<string, AggregateDefinition>;
  /** Ends the JavaScript functions' thread: call it when the run is over. */
  close(): void;
}

function declaredType(type: string | undefined): SaqlType | undefined {
  if (!type || type.toLowerCase() === "any") return undefined;
  return parseTypeName(type) ?? (type.toLowerCase() === "nvarchar" ? "nvarchar(max)" : undefined);
}

function convert(name: string, what: string, value: Value, type: SaqlType | undefined): Value {
  if (!type) return value;
  try {
    return cast(value, type);
  } catch (error) {
    if (error instanceof ConversionError) throw new UdfError(name, `${what}: ${error.message}`);
    throw error;
  }
}

function notSupported(spec: FunctionSpec): ScalarFunction {
  const what =
    spec.kind === "azureml" ? `Azure Machine Learning function '${spec.name}'` : spec.kind === "csharp-uda" ? `C# aggregate 'uda.${spec.name}'` : `C# function 'udf.${spec.name}'`;
  return () => {
    throw new NotSupportedError(what);
  };
}

/**
 * Loads every function of a job; `baseDir` resolves relative script paths (the job file's folder).
 * The JavaScript functions share one thread (a context each), ended by `close()`.
 */
export function loadJobFunctions(specs: FunctionSpec[], baseDir: string, options: JavaScriptFunctionOptions = {}): JobFunctions {
  // A thread of its own, started for the first JavaScript function (unless the caller gives one, and ends it).
  let own: FunctionThread | undefined;
  const out: JobFunctions = { udfs: {}, udas: {}, close: () => own?.close() };
  try {
    loadInto(out, specs, baseDir, () => options.thread ?? (own ??= new FunctionThread(options)));
  } catch (error) {
    out.close();
    throw error;
  }
  return out;
}

function loadInto(out: JobFunctions, specs: FunctionSpec[], baseDir: string, threadOf: () => FunctionThread): void {
  for (const spec of specs) {
    const key = spec.name.toLowerCase();
    if (spec.kind === "csharp-udf" || spec.kind === "csharp-uda" || spec.kind === "azureml") {
      out.udfs[key] = notSupported(spec);
      continue;
    }
    if (!spec.file) throw new StreamkitError(`JavaScript function '${spec.name}' declares no script file`, { jsonPath: "functions" }, "UDF");
    const file = resolve(baseDir, spec.file);
    const source = { name: spec.name, code: readFileSync(file, "utf8"), file };
    const inputTypes = spec.inputs.map((i) => declaredType(i.type));
    const outputType = declaredType(spec.output?.type);
    if (spec.kind === "javascript-uda") {
      const uda = loadJavaScriptUda(source, { thread: threadOf() });
      out.udas[key] = {
        supportsRemove: uda.supportsRemove,
        create: (call) => {
          const acc = uda.create(call);
          return {
            add: (value, keys, ts) => acc.add(convert(spec.name, "input", value, inputTypes[0]), keys, ts),
            remove: acc.remove && ((value, keys, ts) => acc.remove!(convert(spec.name, "input", value, inputTypes[0]), keys, ts)),
            result: () => convert(spec.name, "result", acc.result(), outputType),
          };
        },
      };
    } else {
      const udf = loadJavaScriptUdf(source, { thread: threadOf() });
      out.udfs[key] = (args, ctx) =>
        convert(spec.name, "result", udf(args.map((a, i) => convert(spec.name, `argument ${i + 1}`, a, inputTypes[i])), ctx), outputType);
    }
  }
}
