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
import { isAscii } from "node:buffer";

const CAPTURE_FIELDS = JSON.stringify([
  ["SequenceNumber", "long"],
  ["Offset", "string"],
  ["EnqueuedTimeUtc", "string"],
  ["SystemProperties", { type: "map", values: ["long", "double", "string", "bytes"] }],
  ["Properties", { type: "map", values: ["long", "double", "string", "bytes"] }],
  ["Body", ["null", "bytes"]],
]);

/** Whether a writer's schema (avsc's type) is Capture's, field for field (names, order and types). */
export function isCaptureSchema(type: avro.Type): boolean {
  return isCaptureSchemaJson(type.schema());
}

/**
 * Whether a writer's schema (its JSON, as a container's header holds it) is Capture's, field for
 * field: names, order and types, a primitive written as its name or as `{"type": name}`. Anything
 * else (a named type, a logical type) is not taken for Capture's.
 */
export function isCaptureSchemaJson(schema: unknown): boolean {
  const record = schema as { type?: unknown; fields?: unknown } | null;
  if (!record || typeof record !== "object" || record.type !== "record" || !Array.isArray(record.fields)) return false;
  return JSON.stringify(record.fields.map((f: { name?: unknown; type?: unknown }) => [f?.name, typeShape(f?.type)])) === CAPTURE_FIELDS;
}

const PRIMITIVES = new Set(["null", "boolean", "int", "long", "float", "double", "bytes", "string"]);

/** A type as CAPTURE_FIELDS writes it; null for a type that cannot be Capture's. */
function typeShape(type: unknown): unknown {
  if (typeof type === "string") return PRIMITIVES.has(type) ? type : null;
  if (Array.isArray(type)) return type.map(typeShape);
  if (!type || typeof type !== "object") return null;
  const t = type as { type?: unknown; values?: unknown; logicalType?: unknown };
  if (t.logicalType !== undefined) return null;
  if (t.type === "map") return { type: "map", values: typeShape(t.values) };
  return typeof t.type === "string" && PRIMITIVES.has(t.type) ? t.type : null;
}

export class Cursor {
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
  system: (RecordValue | undefined)[] = [];
  /**
   * The JSON text of the bodies of the block's records that have one (jsonArrayText), when the
   * Capture reader's worker thread made it (capture-worker.ts).
   */
  text: Buffer | undefined;
  /** Whether `text` holds a 16-digit run (json-numbers.ts). */
  longDigits = true;

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
    this.text = undefined;
    this.longDigits = true;
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

const isBlank = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/** Whether `bytes[a, b)`'s first and last non-blank bytes are `{` and `}`. */
function objectShaped(bytes: Buffer, a: number, b: number): boolean {
  b--;
  while (a <= b && isBlank(bytes[a])) a++;
  while (b >= a && isBlank(bytes[b])) b--;
  return a < b && bytes[a] === 0x7b && bytes[b] === 0x7d;
}

/** Whether `bytes[a, b)` holds `}`, `,`, `{` with JSON whitespace between: what separates two objects. */
function holdsObjectSeparator(bytes: Buffer, a: number, b: number): boolean {
  for (let i = bytes.indexOf(0x7d, a); i >= 0 && i < b; i = bytes.indexOf(0x7d, i + 1)) {
    let j = i + 1;
    while (j < b && isBlank(bytes[j])) j++;
    if (j >= b || bytes[j] !== 0x2c) continue;
    j++;
    while (j < b && isBlank(bytes[j])) j++;
    if (j < b && bytes[j] === 0x7b) return true;
  }
  return false;
}

/** Where jsonArrayText writes a block's text (reused: the text is read or copied before the next block). */
let blockText = Buffer.alloc(0);

/**
 * The JSON object bodies `bytes[start[k], end[k])` (k < n, in order, each with at least one byte
 * before it) as one JSON text `[body1,body2,…]` (UTF-8, valid until the next call; textOf makes it
 * a string), for one JSON.parse rather than one per message;
 * undefined when its parse could not be shown to give body k as element k (the caller parses the
 * bodies one by one). The text is the bytes from the first body to the last copied once, the
 * bytes before each body (in a Capture block, its record's other fields, already read) made `[`
 * or `,` and blanks, and `]` after: one flat string for the scans below and the parse.
 * Why it is exact: every body starts with `{` and ends with `}`, so each inserted comma makes one
 * `}ws,ws{`; when no body holds one, no body holds two objects side by side at its top level, so
 * no body gives more than one element; a body that merged with the next (an unclosed bracket or
 * string) would leave fewer than n elements: the caller checks that the parse gives n objects.
 * With n objects from n bodies, element k is body k.
 */
export function jsonArrayText(bytes: Buffer, start: ArrayLike<number>, end: ArrayLike<number>, n: number): Buffer | undefined {
  for (let k = 0; k < n; k++) if (!objectShaped(bytes, start[k], end[k]) || holdsObjectSeparator(bytes, start[k], end[k])) return undefined;
  const origin = start[0] - 1;
  const size = end[n - 1] - origin + 1;
  if (blockText.length < size) blockText = Buffer.allocUnsafe(Math.max(size, 2 * blockText.length));
  const out = blockText;
  bytes.copy(out as unknown as Uint8Array, 0, origin, end[n - 1]);
  out[0] = 0x5b; // [
  for (let k = 1; k < n; k++) {
    const gap = start[k] - origin;
    let i = end[k - 1] - origin;
    out[i++] = 0x2c; // ,
    while (i < gap) out[i++] = 0x20; // (a record's other fields: a few bytes, written here rather than by a call to fill)
  }
  out[size - 1] = 0x5d; // ]
  return out.subarray(0, size);
}

/** UTF-8 text as a string; ASCII text (the common case) is copied as is rather than decoded. */
export function textOf(bytes: Buffer): string {
  return isAscii(bytes as unknown as Uint8Array) ? bytes.toString("latin1") : bytes.toString("utf8");
}
