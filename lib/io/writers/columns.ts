// What an output's rows hold, learned one row at a time so a file can be written after the rows
// themselves are gone: every field name in first-seen order (rows of one output may differ in
// their fields) and, per field, the kinds of value seen (Parquet picks a column type from them).
import { DateTimeValue, type RecordValue, type Value } from "../../saql/values";

const INTEGER = 1;
const FRACTION = 2;
const BIT = 4;
const DATETIME = 8;
const TEXT = 16;
const OTHER = 32;

export type ColumnType = "INT64" | "DOUBLE" | "STRING" | "BOOLEAN" | "TIMESTAMP" | "JSON";

export class ColumnProfile {
  private readonly kinds = new Map<string, number>();

  observe(row: RecordValue): void {
    for (const key in row) {
      const seen = this.kinds.get(key);
      const kind = kindOf(row[key]);
      if (seen === undefined) this.kinds.set(key, kind);
      else if ((seen | kind) !== seen) this.kinds.set(key, seen | kind);
    }
  }

  get columns(): string[] {
    return [...this.kinds.keys()];
  }

  /** Integers INT64, other numbers DOUBLE, text STRING, bit BOOLEAN, datetime TIMESTAMP, anything mixed or nested JSON. */
  typeOf(column: string): ColumnType {
    const kinds = this.kinds.get(column) ?? 0;
    if (kinds === 0) return "STRING";
    if ((kinds & ~(INTEGER | FRACTION)) === 0) return kinds & FRACTION ? "DOUBLE" : "INT64";
    if (kinds === BIT) return "BOOLEAN";
    if (kinds === DATETIME) return "TIMESTAMP";
    if (kinds === TEXT) return "STRING";
    return "JSON";
  }
}

function kindOf(value: Value | undefined): number {
  if (value === null || value === undefined) return 0;
  switch (typeof value) {
    case "number":
      return Number.isInteger(value) ? INTEGER : FRACTION;
    case "boolean":
      return BIT;
    case "string":
      return TEXT;
    default:
      return value instanceof DateTimeValue ? DATETIME : OTHER;
  }
}
