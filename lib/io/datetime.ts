// Parses the datetime strings events carry (ISO 8601, as ASA reads them) into DateTimeValue,
// keeping ASA's 100 ns precision: `2021-06-01T10:00:00.1234567Z`, offsets, or no zone (UTC).
import { DateTimeValue } from "../saql/values";

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** A datetime string as an instant, or undefined when it is not one. */
export function parseDateTime(text: string): DateTimeValue | undefined {
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
