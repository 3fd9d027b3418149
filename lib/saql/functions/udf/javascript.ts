// JavaScript user-defined functions (UDF) and aggregates (UDA), as ASA runs them.
// Layout of ASA's VS Code projects: `Functions/<name>.js` holds the code (a UDF is one function,
// usually `function main(arg1, …)`; a UDA is `function main() { this.init = …; this.accumulate =
// …; this.deaccumulate? …; this.deaccumulateState? …; this.computeResult = … }`), next to a
// `<name>.json` description. Reference: stream-analytics-javascript-user-defined-functions.md
// and stream-analytics-javascript-user-defined-aggregates.md.
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import type { DateTimeValue, Value } from "../../values";
import type { ScalarFunction } from "../context";
import type { Accumulator, AggregateDefinition } from "../aggregates/types";
import { UdfError } from "../errors";
import { fromJavaScript, toJavaScript, UnmappableValueError } from "./convert";
import { DEFAULT_UDF_TIMEOUT_MS, Sandbox } from "./sandbox";

export { DEFAULT_UDF_TIMEOUT_MS } from "./sandbox";

/** The source of one JavaScript function: its alias (as called, `udf.<name>` / `uda.<name>`), code and file. */
export interface JavaScriptFunctionSource {
  name: string;
  code: string;
  file?: string;
}

export interface JavaScriptFunctionOptions {
  /**
   * Time limit of one call, in milliseconds (default DEFAULT_UDF_TIMEOUT_MS). 0 removes the
   * limit and calls the function directly, about 100× faster; loading the file stays limited.
   */
  timeoutMs?: number;
}

/** Reads `Functions/<name>.js`; the alias is the file name without `.js`. */
export function readJavaScriptFunctionFile(path: string): JavaScriptFunctionSource {
  return { name: basename(path, extname(path)), code: readFileSync(path, "utf8"), file: path };
}

/** 'uda' when the code defines the aggregate methods (accumulate and computeResult), else 'udf'. */
export function detectJavaScriptFunctionKind(code: string): "udf" | "uda" {
  return /\bthis\s*\.\s*accumulate\s*=/.test(code) && /\bthis\s*\.\s*computeResult\s*=/.test(code) ? "uda" : "udf";
}

function describeThrown(error: unknown): string {
  if (error instanceof Error || (typeof error === "object" && error !== null && "message" in error)) {
    const e = error as { name?: string; message?: string };
    if (e.message?.startsWith("Script execution timed out")) return e.message;
    return `${e.name ?? "Error"}: ${e.message ?? ""}`;
  }
  return `threw ${String(error)}`;
}

function openSandbox(source: JavaScriptFunctionSource, options: JavaScriptFunctionOptions): Sandbox {
  try {
    return new Sandbox(source.code, source.file ?? `${source.name}.js`, options.timeoutMs ?? DEFAULT_UDF_TIMEOUT_MS);
  } catch (error) {
    throw new UdfError(source.name, `could not load ${source.file ?? "its code"}: ${describeThrown(error)}`);
  }
}

/** The entry point of a UDF file: `main`, else a function named like the alias, else the file's only function. */
function entryPoint(sandbox: Sandbox, alias: string): string {
  if (sandbox.hasFunction("main")) return "main";
  if (sandbox.hasFunction(alias)) return alias;
  const functions = Object.keys(sandbox.context).filter((k) => !k.startsWith("__") && sandbox.hasFunction(k));
  const sameName = functions.filter((k) => k.toLowerCase() === alias.toLowerCase());
  if (sameName.length === 1) return sameName[0];
  if (functions.length === 1) return functions[0];
  throw new UdfError(alias, `cannot tell which function to call: define 'function main(…)' (found ${functions.length ? functions.join(", ") : "no function"})`);
}

/** A UDF as a scalar function: arguments mapped to JavaScript, the result mapped back; a throw or timeout is a UdfError naming the function. */
export function loadJavaScriptUdf(source: JavaScriptFunctionSource, options: JavaScriptFunctionOptions = {}): ScalarFunction {
  const sandbox = openSandbox(source, options);
  const entry = entryPoint(sandbox, source.name);
  const call = `${entry}.apply(undefined, __args)`;
  const direct = sandbox.limited ? undefined : (sandbox.run(entry) as (...args: unknown[]) => unknown);
  return (args: Value[]) => {
    const jsArgs = args.map((a) => toJavaScript(a, sandbox.realm));
    let result: unknown;
    try {
      result = direct ? direct(...jsArgs) : sandbox.run(call, { __args: sandbox.realm.array().concat(jsArgs) });
    } catch (error) {
      throw new UdfError(source.name, describeThrown(error));
    }
    try {
      return fromJavaScript(result, sandbox.realm);
    } catch (error) {
      if (error instanceof UnmappableValueError) throw new UdfError(source.name, error.message);
      throw error;
    }
  };
}

class UdaAccumulator implements Accumulator {
  constructor(
    private readonly name: string,
    private readonly sandbox: Sandbox,
    private readonly self: unknown,
  ) {}

  private invoke(method: string, bindings: Record<string, unknown>): unknown {
    try {
      if (!this.sandbox.limited) {
        const target = this.self as Record<string, (...args: unknown[]) => unknown>;
        return target[method](bindings.__value, bindings.__timestamp);
      }
      return this.sandbox.run(`__self.${method}(__value, __timestamp)`, { __self: this.self, ...bindings });
    } catch (error) {
      throw new UdfError(this.name, `${method}: ${describeThrown(error)}`);
    }
  }

  private bindings(value: Value, timestamp?: DateTimeValue): Record<string, unknown> {
    return {
      __value: toJavaScript(value, this.sandbox.realm),
      __timestamp: timestamp ? this.sandbox.realm.date(timestamp.ms) : null,
    };
  }

  add(value: Value, _orderKeys?: Value[], timestamp?: DateTimeValue): void {
    this.invoke("accumulate", this.bindings(value, timestamp));
  }

  remove(value: Value, _orderKeys?: Value[], timestamp?: DateTimeValue): void {
    this.invoke("deaccumulate", this.bindings(value, timestamp));
  }

  result(): Value {
    let result: unknown;
    try {
      result = this.sandbox.limited
        ? this.sandbox.run("__self.computeResult()", { __self: this.self })
        : (this.self as { computeResult(): unknown }).computeResult();
    } catch (error) {
      throw new UdfError(this.name, `computeResult: ${describeThrown(error)}`);
    }
    try {
      return fromJavaScript(result, this.sandbox.realm);
    } catch (error) {
      if (error instanceof UnmappableValueError) throw new UdfError(this.name, error.message);
      throw error;
    }
  }
}

/**
 * A UDA as an aggregate: each accumulator is `new main()` followed by `init()`; `add` calls
 * `accumulate(value, timestamp)`, `remove` calls `deaccumulate(value, timestamp)` (only for
 * AccumulateDeaccumulate UDAs, which then report supportsRemove), `result` calls computeResult().
 */
export function loadJavaScriptUda(source: JavaScriptFunctionSource, options: JavaScriptFunctionOptions = {}): AggregateDefinition {
  const sandbox = openSandbox(source, options);
  const entry = entryPoint(sandbox, source.name);
  const probe = createInstance(source.name, sandbox, entry);
  for (const method of ["init", "accumulate", "computeResult"]) {
    if (sandbox.run(`typeof __self.${method} === "function"`, { __self: probe }) !== true) {
      throw new UdfError(source.name, `a JavaScript UDA must define this.${method} = function (…) { … } inside ${entry}()`);
    }
  }
  const supportsRemove = sandbox.run(`typeof __self.deaccumulate === "function"`, { __self: probe }) === true;
  return {
    supportsRemove,
    create: () => {
      const self = createInstance(source.name, sandbox, entry);
      try {
        sandbox.run("__self.init()", { __self: self });
      } catch (error) {
        throw new UdfError(source.name, `init: ${describeThrown(error)}`);
      }
      return new UdaAccumulator(source.name, sandbox, self);
    },
  };
}

function createInstance(name: string, sandbox: Sandbox, entry: string): unknown {
  try {
    return sandbox.run(`new ${entry}()`);
  } catch (error) {
    throw new UdfError(name, `${entry}(): ${describeThrown(error)}`);
  }
}
