// The worker thread of the Capture reader (capture.ts): it reads the partitions' files, inflates
// their blocks and reads the records of Capture's own schema into offsets (capture-records.ts),
// with a block's JSON bodies joined into one JSON text, and posts each block to the main thread,
// which parses the text and builds the events. So the reading, the inflating, the record decoding
// and the scans of the text run on another core while the main thread runs the query. It reads
// ahead a bounded number of bytes per partition: the main thread gives them back (`ahead`, a shared
// counter per partition) as it takes the blocks. Each partition's messages keep the order of its
// files and blocks; a file it cannot read as Capture's own schema (another schema, a bad header)
// is left to the main thread (`fallback`), which reads it as before and reports what is wrong.
import { closeSync, openSync, readSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { readBlocks, type AvroRecordReader, type Header } from "./readers/avro-blocks";
import { CaptureBlock, Cursor, isCaptureSchemaJson, jsonArrayText } from "./readers/capture-records";
import { hasLongDigitRunInBytes } from "./readers/json-numbers";

/** What the main thread gives the worker. */
export interface CaptureWorkerData {
  /** Each partition's files in reading order, and whether their records' SystemProperties are needed. */
  partitions: { path: string; system: boolean }[][];
  /** Whether bodies are uncompressed JSON: a block's bodies are then joined into one JSON text. */
  jsonText: boolean;
  /**
   * An Int32Array: per partition, the bytes posted and not yet taken by the main thread; then a
   * counter the main thread moves as it takes blocks, and 1 while the worker waits for it to move.
   */
  ahead: SharedArrayBuffer;
  /** How many bytes a partition may have posted and not yet taken. */
  aheadBytes: number;
}

/** What the worker posts, per partition `p`, in that partition's order. */
export type CaptureWorkerMessage =
  | { type: "file"; p: number; file: number }
  | { type: "fallback"; p: number; file: number }
  | { type: "bytes"; p: number; bytes: number }
  | { type: "report"; p: number; message: string; line: number }
  | { type: "block"; p: number; block: PostedBlock }
  | { type: "error"; p: number; message: string }
  | { type: "done"; p: number };

/** A block's records (CaptureBlock's fields) and, when its bodies allow it, their JSON text. */
export interface PostedBlock {
  first: number;
  count: number;
  /** Bytes counted against the partition's read-ahead. */
  size: number;
  payload: Uint8Array;
  enqueuedStart: Int32Array<ArrayBuffer>;
  enqueuedEnd: Int32Array<ArrayBuffer>;
  bodyStart: Int32Array<ArrayBuffer>;
  bodyEnd: Int32Array<ArrayBuffer>;
  system?: CaptureBlock["system"];
  /** `[body, body, …]` of the records with a body (at least 2), when jsonArrayText shows it exact. */
  text?: Uint8Array;
  /** Whether the text holds a 16-digit run (its parsed values are then checked for rounded integers). */
  longDigits?: boolean;
}

/** Bytes read from a file at a time. */
const CHUNK = 1 << 20;

/** Header bytes read before a file is left to the main thread. */
const MAX_HEADER = 1 << 24;

/**
 * A container's header (magic, metadata map of bytes, sync marker) when it is complete in `buf`
 * and names Capture's schema and a codec read here; `"other"` when it is anything else (the main
 * thread reads the file with avsc and says what is wrong, if anything); undefined when more bytes
 * are needed.
 */
function captureHeader(buf: Buffer, atEnd: boolean): { header: Header; end: number } | "other" | undefined {
  if (buf.length >= 4 && buf.readUInt32BE(0) !== 0x4f626a01) return "other"; // "Obj" 1
  const c = new Cursor(buf);
  c.pos = 4;
  const meta = new Map<string, string>();
  try {
    for (let count = c.long(); count !== 0; count = c.long()) {
      if (count < 0) {
        count = -count;
        c.long(); // the block's size
      }
      for (let i = 0; i < count; i++) meta.set(c.string(), c.string());
    }
    if (c.pos + 16 > buf.length) throw new Error("the header ends early");
  } catch {
    return atEnd || buf.length > MAX_HEADER ? "other" : undefined;
  }
  const codec = meta.get("avro.codec") || "null";
  let schema: unknown;
  try {
    schema = JSON.parse(meta.get("avro.schema") ?? "null");
  } catch {
    return "other";
  }
  if ((codec !== "null" && codec !== "deflate") || !isCaptureSchemaJson(schema)) return "other";
  const sync = Buffer.from(buf.subarray(c.pos, c.pos + 16) as unknown as Uint8Array);
  const decode = () => {
    throw new Error("Capture records are read by CaptureBlock");
  };
  return { header: { codec, sync, decode }, end: c.pos + 16 };
}

/** One partition's files, read a block at a time. */
class PartitionReader {
  private file = -1;
  private fd = -1;
  private buf = Buffer.alloc(0);
  private pos = 0;
  private base = 0;
  private header: Header | undefined;
  private records = 0;
  private lost = false;
  private atEnd = false;
  private block = new CaptureBlock(false);
  private readonly reader: AvroRecordReader;
  private bodies = { start: new Int32Array(64), end: new Int32Array(64) };
  done = false;

  constructor(
    private readonly p: number,
    private readonly files: { path: string; system: boolean }[],
    private readonly options: CaptureWorkerData,
    private readonly ahead: Int32Array,
    private readonly post: (message: CaptureWorkerMessage, transfer?: ArrayBuffer[]) => void,
  ) {
    this.reader = {
      wrapUnions: "auto",
      block: { decode: (payload, count) => this.block.decode(payload, count), take: (first) => this.postBlock(first) },
      take: () => {
        throw new Error("Capture records are read by CaptureBlock");
      },
    };
  }

  private get path(): string {
    return this.files[this.file].path;
  }

  /** Posts what comes next: a block, a report, the start or end of a file. */
  step(): void {
    if (this.fd < 0) return this.open();
    if (!this.header) {
      const parsed = captureHeader(this.buf, this.atEnd);
      if (parsed === "other") return this.fallback();
      if (!parsed) return void this.read();
      this.header = parsed.header;
      this.pos = parsed.end;
    }
    const report = (r: { message: string; line: number }) => this.post({ type: "report", p: this.p, message: r.message, line: r.line });
    const read = readBlocks(this.buf, this.pos, this.base, this.header, this.records, this.lost, this.path, report, this.reader, 0);
    ({ end: this.pos, recordsSeen: this.records, lost: this.lost } = read);
    if (read.more) return;
    if (this.read()) return;
    if (this.pos < this.buf.length && !this.lost) report({ message: `malformed Avro data after record ${this.records} (byte ${this.base + this.pos}): the last block is truncated`, line: this.records + 1 });
    this.close();
  }

  private open(): void {
    if (++this.file >= this.files.length) {
      this.done = true;
      this.post({ type: "done", p: this.p });
      return;
    }
    this.post({ type: "file", p: this.p, file: this.file });
    this.fd = openSync(this.path, "r");
    this.buf = Buffer.alloc(0);
    this.pos = this.base = this.records = 0;
    this.header = undefined;
    this.lost = this.atEnd = false;
    this.block = new CaptureBlock(this.files[this.file].system);
  }

  /** Appends the file's next bytes to the unread ones; false at its end. */
  private read(): boolean {
    const rest = this.buf.length - this.pos;
    const next = Buffer.allocUnsafe(rest + CHUNK);
    this.buf.copy(next as unknown as Uint8Array, 0, this.pos);
    const n = readSync(this.fd, next as unknown as Uint8Array, rest, CHUNK, null);
    this.atEnd = n === 0;
    this.base += this.pos;
    this.buf = next.subarray(0, rest + n);
    this.pos = 0;
    if (n > 0) this.post({ type: "bytes", p: this.p, bytes: n });
    return n > 0;
  }

  private fallback(): void {
    this.post({ type: "fallback", p: this.p, file: this.file });
    this.close();
  }

  private close(): void {
    closeSync(this.fd);
    this.fd = -1;
    this.buf = Buffer.alloc(0);
  }

  private postBlock(first: number): void {
    const { payload, count, enqueuedStart, enqueuedEnd, bodyStart, bodyEnd, system } = this.block;
    let text: Uint8Array | undefined;
    if (this.options.jsonText) {
      if (this.bodies.start.length < count) this.bodies = { start: new Int32Array(count), end: new Int32Array(count) };
      const { start, end } = this.bodies;
      let n = 0;
      for (let i = 0; i < count; i++) {
        if (bodyStart[i] < 0) continue;
        start[n] = bodyStart[i];
        end[n++] = bodyEnd[i];
      }
      const joined = n > 1 ? jsonArrayText(payload, start, end, n) : undefined;
      if (joined) text = new Uint8Array(joined as unknown as Uint8Array); // a copy: jsonArrayText reuses its buffer
    }
    // The payload goes over whole (transferred) when its memory is its own, else as a copy.
    const own = payload.byteOffset === 0 && payload.buffer.byteLength === payload.length ? (payload as unknown as Uint8Array) : new Uint8Array(payload as unknown as Uint8Array);
    const block: PostedBlock = {
      first,
      count,
      size: payload.length + (text?.length ?? 0),
      payload: own,
      enqueuedStart: enqueuedStart.slice(0, count),
      enqueuedEnd: enqueuedEnd.slice(0, count),
      bodyStart: bodyStart.slice(0, count),
      bodyEnd: bodyEnd.slice(0, count),
      system: this.block.readSystem ? system.slice(0, count) : undefined,
      text,
      longDigits: text && hasLongDigitRunInBytes(text),
    };
    const transfer = [own.buffer as ArrayBuffer, ...(text ? [text.buffer as ArrayBuffer] : []), block.enqueuedStart.buffer as ArrayBuffer, block.enqueuedEnd.buffer as ArrayBuffer, block.bodyStart.buffer as ArrayBuffer, block.bodyEnd.buffer as ArrayBuffer];
    this.post({ type: "block", p: this.p, block }, transfer);
    Atomics.add(this.ahead, this.p, block.size);
  }

  /** A read failure: the main thread stops with it. */
  fail(error: unknown): void {
    this.done = true;
    if (this.fd >= 0) closeSync(this.fd);
    this.post({ type: "error", p: this.p, message: error instanceof Error ? error.message : String(error) });
  }
}

/** Reads every partition a block at a time, each as far ahead as `aheadBytes` allows, round after round. */
export function runCaptureWorker(data: CaptureWorkerData, post: (message: CaptureWorkerMessage, transfer?: ArrayBuffer[]) => void): void {
  const ahead = new Int32Array(data.ahead);
  const wake = data.partitions.length;
  const waiting = wake + 1;
  const readers = data.partitions.map((files, p) => new PartitionReader(p, files, data, ahead, post));
  for (;;) {
    const seen = Atomics.load(ahead, wake);
    let stepped = false;
    let open = false;
    for (let p = 0; p < readers.length; p++) {
      const reader = readers[p];
      if (reader.done) continue;
      open = true;
      if (Atomics.load(ahead, p) >= data.aheadBytes) continue;
      try {
        reader.step();
      } catch (error) {
        reader.fail(error);
      }
      stepped = true;
    }
    if (!open) return;
    if (stepped) continue;
    Atomics.store(ahead, waiting, 1);
    Atomics.wait(ahead, wake, seen);
    Atomics.store(ahead, waiting, 0);
  }
}

if (parentPort && (workerData as { captureWorker?: CaptureWorkerData } | undefined)?.captureWorker) {
  const port = parentPort;
  runCaptureWorker((workerData as { captureWorker: CaptureWorkerData }).captureWorker, (message, transfer) => port.postMessage(message, transfer));
}
