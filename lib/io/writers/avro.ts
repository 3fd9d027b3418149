// Avro output: an object container file written by avsc's BlockEncoder, one block of about 64 KiB
// at a time, so memory follows a block, not the file. The schema comes from the rows'
// ColumnProfile (every field seen, in first-seen order): a record named `output` whose fields
// are each nullable (a union of null and the column's type, as NULL may appear in any column):
// integers `long`, other numbers `double`, text `string`, bit `boolean`; datetimes are `string`
// in ASA's output text (ISO 8601 UTC, seven fractional digits), and records, arrays and mixed
// columns `string` (records and arrays as JSON text, any depth; other values as CSV writes them). Avro names allow only letters, digits and `_`:
// another character becomes `_` (and a leading digit gets a `_` before it), a clash gets a number.
import avro from "avsc";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DateTimeValue, type RecordValue, type Value } from "../../saql/values";
import { StreamkitError } from "../../core/errors";
import type { ColumnProfile, ColumnType } from "./columns";
import { jsonText } from "./json-text";
import type { RowError } from "./parquet";

const AVRO_TYPES: Record<ColumnType, string> = {
  INT64: "long",
  DOUBLE: "double",
  STRING: "string",
  BOOLEAN: "boolean",
  TIMESTAMP: "string",
  JSON: "string",
};

const LONG = avro.Type.forSchema("long");

/** Bytes of encoded records per block (avsc's own default). */
export const AVRO_BLOCK_BYTES = 65536;

interface Column {
  /** The field in the rows. */
  name: string;
  /** The field in the Avro schema. */
  avroName: string;
  type: ColumnType;
}

/** A valid Avro name for every column, distinct from the others'. */
function avroColumns(profile: ColumnProfile): Column[] {
  const taken = new Set<string>();
  return profile.columns.map((name) => {
    const base = name.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(?=[0-9]|$)/, "_");
    let avroName = base;
    for (let i = 2; taken.has(avroName); i++) avroName = `${base}_${i}`;
    taken.add(avroName);
    return { name, avroName, type: profile.typeOf(name) };
  });
}

/** The Avro schema of an output whose rows `profile` observed. */
export function avroSchemaOf(profile: ColumnProfile): avro.Schema {
  return {
    type: "record",
    name: "output",
    fields: avroColumns(profile).map((c) => ({ name: c.avroName, type: ["null", AVRO_TYPES[c.type]], default: null })),
  };
}

/**
 * Writes rows as an Avro object container file to `out`, block by block: rows are read from
 * `rows` only as fast as the encoder and `out` take them. Rows may come back from a JSON spill,
 * where a datetime is already its output text. An integer beyond what avsc writes as a `long`
 * from a JavaScript number (about ±2^53) makes its row go to `onRowError` (skipped), or fails
 * the write without one.
 */
export async function writeAvro(rows: Iterable<RecordValue>, profile: ColumnProfile, out: Writable, onRowError?: RowError): Promise<void> {
  const columns = avroColumns(profile);
  const longs = columns.filter((c) => c.type === "INT64");
  // The header is written at once: an output without rows is still an Avro file (with no block).
  const encoder = new avro.streams.BlockEncoder(avroSchemaOf(profile), { blockSize: AVRO_BLOCK_BYTES, codec: "null", writeHeader: "always" });
  function* records(): Generator<Record<string, unknown>> {
    let n = 0;
    for (const row of rows) {
      n++;
      const wide = longs.find((c) => row[c.name] !== null && row[c.name] !== undefined && !LONG.isValid(row[c.name]));
      if (wide) {
        const message = `column '${wide.name}' holds ${String(row[wide.name])}, an integer an Avro long cannot take here (beyond ±2^53): row skipped`;
        if (!onRowError) throw new StreamkitError(`row ${n}: ${message}`, undefined, "OUTPUT");
        onRowError(n, message);
        continue;
      }
      const record: Record<string, unknown> = {};
      for (const c of columns) record[c.avroName] = toAvroValue(row[c.name] ?? null, c.type);
      yield record;
    }
  }
  await pipeline(Readable.from(records()), encoder, out);
}

/** A column's value as its Avro field takes it; a `string` column of mixed values holds each as CSV does (records and arrays as JSON). */
function toAvroValue(value: Value, type: ColumnType): unknown {
  if (value === null) return null;
  if (value instanceof DateTimeValue) return value.toString();
  if (type !== "JSON") return value;
  return typeof value === "object" ? jsonText(value) : String(value);
}
