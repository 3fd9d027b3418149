// `check` ≡ `run`: whatever would stop a run before its first event is found by starting the
// run itself on empty inputs. The static checker finds most of it; this finds the rest (what
// the planner and the function loader refuse: features the local engine does not implement,
// a JavaScript function that does not load, …) with the same words and place as `run`.
import { dirname } from "node:path";
import { StreamkitError, StreamkitErrors } from "../core/errors";
import type { JobSpec } from "../job/schema";
import { assertWritable } from "../io/writers";
import { checkQuery, type Diagnostic } from "../saql";
import { runQuery } from "./run";

export interface DryRunOptions {
  queryFile?: string;
  job?: JobSpec;
  /** Where the job's relative function files start (as for `run`). */
  jobDir?: string;
}

/** The errors a run on empty inputs stops with, as diagnostics (none when the query would run). */
export async function dryRun(queryText: string, options: DryRunOptions = {}): Promise<Diagnostic[]> {
  const checked = checkQuery(queryText, { file: options.queryFile, job: options.job, local: true });
  if (!checked.script || checked.diagnostics.some((d) => d.severity === "error")) return [];
  try {
    // An output is opened at its first row, which a run on empty inputs never writes.
    for (const alias of checked.outputs) {
      const output = options.job?.outputs.find((o) => o.alias.toLowerCase() === alias.toLowerCase());
      if (output?.serialization) assertWritable(output.serialization, output.alias);
    }
    await runQuery({
      queryText,
      queryFile: options.queryFile,
      job: options.job,
      jobDir: options.jobDir ?? (options.queryFile ? dirname(options.queryFile) : undefined),
      inputs: checked.inputs.map((alias) => ({ alias, events: [] })),
      collect: false,
    });
    return [];
  } catch (error) {
    if (!(error instanceof StreamkitError)) throw error;
    const errors = error instanceof StreamkitErrors ? error.errors : [error];
    return errors.map(toDiagnostic);
  }
}

function toDiagnostic(error: StreamkitError): Diagnostic {
  const at = error.location;
  if (at?.line === undefined) {
    // A problem outside the query text (a function file, a job setting): reported for the whole query.
    const where = at?.file ? `${at.file}${at.jsonPath ? ` at ${at.jsonPath}` : ""}: ` : "";
    return { severity: "error", message: `${where}${error.message}`, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, isGlobal: true, code: error.code };
  }
  return {
    severity: "error",
    message: error.message,
    startLine: at.line,
    startColumn: at.column ?? 1,
    endLine: at.endLine ?? at.line,
    endColumn: at.endColumn ?? at.column ?? 1,
    isGlobal: false,
    code: error.code,
  };
}
