// Runs a query on local files: each input read with its serialization (lib/io), the outputs
// written as a set, whole or not at all, in flat memory (output-files.ts).
import { closeSync, openSync, readSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { openEventSource, requireSerializationFromPath } from "../io";
import type { CaptureProgress } from "../io/capture";
import type { JobSpec, Serialization } from "../job/schema";
import { OutputSet, type OutputFile } from "./output-files";
import { findSnapshots, isRefreshPattern } from "./reference-snapshots";
import { runQuery, type Ordering, type RunInput, type RunStats, type RunWarning } from "./run";
import { DataErrorLog } from "../core/data-errors";
import type { DeserializationError } from "../io/types";
import type { DateTimeValue } from "../saql/values";

export interface FileInput {
  alias: string;
  path: string;
  /** Default: the job input's serialization, else the file's extension. */
  serialization?: Serialization;
  /** `path` is a folder (or glob) of Event Hubs Capture files (`--input alias=path:capture`); default: the job's `local.kind`. */
  capture?: boolean;
  /** Capture only: the file name format (default: the job's `local.capturePathFormat`, else Capture's default). */
  capturePathFormat?: string;
}

export interface RunFilesOptions {
  queryText: string;
  queryFile?: string;
  job?: JobSpec;
  /** Where relative paths of the job's `local` settings start (the job file's folder). */
  jobDir?: string;
  /** Inputs given explicitly; they win over the job's `local.path`. */
  inputs?: FileInput[];
  /** Folder for outputs without a `local.path` (default: current folder). */
  outDir?: string;
  /** One output whose rows go to a stream as JSON lines, not to a file (`streamkit run` without --out). */
  stream?: { alias: string; write: (bytes: Uint8Array) => void };
  /** Default "local" (by event time, as ASA's local runs); "cloud" applies the job's ordering policy. */
  ordering?: Ordering;
  /** Arrival time of events that carry none; default: the run's start. */
  arrivalTime?: DateTimeValue | number;
  /** Folder for sorted runs spilled to disk (default: the OS temporary folder). */
  tempDir?: string;
  onWarning?: (warning: RunWarning) => void;
  onProgress?: (eventsRead: number) => void;
  /** Capture inputs: files, records, bytes read and the enqueued time reached, now and then. */
  onCaptureProgress?: (alias: string, progress: CaptureProgress) => void;
  /** The run starts over (an input was out of event-time order): warnings given so far come again. */
  onRestart?: () => void;
}

export interface RunFilesResult {
  stats: RunStats;
  /** Output alias → the file written. */
  files: Record<string, string>;
}

const JSON_LINES: Serialization = { type: "json", encoding: "utf8", compression: "none", format: "lineSeparated" };
const JSON_BODIES: Serialization = { type: "json", encoding: "utf8", compression: "none" };

export async function runQueryOnFiles(options: RunFilesOptions): Promise<RunFilesResult> {
  const { job } = options;
  const base = options.jobDir ?? process.cwd();
  const given = new Map((options.inputs ?? []).map((i) => [i.alias.toLowerCase(), i]));
  const inputs: RunInput[] = [];
  // Errors the readers find (malformed events) are counted with those of the run.
  const dataErrors = new DataErrorLog();
  let deserializationErrors = 0;
  const onDeserializationError = (e: DeserializationError) => {
    deserializationErrors++;
    const type = e.type ?? "InputDeserializerError.InvalidData";
    const origin = `${e.location.file}:${e.location.line}`;
    dataErrors.add(type, e.message, origin);
    options.onWarning?.({ kind: "deserialization", type, message: e.message, origin });
  };
  const aliases = new Set<string>([...given.keys(), ...(job?.inputs ?? []).map((i) => i.alias.toLowerCase())]);
  for (const lower of aliases) {
    const spec = job?.inputs.find((i) => i.alias.toLowerCase() === lower);
    const explicit = given.get(lower);
    const path = explicit ? resolve(explicit.path) : spec?.local?.path ? resolveFrom(base, spec.local.path) : undefined;
    if (!path) continue; // the query may not read it; runQuery reports a missing input it needs
    if (spec?.type === "reference" && isRefreshPattern(spec.pathPattern) && statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      // A folder of snapshots named by the path pattern: reference data that refreshes.
      const serialization = explicit?.serialization ?? spec.serialization;
      inputs.push({
        alias: spec.alias,
        events: [],
        snapshots: findSnapshots(path, spec.pathPattern, spec.dateFormat, spec.timeFormat).map((f) => ({
          validFrom: f.validFrom,
          events: openEventSource(f.path, serialization, { onDeserializationError }),
        })),
      });
      continue;
    }
    const alias = spec?.alias ?? explicit!.alias;
    if (explicit?.capture ?? spec?.local?.kind === "capture") {
      // Capture files: Avro records whose message bodies have the input's serialization (JSON without a job).
      inputs.push({
        alias,
        events: (require("../io/capture") as typeof import("../io/capture")).openCaptureSource(path, {
          body: explicit?.serialization ?? spec?.serialization ?? JSON_BODIES,
          pathFormat: explicit?.capturePathFormat ?? spec?.local?.capturePathFormat,
          // The IoTHub record is what an IoT Hub input adds; without a job, when a message carries it.
          iotHub: spec ? spec.kind === "iothub" : undefined,
          onDeserializationError,
          onProgress: options.onCaptureProgress && ((p) => options.onCaptureProgress!(alias, p)),
        }),
      });
      continue;
    }
    const serialization = explicit?.serialization ?? spec?.serialization ?? requireSerializationFromPath(path);
    inputs.push({
      alias,
      events: openEventSource(path, serialization, { arrivalTimeField: spec?.local?.arrivalTimeField, onDeserializationError }),
    });
  }

  const outDir = resolve(options.outDir ?? ".");
  const outputs = new OutputSet(job?.dataLocale);
  // The streamed output is written with the others to a temporary file, and reaches the stream
  // whole once the set is committed: a run may start over or fail, and rows already on the
  // stream could not be taken back.
  const streamed = options.stream && { alias: options.stream.alias.toLowerCase(), file: join(tmpdir(), `streamkit-run-${process.pid}-${Date.now()}.json`) };
  const outputFor = (alias: string): OutputFile => {
    const open = outputs.get(alias);
    if (open) return open;
    if (alias.toLowerCase() === streamed?.alias) return outputs.open(alias, streamed.file, JSON_LINES);
    const spec = job?.outputs.find((o) => o.alias.toLowerCase() === alias.toLowerCase());
    const serialization = spec?.serialization ?? JSON_LINES;
    const path = spec?.local?.path ? resolveFrom(base, spec.local.path) : join(outDir, `${alias}${extensionOf(serialization)}`);
    return outputs.open(alias, path, serialization);
  };
  try {
    const result = await runQuery({
      queryText: options.queryText,
      queryFile: options.queryFile,
      job,
      jobDir: options.jobDir,
      inputs,
      ordering: options.ordering,
      arrivalTime: options.arrivalTime,
      dataErrors,
      tempDir: options.tempDir,
      collect: false,
      onRow: (alias, row) => outputFor(alias).add(row),
      onRestart: () => {
        // An input was out of event-time order: the run starts over reading it sorted.
        outputs.reset();
        deserializationErrors = 0;
        options.onRestart?.();
      },
      onWarning: options.onWarning,
      onProgress: options.onProgress,
    });
    // Every output the query writes gets a file, even when no row reached it.
    for (const alias of Object.keys(result.stats.rowsWritten)) outputFor(alias);
    // A row an output's format cannot hold is an output data error (data-errors.md): skipped, counted, the run goes on.
    const files = await outputs.commit((alias, origin, message) => {
      const type = "OutputDataConversionError.TypeConversionError";
      result.stats.dataErrors++;
      result.stats.rowsWritten[alias]--;
      dataErrors.add(type, message, origin);
      options.onWarning?.({ kind: "data", type, message, origin });
    });
    if (streamed && options.stream) {
      for (const alias of Object.keys(files)) {
        if (alias.toLowerCase() !== streamed.alias) continue;
        copyToStream(streamed.file, options.stream.write);
        files[alias] = "standard output";
      }
    }
    result.stats.deserializationErrors += deserializationErrors;
    result.stats.errors = dataErrors.summary();
    return { stats: result.stats, files };
  } catch (error) {
    outputs.abort();
    throw error;
  }
}

/** A file's bytes to a stream, 1 MiB at a time; the file is removed after. */
function copyToStream(file: string, write: (bytes: Uint8Array) => void): void {
  try {
    const fd = openSync(file, "r");
    try {
      for (;;) {
        // A fresh buffer per chunk: the stream may still hold the last one.
        const chunk = new Uint8Array(1 << 20);
        const n = readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        write(chunk.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(file, { force: true });
  }
}

function resolveFrom(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}

function extensionOf(s: Serialization): string {
  const ext = s.type === "json" ? ".json" : `.${s.type}`;
  return s.compression === "gzip" ? `${ext}.gz` : s.compression === "deflate" ? `${ext}.deflate` : ext;
}
