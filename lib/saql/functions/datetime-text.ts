// Reading and writing datetimes as text.
// ASA reads ISO 8601 (the "Data Types" and time-handling articles, and CAST('2014-09-10 12:00:00'
// AS datetime) on the DATEDIFF page): a date, optionally a time after `T` or a space, optional
// fractional seconds (100 ns precision: digits beyond the seventh are dropped), and an optional
// `Z` or ±hh[:mm] offset. A value without an offset is taken as UTC. Other shapes are rejected
// rather than guessed.
import { DateTimeValue } from "../values";

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const MS_PER_MINUTE = 60_000;

/** Parses an ISO 8601 datetime; undefined when the text is not one (or names an impossible date). */
export function parseDateTime(text: string): DateTimeValue | undefined {
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = match;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const digits = (fraction + "0000000").slice(0, 7);
  const ms = Number(digits.slice(0, 3));
  const ticks = Number(digits.slice(3, 7));
  let epochMs = utcMs(year, month, day, hour, minute, second, ms);
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const body = zone.slice(1).replace(":", "");
    const offsetH = Number(body.slice(0, 2));
    const offsetM = body.length > 2 ? Number(body.slice(2, 4)) : 0;
    if (offsetH > 14 || offsetM > 59) return undefined;
    epochMs -= sign * (offsetH * 60 + offsetM) * MS_PER_MINUTE;
  }
  return new DateTimeValue(epochMs, ticks);
}

/** Milliseconds since the epoch of a UTC calendar time; works for years 0–9999 (Date.UTC maps 0–99 to 1900s). */
export function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

export function daysInMonth(year: number, month: number): number {
  return new Date(utcMs(year, month + 1, 0)).getUTCDate();
}

/** ASA's text form of a datetime: ISO 8601 UTC with seven fractional digits. */
export function formatDateTime(value: DateTimeValue): string {
  return value.toString();
}

/** Smallest and largest datetimes (0001-01-01 … 9999-12-31T23:59:59.9999999), as .NET and ASA allow. */
export const MIN_DATETIME_MS = utcMs(1, 1, 1);
export const MAX_DATETIME_MS = utcMs(9999, 12, 31, 23, 59, 59, 999);

export function isInDateTimeRange(value: DateTimeValue): boolean {
  return value.ms >= MIN_DATETIME_MS && value.ms <= MAX_DATETIME_MS;
}
