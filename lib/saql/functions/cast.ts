// CAST and TRY_CAST. Reference: "CAST", "TRY_CAST" and "Data Types" pages. CAST fails the
// event when the conversion is impossible; TRY_CAST gives NULL instead. NULL casts to NULL.
// Where the reference is silent, T-SQL's rules (which SAQL follows) decide; choices are noted.
import { DateTimeValue, isRecord, type Value } from "../values";
import { ConversionError, FunctionArgumentError } from "./errors";
import { parseDateTime, isInDateTimeRange, formatDateTime } from "./datetime-text";
import { formatBigint, formatFloat, isFloatText, isIntegerText } from "./number-text";
import { BIGINT_MIN, parseTypeName, typeOf, type SaqlType } from "./types";

/**
 * Converts `value` to `type` or throws ConversionError. `sourceType` is the value's static type
 * when the checker knows it (tells a float 2.0 from a bigint 2).
 */
export function cast(value: Value, type: SaqlType | string, sourceType?: SaqlType): Value {
  const target = resolveType(type);
  if (value === null) return null;
  const from = typeOf(value, sourceType)!;
  switch (target) {
    case "bigint":
      return toBigint(value, from);
    case "float":
      return toFloat(value, from);
    case "nvarchar(max)":
      return toText(value, from);
    case "datetime":
      return toDateTime(value);
    case "bit":
      return toBit(value, from);
    case "record":
      if (isRecord(value)) return value;
      throw new ConversionError(value, target);
    case "array":
      if (Array.isArray(value)) return value;
      throw new ConversionError(value, target);
  }
}

/** TRY_CAST: the conversion, or NULL where CAST would fail. */
export function tryCast(value: Value, type: SaqlType | string, sourceType?: SaqlType): Value {
  const target = resolveType(type);
  try {
    return cast(value, target, sourceType);
  } catch (error) {
    if (error instanceof ConversionError) return null;
    throw error;
  }
}

function resolveType(type: string): SaqlType {
  const parsed = parseTypeName(type);
  if (!parsed) throw new FunctionArgumentError("CAST", `unknown data type '${type}'; SAQL types are bigint, float, nvarchar(max), datetime, bit, record, array`);
  return parsed;
}

/** Rounds toward zero and checks bigint's range (float → bigint truncates, as T-SQL does). */
export function toBigint(value: Value, from: SaqlType = typeOf(value)!): number {
  switch (from) {
    case "bigint":
      return checkBigintRange(value as number, value);
    case "float": {
      const n = value as number;
      if (!Number.isFinite(n)) throw new ConversionError(value, "bigint", "not a finite number");
      return checkBigintRange(Math.trunc(n) || 0, value);
    }
    case "bit":
      return value ? 1 : 0;
    case "nvarchar(max)": {
      const text = value as string;
      if (!isIntegerText(text)) throw new ConversionError(value, "bigint", "not an integer");
      return checkBigintRange(Number(text.trim()), value);
    }
    default:
      throw new ConversionError(value, "bigint");
  }
}

function checkBigintRange(n: number, original: Value): number {
  // JS numbers round 2^63-1 up to 2^63, so the upper bound is exclusive of 2^63.
  if (n < BIGINT_MIN || n >= -BIGINT_MIN) throw new ConversionError(original, "bigint", "outside the bigint range -2^63 … 2^63-1");
  return n;
}

export function toFloat(value: Value, from: SaqlType = typeOf(value)!): number {
  switch (from) {
    case "bigint":
    case "float":
      return value as number;
    case "bit":
      return value ? 1 : 0;
    case "nvarchar(max)": {
      const text = value as string;
      if (!isFloatText(text)) throw new ConversionError(value, "float", "not a number");
      const n = Number(text.trim());
      if (!Number.isFinite(n)) throw new ConversionError(value, "float", "outside the float range");
      return n;
    }
    default:
      throw new ConversionError(value, "float");
  }
}

/**
 * Text form: bigint digits, .NET float text, datetime as ISO 8601 with 7 fractional digits,
 * bit as 'true'/'false' (the Data Types page's only bit-to-text rule, for CSV output: "converted
 * to string "true" or "false""; T-SQL would give '1'/'0').
 * Records and arrays have no text form through CAST.
 */
export function toText(value: Value, from: SaqlType = typeOf(value)!): string {
  switch (from) {
    case "nvarchar(max)":
      return value as string;
    case "bigint":
      return formatBigint(value as number);
    case "float":
      return formatFloat(value as number);
    case "bit":
      return value ? "true" : "false";
    case "datetime":
      return formatDateTime(value as DateTimeValue);
    default:
      throw new ConversionError(value, "nvarchar(max)");
  }
}

export function toDateTime(value: Value): DateTimeValue {
  if (value instanceof DateTimeValue) return value;
  if (typeof value === "string") {
    const parsed = parseDateTime(value);
    if (parsed && isInDateTimeRange(parsed)) return parsed;
    throw new ConversionError(value, "datetime", "expected an ISO 8601 date and time such as 2021-06-01T10:00:00Z");
  }
  throw new ConversionError(value, "datetime");
}

/** bit from bigint/float (non-zero → 1, as T-SQL) and from the strings 'true'/'false' (any case) and '1'/'0'. */
export function toBit(value: Value, from: SaqlType = typeOf(value)!): boolean {
  switch (from) {
    case "bit":
      return value as boolean;
    case "bigint":
    case "float":
      if (Number.isNaN(value as number)) throw new ConversionError(value, "bit");
      return value !== 0;
    case "nvarchar(max)": {
      const text = (value as string).trim().toLowerCase();
      if (text === "true" || text === "1") return true;
      if (text === "false" || text === "0") return false;
      throw new ConversionError(value, "bit", "expected 'true', 'false', '1' or '0'");
    }
    default:
      throw new ConversionError(value, "bit");
  }
}
