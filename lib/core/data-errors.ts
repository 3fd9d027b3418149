// Data errors by ASA's categories: an event or row the run skipped (or adjusted) without
// stopping, counted per type with the first places it happened, like the DataErrorType and
// example events of ASA's diagnostic logs (articles/stream-analytics/data-errors.md and
// data-error-codes.md). The run summary and `streamkit run --report` print these counts.

/**
 * The data error types a local run reports, named as ASA names them. `QueryEvaluationError` is
 * streamkit's own: ASA's articles list no type for a row an expression could not compute (a failed
 * CAST, a bad argument), which the local engine skips and counts.
 * Not listed, because a local run cannot meet them: InputDeserializerError.TypeConversionError (a
 * CREATE TABLE mismatch is InvalidData, as the CREATE TABLE reference page classifies it; see
 * lib/saql/exec/input-schema.ts), InvalidCompressionType / InvalidHeader (an unreadable file stops
 * the run), and the other OutputDataConversionError types (local outputs are files, with no sink
 * column constraints, key columns or size limits to violate). OutputDataConversionError.TypeConversionError
 * ("a column can't be converted to a valid type in the output") is a row an output file's format
 * cannot hold (a record nested too deeply for a Parquet JSON column, an integer too large for an
 * Avro long): the row is skipped.
 */
export const DATA_ERROR_TYPES = [
  "InputDeserializerError.InvalidData",
  "InputDeserializerError.MissingColumns",
  "InputEventTimestampNotFound",
  "InputEventTimestampByOverValueNotFound",
  "InputEventLateBeyondThreshold",
  "InputEventEarlyBeyondThreshold",
  "InputEventOutOfOrderBeyondThreshold",
  "QueryEvaluationError",
  "OutputDataConversionError.TypeConversionError",
] as const;
export type DataErrorType = (typeof DATA_ERROR_TYPES)[number];

/**
 * Whether a type means an event failed to deserialize or a value to convert: what `--max-errors`
 * (and a test case's maxErrors) limits. Late, early and out-of-order events are the ordering
 * policy at work, not bad data.
 */
export function isBadData(type: DataErrorType): boolean {
  return type !== "InputEventLateBeyondThreshold" && type !== "InputEventEarlyBeyondThreshold" && type !== "InputEventOutOfOrderBeyondThreshold";
}

/** The events that failed to deserialize or convert, from a run's counts. */
export function badDataCount(counts: readonly DataErrorCount[]): number {
  return counts.reduce((n, c) => (isBadData(c.type) ? n + c.count : n), 0);
}

/** The one-line verdict when bad data exceeds a --max-errors / maxErrors limit; undefined within it. */
export function overMaxErrors(bad: number, max: number | undefined, limit = "--max-errors"): string | undefined {
  if (max === undefined || bad <= max) return undefined;
  return `${bad} event(s) failed to deserialize or convert, more than the ${max} allowed (${limit})`;
}

/** One data error: its type, what happened, and the event's `file:line` when known. */
export interface DataError {
  type: DataErrorType;
  message: string;
  origin?: string;
}

export interface DataErrorCount {
  type: DataErrorType;
  count: number;
  /** The first occurrences, in the order they happened. */
  first: { origin?: string; message: string }[];
}

/** How many first occurrences each type keeps (ASA's logs carry a few example events too). */
export const FIRST_KEPT = 5;

/**
 * The data errors of one run. `onError` listeners see each error as it happens (the CLI prints the
 * first ones; a limit such as --max-errors can stop the run by throwing from a listener).
 */
export class DataErrorLog {
  private readonly counts = new Map<DataErrorType, DataErrorCount>();
  private readonly listeners: ((error: DataError, log: DataErrorLog) => void)[] = [];
  private all = 0;

  onError(listener: (error: DataError, log: DataErrorLog) => void): void {
    this.listeners.push(listener);
  }

  add(type: DataErrorType, message: string, origin?: string): void {
    let entry = this.counts.get(type);
    if (!entry) {
      entry = { type, count: 0, first: [] };
      this.counts.set(type, entry);
    }
    entry.count++;
    this.all++;
    if (entry.first.length < FIRST_KEPT) entry.first.push(origin === undefined ? { message } : { origin, message });
    for (const listener of this.listeners) listener({ type, message, origin }, this);
  }

  /** Every error so far, of any type. */
  get total(): number {
    return this.all;
  }

  count(type: DataErrorType): number {
    return this.counts.get(type)?.count ?? 0;
  }

  /** The counts in the order of DATA_ERROR_TYPES (types that did not occur are left out). */
  summary(): DataErrorCount[] {
    return DATA_ERROR_TYPES.filter((t) => this.counts.has(t)).map((t) => {
      const c = this.counts.get(t)!;
      return { type: t, count: c.count, first: [...c.first] };
    });
  }

  /** Forget everything counted (a run that starts over; listeners stay). */
  clear(): void {
    this.counts.clear();
    this.all = 0;
  }
}
