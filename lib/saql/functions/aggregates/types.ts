// The contract between aggregate implementations and the window engine.
import type { DateTimeValue, Value } from "../../values";
import type { SaqlType } from "../types";

/**
 * How an aggregate was called. Arguments that configure the aggregate (CollectTop's count,
 * PERCENTILE_CONT's fraction) arrive evaluated as `constArgs`; per-row arguments arrive
 * through `add`.
 */
export interface AggregateCall {
  /** Literal arguments: CollectTop(n [, expr]) → [n]; PERCENTILE_CONT(p) → [p]. Empty for the others. */
  constArgs: Value[];
  /** COUNT(DISTINCT x). */
  distinct?: boolean;
  /** COUNT(*). */
  star?: boolean;
  /** `OVER (ORDER BY k1 [ASC|DESC], …)` of CollectTop, TopOne, PERCENTILE_CONT/DISC: one entry per key. */
  orderBy?: { descending: boolean }[];
  /**
   * Static type of the per-row argument, when the checker knows it. MIN/MAX compare strings
   * as strings only when the argument is explicitly nvarchar(max) (MAX page); SUM/AVG keep a
   * float type for integral float values.
   */
  argType?: SaqlType;
  /**
   * The engine promises never to call `remove` (tumbling, snapshot and session windows). COUNT,
   * SUM, AVG, MIN, MAX, TopOne and CollectTop then keep constant (CollectTop: n rows) state
   * instead of every row, with identical results.
   */
  appendOnly?: boolean;
}

/**
 * Running state of one aggregate in one group of one window.
 * - `value`: the per-row argument (COUNT(*): anything, e.g. the row; Collect(): the row
 *   record; CollectTop(n)/TopOne(): the projection if given, else the row record;
 *   PERCENTILE_*: ignored, the ORDER BY key is used).
 * - `orderKeys`: the row's ORDER BY values, for the aggregates that take `OVER (ORDER BY …)`.
 * - `timestamp`: the row's event time; JavaScript UDAs receive it as accumulate's second argument.
 * Rows are added in event order; ties keep that order.
 */
export interface Accumulator {
  add(value: Value, orderKeys?: Value[], timestamp?: DateTimeValue): void;
  /**
   * Throws what `add` would throw for this row, or what `result` would throw once it is added (a
   * value that cannot be compared with the group's others), changing nothing. An event counts in
   * every aggregate of its group or in none (a data error skips the row): the window checks every
   * accumulator of the group before adding to any. Absent: `add` never throws (JavaScript UDAs:
   * a throw stops the run).
   */
  check?(value: Value, orderKeys?: Value[]): void;
  /** Undo an earlier `add` of an equal row (sliding/hopping eviction, oldest first). Present only when supportsRemove. */
  remove?(value: Value, orderKeys?: Value[], timestamp?: DateTimeValue): void;
  /** The aggregate's value now; can be called repeatedly and between adds. */
  result(): Value;
}

export interface AggregateDefinition {
  create(call: AggregateCall): Accumulator;
  /** True when `remove` is implemented. */
  supportsRemove: boolean;
  /**
   * The values of a row that the aggregate orders among the rows of its group (MIN/MAX: the value
   * as compared; TopOne/CollectTop: each ORDER BY key), for a window that checks a row against its
   * content before the row enters it (sliding windows): two of them of different kinds (a datetime
   * and a number) may not compare. Absent: no such values.
   */
  ordered?(call: AggregateCall): OrderedValues;
}

/** A row's ordered values: `count` per row, the i-th read by `at` (NULL: none). */
export interface OrderedValues {
  count: number;
  at(value: Value, orderKeys: Value[] | undefined, i: number): Value;
}
