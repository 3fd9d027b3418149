// Output writers: an output alias's rows as JSON lines (the default), a JSON array, CSV or
// Parquet, optionally gzip/deflate-compressed, each file written whole or not at all.
import { stringify } from "csv-stringify/sync";
import { gzipSync, deflateSync } from "node:zlib";
import { writeFileAtomic } from "../../core/atomic-write";
import { NotSupportedError } from "../../core/errors";
import type { Serialization } from "../../job/schema";
import type { RecordValue } from "../../saql/values";
import { parquetBytes } from "./parquet";
import { jsonText } from "./json-text";
import { toCsvField } from "./values";

export { toOutputJson, toCsvField } from "./values";

const DEFAULT: Serialization = { type: "json", encoding: "utf8", compression: "none", format: "lineSeparated" };

/** Every field name in first-seen order: rows of one output may differ in their fields. */
export function columnsOf(rows: RecordValue[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/** The bytes of an output file. */
export function formatRows(rows: RecordValue[], serialization: Serialization = DEFAULT): Buffer {
  let body: Buffer;
  switch (serialization.type) {
    case "json":
      body = Buffer.from(
        serialization.format === "array"
          ? `[${rows.map((r) => jsonText(r)).join(",\n")}]\n`
          : rows.map((r) => jsonText(r) + "\n").join(""),
        "utf8",
      );
      break;
    case "csv": {
      const columns = columnsOf(rows);
      const records = rows.map((row) => columns.map((c) => toCsvField(row[c])));
      body = Buffer.from(stringify([columns, ...records], { delimiter: serialization.fieldDelimiter ?? "," }), "utf8");
      break;
    }
    case "parquet":
      body = Buffer.from(parquetBytes(rows, columnsOf(rows)));
      break;
    default:
      throw new NotSupportedError(`output serialization '${serialization.type}'`);
  }
  if (serialization.compression === "gzip") return gzipSync(new Uint8Array(body));
  if (serialization.compression === "deflate") return deflateSync(new Uint8Array(body));
  return body;
}

/** Writes an output file atomically (temporary file, then rename): never a partial file. */
export function writeOutputFile(path: string, rows: RecordValue[], serialization?: Serialization): void {
  writeFileAtomic(path, new Uint8Array(formatRows(rows, serialization)));
}
