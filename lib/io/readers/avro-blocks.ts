// The blocks of an Avro object container file (Avro specification, "Object Container Files"): after
// the header, each block is a count of records, a size in bytes, the (compressed) records, then
// the file's 16-byte sync marker. A block that does not end with the marker is reported and the
// reading resumes after the next marker; the records are decoded by the caller's reader (avsc, or
// capture-records.ts for Capture's schema). No avsc here: the Capture reader's worker thread
// (capture-worker.ts) reads blocks with this module alone.
import type avro from "avsc";
import { inflateRawSync } from "node:zlib";
import { NotSupportedError } from "../../core/errors";
import type { InputEvent } from "../types";
import type { Report } from "./json";

/** Node's Buffer is a Uint8Array; this project's @types/node predates TS 5.9's typed arrays. */
const u8 = (b: Buffer): Uint8Array => b as unknown as Uint8Array;

/** A block larger than this is taken as corruption rather than buffered. */
const MAX_BLOCK_BYTES = 256 * 1024 * 1024;

export interface Header {
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

/**
 * The Avro long (a zig-zag varint) at `pos`: offset -1 when the buffer ends inside it; value -1
 * (taken as corruption) when it takes more than 7 bytes (beyond ±2^48: no block is that large).
 */
function readLong(buf: Buffer, pos: number): { value: number; offset: number } {
  let n = 0;
  let shift = 1;
  for (;;) {
    if (pos >= buf.length) return { value: 0, offset: -1 };
    const b = buf[pos++];
    n += (b & 0x7f) * shift;
    if (b < 0x80) break;
    shift *= 128;
    if (shift > 2 ** 49) return { value: -1, offset: pos };
  }
  return { value: n % 2 === 0 ? n / 2 : -(n + 1) / 2, offset: pos };
}

/**
 * The complete blocks from `pos`, until the batch holds `limit` events (then `more`: complete
 * blocks may follow; a limit of 0: one block at a time); returns where the unread bytes start.
 */
export function readBlocks(buf: Buffer, pos: number, base: number, header: Header, recordsBefore: number, lostBefore: boolean, file: string, report: Report, reader: AvroRecordReader, limit: number) {
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
    count = readLong(buf, pos);
    size = count.offset < 0 ? count : readLong(buf, count.offset);
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

