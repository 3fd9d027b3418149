// CREATE TABLE typing of an input's events. The reference ("CREATE TABLE"): it declares the
// types of the payload's columns and does not convert between formats; an event whose value does
// not fit its column's type is dropped as a deserialization error classified, the reference says,
// InputDeserializerError.InvalidData (the data-errors article names TypeConversionError for it; the
// reference page, which shows the diagnostic log entry, wins).
// Datetime columns accept ISO 8601 text (JSON has no datetime) and become datetime values.
// An event without a declared column is dropped too (data-errors article:
// InputDeserializerError.MissingColumns, "The input columns defined with CREATE TABLE … doesn't
// exist"); a column present with JSON null is a NULL value and the event stays.
import type { CreateTableStatement } from "../ast";
import { parseTypeName, type SaqlType } from "../functions";
import { DateTimeValue, isRecord, type RecordValue, type Value } from "../values";
import { parseDateTimeValue } from "../functions/datetime-text";

/** Why an event does not conform: ASA's InputDeserializerError categories. */
export type SchemaErrorCategory = "InputDeserializerError.InvalidData" | "InputDeserializerError.MissingColumns";

export type TypedRecord = { ok: true; record: RecordValue } | { ok: false; category: SchemaErrorCategory; message: string };

export function compileInputSchema(columns: CreateTableStatement["columns"]): (record: RecordValue) => TypedRecord {
  const typed = columns.map((c) => ({ name: c.name.name, lower: c.name.name.toLowerCase(), type: parseTypeName(c.type.name) }));
  return (record) => {
    let out: RecordValue | undefined;
    for (const column of typed) {
      const key = findKey(record, column.name, column.lower);
      if (key === undefined) {
        return { ok: false, category: "InputDeserializerError.MissingColumns", message: `the event has no column '${column.name}', which CREATE TABLE declares` };
      }
      if (!column.type) continue;
      const value = record[key] ?? null;
      const converted = conform(value, column.type);
      if (converted === undefined) {
        return { ok: false, category: "InputDeserializerError.InvalidData", message: `column '${column.name}' is declared ${column.type} by CREATE TABLE, but the event has ${JSON.stringify(value)}` };
      }
      if (converted !== value) {
        out ??= { ...record };
        out[key] = converted;
      }
    }
    return { ok: true, record: out ?? record };
  };
}

function findKey(record: RecordValue, name: string, lower: string): string | undefined {
  if (Object.hasOwn(record, name)) return name;
  for (const key in record) if (key.toLowerCase() === lower) return key;
  return undefined;
}

/** The value as the declared type, or undefined when it does not conform. */
function conform(value: Value, type: SaqlType): Value | undefined {
  if (value === null) return null;
  switch (type) {
    case "bigint":
      return typeof value === "number" && Number.isInteger(value) ? value : undefined;
    case "float":
      return typeof value === "number" ? value : undefined;
    case "nvarchar(max)":
      return typeof value === "string" ? value : undefined;
    case "bit":
      if (typeof value === "boolean") return value;
      return value === 0 || value === 1 ? value === 1 : undefined;
    case "datetime": {
      if (value instanceof DateTimeValue) return value;
      if (typeof value !== "string") return undefined;
      return parseDateTimeValue(value);
    }
    case "record":
      return isRecord(value) ? value : undefined;
    case "array":
      return Array.isArray(value) ? value : undefined;
  }
}
