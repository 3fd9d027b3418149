// SAQL's data types and the type of a runtime value (GetType's answer).
// Reference: "Data Types (Azure Stream Analytics)".
import { DateTimeValue, type Value } from "../values";

/** The names GetType returns and CAST accepts (lower case, as the reference writes them). */
export type SaqlType = "bigint" | "float" | "nvarchar(max)" | "datetime" | "bit" | "record" | "array";

export const SAQL_TYPES: readonly SaqlType[] = ["bigint", "float", "nvarchar(max)", "datetime", "bit", "record", "array"];

/** bigint's range: -2^63 … 2^63-1. JS numbers hold it only approximately beyond 2^53. */
export const BIGINT_MIN = -9223372036854775808;
export const BIGINT_MAX = 9223372036854775807;

/**
 * A type name as written in CAST / CREATE TABLE (any case, spaces ignored) → SaqlType.
 * `nvarchar` without `(max)` is accepted as nvarchar(max) only when written `nvarchar(max)`;
 * the reference supports no other length. Unknown names → undefined.
 */
export function parseTypeName(name: string): SaqlType | undefined {
  const compact = name.toLowerCase().replace(/\s+/g, "");
  return (SAQL_TYPES as readonly string[]).includes(compact) ? (compact as SaqlType) : undefined;
}

/**
 * The SAQL type of a value, or undefined for NULL (GetType(NULL) is NULL).
 * bigint and float share JS `number`: pass the expression's static type when the checker
 * knows it is float; otherwise an integral number in bigint's range is a bigint and any other
 * number a float.
 */
export function typeOf(value: Value, staticType?: SaqlType): SaqlType | undefined {
  if (value === null) return undefined;
  switch (typeof value) {
    case "boolean":
      return "bit";
    case "number":
      if (staticType === "float" || staticType === "bigint") return staticType;
      // A round number within bigint's range is a bigint (as ASA maps JavaScript Numbers back:
      // "Bigint if the number is round and between long.MinValue and long.MaxValue; otherwise, it's double").
      return Number.isInteger(value) && value >= BIGINT_MIN && value < -BIGINT_MIN ? "bigint" : "float";
    case "string":
      return "nvarchar(max)";
  }
  if (value instanceof DateTimeValue) return "datetime";
  return Array.isArray(value) ? "array" : "record";
}

/** True for bigint and float values. */
export function isNumber(value: Value): value is number {
  return typeof value === "number";
}
