// Azure's own compiler for a query: POST …/locations/{location}/compileQuery (API
// 2021-10-01-preview, absent from SDK 4.1.0). Its answer — errors with line/column spans,
// warnings, and the inputs/outputs/functions the query uses — maps onto streamkit's
// Diagnostic, so a remote compile prints exactly like `streamkit check`.
import type { FunctionSpec, JobSpec } from "../job";
import type { Diagnostic } from "../saql";
import type { ArmClient } from "./arm-client";
import { ArmError } from "./errors";

export const PREVIEW_API_VERSION = "2021-10-01-preview";

export type { Diagnostic };

/** The CompileQuery request body (subscriptions.json, 2021-10-01-preview). */
export interface CompileQueryBody {
  query: string;
  inputs: { name: string; type: "Stream" | "Reference" }[];
  functions: {
    name: string;
    type: "Scalar" | "Aggregate";
    bindingType: string;
    inputs: { dataType: string }[];
    output: { dataType: string };
  }[];
  jobType: "Cloud" | "Edge";
  compatibilityLevel: string;
}

/** QueryCompilationResult, as Azure returns it. */
export interface QueryCompilationResult {
  errors?: { message?: string; startLine?: number; startColumn?: number; endLine?: number; endColumn?: number; isGlobal?: boolean }[];
  warnings?: string[];
  inputs?: string[];
  outputs?: string[];
  functions?: string[];
}

export interface RemoteCompileResult {
  diagnostics: Diagnostic[];
  inputs: string[];
  outputs: string[];
  functions: string[];
}

const BINDING_TYPES: Record<FunctionSpec["kind"], string> = {
  "javascript-udf": "Microsoft.StreamAnalytics/JavascriptUdf",
  // A JavaScript UDA is an Aggregate function with the same JavaScript binding.
  "javascript-uda": "Microsoft.StreamAnalytics/JavascriptUdf",
  "csharp-udf": "Microsoft.StreamAnalytics/CLRUdf",
  // A C# UDA is an Aggregate function with the same CLR binding.
  "csharp-uda": "Microsoft.StreamAnalytics/CLRUdf",
  azureml: "Microsoft.MachineLearningServices",
};

/** The request body for a query, with the job's inputs and functions when a job is given. */
export function compileQueryBody(query: string, job?: JobSpec, inputNames: string[] = []): CompileQueryBody {
  const inputs: CompileQueryBody["inputs"] = job
    ? job.inputs.map((input) => ({ name: input.alias, type: input.type === "reference" ? "Reference" : "Stream" }))
    : inputNames.map((name) => ({ name, type: "Stream" }));
  const functions: CompileQueryBody["functions"] = (job?.functions ?? []).map((fn) => ({
    name: fn.name,
    type: fn.kind === "javascript-uda" || fn.kind === "csharp-uda" ? "Aggregate" : "Scalar",
    bindingType: BINDING_TYPES[fn.kind],
    inputs: fn.inputs.map((input) => ({ dataType: input.type })),
    output: { dataType: fn.output?.type ?? "any" },
  }));
  return { query, inputs, functions, jobType: "Cloud", compatibilityLevel: job?.compatibilityLevel ?? "1.2" };
}

/** Azure's compile errors and warnings as Diagnostics. Warnings carry no location, so they are global. */
export function toDiagnostics(result: QueryCompilationResult): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const error of result.errors ?? []) {
    const located = !error.isGlobal && typeof error.startLine === "number" && error.startLine > 0;
    const startLine = located ? error.startLine! : 0;
    const startColumn = located ? Math.max(1, error.startColumn ?? 1) : 0;
    diagnostics.push({
      severity: "error",
      message: (error.message ?? "the query failed to compile").trim(),
      startLine,
      startColumn,
      endLine: located ? error.endLine ?? startLine : 0,
      endColumn: located ? error.endColumn ?? startColumn : 0,
      isGlobal: !located,
      code: "ASA_COMPILE",
    });
  }
  for (const warning of result.warnings ?? []) {
    diagnostics.push({ severity: "warning", message: warning.trim(), startLine: 0, startColumn: 0, endLine: 0, endColumn: 0, isGlobal: true, code: "ASA_COMPILE_WARNING" });
  }
  return diagnostics;
}

export interface CompileTarget {
  subscriptionId: string;
  /** An Azure region, e.g. westeurope. */
  location: string;
}

export function locationPath(target: CompileTarget, operation: string): string {
  return `/subscriptions/${encodeURIComponent(target.subscriptionId)}/providers/Microsoft.StreamAnalytics/locations/${encodeURIComponent(target.location)}/${operation}`;
}

export async function compileRemotely(
  client: ArmClient,
  target: CompileTarget,
  body: CompileQueryBody,
  signal?: AbortSignal,
): Promise<RemoteCompileResult> {
  const response = await client.send({
    method: "POST",
    path: locationPath(target, "compileQuery"),
    apiVersion: PREVIEW_API_VERSION,
    body,
    what: `compiling the query in ${target.location}`,
    signal,
  });
  if (!response.body || typeof response.body !== "object") {
    throw new ArmError(`Azure answered the compile request with no compilation result (HTTP ${response.status})`, "server");
  }
  const result = response.body as QueryCompilationResult;
  return {
    diagnostics: toDiagnostics(result),
    inputs: result.inputs ?? [],
    outputs: result.outputs ?? [],
    functions: result.functions ?? [],
  };
}
