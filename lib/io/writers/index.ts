// Output writers: an output alias's rows as JSON lines (the default), a JSON array, CSV, Parquet
// or Avro, optionally gzip/deflate-compressed. writeBody streams rows to a sink a chunk at a
// time, so a file of any length is written in flat memory (lib/simulator/output-files.ts);
// formatRows gives the same bytes for rows held in memory. Avro goes through avsc's stream
// encoder (writeAvro, asynchronous): only a run's output files are written as Avro.
import { gzipSync, deflateSync } from "node:zlib";
import { writeFileAtomic } from "../../core/atomic-write";
import { NotSupportedError } from "../../core/errors";
import type { Serialization } from "../../job/schema";
import type { RecordValue } from "../../saql/values";
import { ColumnProfile } from "./columns";
import { jsonText } from "./json-text";
import type { RowError } from "./parquet";
import { toCsvField } from "./values";

export { toOutputJson, toCsvField, decimalSeparatorOf } from "./values";
export { ColumnProfile } from "./columns";
export type { RowError } from "./parquet";

// The Parquet and Avro writers and csv-stringify (and their libraries) load when such an output is written.
type AvroWriters = typeof import("./avro");
export const writeAvro: AvroWriters["writeAvro"] = (...args) => (require("./avro") as AvroWriters).writeAvro(...args);
export const avroSchemaOf: AvroWriters["avroSchemaOf"] = (...args) => (require("./avro") as AvroWriters).avroSchemaOf(...args);
const stringify = (...args: Parameters<typeof import("csv-stringify/sync").stringify>) => (require("csv-stringify/sync") as typeof import("csv-stringify/sync")).stringify(...args);

const DEFAULT: Serialization = { type: "json", encoding: "utf8", compression: "none", format: "lineSeparated" };

const utf8 = new TextEncoder();

/** Rows formatted per text chunk handed to the sink. */
const CHUNK_ROWS = 4096;

/** Whether writing this serialization needs the rows' ColumnProfile (CSV's header, Parquet's and Avro's column types). */
export function needsProfile(serialization: Serialization): boolean {
  return serialization.type === "csv" || serialization.type === "parquet" || serialization.type === "avro";
}

/** A refusal for what no writer can write, before any row is produced; `alias` names the output. */
export function assertWritable(serialization: Serialization, alias?: string): void {
  if (serialization.type === "delta") throw new NotSupportedError(`${alias ? `output '${alias}': ` : ""}output serialization 'delta'`);
}

/**
 * The uncompressed bytes of an output file, handed to `sink` a chunk at a time. `profile` has
 * observed every row (for CSV and Parquet); `rows` may be read back from a spill file. A row
 * the format cannot hold goes to `onRowError` and is skipped (without it, the write fails).
 * `decimalSeparator` (the job's DataLocale's) is used in CSV numbers.
 */
export function writeBody(
  rows: Iterable<RecordValue>,
  profile: ColumnProfile,
  serialization: Serialization,
  sink: (bytes: Uint8Array) => void,
  onRowError?: RowError,
  decimalSeparator = ".",
): void {
  assertWritable(serialization);
  if (serialization.type === "avro") throw new NotSupportedError("writing Avro outside a run's output files (Avro is written by writeAvro, a stream)");
  if (serialization.type === "parquet") return (require("./parquet") as typeof import("./parquet")).writeParquet(rows, profile, sink, onRowError);
  const text = (s: string) => sink(utf8.encode(s));
  const csv = serialization.type === "csv";
  const array = serialization.type === "json" && serialization.format === "array";
  const columns = profile.columns;
  const delimiter = serialization.fieldDelimiter ?? ",";
  if (csv) text(stringify([columns], { delimiter }));
  let batch: RecordValue[] = [];
  let first = true;
  const flush = () => {
    if (csv) text(stringify(batch.map((row) => columns.map((c) => toCsvField(row[c], decimalSeparator))), { delimiter }));
    else if (array) text((first ? "[" : ",\n") + batch.map((r) => jsonText(r)).join(",\n"));
    else text(batch.map((r) => jsonText(r) + "\n").join(""));
    first = false;
    batch = [];
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length === CHUNK_ROWS) flush();
  }
  if (batch.length) flush();
  if (array) text(first ? "[]\n" : "]\n");
}

/** The bytes of an output file. */
export function formatRows(rows: RecordValue[], serialization: Serialization = DEFAULT, decimalSeparator = "."): Buffer {
  const profile = new ColumnProfile();
  if (needsProfile(serialization)) for (const row of rows) profile.observe(row);
  const chunks: Uint8Array[] = [];
  writeBody(rows, profile, serialization, (c) => chunks.push(c), undefined, decimalSeparator);
  const body = new Uint8Array(Buffer.concat(chunks));
  if (serialization.compression === "gzip") return gzipSync(body);
  if (serialization.compression === "deflate") return deflateSync(body);
  return Buffer.from(body);
}

/** Writes an output file atomically (temporary file, then rename): never a partial file. */
export function writeOutputFile(path: string, rows: RecordValue[], serialization?: Serialization, decimalSeparator?: string): void {
  writeFileAtomic(path, new Uint8Array(formatRows(rows, serialization, decimalSeparator)));
}
