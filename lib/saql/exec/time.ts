// Event time inside the engine: milliseconds since the Unix epoch as a JS number (fractions
// carry sub-millisecond ticks). Conversions to and from SAQL datetime values live here.
import { parseDateTime } from "../functions";
import { DateTimeValue, type Value } from "../values";

/**
 * Windows are aligned to a fixed origin, not to the first event. ASA inherits StreamInsight's
 * default alignment, DateTime.MinValue (0001-01-01T00:00:00Z); for any window size that divides
 * a day this gives the same boundaries as midnight alignment.
 */
export const WINDOW_ORIGIN_MS = Date.UTC(2000, 0, 1) - 730119 * 86_400_000; // 0001-01-01T00:00:00Z

/** ASA drops events whose event time is more than 5 minutes ahead of their arrival time (fixed). */
export const EARLY_ARRIVAL_MS = 5 * 60_000;

/** An ISO 8601 datetime text as ms since the epoch, or undefined (parsed as CAST to datetime parses it). */
export function parseDateTimeText(text: string): number | undefined {
  return parseDateTime(text)?.valueOf();
}

/** A SAQL value used as a point in time (TIMESTAMP BY, arrival fields) → ms, or undefined when it is not one. */
export function valueToMs(value: Value): number | undefined {
  // Strings first: the usual TIMESTAMP BY value, and `instanceof` on an imported class costs a module getter per call under tsx.
  if (typeof value === "string") return fastIsoUtc(value) ?? parseDateTimeText(value);
  if (value instanceof DateTimeValue) return value.valueOf();
  return undefined;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/**
 * The common shape `yyyy-mm-ddThh:mm:ss[.f…]Z` parsed without a regular expression (TIMESTAMP BY
 * runs once per event). Anything else — offsets, no zone, out-of-range fields — goes to the full
 * parser, which also reports invalid dates.
 */
function fastIsoUtc(s: string): number | undefined {
  const n = s.length;
  // Consecutive events usually share their second: reuse the parsed `yyyy-mm-ddThh:mm:ss`.
  if (n >= 20 && lastSecondText !== "" && s.charCodeAt(n - 1) === 90 && s.startsWith(lastSecondText)) {
    if (n === 20) return lastSecondMs;
    if (s.charCodeAt(19) === 46 && n > 21 && n - 21 <= 7) {
      const f = digits(s, 20, n - 21);
      if (f >= 0) return lastSecondMs + (f * TICKS_PER_DIGIT[n - 21]) / 10_000;
    }
  }
  const ms = parseIsoUtc(s);
  if (ms !== undefined) {
    lastSecondText = s.slice(0, 19);
    lastSecondMs = ms - fractionOf(s);
  }
  return ms;
}

/** 100 ns ticks of one unit of a fraction's last digit, by its digit count (a table: `10 ** k` costs a Math.pow call per event). */
const TICKS_PER_DIGIT = [1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

let lastSecondText = "";
let lastSecondMs = 0;

function fractionOf(s: string): number {
  const n = s.length;
  return n > 20 ? (digits(s, 20, n - 21) * TICKS_PER_DIGIT[n - 21]) / 10_000 : 0;
}

function parseIsoUtc(s: string): number | undefined {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90 /* Z */ || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return undefined;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  let fraction = 0;
  if (n > 20) {
    if (s.charCodeAt(19) !== 46 /* . */ || n - 21 > 7 || n - 21 < 1) return undefined;
    const f = digits(s, 20, n - 21);
    if (f < 0) return undefined;
    fraction = (f * TICKS_PER_DIGIT[n - 21]) / 10_000;
  } else if (n !== 20) return undefined;
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  const leapYear = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > 28 && day > (month === 2 ? (leapYear ? 29 : 28) : MONTH_DAYS[month - 1])) return undefined;
  const leap = month > 2 && leapYear ? 1 : 0;
  const y = year - 1970;
  const days = y * 365 + Math.floor((year - 1969) / 4) - Math.floor((year - 1901) / 100) + Math.floor((year - 1601) / 400) + DAYS_BEFORE_MONTH[month - 1] + leap + day - 1;
  return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + fraction;
}

/** The decimal number in s[start, start + count), or -1 when a character is not a digit. */
function digits(s: string, start: number, count: number): number {
  let v = 0;
  for (let i = start; i < start + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** ms since the epoch → a SAQL datetime. */
export function msToDateTime(ms: number): DateTimeValue {
  let whole = Math.floor(ms);
  let ticks = Math.round((ms - whole) * 10_000);
  if (ticks >= 10_000) {
    whole += 1;
    ticks -= 10_000;
  }
  return new DateTimeValue(whole, ticks);
}
