// Avro input: object container files (Avro spec, "Object Container Files"): a header with the
// writer's schema, codec and a 16-byte sync marker, then blocks of records each followed by
// the marker. The container is read here, block by block as bytes arrive; avsc decodes the
// values. A corrupt or truncated block is reported (location: the number of its first record)
// and reading resumes at the next sync marker; a file that is not Avro is a clear error.
import avro from "avsc";
import type { Readable } from "node:stream";
import { NotSupportedError, StreamkitError } from "../../core/errors";
import { DateTimeValue, type RecordValue, type Value } from "../../saql/values";
import type { InputEvent } from "../types";
import type { Report } from "./json";
import { readBlocks, type AvroRecordReader, type Header } from "./avro-blocks";

export type { AvroRecordReader } from "./avro-blocks";

const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]); // "Obj" 1
const HEADER = avro.Type.forSchema({
  type: "record",
  name: "org.apache.avro.file.Header",
  fields: [
    { name: "magic", type: { type: "fixed", name: "Magic", size: 4 } },
    { name: "meta", type: { type: "map", values: "bytes" } },
    { name: "sync", type: { type: "fixed", name: "Sync", size: 16 } },
  ],
});
/** Node's Buffer is a Uint8Array; this project's @types/node predates TS 5.9's typed arrays. */
const u8 = (b: Buffer): Uint8Array => b as unknown as Uint8Array;

/**
 * Blocks are decoded until a batch holds this many events, then the batch is handed on: a chunk of
 * a deflate-compressed file holds thousands of records, and events decoded far ahead of the query
 * live long enough to be copied by the garbage collector (several inputs or partitions read side by
 * side each hold a batch).
 */
const BATCH_EVENTS = 1024;

export async function* readAvroRecords(bytes: Readable, file: string, report: Report): AsyncGenerator<InputEvent[]> {
  yield* readAvroContainer(bytes, file, report, { wrapUnions: false, take: takeRecord(file, report) });
}

/** An Avro record as an event of an Avro input: records become plain objects, anything else is reported. */
function takeRecord(file: string, report: Report): AvroRecordReader["take"] {
  return (records, firstLine, batch) => {
    for (let i = 0; i < records.length; i++) {
      const value = fromAvro(records[i]);
      const line = firstLine + i;
      if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof DateTimeValue) report({ message: "an Avro event must be a record", line });
      else batch.push({ record: value as RecordValue, location: { file, line } });
    }
  };
}

/**
 * The events of an Avro object container file, a batch per run of blocks read. `onBytes` hears how
 * many bytes of the (decompressed) stream were read, chunk by chunk.
 */
export async function* readAvroContainer(bytes: Readable, file: string, report: Report, reader: AvroRecordReader, onBytes?: (n: number) => void): AsyncGenerator<InputEvent[]> {
  let buf = Buffer.alloc(0);
  let pos = 0;
  let base = 0; // file offset of buf[0]
  let header: Header | undefined;
  let n = 0; // records read so far
  let lost = false; // looking for the next sync marker after a corrupt block
  for await (const chunk of bytes) {
    onBytes?.((chunk as Buffer).length);
    base += pos;
    buf = pos < buf.length ? Buffer.concat([u8(buf.subarray(pos)), u8(chunk as Buffer)]) : (chunk as Buffer);
    pos = 0;
    if (!header) {
      const parsed = readHeader(buf, file, reader);
      if (!parsed) continue;
      header = parsed.header;
      pos = parsed.end;
    }
    for (;;) {
      const read = readBlocks(buf, pos, base, header, n, lost, file, report, reader, BATCH_EVENTS);
      ({ end: pos, recordsSeen: n, lost } = read);
      if (read.batch.length) yield read.batch;
      if (!read.more) break;
    }
  }
  if (!header) throw new StreamkitError(`not a readable Avro object container file ${file}: the header is incomplete`, { file }, "IO_FORMAT");
  if (pos < buf.length && !lost) report({ message: `malformed Avro data after record ${n} (byte ${base + pos}): the last block is truncated`, line: n + 1 });
}

/** The events of a whole Avro object container held in memory (a message body), appended to `events`. */
export function decodeAvroContainer(buf: Buffer, file: string, report: Report, events: InputEvent[]): void {
  const reader: AvroRecordReader = { wrapUnions: false, take: takeRecord(file, report) };
  const parsed = readHeader(buf, file, reader);
  if (!parsed) throw new StreamkitError("the header is incomplete", { file }, "IO_FORMAT");
  const read = readBlocks(buf, parsed.end, 0, parsed.header, 0, false, file, report, reader, Infinity);
  events.push(...read.batch);
  if (read.end < buf.length && !read.lost) report({ message: `malformed Avro data after record ${read.recordsSeen} (byte ${read.end}): the last block is truncated`, line: read.recordsSeen + 1 });
}

/** A container's header from the start of `buf`; undefined when more bytes are needed. */
export function readHeader(buf: Buffer, file: string, reader: AvroRecordReader): { header: Header; end: number } | undefined {
  if (buf.length >= 4 && !buf.subarray(0, 4).equals(u8(MAGIC))) {
    throw new StreamkitError(`not a readable Avro object container file ${file}: it does not start with 'Obj' 1`, { file }, "IO_FORMAT");
  }
  let decoded: { value: { meta: Record<string, Buffer>; sync: Buffer }; offset: number };
  try {
    decoded = HEADER.decode(buf, 0) as typeof decoded;
  } catch (error) {
    throw new StreamkitError(`not a readable Avro object container file ${file}: ${(error as Error).message}`, { file }, "IO_FORMAT");
  }
  if (decoded.offset < 0) return undefined; // more bytes needed
  const { meta, sync } = decoded.value;
  const codec = meta["avro.codec"]?.toString() || "null";
  if (codec !== "null" && codec !== "deflate") throw new NotSupportedError(`the Avro codec '${codec}'`, { file });
  let type: avro.Type;
  try {
    type = avro.Type.forSchema(JSON.parse(meta["avro.schema"]?.toString() ?? "null"), { wrapUnions: reader.wrapUnions });
  } catch (error) {
    throw new StreamkitError(`not a readable Avro object container file ${file}: bad schema (${(error as Error).message})`, { file }, "IO_FORMAT");
  }
  const readerType = reader.schema?.(type);
  const resolver = readerType ? readerType.createResolver(type) : undefined;
  const decode = readerType ? (b: Buffer, pos: number) => readerType.decode(b, pos, resolver) : (b: Buffer, pos: number) => type.decode(b, pos);
  return { header: { decode, codec, sync: Buffer.from(u8(sync)) }, end: decoded.offset };
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
