// Event time inside the engine: milliseconds since the Unix epoch as a JS number (fractions
// carry sub-millisecond ticks). Conversions to and from SAQL datetime values live here.
import * as datetimeText from "../functions/datetime-text";
import { DateTimeValue, type Value } from "../values";

/**
 * Windows are aligned to a fixed origin, not to the first event. ASA inherits StreamInsight's
 * default alignment, DateTime.MinValue (0001-01-01T00:00:00Z); for any window size that divides
 * a day this gives the same boundaries as midnight alignment.
 */
export const WINDOW_ORIGIN_MS = Date.UTC(2000, 0, 1) - 730119 * 86_400_000; // 0001-01-01T00:00:00Z

/** ASA drops events whose event time is more than 5 minutes ahead of their arrival time (fixed). */
export const EARLY_ARRIVAL_MS = 5 * 60_000;

// Bound once: an imported name is a module getter read on every call, and valueToMs runs per event.
const { parseDateTime, parseDateTimeMs } = datetimeText;

/** An ISO 8601 datetime text as ms since the epoch, or undefined (parsed as CAST to datetime parses it). */
export function parseDateTimeText(text: string): number | undefined {
  return parseDateTime(text)?.valueOf();
}

/** A SAQL value used as a point in time (TIMESTAMP BY, arrival fields) → ms, or undefined when it is not one. */
export function valueToMs(value: Value): number | undefined {
  // Strings first: the usual TIMESTAMP BY value, and `instanceof` on an imported class costs a module getter per call under tsx.
  if (typeof value === "string") return parseDateTimeMs(value);
  if (value instanceof DateTimeValue) return value.valueOf();
  return undefined;
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
