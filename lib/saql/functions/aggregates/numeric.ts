// COUNT, SUM, AVG, STDEV, STDEVP, VAR, VARP, MIN, MAX.
// Reference: "Aggregate Functions": "Except for the COUNT function, aggregate functions ignore
// null values"; SUM/AVG of no non-NULL value is NULL; SUM returns "the most precise expression
// data type" (bigint stays bigint), AVG a float. STDEV/VAR are sample statistics (n − 1) and,
// as in T-SQL, NULL for fewer than two values; STDEVP/VARP are population statistics.
import { DateTimeValue, type Value } from "../../values";
import { ConversionError } from "../errors";
import { toFloat } from "../cast";
import { compareNonNull, deepEqual, valueKey } from "../compare";
import { ArithmeticError } from "../errors";
import type { Accumulator, AggregateCall, AggregateDefinition, OrderedValues } from "./types";
import { ValuesBag } from "./values-bag";

/** A SUM/AVG operand: numbers as they are, bit as 0/1, text read as a float (implicit cast); other types fail. */
function numericValue(value: Exclude<Value, null>): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") return toFloat(value);
  throw new ConversionError(value, "float", "aggregates such as SUM and AVG take numbers");
}

// ---------------------------------------------------------------- COUNT

class CountAccumulator implements Accumulator {
  private count = 0;
  constructor(private readonly star: boolean) {}
  add(value: Value): void {
    if (this.star || value !== null) this.count++;
  }
  remove(value: Value): void {
    if (this.star || value !== null) this.count--;
  }
  result(): Value {
    return this.count;
  }
}

/** COUNT(DISTINCT x): distinct non-NULL values, kept with their multiplicity so that removal works. */
class CountDistinctAccumulator implements Accumulator {
  private readonly counts = new Map<string, number>();
  add(value: Value): void {
    if (value === null) return;
    const key = valueKey(value);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  remove(value: Value): void {
    if (value === null) return;
    const key = valueKey(value);
    const n = (this.counts.get(key) ?? 0) - 1;
    if (n <= 0) this.counts.delete(key);
    else this.counts.set(key, n);
  }
  result(): Value {
    return this.counts.size;
  }
}

// ---------------------------------------------------------------- SUM / AVG

/**
 * A running sum that stays exact: integers are summed as they come (exact below 2^53); once a
 * non-integer value is present the sum is recomputed in arrival order from the kept values,
 * so adding and removing never accumulates floating-point drift.
 */
class RunningSum {
  private readonly bag = new ValuesBag();
  private integerTotal = 0;
  private nonIntegers = 0;

  add(value: Value): void {
    if (value === null) return;
    const n = numericValue(value);
    this.bag.add(n);
    if (Number.isInteger(n)) this.integerTotal += n;
    else this.nonIntegers++;
  }

  remove(value: Value): void {
    if (value === null) return;
    const n = numericValue(value);
    if (!this.bag.remove(n)) return;
    if (Number.isInteger(n)) this.integerTotal -= n;
    else this.nonIntegers--;
  }

  get count(): number {
    return this.bag.size;
  }

  sum(): number {
    if (this.nonIntegers === 0) return this.integerTotal;
    let total = 0;
    for (const entry of this.bag.items()) total += entry.value as number;
    return total;
  }

  values(): number[] {
    return this.bag.items().map((e) => e.value as number);
  }
}

/** SUM/AVG state for append-only use: the same in-order float sum, without keeping the rows. */
class AppendOnlySum {
  count = 0;
  total = 0;
  add(value: Value): void {
    if (value === null) return;
    this.total += numericValue(value);
    this.count++;
  }
}

class AppendOnlySumAccumulator implements Accumulator {
  private readonly running = new AppendOnlySum();
  constructor(
    private readonly average: boolean,
    private readonly floatResult: boolean,
  ) {}
  add(value: Value): void {
    this.running.add(value);
  }
  check(value: Value): void {
    if (value !== null) numericValue(value);
  }
  result(): Value {
    if (this.running.count === 0) return null;
    if (this.average) return this.running.total / this.running.count;
    return checkSumRange(this.running.total, this.floatResult);
  }
}

function checkSumRange(sum: number, floatResult: boolean): number {
  if (!floatResult && Number.isInteger(sum) && Math.abs(sum) >= 2 ** 63) {
    throw new ArithmeticError("arithmetic overflow: SUM exceeds the bigint range");
  }
  return sum;
}

/** SUM, AVG, STDEV and VAR over windows that also evict rows: the rows kept in a RunningSum, each result computed from it. */
abstract class RunningSumAccumulator implements Accumulator {
  protected readonly running = new RunningSum();
  add(value: Value): void {
    this.running.add(value);
  }
  check(value: Value): void {
    if (value !== null) numericValue(value);
  }
  remove(value: Value): void {
    this.running.remove(value);
  }
  abstract result(): Value;
}

class SumAccumulator extends RunningSumAccumulator {
  constructor(private readonly floatResult: boolean) {
    super();
  }
  result(): Value {
    if (this.running.count === 0) return null;
    return checkSumRange(this.running.sum(), this.floatResult);
  }
}

class AvgAccumulator extends RunningSumAccumulator {
  result(): Value {
    return this.running.count === 0 ? null : this.running.sum() / this.running.count;
  }
}

// ---------------------------------------------------------------- STDEV / VAR

class VarianceAccumulator extends RunningSumAccumulator {
  constructor(
    private readonly sample: boolean,
    private readonly squareRoot: boolean,
  ) {
    super();
  }
  result(): Value {
    const n = this.running.count;
    if (n === 0 || (this.sample && n < 2)) return null;
    const values = this.running.values();
    const mean = values.reduce((a, b) => a + b, 0) / n;
    // Two-pass formula: numerically stable, and the same answer however the rows arrived.
    const squares = values.reduce((acc, v) => acc + (v - mean) * (v - mean), 0);
    const variance = squares / (this.sample ? n - 1 : n);
    return this.squareRoot ? Math.sqrt(variance) : variance;
  }
}

// ---------------------------------------------------------------- MIN / MAX

/**
 * MIN/MAX over bit, bigint, float and datetime. Strings are compared as strings only when the
 * argument is explicitly nvarchar(max); otherwise they are implicitly cast to float and a
 * string that is not a number is an error (MAX page).
 */
function normalizeExtreme(value: Exclude<Value, null>, textCompare: boolean): Value {
  if (typeof value === "string" && !textCompare) return toFloat(value);
  if (typeof value === "object" && !(value instanceof DateTimeValue)) {
    throw new ConversionError(value, "a bit, bigint, float, datetime or nvarchar(max) value", "MIN and MAX cannot compare records or arrays");
  }
  return value;
}

/** Values that compare with one another without a conversion that can fail: bit and numbers, texts, datetimes. */
function extremeClass(value: Value): number {
  return typeof value === "string" ? 1 : value instanceof DateTimeValue ? 2 : 0;
}

/**
 * MIN/MAX over a sliding window, whose rows leave oldest first: the window's values in arrival
 * order, and a monotonic deque of the positions of those no later value beats (the front is the
 * result), so each row costs amortized O(1) instead of a scan of the window per result. Ties keep
 * the earliest value. While the window mixes values whose comparison can fail (a text read as a
 * number, a datetime beside a number), or after a removal that is not the oldest row, the result
 * is a scan of the window as before, comparison errors included, until the window empties.
 */
class ExtremeAccumulator implements Accumulator {
  private values: Value[] = [];
  private head = 0;
  /** Positions in `values`, from `front` on, of values none after them beats, best first. */
  private deque: number[] = [];
  private front = 0;
  private valueClass = -1;
  private scan = false;

  constructor(
    private readonly direction: 1 | -1,
    private readonly textCompare: boolean,
  ) {}

  add(value: Value): void {
    if (value === null) return;
    const v = normalizeExtreme(value, this.textCompare);
    const values = this.values;
    if (this.head === values.length) this.valueClass = extremeClass(v);
    else if (extremeClass(v) !== this.valueClass) this.scan = true;
    values.push(v);
    if (this.scan) return;
    const deque = this.deque;
    while (deque.length > this.front && this.direction * compareNonNull(v!, values[deque[deque.length - 1]]!) > 0) deque.pop();
    deque.push(values.length - 1);
  }

  /**
   * The value's type, and, when it is of another kind than the window's values, that it compares
   * with them (a datetime beside numbers does not): as a tumbling window's MIN compares it with
   * its best so far, so that a row fails alike in every window kind.
   */
  check(value: Value): void {
    if (value === null) return;
    const v = normalizeExtreme(value, this.textCompare);
    if (this.head < this.values.length && extremeClass(v) !== this.valueClass) compareNonNull(v!, this.values[this.head]!);
  }

  remove(value: Value): void {
    if (value === null) return;
    const v = normalizeExtreme(value, this.textCompare);
    const values = this.values;
    if (this.head < values.length && deepEqual(values[this.head], v)) {
      if (!this.scan && this.deque[this.front] === this.head) this.front++;
      values[this.head++] = null;
    } else {
      // Not the oldest row: removed where it is, and the deque no longer describes the window.
      let i = this.head;
      while (i < values.length && !deepEqual(values[i], v)) i++;
      if (i === values.length) return;
      values.splice(i, 1);
      this.scan = true;
    }
    if (this.head === values.length) this.reset();
    else if (this.head > 1024 && this.head * 2 > values.length) this.compact();
  }

  result(): Value {
    const values = this.values;
    if (this.head === values.length) return null;
    if (!this.scan) return values[this.deque[this.front]];
    let best: Value = null;
    for (let i = this.head; i < values.length; i++) {
      const value = values[i];
      if (best === null || this.direction * compareNonNull(value!, best) > 0) best = value;
    }
    return best;
  }

  private reset(): void {
    this.values = [];
    this.head = 0;
    this.deque = [];
    this.front = 0;
    this.scan = false;
  }

  private compact(): void {
    const shift = this.head;
    this.values = this.values.slice(shift);
    this.head = 0;
    const deque = this.deque.slice(this.front);
    for (let i = 0; i < deque.length; i++) deque[i] -= shift;
    this.deque = deque;
    this.front = 0;
  }
}

/** MIN/MAX for append-only use: only the best value so far. */
class AppendOnlyExtremeAccumulator implements Accumulator {
  private best: Value = null;
  constructor(
    private readonly direction: 1 | -1,
    private readonly textCompare: boolean,
  ) {}
  add(value: Value): void {
    if (value === null) return;
    const v = normalizeExtreme(value, this.textCompare);
    if (this.best === null || this.direction * compareNonNull(v!, this.best) > 0) this.best = v;
  }
  check(value: Value): void {
    if (value === null) return;
    const v = normalizeExtreme(value, this.textCompare);
    if (this.best !== null) compareNonNull(v!, this.best); // a type the best so far cannot be compared with
  }
  result(): Value {
    return this.best;
  }
}

function extreme(direction: 1 | -1, call: AggregateCall): Accumulator {
  const textCompare = call.argType === "nvarchar(max)";
  return call.appendOnly ? new AppendOnlyExtremeAccumulator(direction, textCompare) : new ExtremeAccumulator(direction, textCompare);
}

/** MIN/MAX order the value, as they compare it (a text read as a number). */
function extremeOrdered(call: AggregateCall): OrderedValues {
  const textCompare = call.argType === "nvarchar(max)";
  return { count: 1, at: (value) => (value === null ? null : normalizeExtreme(value, textCompare)) };
}

export const NUMERIC_AGGREGATES: Record<string, AggregateDefinition> = {
  count: {
    supportsRemove: true,
    create: (call: AggregateCall) => (call.distinct ? new CountDistinctAccumulator() : new CountAccumulator(call.star === true)),
  },
  sum: {
    supportsRemove: true,
    create: (call) => (call.appendOnly ? new AppendOnlySumAccumulator(false, call.argType === "float") : new SumAccumulator(call.argType === "float")),
  },
  avg: { supportsRemove: true, create: (call) => (call.appendOnly ? new AppendOnlySumAccumulator(true, true) : new AvgAccumulator()) },
  stdev: { supportsRemove: true, create: () => new VarianceAccumulator(true, true) },
  stdevp: { supportsRemove: true, create: () => new VarianceAccumulator(false, true) },
  var: { supportsRemove: true, create: () => new VarianceAccumulator(true, false) },
  varp: { supportsRemove: true, create: () => new VarianceAccumulator(false, false) },
  min: { supportsRemove: true, create: (call) => extreme(-1, call), ordered: extremeOrdered },
  max: { supportsRemove: true, create: (call) => extreme(1, call), ordered: extremeOrdered },
};
