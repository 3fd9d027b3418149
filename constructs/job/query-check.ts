// The synth-time query check: the SAQL checker run against the job model the construct derives,
// so `cdktf synth` fails on a query that names an undeclared input or output, calls a missing
// UDF or writes columns its SQL table lacks — each problem with the query's file:line:col.
import type { Diagnostic } from "../../lib/saql";
import type { JobSpec } from "../../lib/job";

export function formatDiagnostic(file: string, d: Diagnostic): string {
  const where = d.isGlobal ? file : `${file}:${d.startLine}:${d.startColumn}`;
  return `${where}: ${d.message}${d.code ? ` [${d.code}]` : ""}`;
}

/** The query's errors (they fail synth) and warnings (cdktf prints them), formatted compiler-style. */
export function checkJobQuery(text: string, file: string, job: JobSpec): { errors: string[]; warnings: string[] } {
  // Loaded on the first validation, not when constructs are imported: building a stack
  // without synthesizing it (tests, tools) does not pay for the SAQL front end.
  const { checkQuery } = require("../../lib/saql") as typeof import("../../lib/saql");
  const { diagnostics } = checkQuery(text, { file, job });
  const of = (severity: Diagnostic["severity"]) => diagnostics.filter((d) => d.severity === severity).map((d) => formatDiagnostic(file, d));
  return { errors: of("error"), warnings: of("warning") };
}

/**
 * Streaming units the job's query cannot use, or partitions it merges while the job has more than one
 * node (`streamkit explain`'s rules): one message per finding, naming the step and the reason.
 */
export function checkJobScaling(text: string, file: string, job: JobSpec): string[] {
  const { explainQuery, cite } = require("../../lib/explain") as typeof import("../../lib/explain");
  const { explanation } = explainQuery(text, { file, job });
  return (explanation?.warnings ?? []).map((w) => `${file}: ${w.message} [${cite(w.cite)}; see streamkit explain]`);
}
