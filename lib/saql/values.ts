// Runtime values of SAQL, kept as plain JavaScript values so events flow without wrapping:
//   NULL → null, bit → boolean, bigint and float → number, nvarchar(max) → string,
//   datetime → DateTimeValue, record → plain object, array → JS array.
// bigint and float share `number`: a value is a bigint when it is an integer, unless an
// expression's static type (from the checker) says float.

export type RecordValue = { [field: string]: Value };
export type ArrayValue = Value[];
export type Value = null | boolean | number | string | DateTimeValue | RecordValue | ArrayValue;

const TICKS_PER_MS = 10_000;

/** The datetime formatted last (see DateTimeValue.toString). */
let lastTextMs = NaN;
let lastTextTicks = NaN;
let lastText = "";
/** The second formatted last, as `yyyy-mm-ddThh:mm:ss.`: consecutive events mostly share it. */
let lastSecond = NaN;
let lastSecondText = "";

/**
 * A UTC instant with ASA's 100 ns precision. `ms` is whole milliseconds since the Unix
 * epoch; `ticks` the 100 ns units beyond it (0–9999), kept apart because ms × 10⁴ exceeds
 * 2⁵³ for today's dates.
 */
export class DateTimeValue {
  constructor(
    readonly ms: number,
    readonly ticks = 0,
  ) {}

  /** From 100 ns ticks since the Unix epoch (exact over the whole datetime range). */
  static fromEpochTicks(ticks: bigint): DateTimeValue {
    const perMs = BigInt(TICKS_PER_MS);
    let ms = ticks / perMs;
    let rest = ticks % perMs;
    if (rest < 0n) {
      rest += perMs;
      ms -= 1n;
    }
    return new DateTimeValue(Number(ms), Number(rest));
  }

  /** 100 ns ticks since the Unix epoch, as a BigInt so that no precision is lost. */
  epochTicks(): bigint {
    return BigInt(this.ms) * BigInt(TICKS_PER_MS) + BigInt(this.ticks);
  }

  static fromMs(ms: number): DateTimeValue {
    const whole = Math.floor(ms);
    return new DateTimeValue(whole, Math.round((ms - whole) * TICKS_PER_MS));
  }

  /** Milliseconds since the epoch, with the sub-millisecond part as a fraction (approximate: the engine compares with `compare`). */
  valueOf(): number {
    return this.ms + this.ticks / TICKS_PER_MS;
  }

  compare(other: DateTimeValue): number {
    return this.ms - other.ms || this.ticks - other.ticks;
  }

  /** ISO 8601 UTC with seven fractional digits, as ASA writes datetimes: `2021-06-01T10:00:00.0000000Z`. */
  toString(): string {
    // Rows written together mostly share one time (a window's end): the last text is reused.
    if (this.ms === lastTextMs && this.ticks === lastTextTicks) return lastText;
    const second = Math.floor(this.ms / 1000);
    if (second !== lastSecond) {
      lastSecondText = new Date(second * 1000).toISOString().slice(0, 20); // yyyy-mm-ddThh:mm:ss.
      lastSecond = second;
    }
    const fraction = (this.ms - second * 1000) * TICKS_PER_MS + this.ticks; // 100 ns units of the second
    lastText = `${lastSecondText}${fraction < 1_000_000 ? String(fraction).padStart(7, "0") : fraction}Z`;
    lastTextMs = this.ms;
    lastTextTicks = this.ticks;
    return lastText;
  }

  toJSON(): string {
    return this.toString();
  }
}

export function isRecord(value: unknown): value is RecordValue {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof DateTimeValue);
}

/**
 * A record's field by name, case-insensitively (SAQL names are case-insensitive); an exact
 * match wins. Absent fields read as NULL.
 */
export function getField(record: RecordValue, name: string): Value {
  const exact = record[name];
  // Object.prototype's properties (constructor, toString, __proto__ …) are not the event's fields:
  // they are all functions but __proto__, so own-ness is checked only for those.
  if (exact !== undefined && ((typeof exact !== "function" && name !== "__proto__") || Object.hasOwn(record, name))) return exact;
  const lower = name.toLowerCase();
  for (const key in record) {
    if (key.toLowerCase() === lower) return record[key] ?? null;
  }
  return null;
}
