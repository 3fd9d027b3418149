// Parquet output through hyparquet-writer, a row group at a time: one column per field seen in
// any row (ColumnProfile), its type taken from the values (integers INT64, other numbers DOUBLE,
// text STRING, bit BOOLEAN, datetime TIMESTAMP in microseconds, records and arrays as JSON).
// Microseconds, not ASA's 100 ns: Parquet's units are ms, µs and ns, and TIMESTAMP(NANOS) holds only
// 1677–2262 and is refused by Spark; µs is the finest unit every reader takes (docs/time.md).
import { StreamkitError } from "../../core/errors";
import { parseDateTime } from "../../saql/functions/datetime-text";
import { DateTimeValue, type RecordValue, type Value } from "../../saql/values";
import type { ColumnProfile, ColumnType } from "./columns";
import { toOutputJson } from "./values";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const hyparquet = require("hyparquet-writer") as typeof import("hyparquet-writer");

/** Rows per row group: memory follows a group, not the file. */
export const ROW_GROUP_ROWS = 65536;

/**
 * How deep a record or array in a JSON column may nest. hyparquet-writer converts JSON values
 * recursively, a few thousand levels at most before the call stack runs out: a deeper value
 * would fail the whole row group half written, so it is refused row by row, well before that.
 */
export const MAX_JSON_DEPTH = 1000;

/** A row that cannot be written; the writer skips it and goes on. `row` counts from 1. */
export type RowError = (row: number, message: string) => void;

/**
 * Writes rows as Parquet through `sink`, a row group at a time. Rows may come back from a JSON
 * spill (a datetime is then its seven-digit ISO text): TIMESTAMP columns read both. A row with a
 * value the format cannot hold goes to `onRowError` (skipped) or, without one, fails the write.
 */
export function writeParquet(rows: Iterable<RecordValue>, profile: ColumnProfile, sink: (bytes: Uint8Array) => void, onRowError?: RowError): void {
  const columns = profile.columns.map((name) => ({ name, type: profile.typeOf(name) }));
  const writer = new hyparquet.ByteWriter();
  // Hand finished bytes to the sink whenever the buffer is past 1 MiB, as hyparquet-writer's own fileWriter does.
  const grow = writer.ensure.bind(writer);
  const flush = () => {
    if (writer.index) sink(new Uint8Array(writer.buffer.slice(0, writer.index)));
    writer.index = 0;
  };
  writer.ensure = (size: number) => {
    if (writer.index > 1 << 20) flush();
    grow(size);
  };
  writer.finish = flush;
  const schema = hyparquet.schemaFromColumnData({ columnData: columns.map((c) => ({ name: c.name, type: c.type, data: [] })) as never });
  for (const element of schema) if (element.converted_type === "TIMESTAMP_MILLIS") element.converted_type = "TIMESTAMP_MICROS";
  const pq = new hyparquet.ParquetWriter({ writer, schema });
  const json = columns.filter((c) => c.type === "JSON").map((c) => c.name);
  let group: RecordValue[] = [];
  const writeGroup = () => {
    const columnData = columns.map(({ name, type }) => ({ name, data: group.map((row) => toParquetValue(row[name] ?? null, type)) }));
    pq.write({ columnData: columnData as never, rowGroupSize: group.length });
    group = [];
  };
  let n = 0;
  for (const row of rows) {
    n++;
    const deep = json.find((name) => depthOf(row[name] ?? null) > MAX_JSON_DEPTH);
    if (deep !== undefined) {
      const message = `column '${deep}' holds a value nested more than ${MAX_JSON_DEPTH} levels deep, more than a Parquet JSON column takes: row skipped`;
      if (!onRowError) throw new StreamkitError(`row ${n}: ${message}`, undefined, "OUTPUT");
      onRowError(n, message);
      continue;
    }
    group.push(row);
    if (group.length === ROW_GROUP_ROWS) writeGroup();
  }
  if (group.length) writeGroup();
  pq.finish();
}

/** How many records and arrays nest in a value (a scalar: 0), walked without recursion. */
function depthOf(value: Value): number {
  if (value === null || typeof value !== "object" || value instanceof DateTimeValue) return 0;
  let max = 0;
  const stack: [Value, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (max > MAX_JSON_DEPTH) return max;
    for (const item of Array.isArray(v) ? v : Object.values(v as RecordValue)) {
      if (item !== null && typeof item === "object" && !(item instanceof DateTimeValue)) stack.push([item, depth + 1]);
    }
  }
  return max;
}

function toParquetValue(value: Value, type: ColumnType): unknown {
  if (value === null) return null;
  switch (type) {
    case "INT64":
      return BigInt(value as number);
    case "TIMESTAMP": {
      // From a spill: the seven-digit text DateTimeValue writes.
      const t = value instanceof DateTimeValue ? value : parseDateTime(value as string)!;
      return BigInt(t.ms) * 1000n + BigInt(Math.floor(t.ticks / 10)); // µs since 1970
    }
    case "JSON":
      return toOutputJson(value);
    default:
      return value;
  }
}
