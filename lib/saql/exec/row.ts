// What flows between operators: rows with an event time, and watermarks.
import type { RecordValue } from "../values";

/**
 * One row on a stream. `ts` is the row's System.Timestamp() in ms since the epoch (NaN when the
 * input has neither TIMESTAMP BY nor an arrival time). `rec` is the row's record; for a source
 * it is the event as read (after CREATE TABLE typing).
 */
export interface Row {
  ts: number;
  rec: RecordValue;
  /**
   * Records joined to `rec` by CROSS/OUTER APPLY or a JOIN, in the order of the FROM clause
   * (NULL for an outer side without a match). Absent for a single source.
   */
  sides?: (RecordValue | null)[];
  /** Event times of the sides that are streams (stream–stream JOIN), parallel to `sides`. */
  sideTs?: number[];
  /** The FROM source's own time when a JOIN gave the row a later `ts`. */
  leftTs?: number;
  /** Where the event that produced this row came from, for error messages. */
  origin?: EventOrigin;
}

/** `file:line` of an event, kept as the reader's object and formatted only when reported. */
export interface EventOrigin {
  file: string;
  line: number;
}

/**
 * A push-based consumer. Rows arrive in non-decreasing `ts` order; `watermark(t)` promises that
 * no later row has `ts < t`. `end()` is the final watermark: flush everything.
 */
export interface Operator {
  push(row: Row): void;
  watermark(t: number): void;
  end(): void;
}

/** Sends every row and watermark to several consumers (a step read by several statements). */
export class FanOut implements Operator {
  readonly targets: Operator[] = [];

  push(row: Row): void {
    const targets = this.targets;
    for (let i = 0; i < targets.length; i++) targets[i].push(row);
  }

  watermark(t: number): void {
    for (const target of this.targets) target.watermark(t);
  }

  end(): void {
    for (const target of this.targets) target.end();
  }
}
