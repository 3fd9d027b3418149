// Parquet output through hyparquet-writer, a row group at a time: one column per field seen in
// any row (ColumnProfile), its type taken from the values (integers INT64, other numbers DOUBLE,
// text STRING, bit BOOLEAN, datetime TIMESTAMP in ms, records and arrays as JSON).
import { StreamkitError } from "../../core/errors";
import { DateTimeValue, type RecordValue, type Value } from "../../saql/values";
import type { ColumnProfile, ColumnType } from "./columns";
import { toOutputJson } from "./values";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const hyparquet = require("hyparquet-writer") as typeof import("hyparquet-writer");

/** Rows per row group: memory follows a group, not the file. */
export const ROW_GROUP_ROWS = 65536;

/**
 * Writes rows as Parquet through `sink`, a row group at a time. Rows may come back from a JSON
 * spill (a datetime is then its seven-digit ISO text): TIMESTAMP columns read both.
 */
export function writeParquet(rows: Iterable<RecordValue>, profile: ColumnProfile, sink: (bytes: Uint8Array) => void): void {
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
  const pq = new hyparquet.ParquetWriter({ writer, schema });
  let group: RecordValue[] = [];
  const writeGroup = () => {
    try {
      const columnData = columns.map(({ name, type }) => ({ name, data: group.map((row) => toParquetValue(row[name] ?? null, type)) }));
      pq.write({ columnData: columnData as never, rowGroupSize: group.length });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw new StreamkitError(`a row holds a record nested too deeply for a Parquet JSON column (${error.message})`, undefined, "OUTPUT");
    }
    group = [];
  };
  for (const row of rows) {
    group.push(row);
    if (group.length === ROW_GROUP_ROWS) writeGroup();
  }
  if (group.length) writeGroup();
  pq.finish();
}

function toParquetValue(value: Value, type: ColumnType): unknown {
  if (value === null) return null;
  switch (type) {
    case "INT64":
      return BigInt(value as number);
    case "TIMESTAMP":
      // From a spill: the seven-digit text DateTimeValue writes; its first three digits are the ms.
      return new Date(value instanceof DateTimeValue ? value.ms : Date.parse(`${(value as string).slice(0, 23)}Z`));
    case "JSON":
      return toOutputJson(value);
    default:
      return value;
  }
}
