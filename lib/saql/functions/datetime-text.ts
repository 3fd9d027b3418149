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
  return parseCommonForm(text) ?? parseAnyForm(text);
}

/** The digit at `i`, or -1. */
function digit(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function twoDigits(text: string, i: number): number {
  const a = digit(text, i), b = digit(text, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/**
 * Fast path for the shape events carry almost always, `yyyy-mm-ddThh:mm:ss[.fffffff]Z` (or no
 * zone): read by character codes, no regular expression. Anything else goes to parseAnyForm.
 */
function parseCommonForm(text: string): DateTimeValue | undefined {
  const n = text.length;
  if (n < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const sep = text.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return undefined; // 'T' or ' '
  const y1 = twoDigits(text, 0), y2 = twoDigits(text, 2);
  const month = twoDigits(text, 5), day = twoDigits(text, 8);
  const hour = twoDigits(text, 11), minute = twoDigits(text, 14), second = twoDigits(text, 17);
  if (y1 < 0 || y2 < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  const year = y1 * 100 + y2;
  if (day > daysInMonth(year, month)) return undefined;
  let i = 19;
  let ticksOfSecond = 0; // 100 ns units, seven digits
  if (i < n && text.charCodeAt(i) === 46) {
    i++;
    let scale = 1_000_000;
    const start = i;
    while (i < n) {
      const d = digit(text, i);
      if (d < 0) break;
      if (scale >= 1) ticksOfSecond += d * scale;
      scale /= 10;
      i++;
    }
    if (i === start) return undefined;
  }
  if (i === n - 1 && (text.charCodeAt(i) === 90 || text.charCodeAt(i) === 122)) i++; // 'Z' / 'z'
  if (i !== n) return undefined;
  const ms = utcMs(year, month, day, hour, minute, second, Math.floor(ticksOfSecond / 10_000));
  return new DateTimeValue(ms, ticksOfSecond % 10_000);
}

function parseAnyForm(text: string): DateTimeValue | undefined {
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

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
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
