// The shapes of query tests: a case (a job, input files per alias, expected files per
// output alias, comparison options), its result, and the engine entry point it calls.
import type { DataErrorType } from "../../core/data-errors";
import type { StreamkitError } from "../../core/errors";
import type { EventSource } from "../../io/types";
import type { JobSpec, LoadedJob, Serialization } from "../../job";
import type { DateTimeValue, RecordValue } from "../../saql/values";

/** The engine's entry point (lib/simulator/run.ts `runQuery`), injected so tests can stand in for it. */
export type RunQuery = (options: {
  queryText: string;
  queryFile?: string;
  job?: JobSpec;
  /** Where the job's relative paths (function files, reference folders) start: the job file's folder. */
  jobDir?: string;
  inputs: { alias: string; events: EventSource }[];
  /** "local" (default: by event time) or "cloud" (the job's ordering policy), as RunQueryOptions. */
  ordering?: "local" | "cloud";
  /** Arrival time of events that carry none; default: the run's start. */
  arrivalTime?: DateTimeValue | number;
  /** The run starts over with an input read sorted: warnings given so far come again. */
  onRestart?: () => void;
  /** A row or event the run skipped (bad data), with its `file:line` when known. */
  onWarning?: (warning: { kind: string; type: DataErrorType; message: string; origin?: string }) => void;
}) => Promise<{ outputs: Record<string, RecordValue[]> }>;

export interface CaseInput {
  alias: string;
  path: string;
  serialization: Serialization;
  arrivalTimeField?: string;
  /** `path` is a folder of Event Hubs Capture files (`inputs/<alias>/`), each message body in `serialization`. */
  capture?: { pathFormat?: string; iotHub: boolean };
}

export interface CaseExpectedOutput {
  alias: string;
  path: string;
  /** testConfig.json `Required: false`: the output is not compared. */
  required: boolean;
  serialization?: Serialization;
}

export interface CompareOptions {
  orderSensitive: boolean;
  /** Fields left out of the comparison (e.g. EventProcessedUtcTime), matched case-insensitively. */
  ignoreFields: string[];
  /** Numbers within this absolute difference are equal (default 0: exact). */
  floatTolerance: number;
  /** Compatibility level 1.0 lower-cases field names; from 1.1 on the query's case is kept. */
  caseSensitiveNames: boolean;
}

export interface TestCase {
  /** `<job> › <case>` */
  name: string;
  /** Where the case is declared (case directory or testConfig.json). */
  source: string;
  /** Absent only when the case could not be read (then `setupError` says why). */
  job?: LoadedJob;
  inputs: CaseInput[];
  expected: CaseExpectedOutput[];
  compare: CompareOptions;
  /** The run must fail with an error whose message or code contains this text. */
  expectedError?: string;
  /** More events than this failing to deserialize or convert fail the case. */
  maxErrors?: number;
  /** case.json `ordering`: how input events are ordered (default: the runner's, else local). */
  ordering?: "local" | "cloud";
  /** case.json `arrivalTime`: the arrival time of events that carry none. */
  arrivalTime?: DateTimeValue;
  /** streamkit layout: where `--update` writes expected files of outputs not yet expected. */
  expectedDir?: string;
  /** A mistake found while reading the case (unknown alias, missing file): reported as its failure. */
  setupError?: StreamkitError;
}

export interface ChangedRow {
  expected: RecordValue;
  actual: RecordValue;
  fields: string[];
}

export interface OutputComparison {
  alias: string;
  expectedFile: string;
  pass: boolean;
  expectedCount: number;
  actualCount: number;
  missing: RecordValue[];
  extra: RecordValue[];
  changed: ChangedRow[];
}

export type CaseStatus = "passed" | "failed" | "updated";

export interface CaseResult {
  testCase: TestCase;
  status: CaseStatus;
  outputs: OutputComparison[];
  /** The run or the case setup failed: the error as the user should read it. */
  error?: string;
  deserializationErrors: string[];
  durationMs: number;
}
