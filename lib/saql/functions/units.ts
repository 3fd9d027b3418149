// Datetime units (DATEADD / DATEDIFF / DATEPART "datepart", and window / DURATION units).
// Reference: DATEADD and DATEDIFF pages list year (yy, yyyy), quarter (qq, q), month (mm, m),
// dayofyear (dy, y), day (dd, d), week (wk, ww), weekday (dw, w), hour (hh), minute (mi, n),
// second (ss, s), millisecond (ms), microsecond (mcs). Window pages add the plural forms
// some samples use (`hours`, `minutes`, …), which ASA accepts.
import { FunctionArgumentError } from "./errors";

export type DateTimeUnit =
  | "year"
  | "quarter"
  | "month"
  | "dayofyear"
  | "day"
  | "week"
  | "weekday"
  | "hour"
  | "minute"
  | "second"
  | "millisecond"
  | "microsecond";

/**
 * A lookup table by name without Object.prototype behind it: a name such as `constructor` is no
 * entry (a plain object literal would answer with Object's own members). For the checker's tables;
 * parseDateTimeUnit, called per row, reads the plain table (faster) and keeps only text entries.
 */
export function nameTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/** The datepart spellings of DATEADD / DATEDIFF / DATEPART / DATENAME (lower case) → canonical unit. */
export const DATEPART_NAMES: Readonly<Record<string, DateTimeUnit>> = {
  year: "year", yy: "year", yyyy: "year",
  quarter: "quarter", qq: "quarter", q: "quarter",
  month: "month", mm: "month", m: "month",
  dayofyear: "dayofyear", dy: "dayofyear", y: "dayofyear",
  day: "day", dd: "day", d: "day",
  week: "week", wk: "week", ww: "week",
  weekday: "weekday", dw: "weekday", w: "weekday",
  hour: "hour", hh: "hour",
  minute: "minute", mi: "minute", n: "minute",
  second: "second", ss: "second", s: "second",
  millisecond: "millisecond", ms: "millisecond",
  microsecond: "microsecond", mcs: "microsecond",
};

/**
 * Every unit spelling the engine reads: the dateparts plus the plural forms the reference's
 * own window samples use (e.g. `SlidingWindow(hours, 1)`). The checker admits plurals only
 * where those samples show them (window and DURATION units).
 */
export const DATETIME_UNIT_NAMES: Readonly<Record<string, DateTimeUnit>> = {
  ...DATEPART_NAMES,
  years: "year", quarters: "quarter", months: "month", days: "day", weeks: "week",
  hours: "hour", minutes: "minute", seconds: "second", milliseconds: "millisecond", microseconds: "microsecond",
};

/** A unit's name as written (any case) → its canonical unit, or undefined when SAQL has no such unit. */
export function parseDateTimeUnit(name: string): DateTimeUnit | undefined {
  const unit: unknown = DATETIME_UNIT_NAMES[name.toLowerCase()];
  // Entries are texts; what Object.prototype answers for `constructor` or `__proto__` is not.
  return typeof unit === "string" ? (unit as DateTimeUnit) : undefined;
}

const FIXED_TICKS: Partial<Record<DateTimeUnit, number>> = {
  week: 7 * 864_000_000_000,
  day: 864_000_000_000,
  hour: 36_000_000_000,
  minute: 600_000_000,
  second: 10_000_000,
  millisecond: 10_000,
  microsecond: 10,
};

/** True for the units that are a fixed length of time (week and shorter). */
export function isFixedDurationUnit(unit: DateTimeUnit): boolean {
  return FIXED_TICKS[unit] !== undefined;
}

/**
 * `n` units as whole 100 ns ticks (ASA's precision; lib/saql/instant.ts), for windows,
 * `LIMIT DURATION(unit, n)` and JOIN bounds. Month, quarter and year have no fixed length and
 * dayofyear/weekday are date parts, not durations: those raise an error naming the unit.
 */
export function durationTicks(unit: DateTimeUnit, n: number): number {
  const ticks = FIXED_TICKS[unit];
  if (ticks === undefined) {
    throw new FunctionArgumentError("DURATION", `'${unit}' is not a fixed length of time; use day, hour, minute, second, millisecond or microsecond`);
  }
  return Math.round(ticks * n);
}
