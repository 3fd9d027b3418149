// The run API: a query, its inputs' events, the job's settings → the rows of each output.
// Events are read in arrival order across inputs; each input's events go through the query's
// DAG (lib/saql/plan) and the rows reaching each output are collected (or streamed to onRow).
import { dirname } from "node:path";
import { StreamkitError, StreamkitErrors } from "../core/errors";
import { eventBatches } from "../io/batches";
import type { InputEvent } from "../io/types";
import type { CompatibilityLevel, InputSpec, JobSpec } from "../job/schema";
import { checkQuery } from "../saql";
import { compileInputSchema } from "../saql/exec/input-schema";
import type { OrderingStats } from "../saql/exec/source";
import { valueToMs } from "../saql/exec/time";
import { buildPlan } from "../saql/plan/build";
import { loadJobFunctions } from "../saql/functions/udf";
import { getField, isRecord, type RecordValue, type Value } from "../saql/values";

export interface RunInput {
  alias: string;
  events: AsyncIterable<InputEvent> | Iterable<InputEvent>;
  /**
   * Reference data refreshed by path pattern: its snapshots, each valid from `validFrom` (ms) on.
   * When given, `events` is not read.
   */
  snapshots?: { validFrom: number; events: AsyncIterable<InputEvent> | Iterable<InputEvent> }[];
}

export interface RunStats {
  eventsRead: Record<string, number>;
  rowsWritten: Record<string, number>;
  lateAdjusted: number;
  lateDropped: number;
  outOfOrderAdjusted: number;
  outOfOrderDropped: number;
  /** Malformed events, and events that do not fit the input's CREATE TABLE. */
  deserializationErrors: number;
  /** Events dropped because their time was more than 5 minutes ahead of their arrival (fixed in ASA). */
  earlyDropped: number;
  /** Rows the query could not compute (a failed CAST, a TIMESTAMP BY value that is not a datetime): skipped. */
  dataErrors: number;
}

export interface RunResult {
  /** Rows per output alias, as declared by the job (or as written in INTO without a job). */
  outputs: Record<string, RecordValue[]>;
  stats: RunStats;
}

/** A problem with one event or row that did not stop the run. */
export interface RunWarning {
  kind: "data" | "deserialization";
  message: string;
  /** `file:line` of the event, when known. */
  origin?: string;
}

export interface RunQueryOptions {
  queryText: string;
  queryFile?: string;
  job?: JobSpec;
  /**
   * Where the job's relative function files (`functions[].file`) start: the job file's folder.
   * Default: the query file's folder, else the current folder.
   */
  jobDir?: string;
  inputs: RunInput[];
  /** Each output row as it is produced, in output order. */
  onRow?: (alias: string, row: RecordValue) => void;
  /** Keep output rows in `RunResult.outputs` (default true; turn off for very long runs that stream through onRow). */
  collect?: boolean;
  onWarning?: (warning: RunWarning) => void;
  /** Called now and then with the number of events read so far (for progress bars). */
  onProgress?: (eventsRead: number) => void;
}

/** Arrival-time fields ASA adds per input kind (stream-analytics-time-handling.md). */
const ARRIVAL_FIELDS: Record<string, string[]> = {
  eventhub: ["EventEnqueuedUtcTime"],
  iothub: ["IoTHub.EnqueuedTime", "EventEnqueuedUtcTime"],
  blob: ["BlobLastModifiedUtcTime"],
  adls: ["BlobLastModifiedUtcTime"],
  kafka: [],
};
const ANY_ARRIVAL_FIELDS = ["EventEnqueuedUtcTime", "IoTHub.EnqueuedTime", "BlobLastModifiedUtcTime"];

export async function runQuery(options: RunQueryOptions): Promise<RunResult> {
  const { queryText, queryFile, job } = options;
  const checked = checkQuery(queryText, { file: queryFile, job });
  const errors = checked.diagnostics.filter((d) => d.severity === "error");
  if (errors.length || !checked.script) {
    throw new StreamkitErrors(
      errors.map(
        (d) =>
          new StreamkitError(d.message, { file: queryFile, line: d.startLine, column: d.startColumn, endLine: d.endLine, endColumn: d.endColumn }, d.code),
      ),
    );
  }
  const collect = options.collect ?? true;
  const ordering = job?.eventOrdering ?? { lateArrivalMaxDelaySeconds: 5, outOfOrderMaxDelaySeconds: 0, policy: "adjust" as const };
  const compatibilityLevel: CompatibilityLevel = job?.compatibilityLevel ?? "1.2";
  const stats: RunStats & OrderingStats = {
    eventsRead: {},
    rowsWritten: {},
    lateAdjusted: 0,
    lateDropped: 0,
    outOfOrderAdjusted: 0,
    outOfOrderDropped: 0,
    deserializationErrors: 0,
    earlyDropped: 0,
    dataErrors: 0,
  };
  const outputs: Record<string, RecordValue[]> = {};
  const jobInputs = job?.inputs.length ? job.inputs : undefined;
  // Only the functions the query calls are loaded: a C# or ML function elsewhere in the job does not stop a run.
  const used = new Set(checked.functions.map((f) => f.toLowerCase()));
  const functions = job ? loadJobFunctions(job.functions.filter((f) => used.has(f.name.toLowerCase())), options.jobDir ?? (queryFile ? dirname(queryFile) : process.cwd())) : undefined;
  const graph = buildPlan(checked.script, {
    functions,
    file: queryFile,
    compatibilityLevel,
    policy: {
      // -1 means "wait indefinitely" in ASA.
      lateArrivalMs: ordering.lateArrivalMaxDelaySeconds < 0 ? Infinity : ordering.lateArrivalMaxDelaySeconds * 1000,
      outOfOrderMs: ordering.outOfOrderMaxDelaySeconds * 1000,
      drop: ordering.policy === "drop",
    },
    inputs: jobInputs?.map((i) => i.alias),
    referenceInputs: jobInputs?.filter((i) => i.type === "reference").map((i) => i.alias),
    // Event Hubs and IoT Hub add the partition an event came from (PartitionId) to each event.
    partitionedInputs: jobInputs?.filter((i) => i.kind === "eventhub" || i.kind === "iothub").map((i) => i.alias.toLowerCase()),
    outputs: job?.outputs.length ? job.outputs.map((o) => o.alias) : undefined,
    stats,
    onDataError: (message, origin) => {
      stats.dataErrors++;
      options.onWarning?.({ kind: "data", message, origin: origin && `${origin.file}:${origin.line}` });
    },
    onOutputRow: (alias, row) => {
      stats.rowsWritten[alias]++;
      if (collect) outputs[alias].push(row.rec);
      options.onRow?.(alias, row.rec);
    },
  });
  for (const alias of graph.outputs) {
    outputs[alias] = [];
    stats.rowsWritten[alias] = 0;
  }

  const given = (alias: string) => {
    const found = options.inputs.find((i) => i.alias.toLowerCase() === alias.toLowerCase());
    if (!found) throw new StreamkitError(`the query reads input '${alias}', but no events were given for it`, undefined, "MISSING_INPUT");
    return found;
  };
  // Reference data is a table: loaded whole before the first stream event.
  for (const input of graph.inputs.values()) {
    const table = input.table;
    if (!table) continue;
    const typing = input.schema ? compileInputSchema(input.schema) : undefined;
    stats.eventsRead[input.alias] = 0;
    const source = given(input.alias);
    const loadInto = async (rows: RecordValue[], events: RunInput["events"]) => {
      const load = (event: InputEvent) => {
        stats.eventsRead[input.alias]++;
        const typed = typing ? typing(event.record) : { ok: true as const, record: event.record };
        if (!typed.ok) {
          stats.deserializationErrors++;
          options.onWarning?.({ kind: "deserialization", message: typed.message, origin: `${event.location.file}:${event.location.line}` });
          return;
        }
        rows.push(typed.record);
      };
      if (Symbol.iterator in events) for (const e of events as Iterable<InputEvent>) load(e);
      else for await (const e of events as AsyncIterable<InputEvent>) load(e);
    };
    if (source.snapshots) {
      const snapshots = [...source.snapshots].sort((a, b) => a.validFrom - b.validFrom);
      input.snapshots = [];
      for (const snapshot of snapshots) {
        const rows: RecordValue[] = [];
        await loadInto(rows, snapshot.events);
        input.snapshots.push({ validFrom: snapshot.validFrom, rows });
      }
    } else await loadInto(table, source.events);
  }

  // Each stream input the query reads, with how its events get their arrival time and CREATE TABLE types.
  const feeds = [...graph.inputs.values()].filter((input) => !input.table).map((input) => {
    const spec = jobInputs?.find((i) => i.alias.toLowerCase() === input.alias.toLowerCase());
    const events = given(input.alias).events;
    stats.eventsRead[input.alias] = 0;
    return {
      alias: input.alias,
      events,
      arrivalOf: arrivalReader(arrivalFieldsFor(spec)),
      read: 0,
      typing: input.schema ? compileInputSchema(input.schema) : undefined,
      sources: input.sources,
    };
  });

  let total = 0;
  const feed = (f: (typeof feeds)[number], event: InputEvent) => {
    f.read++;
    total++;
    if (options.onProgress && (total & 0xffff) === 0) options.onProgress(total);
    const origin = event.location;
    let record = event.record;
    if (f.typing) {
      const typed = f.typing(record);
      if (!typed.ok) {
        stats.deserializationErrors++;
        options.onWarning?.({ kind: "deserialization", message: typed.message, origin: `${origin.file}:${origin.line}` });
        return;
      }
      record = typed.record;
    }
    const arrival = event.arrivalTime ?? f.arrivalOf(record);
    try {
      for (const source of f.sources) source.push(record, arrival, origin);
    } catch (error) {
      // A value nested deeper than a recursive step can walk (JSON.parse accepts any depth): a data error, not the end of the run.
      if (!(error instanceof RangeError)) throw error;
      stats.dataErrors++;
      options.onWarning?.({ kind: "data", message: `the event could not be processed: ${error.message}`, origin: `${origin.file}:${origin.line}` });
    }
  };

  await mergeByArrival(
    feeds.map((f) => ({ events: f.events, onEvent: (e: InputEvent) => feed(f, e) })),
    // Without an arrival time, the input whose time lags behind goes next, so inputs stay in step.
    (e, i) => e.arrivalTime ?? feeds[i].arrivalOf(e.record) ?? progressOf(feeds[i].sources),
  );
  for (const f of feeds) {
    stats.eventsRead[f.alias] = f.read;
    for (const source of f.sources) source.end();
  }
  options.onProgress?.(total);
  return { outputs, stats };
}

function progressOf(sources: { progress: number }[]): number {
  let p = Infinity;
  for (const s of sources) if (s.progress < p) p = s.progress;
  return p === Infinity ? -Infinity : p;
}

function arrivalFieldsFor(spec: InputSpec | undefined): string[] {
  if (spec?.local?.arrivalTimeField) return [spec.local.arrivalTimeField];
  if (spec) return ARRIVAL_FIELDS[spec.kind] ?? [];
  return ANY_ARRIVAL_FIELDS;
}

/**
 * Reads the arrival time an input kind's events carry (EventEnqueuedUtcTime …). Which field, if
 * any, is decided on the input's first event: an input's events all have the same shape, and
 * looking for absent fields case-insensitively on every event would cost more than the query.
 */
function arrivalReader(fields: string[]): (record: RecordValue) => number | undefined {
  let decided = false;
  let field: string | undefined;
  return (record) => {
    if (!decided) {
      decided = true;
      field = fields.find((f) => arrivalFromRecord(record, [f]) !== undefined);
    }
    return field === undefined ? undefined : arrivalFromRecord(record, [field]);
  };
}

function arrivalFromRecord(record: RecordValue, fields: string[]): number | undefined {
  for (const field of fields) {
    let value: Value = getField(record, field);
    if (value === null && field.includes(".")) {
      value = record;
      for (const part of field.split(".")) value = isRecord(value) ? getField(value, part) : null;
    }
    if (value !== null) {
      const ms = valueToMs(value);
      if (ms !== undefined) return ms;
    }
  }
  return undefined;
}

interface Feed {
  events: AsyncIterable<InputEvent> | Iterable<InputEvent>;
  onEvent: (event: InputEvent) => void;
}

/**
 * Reads several inputs as one stream in arrival order (ties: the earlier input first). For events
 * without an arrival time `arrivalOf` gives the input's progress instead. Inputs are read a batch
 * at a time (lib/io eventBatches): one await per batch, not per event.
 */
async function mergeByArrival(feeds: Feed[], arrivalOf: (event: InputEvent, feed: number) => number | undefined): Promise<void> {
  if (feeds.length === 1) {
    const only = feeds[0];
    for await (const batch of eventBatches(only.events)) for (let i = 0; i < batch.length; i++) only.onEvent(batch[i]);
    return;
  }
  const readers = feeds.map((f) => eventBatches(f.events)[Symbol.asyncIterator]());
  const batches: InputEvent[][] = feeds.map(() => []);
  const at: number[] = feeds.map(() => 0);
  /** The next event of input i, reading its next batch when this one is used up; undefined at its end. */
  const head = async (i: number): Promise<InputEvent | undefined> => {
    while (at[i] >= batches[i].length) {
      const next = await readers[i].next();
      if (next.done) return undefined;
      batches[i] = next.value;
      at[i] = 0;
    }
    return batches[i][at[i]];
  };
  try {
    const heads = await Promise.all(feeds.map((_, i) => head(i)));
    for (;;) {
      let pick = -1;
      let best = Infinity;
      for (let i = 0; i < heads.length; i++) {
        const event = heads[i];
        if (event === undefined) continue;
        const t = arrivalOf(event, i) ?? -Infinity;
        if (pick < 0 || t < best) {
          pick = i;
          best = t;
        }
      }
      if (pick < 0) break;
      feeds[pick].onEvent(heads[pick]!);
      at[pick]++;
      heads[pick] = at[pick] < batches[pick].length ? batches[pick][at[pick]] : await head(pick);
    }
  } finally {
    // A run stopped by an error closes the files it was reading.
    await Promise.all(readers.map((r) => r.return?.()));
  }
}

