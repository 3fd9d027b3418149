// Date and time functions. Reference: "Date and Time Functions (Azure Stream Analytics)":
// DATEADD, DATEDIFF, DATENAME, DATEPART, DAY, MONTH, YEAR, DATETIMEFROMPARTS.
// All work in UTC. Dateparts follow T-SQL with its default (us_english) settings, which the
// reference's pages mirror: weeks start on Sunday, DATEPART(weekday) is 1 for Sunday.
// The first argument of DATEADD/DATEDIFF/DATENAME/DATEPART is the unit's name as written.
import { DateTimeValue, type Value } from "../../values";
import type { ScalarFunction } from "../context";
import { ConversionError, FunctionArgumentError } from "../errors";
import * as units from "../units";
import type { DateTimeUnit } from "../units";
import { daysInMonth, isInDateTimeRange, utcMs } from "../datetime-text";
import * as argsModule from "./args";

// Bound once: an imported name is a module getter, read on every call (these functions run per row).
const { parseDateTimeUnit } = units;
const { arity, dateTimeArg, integerArg } = argsModule;

const MS_PER_DAY = 86_400_000;
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function unitArg(name: string, value: Value): DateTimeUnit {
  const unit = typeof value === "string" ? parseDateTimeUnit(value) : undefined;
  if (!unit) {
    throw new FunctionArgumentError(name, `${JSON.stringify(value)} is not a datepart; use year, quarter, month, dayofyear, day, week, weekday, hour, minute, second, millisecond or microsecond (or their abbreviations)`);
  }
  return unit;
}

/** Days since 1970-01-01 of the datetime's date. */
function dayNumber(value: DateTimeValue): number {
  return Math.floor(value.ms / MS_PER_DAY);
}

function addMonths(value: DateTimeValue, months: number): DateTimeValue {
  const d = new Date(value.ms);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  // The day is clamped to the target month's last day (T-SQL: DATEADD(month, 1, '2021-01-31') = 2021-02-28).
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month));
  const ms = utcMs(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  return new DateTimeValue(ms, value.ticks);
}

const MS_PER: Partial<Record<DateTimeUnit, number>> = {
  day: MS_PER_DAY,
  dayofyear: MS_PER_DAY,
  weekday: MS_PER_DAY,
  hour: 3_600_000,
  minute: 60_000,
  second: 1_000,
  millisecond: 1,
};

const TICKS_PER: Partial<Record<DateTimeUnit, bigint>> = {
  week: 7n * 86_400n * 10_000_000n,
  day: 86_400n * 10_000_000n,
  dayofyear: 86_400n * 10_000_000n,
  weekday: 86_400n * 10_000_000n,
  hour: 3_600n * 10_000_000n,
  minute: 60n * 10_000_000n,
  second: 10_000_000n,
  millisecond: 10_000n,
  microsecond: 10n,
};

export function dateAdd(unit: DateTimeUnit, n: number, date: DateTimeValue): DateTimeValue {
  let result: DateTimeValue;
  if (unit === "year") result = addMonths(date, n * 12);
  else if (unit === "quarter") result = addMonths(date, n * 3);
  else if (unit === "month") result = addMonths(date, n);
  else if (MS_PER[unit] !== undefined && Math.abs(n * MS_PER[unit]!) < 2 ** 52) result = new DateTimeValue(date.ms + n * MS_PER[unit]!, date.ticks);
  else result = DateTimeValue.fromEpochTicks(date.epochTicks() + BigInt(n) * TICKS_PER[unit]!);
  if (!isInDateTimeRange(result)) throw new ConversionError(n, "datetime", `DATEADD(${unit}, ${n}, …) leaves the datetime range 0001-01-01 … 9999-12-31`);
  return result;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** The number of `unit` boundaries crossed going from `start` to `end` (T-SQL DATEDIFF). */
export function dateDiff(unit: DateTimeUnit, start: DateTimeValue, end: DateTimeValue): number {
  // Calendar units read the dates' fields; the others need no Date (DATEDIFF(second, …) in a JOIN's ON runs per pair of rows).
  switch (unit) {
    case "year":
      return new Date(end.ms).getUTCFullYear() - new Date(start.ms).getUTCFullYear();
    case "quarter": {
      const s = new Date(start.ms), e = new Date(end.ms);
      return e.getUTCFullYear() * 4 + Math.floor(e.getUTCMonth() / 3) - (s.getUTCFullYear() * 4 + Math.floor(s.getUTCMonth() / 3));
    }
    case "month": {
      const s = new Date(start.ms), e = new Date(end.ms);
      return e.getUTCFullYear() * 12 + e.getUTCMonth() - (s.getUTCFullYear() * 12 + s.getUTCMonth());
    }
    case "week":
      // Sunday boundaries: 1970-01-01 was a Thursday, so day 3 (1970-01-04) starts week 1.
      return Math.floor((dayNumber(end) + 4) / 7) - Math.floor((dayNumber(start) + 4) / 7);
    case "microsecond":
      // Microseconds since the epoch exceed 2^53 for today's dates: count them exactly in ticks.
      return Number(floorDiv(end.epochTicks(), 10n) - floorDiv(start.epochTicks(), 10n));
    default: {
      // Every other unit is whole milliseconds and divides the epoch evenly, so boundaries
      // crossed = difference of floors; the sub-millisecond ticks never cross one.
      const per = MS_PER[unit]!;
      return Math.floor(end.ms / per) - Math.floor(start.ms / per);
    }
  }
}

/** DATEPART's value of one unit. */
export function datePart(unit: DateTimeUnit, date: DateTimeValue): number {
  const d = new Date(date.ms);
  switch (unit) {
    case "year":
      return d.getUTCFullYear();
    case "quarter":
      return Math.floor(d.getUTCMonth() / 3) + 1;
    case "month":
      return d.getUTCMonth() + 1;
    case "dayofyear":
      return dayNumber(date) - Math.floor(utcMs(d.getUTCFullYear(), 1, 1) / MS_PER_DAY) + 1;
    case "day":
      return d.getUTCDate();
    case "week": {
      // Week 1 holds January 1st; weeks start on Sunday.
      const jan1 = new Date(utcMs(d.getUTCFullYear(), 1, 1)).getUTCDay();
      return Math.floor((datePart("dayofyear", date) - 1 + jan1) / 7) + 1;
    }
    case "weekday":
      return d.getUTCDay() + 1;
    case "hour":
      return d.getUTCHours();
    case "minute":
      return d.getUTCMinutes();
    case "second":
      return d.getUTCSeconds();
    case "millisecond":
      return d.getUTCMilliseconds();
    case "microsecond":
      return d.getUTCMilliseconds() * 1000 + Math.floor(date.ticks / 10);
  }
}

export const DATETIME_FUNCTIONS: Record<string, ScalarFunction> = {
  /** DATEADD(datepart, number, date): the number is truncated to a bigint (DATEADD page). */
  dateadd: (args) => {
    arity("DATEADD", args, 3);
    const unit = unitArg("DATEADD", args[0]);
    if (args[1] === null || args[2] === null) return null;
    return dateAdd(unit, integerArg("DATEADD", args[1], 2), dateTimeArg(args[2]));
  },

  /** DATEDIFF(datepart, startdate, enddate): boundaries crossed, enddate minus startdate. */
  datediff: (args) => {
    arity("DATEDIFF", args, 3);
    const unit = unitArg("DATEDIFF", args[0]);
    if (args[1] === null || args[2] === null) return null;
    return dateDiff(unit, dateTimeArg(args[1]), dateTimeArg(args[2]));
  },

  datepart: (args) => {
    arity("DATEPART", args, 2);
    const unit = unitArg("DATEPART", args[0]);
    if (args[1] === null) return null;
    return datePart(unit, dateTimeArg(args[1]));
  },

  /** DATENAME: month and weekday by English name, every other part as its number's text. */
  datename: (args) => {
    arity("DATENAME", args, 2);
    const unit = unitArg("DATENAME", args[0]);
    if (args[1] === null) return null;
    const date = dateTimeArg(args[1]);
    if (unit === "month") return MONTH_NAMES[new Date(date.ms).getUTCMonth()];
    if (unit === "weekday") return DAY_NAMES[new Date(date.ms).getUTCDay()];
    return String(datePart(unit, date));
  },

  day: (args) => {
    arity("DAY", args, 1);
    return args[0] === null ? null : datePart("day", dateTimeArg(args[0]));
  },

  month: (args) => {
    arity("MONTH", args, 1);
    return args[0] === null ? null : datePart("month", dateTimeArg(args[0]));
  },

  year: (args) => {
    arity("YEAR", args, 1);
    return args[0] === null ? null : datePart("year", dateTimeArg(args[0]));
  },

  /** DATETIMEFROMPARTS(year, month, day, hour, minute, seconds, milliseconds): NULL if any part is NULL; an impossible date is an error. */
  datetimefromparts: (args) => {
    arity("DATETIMEFROMPARTS", args, 7);
    if (args.some((a) => a === null)) return null;
    const [year, month, day, hour, minute, second, ms] = args.map((a, i) => integerArg("DATETIMEFROMPARTS", a, i + 1));
    const valid =
      year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
      hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && ms >= 0 && ms <= 999;
    if (!valid) {
      throw new FunctionArgumentError("DATETIMEFROMPARTS", `(${[year, month, day, hour, minute, second, ms].join(", ")}) is not a valid date and time`);
    }
    return new DateTimeValue(utcMs(year, month, day, hour, minute, second, ms));
  },
};
