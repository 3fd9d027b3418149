// Avro input: object container files (Avro spec, "Object Container Files"): a header with the
// writer's schema, codec and a 16-byte sync marker, then blocks of records each followed by
// the marker. The container is read here, block by block as bytes arrive; avsc decodes the
// values. A corrupt or truncated block is reported (location: the number of its first record)
// and reading resumes at the next sync marker; a file that is not Avro is a clear error.
import avro from "avsc";
import type { Readable } from "node:stream";
import { inflateRawSync } from "node:zlib";
import { NotSupportedError, StreamkitError } from "../../core/errors";
import { DateTimeValue, type RecordValue, type Value } from "../../saql/values";
import type { InputEvent } from "../types";
import type { Report } from "./json";

const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]); // "Obj" 1
const LONG = avro.Type.forSchema("long");
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

/** A block larger than this is taken as corruption rather than buffered. */
const MAX_BLOCK_BYTES = 256 * 1024 * 1024;

/**
 * Blocks are decoded until a batch holds this many events, then the batch is handed on: a chunk of
 * a deflate-compressed file holds thousands of records, and events decoded far ahead of the query
 * live long enough to be copied by the garbage collector (several inputs or partitions read side by
 * side each hold a batch).
 */
const BATCH_EVENTS = 1024;

interface Header {
  /** Decodes one record at `pos` (with the writer's schema, or a reader's resolved against it). */
  decode: (buf: Buffer, pos: number) => { value: unknown; offset: number };
  codec: "null" | "deflate";
  sync: Buffer;
}

/**
 * How a container's records become events: `schema` sees the writer's schema first (to refuse a
 * file it cannot read), then `take` turns each block's decoded records (numbered from `firstLine`,
 * counting from 1 over the file) into events.
 */
export interface AvroRecordReader {
  /** avsc's union wrapping: false (plain values; ambiguous unions refused) or "auto" (ambiguous ones wrapped). */
  wrapUnions: false | "auto";
  /**
   * Sees the writer's schema (and may refuse it); may return a reader schema to decode with instead
   * (Avro schema resolution: fields the reader lacks are skipped, not built).
   */
  schema?: (type: avro.Type) => avro.Type | void;
  /**
   * Reads whole blocks itself, for a schema it knows field for field (set by `schema`): `decode`
   * reads a block's (decompressed) records into its own state and throws on malformed data, like
   * avsc; `take` then turns them into events, in place of the reader's `take`. Absent: avsc
   * decodes each record.
   */
  block?: { decode: (payload: Buffer, count: number) => void; take: (firstLine: number, batch: InputEvent[]) => void };
  take: (records: unknown[], firstLine: number, batch: InputEvent[]) => void;
}

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

function readHeader(buf: Buffer, file: string, reader: AvroRecordReader): { header: Header; end: number } | undefined {
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

/**
 * The complete blocks from `pos`, until the batch holds `limit` events (then `more`: complete
 * blocks may follow); returns where the unread bytes start.
 */
function readBlocks(buf: Buffer, pos: number, base: number, header: Header, recordsBefore: number, lostBefore: boolean, file: string, report: Report, reader: AvroRecordReader, limit: number) {
  const batch: InputEvent[] = [];
  let n = recordsBefore;
  let lost = lostBefore;
  if (lost) {
    const next = buf.indexOf(u8(header.sync), pos);
    if (next < 0) return { batch, end: Math.max(pos, buf.length - 15), recordsSeen: n, lost, more: false };
    pos = next + 16;
    lost = false;
  }
  for (;;) {
    let count: { value: number; offset: number };
    let size: { value: number; offset: number };
    try {
      count = LONG.decode(buf, pos) as typeof count;
      size = count.offset < 0 ? count : (LONG.decode(buf, count.offset) as typeof size);
    } catch {
      count = size = { value: -1, offset: pos };
    }
    if (count.offset < 0 || size.offset < 0) break; // more bytes needed
    const bad = count.value < 0 || size.value < 0 || size.value > MAX_BLOCK_BYTES;
    const end = bad ? -1 : size.offset + size.value + 16;
    if (!bad && end > buf.length) break; // the block is still arriving
    if (bad || !buf.subarray(end - 16, end).equals(u8(header.sync))) {
      report({ message: `malformed Avro data after record ${n} (byte ${base + pos}): a block does not end with the file's sync marker`, line: n + 1 });
      const next = buf.indexOf(u8(header.sync), pos + 1);
      if (next < 0) return { batch, end: Math.max(pos, buf.length - 15), recordsSeen: n, lost: true, more: false };
      pos = next + 16;
      continue;
    }
    const first = n + 1;
    // A block is taken whole or not at all: records decoded before a failure cannot be trusted.
    let decoded: unknown[] = [];
    let whole = false; // decoded by reader.block
    try {
      const data = buf.subarray(size.offset, size.offset + size.value);
      const payload = header.codec === "deflate" ? inflateRawSync(u8(data)) : data;
      if (reader.block) {
        reader.block.decode(payload, count.value);
        whole = true;
      } else {
        let p = 0;
        for (let i = 0; i < count.value; i++) {
          const next = header.decode(payload, p);
          if (next.offset < 0) throw new Error("the block ends inside a record");
          p = next.offset;
          decoded.push(next.value);
        }
        if (p !== payload.length) throw new Error("the block holds more bytes than its records");
      }
    } catch (error) {
      if (/precision loss/.test((error as Error).message)) throw new NotSupportedError("an Avro long beyond ±2^53", { file, line: first + decoded.length });
      report({ message: `malformed Avro block at byte ${base + pos} (records ${first}–${first + count.value - 1}): ${(error as Error).message}`, line: first });
      decoded.length = 0;
    }
    if (whole) reader.block!.take(first, batch);
    else if (decoded.length) reader.take(decoded, first, batch);
    n = first - 1 + count.value;
    pos = end;
    if (batch.length >= limit) return { batch, end: pos, recordsSeen: n, lost, more: true };
  }
  return { batch, end: pos, recordsSeen: n, lost, more: false };
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
