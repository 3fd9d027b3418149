// Event Hubs Capture records read straight from a block's bytes, for files whose schema is exactly
// Capture's (event-hubs-capture-overview.md): SequenceNumber long, Offset string, EnqueuedTimeUtc
// string, SystemProperties and Properties maps of [long, double, string, bytes], Body [null, bytes].
// The Avro binary encoding (Avro specification, "Binary Encoding"): longs as zig-zag varints,
// strings and bytes as a length then the bytes, maps as blocks of entries ending with a count of 0
// (a negative count is followed by the block's size in bytes), a union as its branch index then the
// value. Unlike a general decoder it builds nothing it does not need: Offset, Properties and (unless
// asked) SystemProperties are skipped, and Body is a view of the block, not a copy. Any other
// schema is read by avsc (readers/avro.ts).
import type avro from "avsc";
import type { RecordValue } from "../../saql/values";

const CAPTURE_FIELDS = JSON.stringify([
  ["SequenceNumber", "long"],
  ["Offset", "string"],
  ["EnqueuedTimeUtc", "string"],
  ["SystemProperties", { type: "map", values: ["long", "double", "string", "bytes"] }],
  ["Properties", { type: "map", values: ["long", "double", "string", "bytes"] }],
  ["Body", ["null", "bytes"]],
]);

/** Whether a writer's schema is Capture's, field for field (names, order and types). */
export function isCaptureSchema(type: avro.Type): boolean {
  const schema = type.schema() as { type?: string; fields?: { name: string; type: unknown }[] };
  if (schema.type !== "record" || !schema.fields) return false;
  return JSON.stringify(schema.fields.map((f) => [f.name, f.type])) === CAPTURE_FIELDS;
}

class Cursor {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  long(): number {
    const buf = this.buf;
    let n = 0;
    let shift = 1;
    for (;;) {
      if (this.pos >= buf.length) throw new Error("the block ends inside a record");
      const b = buf[this.pos++];
      n += (b & 0x7f) * shift;
      if (b < 0x80) break;
      shift *= 128;
      if (shift > 2 ** 63) throw new Error("a varint is longer than a long");
    }
    // Zig-zag: 0, -1, 1, -2, … (exact below 2^53, as avsc's numbers).
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  /** Skips a string's or bytes' content; returns where it starts (it ends at `pos`). */
  span(): number {
    const length = this.long();
    const start = this.pos;
    if (length < 0 || start + length > this.buf.length) throw new Error("the block ends inside a record");
    this.pos = start + length;
    return start;
  }

  string(): string {
    const start = this.span();
    return this.buf.toString("utf8", start, this.pos);
  }

  /** A [long, double, string, bytes] value (bytes as UTF-8 text, as the capture reader shows them). */
  propertyValue(): number | string {
    const branch = this.long();
    if (branch === 0) return this.long();
    if (branch === 1) {
      if (this.pos + 8 > this.buf.length) throw new Error("the block ends inside a record");
      const v = this.buf.readDoubleLE(this.pos);
      this.pos += 8;
      return v;
    }
    if (branch === 2 || branch === 3) return this.string();
    throw new Error(`a property value has union branch ${branch}, not one of long, double, string, bytes`);
  }

  /** A property map, read (into `into`) or skipped. */
  map(into?: RecordValue): void {
    for (;;) {
      let count = this.long();
      if (count === 0) return;
      if (count < 0) {
        count = -count;
        const size = this.long();
        if (!into) {
          this.pos += size;
          if (this.pos > this.buf.length) throw new Error("the block ends inside a record");
          continue;
        }
      }
      for (let i = 0; i < count; i++) {
        if (into) into[this.string()] = this.propertyValue();
        else {
          this.span();
          this.propertyValue();
        }
      }
    }
  }
}

/**
 * A block's records as bounds in its bytes, decoded block after block into the same arrays: no
 * object, string or Buffer per record (but the SystemProperties records, when asked for).
 */
export class CaptureBlock {
  payload = Buffer.alloc(0);
  count = 0;
  /** Record i's EnqueuedTimeUtc text is payload[enqueuedStart[i], enqueuedEnd[i]). */
  enqueuedStart = new Int32Array(64);
  enqueuedEnd = new Int32Array(64);
  /** Record i's Body is payload[bodyStart[i], bodyEnd[i]); bodyStart[i] is -1 for a null body. */
  bodyStart = new Int32Array(64);
  bodyEnd = new Int32Array(64);
  /** Record i's SystemProperties (when read). */
  readonly system: (RecordValue | undefined)[] = [];

  /** `system`: whether to read SystemProperties (else skipped). */
  constructor(readonly readSystem: boolean) {}

  /** Reads the `count` records of a block's bytes; throws when they are malformed. */
  decode(payload: Buffer, count: number): void {
    if (count > this.bodyStart.length) {
      const size = Math.max(count, 2 * this.bodyStart.length);
      this.enqueuedStart = new Int32Array(size);
      this.enqueuedEnd = new Int32Array(size);
      this.bodyStart = new Int32Array(size);
      this.bodyEnd = new Int32Array(size);
    }
    this.payload = payload;
    this.count = 0;
    const c = new Cursor(payload);
    for (let i = 0; i < count; i++) {
      c.long(); // SequenceNumber
      c.span(); // Offset
      this.enqueuedStart[i] = c.span(); // EnqueuedTimeUtc
      this.enqueuedEnd[i] = c.pos;
      if (this.readSystem) c.map((this.system[i] = {}));
      else c.map();
      c.map(); // Properties
      const branch = c.long();
      if (branch === 1) {
        this.bodyStart[i] = c.span();
        this.bodyEnd[i] = c.pos;
      } else if (branch === 0) this.bodyStart[i] = -1;
      else throw new Error(`Body has union branch ${branch}, not null or bytes`);
    }
    if (c.pos !== payload.length) throw new Error("the block holds more bytes than its records");
    this.count = count;
  }

  enqueuedText(i: number): string {
    return this.payload.toString("utf8", this.enqueuedStart[i], this.enqueuedEnd[i]);
  }

  /** Record i's Body, a view of the block's bytes. */
  body(i: number): Buffer | null {
    return this.bodyStart[i] < 0 ? null : this.payload.subarray(this.bodyStart[i], this.bodyEnd[i]);
  }
}
