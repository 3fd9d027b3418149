// The run API: a query, its inputs' events, the job's settings → the rows of each output.
// Two orderings (RunQueryOptions.ordering):
//  - "local" (default), what ASA's engine does with local files: each FROM … TIMESTAMP BY sees its
//    input's events sorted by event time (ties in file order), stream inputs merge by event time,
//    and no ordering policy applies ("only to cloud input sources", event-ordering.md). An input is
//    streamed as it is while it is in order; one found out of order is read again, sorted with
//    bounded memory (local-order.ts, event-sorter.ts). Reference inputs are tables, not reordered.
//  - "cloud": events in arrival order across inputs, the job's late-arrival, out-of-order and
//    early-arrival policies applied as an Event Hub input gets them (lib/saql/exec/source.ts);
//    meaningful when events carry arrival times (EventEnqueuedUtcTime …).
// Each input's events go through the query's DAG (lib/saql/plan) and the rows reaching each
// output are collected (or streamed to onRow). Events with no event time at all (no TIMESTAMP BY,
// no arrival time) are all on one timestamp, the run's start time (input-validation.md), or
// `arrivalTime` when given.
import { dirname } from "node:path";
import { DataErrorLog, type DataErrorCount, type DataErrorType } from "../core/data-errors";
import { StreamkitError, StreamkitErrors } from "../core/errors";
import { eventBatches, hasBatches } from "../io/batches";
import type { BatchedEventSource, InputEvent } from "../io/types";
import type { CompatibilityLevel, InputSpec, JobSpec } from "../job/schema";
import { checkQuery } from "../saql";
import { compileInputSchema } from "../saql/exec/input-schema";
import type { EventOrigin } from "../saql/exec/row";
import type { OrderingStats } from "../saql/exec/source";
import { valueToInstant } from "../saql/exec/time";
import { dateTimeOf, instantOf, instantOfMs, TICKS_PER_SECOND } from "../saql/instant";
import { buildPlan } from "../saql/plan/build";
import { loadJobFunctions, type JobFunctions } from "../saql/functions/udf";
import { DateTimeValue, getField, isRecord, type RecordValue, type Value } from "../saql/values";
import { OutOfOrderInput, runLocal, type Feed } from "./local-order";
import type { Ordering } from "./ordering";

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
  /** Every data error by ASA's type (data-errors.md), with its first locations. */
  errors: DataErrorCount[];
  /** How the run ordered its input events. */
  ordering: Ordering;
  /** The arrival time of events that carry none: the run's start, or `arrivalTime`. */
  arrivalTime: DateTimeValue;
}

export interface RunResult {
  /** Rows per output alias, as declared by the job (or as written in INTO without a job). */
  outputs: Record<string, RecordValue[]>;
  stats: RunStats;
}

/** A problem with one event or row that did not stop the run. */
export interface RunWarning {
  kind: "data" | "deserialization";
  /** ASA's data error type (data-errors.md). */
  type: DataErrorType;
  message: string;
  /** `file:line` of the event, when known. */
  origin?: string;
}

export type { Ordering } from "./ordering";
export { ORDERINGS, parseArrivalTime } from "./ordering";

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
  /** Default "local"; "cloud" applies the job's event-ordering policy to events in arrival order. */
  ordering?: Ordering;
  /**
   * The arrival time of events that carry none (a datetime, or ms since 1970): without TIMESTAMP BY
   * they all have this time. Default: the run's start (what ASA's local runs do); pin it for
   * reproducible tests.
   */
  arrivalTime?: DateTimeValue | number;
  /** Where the data errors are counted (give one to also count errors found while reading files). */
  dataErrors?: DataErrorLog;
  /** Each output row as it is produced, in output order. */
  onRow?: (alias: string, row: RecordValue) => void;
  /** Keep output rows in `RunResult.outputs` (default true; turn off for very long runs that stream through onRow). */
  collect?: boolean;
  /**
   * Local ordering reads an input that turns out not to be in event-time order a second time,
   * sorted; the run then starts over. Rows already given to onRow (and warnings) are void: this is
   * called first, and the same rows come again. Without it, a streaming run (collect: false) stops
   * with an error on an input out of order; a collecting run resets its own outputs.
   */
  onRestart?: () => void;
  /** Folder for sorted runs spilled to disk (default: the OS temporary folder). */
  tempDir?: string;
  /** Events per sorted run held in memory before spilling (default: event-sorter DEFAULT_RUN_SIZE). */
  sortRunSize?: number;
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

/** Data error types of the ordering policy: information in ASA's logs, not warnings. */
const POLICY_TYPES = new Set<DataErrorType>(["InputEventLateBeyondThreshold", "InputEventEarlyBeyondThreshold", "InputEventOutOfOrderBeyondThreshold"]);

export async function runQuery(options: RunQueryOptions): Promise<RunResult> {
  const ordering = options.ordering ?? "local";
  const given = options.arrivalTime ?? Date.now();
  const arrivalTime = given instanceof DateTimeValue ? instantOf(given) : instantOfMs(given);
  const errors = options.dataErrors ?? new DataErrorLog();
  if (ordering === "cloud") return runOnce(options, { ordering, arrivalTime, errors, sort: new Set() });
  const collect = options.collect ?? true;
  const canRestart = collect || options.onRestart !== undefined;
  // How each input gets into event-time order:
  //  - arrays: sorted before the run (in memory: they are small);
  //  - file sources (read again at will), when the rows given so far can be taken back: streamed
  //    while in order, and the run starts over with the input sorted when it is not;
  //  - single-pass streams, when rows can be taken back: sorted before the run;
  //  - otherwise streamed, and an input out of order stops the run with an error saying so.
  const sort = new Set<string>();
  const restartable = new Set<string>();
  for (const input of options.inputs) {
    const alias = input.alias.toLowerCase();
    if (Array.isArray(input.events) || (canRestart && !hasBatches(input.events))) sort.add(alias);
    else if (canRestart) restartable.add(alias);
  }
  for (;;) {
    try {
      return await runOnce(options, { ordering, arrivalTime, errors, sort, restartable });
    } catch (error) {
      const alias = error instanceof OutOfOrderInput && error.restartable ? error.alias.toLowerCase() : undefined;
      if (alias === undefined || sort.has(alias)) throw error;
      sort.add(alias);
      errors.clear();
      options.onRestart?.();
    }
  }
}

interface RunContext {
  ordering: Ordering;
  /** An instant (lib/saql/instant.ts), as every time inside the run. */
  arrivalTime: number;
  errors: DataErrorLog;
  /** Lower-case aliases of the stream inputs to sort before the run (local ordering). */
  sort: Set<string>;
  /** Lower-case aliases of the inputs whose disorder may start the run over (else: an error). */
  restartable?: Set<string>;
}

/** One run; the JavaScript functions' thread it starts ends with it, whether it finished or failed. */
async function runOnce(options: RunQueryOptions, context: RunContext): Promise<RunResult> {
  let functions: JobFunctions | undefined;
  try {
    return await runWith(options, context, (loaded) => (functions = loaded));
  } finally {
    functions?.close();
  }
}

async function runWith(options: RunQueryOptions, context: RunContext, opened: (functions: JobFunctions) => JobFunctions): Promise<RunResult> {
  const { queryText, queryFile, job } = options;
  const checked = checkQuery(queryText, { file: queryFile, job, local: true });
  const diagnostics = checked.diagnostics.filter((d) => d.severity === "error");
  if (diagnostics.length || !checked.script) {
    throw new StreamkitErrors(
      diagnostics.map(
        (d) =>
          new StreamkitError(d.message, { file: queryFile, line: d.startLine, column: d.startColumn, endLine: d.endLine, endColumn: d.endColumn }, d.code),
      ),
    );
  }
  const { errors, arrivalTime } = context;
  const local = context.ordering === "local";
  const collect = options.collect ?? true;
  const policy = job?.eventOrdering ?? { lateArrivalMaxDelaySeconds: 5, outOfOrderMaxDelaySeconds: 0, policy: "adjust" as const };
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
    errors: [],
    ordering: context.ordering,
    arrivalTime: dateTimeOf(arrivalTime),
  };
  const report = (type: DataErrorType, message: string, origin: string | undefined) => {
    errors.add(type, message, origin);
    if (!POLICY_TYPES.has(type)) options.onWarning?.({ kind: type.startsWith("InputDeserializerError") ? "deserialization" : "data", type, message, origin });
  };
  const deserializationError = (type: DataErrorType | undefined, message: string, location: EventOrigin) => {
    stats.deserializationErrors++;
    report(type ?? "InputDeserializerError.InvalidData", message, `${location.file}:${location.line}`);
  };
  const outputs: Record<string, RecordValue[]> = {};
  const jobInputs = job?.inputs.length ? job.inputs : undefined;
  // Only the functions the query calls are loaded: a C# or ML function elsewhere in the job does not stop a run.
  const used = new Set(checked.functions.map((f) => f.toLowerCase()));
  const functions = job ? opened(loadJobFunctions(job.functions.filter((f) => used.has(f.name.toLowerCase())), options.jobDir ?? (queryFile ? dirname(queryFile) : process.cwd()))) : undefined;
  const graph = buildPlan(checked.script, {
    functions,
    file: queryFile,
    compatibilityLevel,
    policy: {
      // -1 means "wait indefinitely" in ASA.
      lateArrival: policy.lateArrivalMaxDelaySeconds < 0 ? Infinity : policy.lateArrivalMaxDelaySeconds * TICKS_PER_SECOND,
      outOfOrder: policy.outOfOrderMaxDelaySeconds * TICKS_PER_SECOND,
      drop: policy.policy === "drop",
    },
    inputs: jobInputs?.map((i) => i.alias),
    referenceInputs: jobInputs?.filter((i) => i.type === "reference").map((i) => i.alias),
    // Event Hubs and IoT Hub add the partition an event came from (PartitionId) to each event.
    partitionedInputs: jobInputs?.filter((i) => i.kind === "eventhub" || i.kind === "iothub").map((i) => i.alias.toLowerCase()),
    outputs: job?.outputs.length ? job.outputs.map((o) => o.alias) : undefined,
    stats,
    onDataError: (message, origin, type = "QueryEvaluationError") => {
      if (!POLICY_TYPES.has(type)) stats.dataErrors++;
      report(type, message, origin && `${origin.file}:${origin.line}`);
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
    if (!found) throw new StreamkitError(`the query reads input '${alias}', but no events were given for it: name a file with --input ${alias}=<file>, or give the input a local file`, undefined, "MISSING_INPUT");
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
          deserializationError(typed.category, typed.message, event.location);
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
        input.snapshots.push({ validFrom: instantOfMs(snapshot.validFrom), rows });
      }
    } else await loadInto(table, source.events);
  }

  // Each stream input the query reads, with how its events get their arrival time and CREATE TABLE types.
  const feeds: Feed[] = [...graph.inputs.values()]
    .filter((input) => !input.table)
    .map((input) => {
      const spec = jobInputs?.find((i) => i.alias.toLowerCase() === input.alias.toLowerCase());
      stats.eventsRead[input.alias] = 0;
      const events = given(input.alias).events;
      // A source that knows its input partitions up front (Capture files): a watermark for each from the start.
      const partitions = (events as Partial<BatchedEventSource>).partitions;
      if (partitions && !local) for (const source of input.sources) source.declarePartitions(partitions);
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
  const progress = () => {
    total++;
    if (options.onProgress && (total & 0xffff) === 0) options.onProgress(total);
  };
  /** The event as the query sees it (CREATE TABLE types), or undefined when it does not fit. */
  const typed = (f: Feed, event: InputEvent): RecordValue | undefined => {
    if (!f.typing) return event.record;
    const result = f.typing(event.record);
    if (result.ok) return result.record;
    deserializationError(result.category, result.message, event.location);
    return undefined;
  };

  /** A value nested deeper than a recursive step can walk (JSON.parse accepts any depth): a data error, not the end of the run. */
  const tooDeep = (error: unknown, origin: EventOrigin) => {
    if (!(error instanceof RangeError)) throw error;
    stats.dataErrors++;
    report("QueryEvaluationError", `the event could not be processed: ${error.message}`, `${origin.file}:${origin.line}`);
  };
  if (local) {
    await runLocal(feeds, {
      tooDeep,
      arrivalTime,
      sort: context.sort,
      restartable: context.restartable ?? new Set(),
      typed,
      progress,
      sortRunSize: options.sortRunSize,
      tempDir: options.tempDir,
    });
  } else {
    const feed = (f: Feed, event: InputEvent) => {
      f.read++;
      progress();
      const record = typed(f, event);
      if (record === undefined) return;
      const arrival = event.arrivalTime ?? f.arrivalOf(record);
      try {
        for (const source of f.sources) source.push(record, arrival ?? (source.hasTimestampBy ? undefined : arrivalTime), event.location);
      } catch (error) {
        tooDeep(error, event.location);
      }
    };
    await mergeByArrival(
      feeds.map((f) => ({ events: f.events, onEvent: (e: InputEvent) => feed(f, e) })),
      // Without an arrival time, the input whose time lags behind goes next, so inputs stay in step.
      (e, i) => e.arrivalTime ?? feeds[i].arrivalOf(e.record) ?? progressOf(feeds[i].sources),
    );
  }
  for (const f of feeds) {
    stats.eventsRead[f.alias] = f.read;
    for (const source of f.sources) source.end();
  }
  options.onProgress?.(total);
  stats.errors = errors.summary();
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
      const t = valueToInstant(value);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

interface ArrivalFeed {
  events: AsyncIterable<InputEvent> | Iterable<InputEvent>;
  onEvent: (event: InputEvent) => void;
}

/**
 * Reads several inputs as one stream in arrival order (ties: the earlier input first). For events
 * without an arrival time `arrivalOf` gives the input's progress instead. Inputs are read a batch
 * at a time (lib/io eventBatches): one await per batch, not per event.
 */
async function mergeByArrival(feeds: ArrivalFeed[], arrivalOf: (event: InputEvent, feed: number) => number | undefined): Promise<void> {
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

