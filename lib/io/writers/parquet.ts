// Parquet output through hyparquet-writer: one column per field seen in any row, its type
// taken from the values (integers INT64, other numbers DOUBLE, text STRING, bit BOOLEAN,
// datetime TIMESTAMP in ms, records and arrays as JSON).
import { DateTimeValue, type RecordValue, type Value } from "../../saql/values";
import { toOutputJson } from "./values";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const writer = require("hyparquet-writer") as typeof import("hyparquet-writer");

type ColumnType = "INT64" | "DOUBLE" | "STRING" | "BOOLEAN" | "TIMESTAMP" | "JSON";

export function parquetBytes(rows: RecordValue[], columns: string[]): Uint8Array {
  const columnData = columns.map((name) => {
    const values = rows.map((row) => row[name] ?? null);
    const type = columnType(values);
    return { name, type, data: values.map((v) => toParquetValue(v, type)) };
  });
  return new Uint8Array(writer.parquetWriteBuffer({ columnData: columnData as never }));
}

function columnType(values: Value[]): ColumnType {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return "STRING";
  if (present.every((v) => typeof v === "number")) return present.every((v) => Number.isInteger(v)) ? "INT64" : "DOUBLE";
  if (present.every((v) => typeof v === "boolean")) return "BOOLEAN";
  if (present.every((v) => v instanceof DateTimeValue)) return "TIMESTAMP";
  if (present.every((v) => typeof v === "string")) return "STRING";
  return "JSON";
}

function toParquetValue(value: Value, type: ColumnType): unknown {
  if (value === null) return null;
  switch (type) {
    case "INT64":
      return BigInt(value as number);
    case "TIMESTAMP":
      return new Date((value as DateTimeValue).ms);
    case "JSON":
      return toOutputJson(value);
    default:
      return value;
  }
}
