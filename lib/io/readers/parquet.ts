// Parquet input through hyparquet: read one row group at a time, so memory follows the row
// group size, not the file size. Location is the row number (1-based).
import { readFileSync } from "node:fs";
import { gunzipSync, inflateSync } from "node:zlib";
import { NotSupportedError } from "../../core/errors";
import { DateTimeValue, type RecordValue, type Value } from "../../saql/values";
import type { Serialization } from "../../job/schema";
import type { InputEvent } from "../types";
import type { Report } from "./json";

// hyparquet is ESM-only; Node 20.20 and jest (transformIgnorePatterns) both load it by require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hyparquet = require("hyparquet") as typeof import("hyparquet") & {
  asyncBufferFromFile(filename: string): Promise<import("hyparquet").AsyncBuffer>;
};

type AsyncBuffer = import("hyparquet").AsyncBuffer;

export async function* readParquetRecords(path: string, compression: Serialization["compression"], report: Report): AsyncGenerator<InputEvent[]> {
  let file: AsyncBuffer;
  if (compression === "none") file = await hyparquet.asyncBufferFromFile(path);
  else {
    // Parquet needs random access: a compressed file is inflated in memory first.
    const raw = new Uint8Array(readFileSync(path));
    const whole = compression === "gzip" ? gunzipSync(raw) : inflateSync(raw);
    file = whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.byteLength) as ArrayBuffer;
  }
  let metadata: Awaited<ReturnType<typeof hyparquet.parquetMetadataAsync>>;
  try {
    metadata = await hyparquet.parquetMetadataAsync(file);
  } catch (error) {
    throw new Error(`not a readable Parquet file (${(error as Error).message})`);
  }
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[] = [];
    try {
      await hyparquet.parquetRead({
        file,
        metadata,
        rowStart,
        rowEnd,
        rowFormat: "object",
        parsers: EXACT_TIMESTAMPS,
        onComplete: (data) => {
          rows = data as Record<string, unknown>[];
        },
      });
    } catch (error) {
      report({ message: `malformed Parquet row group (rows ${rowStart + 1}–${rowEnd}): ${(error as Error).message}`, line: rowStart + 1 });
      rowStart = rowEnd;
      continue;
    }
    const batch: InputEvent[] = [];
    for (let i = 0; i < rows.length; i++) {
      const line = rowStart + i + 1;
      try {
        batch.push({ record: fromParquetRow(rows[i]), location: { file: path, line } });
      } catch (error) {
        // A value the engine cannot hold exactly: stop rather than compute with a changed value.
        throw new NotSupportedError(`a Parquet INT64 beyond ±2^53 (${(error as Error).message})`, { file: path, line });
      }
    }
    yield batch;
    rowStart = rowEnd;
  }
}

function fromParquetRow(row: Record<string, unknown>): RecordValue {
  const out: RecordValue = {};
  for (const [k, v] of Object.entries(row)) out[k] = fromParquet(v);
  return out;
}

/** TIMESTAMP columns as datetimes to the 100 ns tick (hyparquet's defaults make ms Dates). */
const EXACT_TIMESTAMPS = {
  timestampFromMilliseconds: (ms: bigint) => new DateTimeValue(Number(ms)),
  timestampFromMicroseconds: (us: bigint) => DateTimeValue.fromEpochTicks(us * 10n),
  timestampFromNanoseconds: (ns: bigint) => DateTimeValue.fromEpochTicks(ns / 100n - (ns % 100n < 0n ? 1n : 0n)),
};

function fromParquet(value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new Error(`the integer ${value} cannot be represented exactly`);
    }
    return Number(value);
  }
  if (typeof value === "boolean" || typeof value === "number" || typeof value === "string" || value instanceof DateTimeValue) return value;
  if (value instanceof Date) return DateTimeValue.fromMs(value.getTime());
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(fromParquet);
  if (typeof value === "object") {
    const out: RecordValue = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = fromParquet(v);
    return out;
  }
  return String(value);
}
