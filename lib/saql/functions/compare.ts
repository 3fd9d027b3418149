// Comparing SAQL values: the rules behind =, <, IN, BETWEEN, MIN/MAX and ORDER BY.
// bigint and float compare numerically (Data Types page: "bigint and float can be joined or
// compared"); a bit compares as 0/1 with numbers; a string compared with a datetime is read
// as a datetime, with a number as a number (T-SQL's implicit conversions). Strings compare
// ordinally, case-sensitively (choice: ASA runs on .NET ordinal comparison; the reference
// does not say).
import { DateTimeValue, isRecord, type Value } from "../values";
import { ConversionError } from "./errors";
import { toDateTime, toFloat } from "./cast";

/** -1, 0 or 1 for two non-NULL values; throws ConversionError when they cannot be compared. */
export function compareNonNull(a: Exclude<Value, null>, b: Exclude<Value, null>): number {
  const ta = typeof a, tb = typeof b;
  // Fast paths for the common cases, before any conversion.
  if (ta === "number" && tb === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (ta === "string" && tb === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (ta === "number" || tb === "number" || ta === "boolean" || tb === "boolean") {
    if (ta === "object") throw new ConversionError(a, "a number");
    if (tb === "object") throw new ConversionError(b, "a number");
    return sign(toFloat(a) - toFloat(b));
  }
  if (a instanceof DateTimeValue || b instanceof DateTimeValue) {
    return sign(toDateTime(a).compare(toDateTime(b)));
  }
  if (ta === "string" && (isRecord(b) || Array.isArray(b))) throw new ConversionError(b, "nvarchar(max)", "records and arrays cannot be compared");
  throw new ConversionError(a, typeNameOf(b), "records and arrays cannot be compared");
}

/** Total order for sorting (ORDER BY, CollectTop, MIN/MAX ties): NULL sorts lowest, as T-SQL. */
export function compareForSort(a: Value, b: Value): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return compareNonNull(a, b);
}

/** Structural equality used for DISTINCT and COUNT(DISTINCT x); NULL equals NULL here (grouping semantics). */
export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a instanceof DateTimeValue && b instanceof DateTimeValue) return a.compare(b) === 0;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** A string key that is equal for deepEqual values: for hashing groups and distinct sets. */
export function valueKey(value: Value): string {
  if (value === null) return "n";
  if (typeof value === "number") return `#${value}`;
  if (typeof value === "string") return `s${value}`;
  if (typeof value === "boolean") return value ? "t" : "f";
  if (value instanceof DateTimeValue) return `d${value.ms}.${value.ticks}`;
  if (Array.isArray(value)) return `[${value.map(valueKey).join(",")}]`;
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${valueKey(value[k])}`).join(",")}}`;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function typeNameOf(value: Value): string {
  if (typeof value === "string") return "nvarchar(max)";
  if (Array.isArray(value)) return "array";
  return isRecord(value) ? "record" : String(value);
}
