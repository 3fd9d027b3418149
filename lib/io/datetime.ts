// Event datetimes (arrival-time fields, expected outputs) are read exactly as CAST(… AS datetime)
// reads them: the one parser lives in lib/saql/functions/datetime-text.
import { DateTimeValue } from "../saql/values";
import { parseDateTime, parseDateTimeInstant } from "../saql/functions/datetime-text";
import { instantOf, instantOfMs, type Instant } from "../saql/instant";

export { parseDateTime };

/** The instant of an arrival-time field value (text, datetime or JS Date). */
export function arrivalInstant(value: unknown): Instant | undefined {
  if (value instanceof DateTimeValue) return instantOf(value);
  if (typeof value === "string") return parseDateTimeInstant(value);
  if (value instanceof Date) return instantOfMs(value.getTime());
  return undefined;
}
