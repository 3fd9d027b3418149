// Event datetimes (arrival-time fields, expected outputs) are read exactly as CAST(… AS datetime)
// reads them: the one parser lives in lib/saql/functions/datetime-text.
import { DateTimeValue } from "../saql/values";
import { parseDateTime, parseDateTimeMs } from "../saql/functions/datetime-text";

export { parseDateTime };

/** Milliseconds since the epoch of an arrival-time field value (string, datetime or ms number). */
export function arrivalMs(value: unknown): number | undefined {
  if (value instanceof DateTimeValue) return value.valueOf();
  if (typeof value === "string") return parseDateTimeMs(value);
  if (value instanceof Date) return value.getTime();
  return undefined;
}
