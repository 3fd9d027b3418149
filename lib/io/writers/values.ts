// How ASA writes values: datetimes as ISO 8601 UTC with seven fractional digits, records as
// JSON objects, arrays as JSON arrays, NULL as null.
import { DateTimeValue, type Value } from "../../saql/values";
import { jsonText } from "./json-text";

export type JsonOut = null | boolean | number | string | JsonOut[] | { [k: string]: JsonOut };

export function toOutputJson(value: Value | undefined): JsonOut {
  if (value === null || value === undefined) return null;
  if (value instanceof DateTimeValue) return value.toString();
  if (Array.isArray(value)) return value.map(toOutputJson);
  if (typeof value === "object") {
    const out: { [k: string]: JsonOut } = {};
    for (const [k, v] of Object.entries(value)) out[k] = toOutputJson(v);
    return out;
  }
  return value;
}

/**
 * A value as one CSV field: records and arrays as JSON text, NULL as an empty field, a number
 * with `decimalSeparator` (the job's DataLocale: ASA writes `1,5` in CSV for it-IT, never in JSON).
 */
export function toCsvField(value: Value | undefined, decimalSeparator = "."): string {
  if (value === null || value === undefined) return "";
  if (value instanceof DateTimeValue) return value.toString();
  if (typeof value === "object") return jsonText(value);
  if (typeof value === "number" && decimalSeparator !== ".") return String(value).replace(".", decimalSeparator);
  return String(value);
}

/** The decimal separator of a DataLocale (a .NET culture name such as it-IT), from ICU. */
export function decimalSeparatorOf(dataLocale: string): string {
  try {
    return new Intl.NumberFormat(dataLocale).formatToParts(1.5).find((part) => part.type === "decimal")?.value ?? ".";
  } catch {
    return ".";
  }
}
