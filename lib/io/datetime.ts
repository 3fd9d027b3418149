// Parses the datetime strings events carry (ISO 8601, as ASA reads them) into DateTimeValue,
// keeping ASA's 100 ns precision: `2021-06-01T10:00:00.1234567Z`, offsets, or no zone (UTC).
import { DateTimeValue } from "../saql/values";

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** 100 ns ticks of one unit of a fraction's last digit, by its digit count (`10 ** k` is a Math.pow call). */
const TICKS_PER_DIGIT = [1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two (or four) ASCII digits at `i`, or -1. */
function digits(text: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = text.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The common shape, `yyyy-mm-ddThh:mm:ss[.f{1,7}]Z`, read without a regular expression:
 * event files carry one per event, and this is the reader's hot path.
 */
function parseCanonical(text: string): DateTimeValue | undefined {
  const len = text.length;
  if (len < 20 || text.charCodeAt(len - 1) !== 90 /* Z */ || text[4] !== "-" || text[7] !== "-" || text[10] !== "T" || text[13] !== ":" || text[16] !== ":") return undefined;
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const s = digits(text, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1] || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return undefined;
  if (mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return undefined;
  let ticks7 = 0; // fraction of a second in 100 ns units
  if (len > 20) {
    if (text[19] !== "." || len > 28) return undefined;
    const n = len - 21;
    const f = digits(text, 20, n);
    if (f < 0 || n === 0) return undefined;
    ticks7 = f * TICKS_PER_DIGIT[n];
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) + Math.floor(ticks7 / 10_000);
  return new DateTimeValue(ms, ticks7 % 10_000);
}

/** A datetime string as an instant, or undefined when it is not one. */
export function parseDateTime(text: string): DateTimeValue | undefined {
  const fast = parseCanonical(text);
  if (fast) return fast;
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone] = m;
  const fraction = frac.padEnd(7, "0"); // 7 digits = 100 ns ticks
  const msInSecond = Number(fraction.slice(0, 3));
  const ticks = Number(fraction.slice(3));
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), msInSecond);
  if (Number.isNaN(ms)) return undefined;
  // Date.UTC rolls over out-of-range parts (Feb 30 → Mar 2): such a string is not a date.
  const check = new Date(ms);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return new DateTimeValue(ms, ticks);
}

/** Milliseconds since the epoch of an arrival-time field value (string, datetime or ms number). */
export function arrivalMs(value: unknown): number | undefined {
  if (value instanceof DateTimeValue) return value.valueOf();
  if (typeof value === "string") return parseDateTime(value)?.valueOf();
  if (value instanceof Date) return value.getTime();
  return undefined;
}
