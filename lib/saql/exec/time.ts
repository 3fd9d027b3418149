// Event time inside the engine is an Instant: 100 ns ticks since 2025-01-01 in a JS number
// (lib/saql/instant.ts). Conversions from SAQL values live here.
import * as datetimeText from "../functions/datetime-text";
import * as instant from "../instant";
import { TICKS_PER_MS, type Instant } from "../instant";
import * as values from "../values";
import type { Value } from "../values";

/** ASA drops events whose event time is more than 5 minutes ahead of their arrival time (fixed). */
export const EARLY_ARRIVAL = 5 * 60_000 * TICKS_PER_MS;

// Bound once: an imported name is a module getter read on every call, and valueToInstant runs per event.
const { parseDateTimeInstant } = datetimeText;
const { instantOf } = instant;
const { DateTimeValue } = values;

/** A SAQL value used as a point in time (TIMESTAMP BY, arrival fields) → its instant, or undefined when it is not one. */
export function valueToInstant(value: Value): Instant | undefined {
  // Strings first: the usual TIMESTAMP BY value.
  if (typeof value === "string") return parseDateTimeInstant(value);
  if (value instanceof DateTimeValue) return instantOf(value);
  return undefined;
}
