// Avro input: object container files (schema in the header, null or deflate codec), decoded
// with avsc as a stream. Location is the record number (1-based). A corrupt block cannot be
// resynchronized, so it ends the file with a reported error, as a deserialization error.
import avro from "avsc";
import type { Readable } from "node:stream";
import { NotSupportedError } from "../../core/errors";
import { DateTimeValue, type RecordValue, type Value } from "../../saql/values";
import type { RawEvent, Report } from "./json";

export async function* readAvroRecords(bytes: Readable, file: string, report: Report): AsyncGenerator<RawEvent[]> {
  const decoder = new avro.streams.BlockDecoder({ parseHook: (schema) => avro.Type.forSchema(schema as avro.Schema, { wrapUnions: false }) });
  bytes.on("error", (error) => decoder.destroy(error));
  bytes.pipe(decoder);
  let n = 0;
  try {
    for await (const item of decoder as AsyncIterable<unknown>) {
      n++;
      const value = fromAvro(item);
      if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof DateTimeValue) {
        report({ message: "an Avro event must be a record", line: n });
        continue;
      }
      yield [{ record: value as RecordValue, line: n }];
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw error;
    // avsc refuses a long it would round: stop rather than compute with a changed value.
    if (/precision loss/.test((error as Error).message)) throw new NotSupportedError("an Avro long beyond ±2^53", { file, line: n + 1 });
    report({ message: `malformed Avro data after record ${n}: ${(error as Error).message}`, line: n + 1 });
  }
}

/** avsc values → SAQL values: records become plain objects, maps records, bytes base64 text. */
export function fromAvro(value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean" || typeof value === "number" || typeof value === "string") return value;
  if (typeof value === "bigint") return Number(value);
  if (Buffer.isBuffer(value)) return value.toString("base64");
  if (value instanceof Date) return DateTimeValue.fromMs(value.getTime());
  if (Array.isArray(value)) return value.map(fromAvro);
  if (typeof value === "object") {
    const out: RecordValue = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = fromAvro(v);
    return out;
  }
  return String(value);
}
