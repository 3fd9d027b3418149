// JavaScript UDFs and UDAs from files, in the layout of ASA's VS Code projects:
// `Functions/<name>.js` beside the query, with its types in `Functions/<name>.json` (or given in code). A UDF script defines `function main(…)`; a UDA script
// defines `function main()` returning an object with init/accumulate/computeResult
// (stream-analytics-javascript-user-defined-functions.md, -aggregates.md).
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { StreamAnalyticsFunctionJavascriptUdf } from "@cdktf/provider-azurerm/lib/stream-analytics-function-javascript-udf";
import { StreamAnalyticsFunctionJavascriptUda } from "@cdktf/provider-azurerm/lib/stream-analytics-function-javascript-uda";
import { StreamkitError } from "../../lib/core/errors";
import { readJsonFile, validate } from "../../lib/asa-project/json-file";
import { functionConfigSchema } from "../../lib/asa-project/schemas";
import type { FunctionSpec } from "../../lib/job";
import type { JobContext } from "./job-context";

/** The types a JavaScript function's inputs and output may have in ASA. */
export const FUNCTION_TYPES = ["any", "array", "bigint", "datetime", "float", "nvarchar(max)", "record"] as const;
export type FunctionType = (typeof FUNCTION_TYPES)[number];

export interface JavaScriptFunctionOptions {
  /** `udf` (scalar, the default) or `uda` (aggregate). */
  kind?: "udf" | "uda";
  inputs: FunctionType[];
  output: FunctionType;
}

export interface AddedFunction {
  spec: FunctionSpec;
  /** Absolute path of the script (the job file names it relative to itself). */
  scriptPath: string;
}

function checkType(name: string, type: string): void {
  if (!(FUNCTION_TYPES as readonly string[]).includes(type)) {
    throw new StreamkitError(`function '${name}': '${type}' is not a JavaScript function type (${FUNCTION_TYPES.join(", ")})`, undefined, "JOB_FUNCTION");
  }
}

/**
 * A function's kind and types from its ASA project config (`Functions/<name>.json`:
 * `Type` Scalar/Aggregate, `Inputs[].DataType`, `Output.DataType`).
 */
export function functionOptionsFromConfig(configPath: string, shown: string): JavaScriptFunctionOptions {
  const config = validate(functionConfigSchema, readJsonFile(configPath, "function config"), shown);
  const binding = (config.Binding?.Type ?? "JavaScript").toLowerCase();
  if (!binding.includes("javascript")) {
    throw new StreamkitError(`${shown}: only JavaScript functions can be deployed by the job construct, not '${config.Binding?.Type}'`, { file: shown }, "JOB_FUNCTION");
  }
  const type = (t: string | null | undefined) => (t ?? "any").toLowerCase().replace(/\s+/g, "") as FunctionType;
  return {
    kind: (config.Type ?? config.FunctionType ?? "Scalar").toLowerCase().includes("aggregate") ? "uda" : "udf",
    inputs: (config.Inputs ?? []).map((i) => type(i.DataType)),
    output: type(config.Output?.DataType),
  };
}

export function addJavaScriptFunction(
  ctx: JobContext,
  functionsDir: string,
  projectDir: string,
  name: string,
  given?: JavaScriptFunctionOptions,
): AddedFunction {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new StreamkitError(`function '${name}': a function name is an identifier (letters, digits, '_')`, undefined, "JOB_FUNCTION");
  }
  const scriptPath = join(functionsDir, `${name}.js`);
  const shown = relative(projectDir, scriptPath);
  const configPath = join(functionsDir, `${name}.json`);
  if (!given && !existsSync(configPath)) {
    throw new StreamkitError(
      `function '${name}': give its inputs and output, or describe them in ${relative(projectDir, configPath)} (ASA's function config)`,
      undefined,
      "JOB_FUNCTION",
    );
  }
  const options = given ?? functionOptionsFromConfig(configPath, relative(projectDir, configPath));
  options.inputs.forEach((t) => checkType(name, t));
  checkType(name, options.output);
  if (!existsSync(scriptPath)) {
    throw new StreamkitError(`function '${name}': script not found: ${shown} (JavaScript functions live in Functions/<name>.js beside the query)`, { file: shown }, "JOB_FUNCTION");
  }
  const script = readFileSync(scriptPath, "utf8");
  if (!/\bfunction\s+main\s*\(/.test(script)) {
    throw new StreamkitError(`function '${name}': ${shown} defines no 'function main(…)', which ASA calls`, { file: shown }, "JOB_FUNCTION");
  }
  const kind = options.kind ?? "udf";
  const input = options.inputs.map((type) => ({ type }));
  const id = `function-${name}`;
  if (kind === "uda") {
    new StreamAnalyticsFunctionJavascriptUda(ctx.scope, id, {
      name,
      streamAnalyticsJobId: ctx.jobId,
      script,
      input,
      output: { type: options.output },
    });
  } else {
    new StreamAnalyticsFunctionJavascriptUdf(ctx.scope, id, {
      name,
      streamAnalyticsJobName: ctx.jobNameRef,
      resourceGroupName: ctx.resourceGroupName,
      script,
      input,
      output: { type: options.output },
    });
  }
  return {
    spec: { name, kind: kind === "uda" ? "javascript-uda" : "javascript-udf", file: scriptPath, inputs: input, output: { type: options.output } },
    scriptPath,
  };
}
