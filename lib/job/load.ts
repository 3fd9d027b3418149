import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { z } from "zod";
import { StreamkitError, StreamkitErrors } from "../core/errors";
import { writeFileAtomic } from "../core/atomic-write";
import { jobSpecSchema, type JobSpec, type JobSpecInput } from "./schema";

/** `inputs[0].serialization.type` from zod's path segments. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out || "(root)";
}

function schemaErrors(error: z.ZodError, file?: string): StreamkitErrors {
  return new StreamkitErrors(
    error.issues.map(
      (issue) => new StreamkitError(issue.message, { file, jsonPath: formatJsonPath(issue.path) }, "JOB_SCHEMA"),
    ),
  );
}

/** Validates a plain object as a job; throws every mistake at once, each with its JSON path. */
export function parseJobSpec(value: unknown, file?: string): JobSpec {
  const result = jobSpecSchema.safeParse(value);
  if (!result.success) throw schemaErrors(result.error, file);
  return result.data;
}

/** A typed builder for code: fills in defaults, validates. */
export function defineJob(spec: JobSpecInput): JobSpec {
  return parseJobSpec(spec);
}

/** A job file with its query loaded and its paths made absolute. */
export interface LoadedJob {
  spec: JobSpec;
  /** The job file, or undefined for a job built in code. */
  file?: string;
  /** The query text (from `query.text` or the file it names). */
  queryText: string;
  /** Absolute path of the query file, when there is one: diagnostics name it. */
  queryFile?: string;
}

export function resolveFrom(baseFile: string | undefined, path: string): string {
  if (isAbsolute(path)) return path;
  return resolve(baseFile ? dirname(baseFile) : process.cwd(), path);
}

/** Reads a query for a job: its inline text, or the file it names (relative to the job file). */
export function loadQuery(spec: JobSpec, jobFile?: string): { queryText: string; queryFile?: string } {
  if (spec.query.file === undefined) return { queryText: spec.query.text ?? "" };
  const queryFile = resolveFrom(jobFile, spec.query.file);
  if (!existsSync(queryFile)) {
    throw new StreamkitError(`query file not found: ${queryFile}`, { file: jobFile, jsonPath: "query.file" }, "JOB_QUERY");
  }
  return { queryText: readFileSync(queryFile, "utf8"), queryFile };
}

/** Reads and validates a job JSON file. */
export function loadJobFile(file: string): LoadedJob {
  const path = resolve(file);
  if (!existsSync(path)) throw new StreamkitError(`job file not found: ${path}`, { file: path }, "JOB_FILE");
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new StreamkitError(`job file is not valid JSON: ${(error as Error).message}`, { file: path }, "JOB_FILE");
  }
  const spec = parseJobSpec(raw, path);
  return { spec, file: path, ...loadQuery(spec, path) };
}

/** Writes a job back as JSON (atomically), with every default spelled out. */
export function saveJobFile(file: string, spec: JobSpec): void {
  writeFileAtomic(file, JSON.stringify(spec, null, 2) + "\n");
}
