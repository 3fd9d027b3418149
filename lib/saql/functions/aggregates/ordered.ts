// Collect, CollectTop, TopOne, PERCENTILE_CONT and PERCENTILE_DISC: the aggregates that keep
// rows rather than a running number. Reference pages of each:
// - Collect([expr]): an array of the window's values (the whole event when no expression),
//   in arrival order (the page: "ordering … is not guaranteed"); NULLs are skipped like every
//   aggregate but COUNT (choice: the page is silent).
// - CollectTop(n [, expr]) OVER (ORDER BY k [ASC|DESC], …): an array of {rank, value} records for
//   the top n rows; "Null is treated as the minimum value"; ordering keys must be bigint, float or
//   datetime. Ties share a rank (SQL RANK) and keep arrival order.
// - TopOne([expr]) OVER (ORDER BY …): the top row's value (first arrived on ties).
// - PERCENTILE_CONT(p) / PERCENTILE_DISC(p) OVER (ORDER BY x [ASC|DESC]): over the non-NULL
//   ORDER BY values; CONT interpolates (row number 1 + p·(n − 1)), DISC returns the first value
//   whose cumulative distribution reaches p. CONT returns a float, DISC a value of the
//   ORDER BY expression's type; both are NULL for no values.
import { DateTimeValue, type RecordValue, type Value } from "../../values";
import { FunctionArgumentError } from "../errors";
import { compareForSort } from "../compare";
import { describeValue } from "../describe";
import type { Accumulator, AggregateCall, AggregateDefinition, OrderedValues } from "./types";
import { ValuesBag, type BagEntry } from "./values-bag";

class CollectAccumulator implements Accumulator {
  private readonly bag = new ValuesBag();
  add(value: Value): void {
    if (value !== null) this.bag.add(value);
  }
  remove(value: Value): void {
    if (value !== null) this.bag.remove(value);
  }
  result(): Value {
    return this.bag.items().map((e) => e.value);
  }
}

function checkOrderKey(fn: string, key: Value): void {
  if (key === null || typeof key === "number" || key instanceof DateTimeValue) return;
  throw new FunctionArgumentError(fn, `ORDER BY keys must be bigint, float or datetime, got ${describeValue(key)}`);
}

function orderDirections(fn: string, call: AggregateCall): boolean[] {
  if (!call.orderBy || call.orderBy.length === 0) throw new FunctionArgumentError(fn, "needs OVER (ORDER BY …)");
  return call.orderBy.map((o) => o.descending);
}

/** Order of two rows by their ORDER BY keys (NULL lowest); 0 when they tie. */
function compareEntries(a: BagEntry, b: BagEntry, descending: boolean[]): number {
  for (let i = 0; i < descending.length; i++) {
    const c = compareForSort(a.orderKeys?.[i] ?? null, b.orderKeys?.[i] ?? null);
    if (c !== 0) return descending[i] ? -c : c;
  }
  return 0;
}

/** Sorts entries by their ORDER BY keys, keeping arrival order among ties. */
function sortEntries(entries: BagEntry[], descending: boolean[]): BagEntry[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => compareEntries(a.entry, b.entry, descending) || a.index - b.index)
    .map((x) => x.entry);
}

/** TopOne's value, or CollectTop's [{rank, value}] with SQL RANK (ties share a rank). */
function topResult(sorted: BagEntry[], descending: boolean[], limit: number | undefined): Value {
  if (limit === undefined) return sorted.length === 0 ? null : sorted[0].value;
  const out: RecordValue[] = [];
  let rank = 0;
  for (let i = 0; i < sorted.length && i < limit; i++) {
    if (i === 0 || compareEntries(sorted[i], sorted[i - 1], descending) !== 0) rank = i + 1;
    out.push({ rank, value: sorted[i].value });
  }
  return out;
}

/**
 * CollectTop / TopOne for append-only use: only the best `limit` rows are kept, in order. A new
 * row goes after every row it ties with (arrival order among ties), so the kept rows are
 * exactly the first `limit` rows of the full sort.
 */
class AppendOnlyTopAccumulator implements Accumulator {
  private kept: BagEntry[] = [];
  constructor(
    private readonly fn: string,
    private readonly descending: boolean[],
    private readonly limit: number | undefined,
  ) {}
  add(value: Value, orderKeys: Value[] = []): void {
    const entry = { value, orderKeys };
    const at = this.position(entry);
    const capacity = this.limit ?? 1;
    if (at >= capacity) return;
    this.kept.splice(at, 0, entry);
    if (this.kept.length > capacity) this.kept.pop();
  }
  /** The keys' types, and the comparisons `add` makes: a key that cannot be ordered with the kept rows' (a datetime beside numbers) fails here. */
  check(value: Value, orderKeys: Value[] = []): void {
    for (const k of orderKeys) checkOrderKey(this.fn, k);
    this.position({ value, orderKeys });
  }
  /** Where the row goes among the kept rows: after every row it ties with (arrival order among ties). */
  private position(entry: BagEntry): number {
    let at = this.kept.length;
    while (at > 0 && compareEntries(entry, this.kept[at - 1], this.descending) < 0) at--;
    return at;
  }
  result(): Value {
    return topResult(this.kept, this.descending, this.limit);
  }
}

/**
 * CollectTop / TopOne over a sliding window: its rows, sorted for each result. So that the sort
 * cannot fail, the non-NULL keys at each ORDER BY position are all numbers or all datetimes: a
 * row whose key is of the other kind while the window holds some fails (`check`), as it would
 * fail to be ordered among the rows of a tumbling window.
 */
class TopAccumulator implements Accumulator {
  private readonly bag = new ValuesBag();
  /** Per ORDER BY position: how many rows of the window have a number key, and a datetime key. */
  private readonly numbers: number[];
  private readonly datetimes: number[];
  /** Per ORDER BY position, a key of each kind seen, to fail with the comparison's own error. */
  private readonly lastNumber: Value[];
  private readonly lastDatetime: Value[];
  constructor(
    private readonly fn: string,
    private readonly descending: boolean[],
    private readonly limit: number | undefined, // undefined: TopOne
  ) {
    this.numbers = descending.map(() => 0);
    this.datetimes = descending.map(() => 0);
    this.lastNumber = descending.map(() => null);
    this.lastDatetime = descending.map(() => null);
  }
  add(value: Value, orderKeys: Value[] = []): void {
    this.check(value, orderKeys);
    this.bag.add(value, orderKeys);
    this.count(orderKeys, 1);
  }
  remove(value: Value, orderKeys: Value[] = []): void {
    if (this.bag.remove(value, orderKeys)) this.count(orderKeys, -1);
  }
  check(_value: Value, orderKeys: Value[] = []): void {
    for (let i = 0; i < orderKeys.length; i++) {
      const k = orderKeys[i];
      checkOrderKey(this.fn, k);
      if (typeof k === "number" && this.datetimes[i] > 0) compareForSort(k, this.lastDatetime[i]);
      else if (k instanceof DateTimeValue && this.numbers[i] > 0) compareForSort(k, this.lastNumber[i]);
    }
  }
  private count(orderKeys: Value[], by: 1 | -1): void {
    for (let i = 0; i < orderKeys.length && i < this.numbers.length; i++) {
      const k = orderKeys[i];
      if (typeof k === "number") {
        this.numbers[i] += by;
        this.lastNumber[i] = k;
      } else if (k instanceof DateTimeValue) {
        this.datetimes[i] += by;
        this.lastDatetime[i] = k;
      }
    }
  }
  result(): Value {
    return topResult(sortEntries(this.bag.items(), this.descending), this.descending, this.limit);
  }
}

class PercentileAccumulator implements Accumulator {
  private readonly bag = new ValuesBag();
  constructor(
    private readonly fn: string,
    private readonly fraction: number,
    private readonly descending: boolean,
    private readonly continuous: boolean,
  ) {}
  private key(orderKeys: Value[] | undefined): number | null {
    const key = orderKeys?.[0] ?? null;
    if (key === null) return null;
    if (typeof key !== "number") throw new FunctionArgumentError(this.fn, `the ORDER BY expression must be bigint or float, got ${describeValue(key)}`);
    return key;
  }
  add(_value: Value, orderKeys?: Value[]): void {
    const key = this.key(orderKeys);
    if (key !== null) this.bag.add(key);
  }
  check(_value: Value, orderKeys?: Value[]): void {
    this.key(orderKeys);
  }
  remove(_value: Value, orderKeys?: Value[]): void {
    const key = this.key(orderKeys);
    if (key !== null) this.bag.remove(key);
  }
  result(): Value {
    const values = this.bag.items().map((e) => e.value as number).sort((a, b) => (this.descending ? b - a : a - b));
    const n = values.length;
    if (n === 0) return null;
    if (this.continuous) {
      const row = this.fraction * (n - 1);
      const lower = Math.floor(row), upper = Math.ceil(row);
      return lower === upper ? values[lower] : values[lower] + (row - lower) * (values[upper] - values[lower]);
    }
    // The first value whose cumulative distribution (i / n) is at least p.
    const index = Math.max(Math.ceil(this.fraction * n) - 1, 0);
    return values[Math.min(index, n - 1)];
  }
}

function fractionArg(fn: string, call: AggregateCall): number {
  const p = call.constArgs[0];
  if (typeof p !== "number" || p < 0 || p > 1) throw new FunctionArgumentError(fn, `the percentile must be a number between 0 and 1, got ${describeValue(p ?? null)}`);
  return p;
}

function countArg(call: AggregateCall): number {
  const n = call.constArgs[0];
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new FunctionArgumentError("CollectTop", `the number of events must be a positive integer literal, got ${describeValue(n ?? null)}`);
  }
  return n;
}

function percentileDirection(fn: string, call: AggregateCall): boolean {
  const directions = orderDirections(fn, call);
  if (directions.length !== 1) throw new FunctionArgumentError(fn, "takes exactly one ORDER BY expression");
  return directions[0];
}

function top(fn: string, call: AggregateCall, limit: number | undefined): Accumulator {
  const directions = orderDirections(fn, call);
  return call.appendOnly ? new AppendOnlyTopAccumulator(fn, directions, limit) : new TopAccumulator(fn, directions, limit);
}

/** TopOne/CollectTop order their ORDER BY keys. */
function topOrdered(call: AggregateCall): OrderedValues {
  return { count: call.orderBy?.length ?? 0, at: (_value, orderKeys, i) => orderKeys?.[i] ?? null };
}

export const ORDERED_AGGREGATES: Record<string, AggregateDefinition> = {
  collect: { supportsRemove: true, create: () => new CollectAccumulator() },
  collecttop: {
    supportsRemove: true,
    create: (call) => top("CollectTop", call, countArg(call)),
    ordered: topOrdered,
  },
  topone: {
    supportsRemove: true,
    create: (call) => top("TopOne", call, undefined),
    ordered: topOrdered,
  },
  percentile_cont: {
    supportsRemove: true,
    create: (call) => new PercentileAccumulator("PERCENTILE_CONT", fractionArg("PERCENTILE_CONT", call), percentileDirection("PERCENTILE_CONT", call), true),
  },
  percentile_disc: {
    supportsRemove: true,
    create: (call) => new PercentileAccumulator("PERCENTILE_DISC", fractionArg("PERCENTILE_DISC", call), percentileDirection("PERCENTILE_DISC", call), false),
  },
};
