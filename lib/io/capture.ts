// Event Hubs Capture files as an input: the Avro files Capture writes to Blob storage / ADLS, read
// back as the stream they were. Each Capture record (schema: SequenceNumber, Offset,
// EnqueuedTimeUtc, SystemProperties, Properties, Body; event-hubs-capture-overview.md) holds one
// message; its Body is decoded with the input's serialization (JSON, CSV or Avro, optionally gzip
// or deflate compressed), and each event gets the fields ASA adds to an Event Hub input's events
// (stream-analytics-define-inputs.md): EventEnqueuedUtcTime (the record's enqueued time, also the
// event's arrival time), PartitionId (from the file's path, else the record's system properties)
// and EventProcessedUtcTime; an IoT Hub input's events also get the `IoTHub` record from the IoT
// Hub routing properties a message carries.
// Files are found under a folder (or by a glob) and placed by the Capture path format
// (`{Namespace}/{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}` unless
// told otherwise): each partition is one stream, its files in time order, read one at a time; the
// partitions are merged by enqueued time, the order the job received the events in. So memory
// holds one block per partition, whatever the size of the capture.
import { readdirSync, statSync } from "node:fs";
import { extname, join, resolve, sep } from "node:path";
import { Worker } from "node:worker_threads";
import { gunzipSync, inflateSync } from "node:zlib";
import avroTypes from "avsc";
import type avro from "avsc";
import { parse as parseCsv } from "csv-parse/sync";
import { NotSupportedError, StreamkitError } from "../core/errors";
import type { Serialization } from "../job/schema";
import { parseDateTimeValue } from "../saql/functions/datetime-text";
import { instantOf } from "../saql/instant";
import { DateTimeValue, isRecord, type RecordValue, type Value } from "../saql/values";
import { fileError, openByteStream } from "./byte-stream";
import { decodeAvroContainer, fromAvro, readAvroContainer, type AvroRecordReader } from "./readers/avro";
import type { CaptureWorkerData, CaptureWorkerMessage } from "./capture-worker";
import { CaptureBlock, isCaptureSchema, jsonArrayText, textOf } from "./readers/capture-records";
import { parseJsonEvent, type Report } from "./readers/json";
import { UnsafeIntegerError, integersExact, parseJsonExact } from "./readers/json-numbers";
import { JsonSplitter } from "./readers/json-splitter";
import type { BatchedEventSource, EventBatches, EventLocation, InputEvent, ReadOptions } from "./types";

/** Capture's default file name format (Event Hubs ArchiveNameFormat). */
export const DEFAULT_CAPTURE_PATH_FORMAT = "{Namespace}/{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}";

/** What the reader reports as it goes, for a progress line. */
export interface CaptureProgress {
  /** Files opened so far, of `filesTotal`. */
  files: number;
  filesTotal: number;
  /** Capture records read (each holds one message, whose body may hold several events). */
  records: number;
  bytes: number;
  bytesTotal: number;
  /** The enqueued time the merged stream has reached (an instant: lib/saql/instant.ts). */
  position?: number;
}

export interface CaptureOptions extends ReadOptions {
  /** How each message body is written (JSON, CSV, Avro; compression: gzip or deflate). */
  body: Serialization;
  /** The Capture file name format (default DEFAULT_CAPTURE_PATH_FORMAT). */
  pathFormat?: string;
  /**
   * Whether events get the `IoTHub` record (an IoT Hub input; an IoT Hub route into the captured
   * hub stamps its properties on each message). Default: when the message carries them.
   */
  iotHub?: boolean;
  onProgress?: (progress: CaptureProgress) => void;
  /**
   * Whether the files are read, inflated and decoded by a worker thread while this one runs the
   * query (capture-worker.ts). Default: when they hold at least WORKER_MIN_BYTES.
   */
  worker?: boolean;
}

/** One Capture file, placed by the path format. */
export interface CaptureFile {
  path: string;
  /** The partition the path names; undefined when the format has no {PartitionId}. */
  partition?: number;
  /** The time the path names (ms since the epoch). */
  time: number;
  size: number;
}

// ----------------------------------------------------------------------------------- path format

const FIELD_PATTERNS: Record<string, string> = {
  namespace: "[^/]+",
  eventhub: "[^/]+",
  partitionid: "\\d+",
  year: "\\d{4}",
  month: "\\d{1,2}",
  day: "\\d{1,2}",
  hour: "\\d{1,2}",
  minute: "\\d{1,2}",
  second: "\\d{1,2}",
};

interface PathFormat {
  text: string;
  regex: RegExp;
}

/** The path format as a regular expression over a file's path (`/` separated), anchored at its end. */
export function compilePathFormat(text: string): PathFormat {
  let pattern = "";
  let last = 0;
  const seen = new Set<string>();
  for (const m of text.matchAll(/\{([^{}]*)\}/g)) {
    const name = m[1].toLowerCase();
    const field = FIELD_PATTERNS[name];
    if (!field) throw new StreamkitError(`the Capture path format '${text}' names '{${m[1]}}': it takes {Namespace}, {EventHub}, {PartitionId}, {Year}, {Month}, {Day}, {Hour}, {Minute}, {Second}`, undefined, "USAGE");
    pattern += escapeRegex(text.slice(last, m.index)) + (seen.has(name) ? `\\k<${name}>` : `(?<${name}>${field})`);
    seen.add(name);
    last = m.index! + m[0].length;
  }
  pattern += escapeRegex(text.slice(last));
  if (!seen.has("year")) throw new StreamkitError(`the Capture path format '${text}' has no {Year}: files could not be put in time order`, undefined, "USAGE");
  return { text, regex: new RegExp(`(?:^|/)${pattern.replace(/^\/+/, "")}(?:\\.avro)?$`, "i") };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A glob (`*`, `**`, `?`) as a regular expression over a whole `/`-separated path. */
function globRegex(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      i++;
      if (glob[i + 1] === "/") {
        i++;
        out += "(?:.*/)?";
      } else out += ".*";
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += escapeRegex(c);
  }
  return new RegExp(`^${out}$`);
}

const slashes = (path: string) => (sep === "/" ? path : path.split(sep).join("/"));

/** Every file under a directory (dot files and folders left out), in name order. */
function walk(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith(".")) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/**
 * The Capture files a folder, a glob or a single file names, placed by the path format and grouped
 * by partition (ascending), each partition's files in time order (then by path).
 */
export function findCaptureFiles(location: string, pathFormat = DEFAULT_CAPTURE_PATH_FORMAT): CaptureFile[][] {
  const format = compilePathFormat(pathFormat);
  const full = resolve(location);
  let paths: string[];
  const globAt = slashes(full).search(/[*?[]/);
  if (globAt >= 0) {
    const base = slashes(full).slice(0, globAt).replace(/[^/]*$/, "") || "/";
    const match = globRegex(slashes(full));
    if (!statSync(base, { throwIfNoEntry: false })?.isDirectory()) throw new StreamkitError(`Capture folder not found: ${base} (from ${location})`, { file: location }, "IO_FILE");
    paths = walk(base, []).filter((p) => match.test(slashes(p)));
  } else {
    const stat = statSync(full, { throwIfNoEntry: false });
    if (!stat) throw new StreamkitError(`Capture folder not found: ${full}`, { file: full }, "IO_FILE");
    paths = stat.isDirectory() ? walk(full, []) : [full];
  }
  if (paths.length === 0) throw new StreamkitError(`no Capture files in ${location}`, { file: location }, "IO_FILE");
  const byPartition = new Map<number | undefined, CaptureFile[]>();
  for (const path of paths) {
    const m = format.regex.exec(slashes(path).replace(/\.avro$/i, ""));
    if (!m?.groups) {
      throw new StreamkitError(
        `${path} does not match the Capture path format '${format.text}' (give the format the files were written with: --capture-path-format)`,
        { file: path },
        "IO_FORMAT",
      );
    }
    const g = m.groups;
    const n = (name: string, fallback: number) => (g[name] === undefined ? fallback : Number(g[name]));
    const time = Date.UTC(n("year", 1970), n("month", 1) - 1, n("day", 1), n("hour", 0), n("minute", 0), n("second", 0));
    const partition = g.partitionid === undefined ? undefined : Number(g.partitionid);
    const list = byPartition.get(partition) ?? [];
    list.push({ path, partition, time, size: statSync(path).size });
    byPartition.set(partition, list);
  }
  return [...byPartition.entries()]
    .sort(([a], [b]) => (a ?? -1) - (b ?? -1))
    .map(([, files]) => files.sort((a, b) => a.time - b.time || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
}

// --------------------------------------------------------------------------------------- records

/** Capture writes EnqueuedTimeUtc as .NET's invariant text (`9/24/2019 9:13:33 PM`); IoT Hub routing as ISO 8601. */
const US_DATETIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))? ?([AP]M)?$/i;

/** An enqueued time as a datetime; undefined when the text is not one. */
export function parseEnqueuedTime(text: string): DateTimeValue | undefined {
  const m = US_DATETIME.exec(text.trim());
  if (!m) return parseDateTimeValue(text);
  let hour = Number(m[4]);
  const half = m[8]?.toUpperCase();
  if (half && (hour < 1 || hour > 12)) return undefined;
  if (half === "AM" && hour === 12) hour = 0;
  if (half === "PM" && hour !== 12) hour += 12;
  const fraction = (m[7] ?? "").padEnd(7, "0");
  const ms = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), hour, Number(m[5]), Number(m[6]), Number(fraction.slice(0, 3)));
  const check = new Date(ms);
  if (check.getUTCMonth() !== Number(m[1]) - 1 || check.getUTCDate() !== Number(m[2]) || hour > 23) return undefined;
  return new DateTimeValue(ms, Number(fraction.slice(3)));
}

/** parseEnqueuedTime, remembering the last text: messages enqueued in the same second (Capture's text has no fraction) share it. */
function enqueuedReader(): (text: string) => DateTimeValue | undefined {
  let lastText = "";
  let last: DateTimeValue | undefined;
  return (text) => {
    if (text !== lastText) {
      lastText = text;
      last = parseEnqueuedTime(text);
    }
    return last;
  };
}

/** The IoTHub record of an IoT Hub input's events, from the routing properties (names of an Event Hubs route, then of a storage route). */
const IOT_HUB_FIELDS: [string, string[]][] = [
  ["MessageId", ["message-id", "messageId"]],
  ["CorrelationId", ["correlation-id", "correlationId"]],
  ["ConnectionDeviceId", ["iothub-connection-device-id", "connectionDeviceId"]],
  ["ConnectionDeviceGenerationId", ["iothub-connection-auth-generation-id", "connectionDeviceGenerationId"]],
  ["EnqueuedTime", ["iothub-enqueuedtime", "enqueuedTime"]],
];

/** A Capture map value (avsc wraps the ambiguous union of long, double, string and bytes: `{ string: "x" }`). */
function unwrap(value: unknown): Value {
  if (isRecord(value as Value) && !Buffer.isBuffer(value)) {
    const keys = Object.keys(value as object);
    if (keys.length === 1) {
      const inner = (value as Record<string, unknown>)[keys[0]];
      return Buffer.isBuffer(inner) ? inner.toString("utf8") : fromAvro(inner);
    }
  }
  return Buffer.isBuffer(value) ? value.toString("utf8") : fromAvro(value);
}

function mapValues(map: unknown): RecordValue {
  const out: RecordValue = {};
  if (map && typeof map === "object") for (const [k, v] of Object.entries(map as object)) out[k] = unwrap(v);
  return out;
}

function iotHubRecord(system: RecordValue): RecordValue | undefined {
  let found = false;
  const out: RecordValue = {};
  for (const [field, names] of IOT_HUB_FIELDS) {
    let value: Value = null;
    for (const name of names) if (system[name] !== undefined) value = system[name];
    if (value !== null) found = true;
    if (field === "EnqueuedTime" && typeof value === "string") value = parseEnqueuedTime(value) ?? value;
    out[field] = value;
  }
  return found && (system["iothub-connection-device-id"] !== undefined || system.connectionDeviceId !== undefined) ? out : undefined;
}

/** A message body, decompressed as the input's compression says; undefined (reported) when it cannot be. */
function decompress(body: Buffer, serialization: Serialization, line: number, report: Report): Buffer | undefined {
  try {
    if (serialization.compression === "gzip") return gunzipSync(new Uint8Array(body));
    if (serialization.compression === "deflate") return inflateSync(new Uint8Array(body));
    return body;
  } catch (error) {
    report({ message: `the message body is not ${serialization.compression} data: ${(error as Error).message}`, line });
    return undefined;
  }
}

/** The events of one (decompressed) message body, decoded with the input's serialization; a bad body is reported. */
function bodyEvents(bytes: Buffer, serialization: Serialization, file: string, line: number, report: Report): RecordValue[] {
  switch (serialization.type) {
    case "json":
      return jsonBody(bytes.toString("utf8"), file, line, report);
    case "csv":
      try {
        return parseCsv(bytes, { columns: true, bom: true, delimiter: serialization.fieldDelimiter ?? ",", record_delimiter: ["\r\n", "\n", "\r"], skip_empty_lines: true }) as RecordValue[];
      } catch (error) {
        report({ message: `malformed CSV message body: ${(error as Error).message}`, line });
        return [];
      }
    case "avro": {
      const events: InputEvent[] = [];
      const bodyReport: Report = (e) => report({ ...e, message: `message body: ${e.message}`, line });
      try {
        decodeAvroContainer(bytes, file, bodyReport, events);
      } catch (error) {
        if (error instanceof NotSupportedError) throw error;
        report({ message: `the message body is not an Avro object container: ${(error as Error).message}`, line });
      }
      return events.map((e) => e.record);
    }
    default:
      throw new NotSupportedError(`Capture message bodies in ${serialization.type}`, { file });
  }
}

/**
 * The JSON object bodies `bytes[start[k], end[k])` (k < n) with one JSON.parse of the block's
 * array text (jsonArrayText, capture-records.ts) rather than one per message (as the JSON-lines
 * reader parses blocks of lines, readers/json-line-block.ts); undefined when that cannot be shown
 * exact, and the bodies are parsed one by one.
 */
function jsonObjectsAt(bytes: Buffer, start: ArrayLike<number>, end: ArrayLike<number>, n: number): RecordValue[] | undefined {
  const text = jsonArrayText(bytes, start, end, n);
  return text === undefined ? undefined : parseObjectArray(textOf(text), n);
}

/**
 * JSON.parse of a jsonArrayText, when it gives `n` objects (it may not: a malformed body) and
 * rounded no integer (json-numbers.ts; `longDigits` false: the text is known to hold no 16-digit run).
 */
function parseObjectArray(text: string, n: number, longDigits = true): RecordValue[] | undefined {
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(values) || values.length !== n) return undefined;
  // JSON.parse gives plain objects, arrays and primitives only: an object that is not an array is a record.
  for (let k = 0; k < n; k++) {
    const v = values[k] as unknown;
    if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  }
  return !longDigits || integersExact(values, text) ? (values as RecordValue[]) : undefined;
}

/**
 * jsonObjectsAt for bodies given as Buffers: read where they are when they are views of one buffer
 * in order with bytes between them (as avsc decodes a block's bodies), else copied into one buffer.
 */
export function jsonObjectBlock(bodies: Buffer[]): RecordValue[] | undefined {
  const n = bodies.length;
  const start = new Array<number>(n);
  const end = new Array<number>(n);
  const first = bodies[0];
  let inPlace = first.byteOffset >= 1;
  for (let k = 1; k < n && inPlace; k++) inPlace = bodies[k].buffer === first.buffer && bodies[k].byteOffset > bodies[k - 1].byteOffset + bodies[k - 1].length;
  let bytes: Buffer;
  if (inPlace) {
    const last = bodies[n - 1];
    const origin = first.byteOffset - 1;
    bytes = Buffer.from(first.buffer, origin, last.byteOffset + last.length - origin);
    for (let k = 0; k < n; k++) {
      start[k] = bodies[k].byteOffset - origin;
      end[k] = start[k] + bodies[k].length;
    }
  } else {
    let size = n;
    for (const body of bodies) size += body.length;
    bytes = Buffer.allocUnsafe(size);
    let at = 1;
    for (let k = 0; k < n; k++) {
      start[k] = at;
      at += bodies[k].copy(bytes as unknown as Uint8Array, at);
      end[k] = at++;
    }
  }
  return jsonObjectsAt(bytes, start, end, n);
}

/** A JSON body's value as events: an object, or an array of objects (as ASA reads an Event Hub message). */
function jsonValueEvents(value: unknown, line: number, report: Report): RecordValue[] {
  if (Array.isArray(value)) {
    const out: RecordValue[] = [];
    for (const v of value) {
      if (isRecord(v as Value)) out.push(v as RecordValue);
      else report({ message: "an event must be a JSON object", line });
    }
    return out;
  }
  if (isRecord(value as Value)) return [value as RecordValue];
  report({ message: `an event must be a JSON object, found ${value === null ? "null" : typeof value}`, line });
  return [];
}

/** A JSON body: one object, an array of objects, or objects one after another. */
function jsonBody(text: string, file: string, line: number, report: Report): RecordValue[] {
  let value: unknown;
  try {
    value = parseJsonExact(text);
  } catch (error) {
    if (error instanceof UnsafeIntegerError) throw new NotSupportedError(`a JSON integer beyond ±2^53 (${error.message})`, { file, line });
    // Not one JSON value: several, one after another, or malformed.
    const out: RecordValue[] = [];
    const splitter = new JsonSplitter({ lineBlocks: false });
    for (const piece of [...splitter.push(text), ...splitter.end()]) {
      if ("error" in piece) report({ message: `message body: ${piece.error}`, line });
      else if ("values" in piece) out.push(...piece.values);
      else if ("value" in piece) out.push(...jsonValueEvents(piece.value, line, report));
      else {
        const record = parseJsonEvent(piece.text, line, report);
        if (record) out.push(record);
      }
    }
    return out;
  }
  return jsonValueEvents(value, line, report);
}

/** An event of a Capture file that is its own location (`file`, `line`: the record number): one object per event, not two. */
class CaptureEvent implements InputEvent, EventLocation {
  constructor(
    readonly record: RecordValue,
    readonly arrivalTime: number,
    readonly file: string,
    readonly line: number,
  ) {}

  get location(): EventLocation {
    return this;
  }
}

/**
 * A block's messages (its records with a usable enqueued time and a body), in arrays reused block
 * after block. Bodies are bounds in the block's bytes (Capture's own schema, capture-records.ts)
 * or Buffers (records avsc decoded).
 */
class Messages {
  n = 0;
  readonly line: number[] = [];
  /** When the message arrived: its enqueued time (IoT Hub's for an IoT Hub input). */
  readonly enqueued: DateTimeValue[] = [];
  readonly partition: (number | null)[] = [];
  readonly iotHub: (RecordValue | undefined)[] = [];
  bytes: Buffer | undefined;
  start = new Int32Array(0);
  end = new Int32Array(0);
  readonly bodies: Buffer[] = [];
  /** The messages' bodies as one JSON text (jsonArrayText), when the worker thread made it. */
  text: Buffer | undefined;
  /** Whether `text` holds a 16-digit run. */
  longDigits = true;

  constructor(
    readonly file: CaptureFile,
    readonly options: CaptureOptions,
  ) {}

  /** Empties it for a block of `count` records; `bytes`: the block's bytes, when bodies are bounds in them. */
  reset(count: number, bytes?: Buffer): void {
    this.n = 0;
    this.bytes = bytes;
    this.bodies.length = 0;
    this.text = undefined;
    this.longDigits = true;
    if (bytes && count > this.start.length) {
      this.start = new Int32Array(Math.max(count, 2 * this.start.length));
      this.end = new Int32Array(this.start.length);
    }
  }

  /** Adds a message (its body still to be set at the index returned), with what its system properties say. */
  add(line: number, enqueued: DateTimeValue, system: RecordValue | undefined): number {
    const { file, options } = this;
    let partition = file.partition ?? null;
    let iotHub: RecordValue | undefined;
    if (system) {
      const fromProperties = system["x-opt-partition-id"];
      if (partition === null && fromProperties !== undefined && fromProperties !== null) partition = Number(fromProperties);
      if (options.iotHub !== false) iotHub = iotHubRecord(system);
    }
    // An IoT Hub input's events arrived when IoT Hub received them (IoTHub.EnqueuedTime), before
    // the route enqueued them in the captured hub.
    const routed = options.iotHub === true ? iotHub?.EnqueuedTime : undefined;
    const k = this.n++;
    this.line[k] = line;
    this.enqueued[k] = routed instanceof DateTimeValue ? routed : enqueued;
    this.partition[k] = partition;
    this.iotHub[k] = iotHub;
    return k;
  }

  body(k: number): Buffer {
    return this.bytes ? this.bytes.subarray(this.start[k], this.end[k]) : this.bodies[k];
  }

  /** The messages' events, into `batch`. */
  take(report: Report, batch: InputEvent[]): void {
    const { n, file } = this;
    const serialization = this.options.body;
    // Uncompressed JSON bodies, one object each (the common case), parse as one text per block.
    let objects: RecordValue[] | undefined;
    if (serialization.type === "json" && serialization.compression === "none" && n > 1) {
      if (this.text !== undefined) objects = parseObjectArray(textOf(this.text), n, this.longDigits);
      else objects = this.bytes ? jsonObjectsAt(this.bytes, this.start, this.end, n) : jsonObjectBlock(this.bodies);
    }
    let enqueued: DateTimeValue | undefined;
    let arrivalTime = 0;
    for (let k = 0; k < n; k++) {
      if (this.enqueued[k] !== enqueued) {
        enqueued = this.enqueued[k];
        arrivalTime = instantOf(enqueued);
      }
      const line = this.line[k];
      if (objects) batch.push(this.event(objects[k], k, enqueued, arrivalTime));
      else {
        const bytes = decompress(this.body(k), serialization, line, report);
        if (bytes) for (const event of bodyEvents(bytes, serialization, file.path, line, report)) batch.push(this.event(event, k, enqueued, arrivalTime));
      }
    }
  }

  /** An event of message k, with the fields ASA adds to an Event Hub input's events after the payload's. */
  private event(record: RecordValue, k: number, enqueued: DateTimeValue, arrivalTime: number): CaptureEvent {
    record.EventProcessedUtcTime = enqueued;
    record.PartitionId = this.partition[k];
    record.EventEnqueuedUtcTime = enqueued;
    const iotHub = this.iotHub[k];
    if (iotHub) record.IoTHub = iotHub;
    return new CaptureEvent(record, arrivalTime, this.file.path, this.line[k]);
  }
}

/** parseEnqueuedTime of a text in a block's bytes, remembering the last bytes: messages enqueued in the same second share them. */
function enqueuedBytesReader(): (bytes: Buffer, a: number, b: number) => DateTimeValue | undefined {
  let last = Buffer.alloc(0);
  let value: DateTimeValue | undefined;
  return (bytes, a, b) => {
    const n = b - a;
    if (n === last.length) {
      let i = 0;
      while (i < n && bytes[a + i] === last[i]) i++;
      if (i === n) return value;
    }
    last = Buffer.from(bytes.subarray(a, b) as unknown as Uint8Array); // a copy: the block's bytes are reused
    value = parseEnqueuedTime(bytes.toString("utf8", a, b));
    return value;
  };
}

/** How a Capture file's records become events, a block at a time; `onRecords` hears how many records each block held. */
function captureRecords(file: CaptureFile, options: CaptureOptions, report: Report, onRecords: (n: number) => void): AvroRecordReader {
  const messages = new Messages(file, options);
  const system = needsSystem(file, options);
  const enqueuedText = enqueuedReader();
  const reader: AvroRecordReader = {
    // The Capture schema's property maps hold an ambiguous union (long, double, string, bytes).
    wrapUnions: "auto",
    schema: (type: avro.Type) => {
      const fields = new Set(((type as unknown as { fields?: { name: string }[] }).fields ?? []).map((f) => f.name));
      const lacking = ["EnqueuedTimeUtc", "Body"].filter((f) => !fields.has(f));
      if (lacking.length) {
        throw new StreamkitError(`${file.path} is not an Event Hubs Capture file: its records have no ${lacking.join(" or ")} (the Capture schema: SequenceNumber, Offset, EnqueuedTimeUtc, SystemProperties, Properties, Body)`, { file: file.path }, "IO_FORMAT");
      }
      // Capture's own schema is read straight from the block's bytes (capture-records.ts); another
      // (an IoT Hub storage route's, …) by avsc, building only the fields used.
      if (isCaptureSchema(type)) {
        reader.block = captureBlockReader(new CaptureBlock(system), messages, report, onRecords);
        return;
      }
      const wanted = new Set(["EnqueuedTimeUtc", "Body", ...(system && fields.has("SystemProperties") ? ["SystemProperties"] : [])]);
      const schema = type.schema() as { type: string; name: string; namespace?: string; fields: { name: string }[] };
      return avroTypes.Type.forSchema({ ...schema, fields: schema.fields.filter((f) => wanted.has(f.name)) } as avro.Schema, { wrapUnions: "auto" });
    },
    take: (records, firstLine, batch) => {
      onRecords(records.length);
      messages.reset(records.length);
      for (let i = 0; i < records.length; i++) {
        const record = records[i] as CaptureRecord;
        const line = firstLine + i;
        const enqueued = typeof record.EnqueuedTimeUtc === "string" ? enqueuedText(record.EnqueuedTimeUtc) : undefined;
        if (!enqueued) reportNotDateTime(report, record.EnqueuedTimeUtc, line);
        else if (record.Body === null || record.Body === undefined) reportNoBody(report, line);
        else {
          messages.add(line, enqueued, nonEmpty(record.SystemProperties) ? mapValues(record.SystemProperties) : undefined);
          messages.bodies.push(record.Body);
        }
      }
      messages.take(report, batch);
    },
  };
  return reader;
}

/** Capture's own records, read from a block's bytes into `block` and taken from there (no object per record). */
function captureBlockReader(block: CaptureBlock, messages: Messages, report: Report, onRecords: (n: number) => void): AvroRecordReader["block"] {
  const enqueuedAt = enqueuedBytesReader();
  return {
    decode: (payload, count) => block.decode(payload, count),
    take: (firstLine, batch) => {
      const { payload, count, enqueuedStart, enqueuedEnd, bodyStart, bodyEnd } = block;
      onRecords(count);
      messages.reset(count, payload);
      let bodies = 0;
      for (let i = 0; i < count; i++) {
        const line = firstLine + i;
        const enqueued = enqueuedAt(payload, enqueuedStart[i], enqueuedEnd[i]);
        if (bodyStart[i] >= 0) bodies++;
        if (!enqueued) reportNotDateTime(report, block.enqueuedText(i), line);
        else if (bodyStart[i] < 0) reportNoBody(report, line);
        else {
          const k = messages.add(line, enqueued, block.readSystem ? block.system[i] : undefined);
          messages.start[k] = bodyStart[i];
          messages.end[k] = bodyEnd[i];
        }
      }
      // The worker's text holds every body: it is the messages' when no record with one was left out.
      if (messages.n === bodies) {
        messages.text = block.text;
        messages.longDigits = block.longDigits;
      }
      messages.take(report, batch);
    },
  };
}

interface CaptureRecord {
  EnqueuedTimeUtc: unknown;
  SystemProperties?: Record<string, unknown>;
  Body: Buffer | null;
}

const reportNoBody = (report: Report, line: number) => report({ message: "the message has no body", line });
const reportNotDateTime = (report: Report, text: unknown, line: number) => report({ message: `EnqueuedTimeUtc is not a datetime: ${JSON.stringify(text)}`, line });

function nonEmpty(map: object | undefined): map is object {
  if (map) for (const _ in map) return true;
  return false;
}

// -------------------------------------------------------------------------------------- reading

/** Events per batch handed on by the partition merge. */
const MERGE_BATCH = 1024;

/**
 * The events of a set of Capture files in the order the job received them: each partition's files
 * in time order, the partitions merged by enqueued time (ties: the lower partition first). A bad
 * record or block is reported through `onDeserializationError` and skipped; the run goes on.
 * Iterable again (each time from the start), like a file source.
 */
export function openCaptureSource(location: string, options: CaptureOptions): BatchedEventSource {
  const partitions = findCaptureFiles(location, options.pathFormat);
  const batches: EventBatches = { [Symbol.asyncIterator]: () => readCapture(partitions, options) };
  const ids = partitions.map((files) => files[0].partition);
  return {
    batches: () => batches,
    partitions: ids.every((id) => id !== undefined) ? (ids as number[]) : undefined,
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches) yield* batch;
    },
  };
}

async function* readCapture(partitions: CaptureFile[][], options: CaptureOptions): AsyncGenerator<InputEvent[]> {
  const progress: CaptureProgress = {
    files: 0,
    filesTotal: partitions.reduce((n, p) => n + p.length, 0),
    records: 0,
    bytes: 0,
    bytesTotal: partitions.reduce((n, p) => p.reduce((m, f) => m + f.size, n), 0),
  };
  const worker = (options.worker ?? progress.bytesTotal >= WORKER_MIN_BYTES) ? new CaptureWorker(partitions, options) : undefined;
  const readers = partitions.map((files, p) => (worker ? workerPartitionEvents(worker, p, files, options, progress) : partitionEvents(files, options, progress))[Symbol.asyncIterator]());
  try {
    if (readers.length === 1) {
      for (let next = await readers[0].next(); !next.done; next = await readers[0].next()) {
        const batch = next.value;
        progress.position = batch[batch.length - 1].arrivalTime;
        options.onProgress?.(progress);
        yield batch;
      }
      return;
    }
    const heads: (InputEvent[] | undefined)[] = [];
    for (const r of readers) heads.push(await nextBatch(r));
    const at = readers.map(() => 0);
    let out: InputEvent[] = [];
    for (;;) {
      // The partition whose head comes first, and the one that comes next (by time, then partition).
      let pick = -1;
      let best = Infinity;
      let next = -1;
      let second = Infinity;
      for (let i = 0; i < heads.length; i++) {
        const batch = heads[i];
        if (batch === undefined) continue;
        const t = batch[at[i]].arrivalTime!;
        if (pick < 0 || t < best) {
          next = pick;
          second = best;
          pick = i;
          best = t;
        } else if (next < 0 || t < second) {
          next = i;
          second = t;
        }
      }
      if (pick < 0) break;
      // A run of its events: each comes before the other partitions' heads, which do not move meanwhile.
      const batch = heads[pick]!;
      const ties = next < 0 || pick < next;
      let k = at[pick];
      do out.push(batch[k++]);
      while (k < batch.length && out.length < MERGE_BATCH && (batch[k].arrivalTime! < second || (ties && batch[k].arrivalTime === second)));
      at[pick] = k;
      if (k >= batch.length) {
        heads[pick] = await nextBatch(readers[pick]);
        at[pick] = 0;
      }
      if (out.length >= MERGE_BATCH) {
        progress.position = out[out.length - 1].arrivalTime;
        options.onProgress?.(progress);
        yield out;
        out = [];
      }
    }
    if (out.length) {
      progress.position = out[out.length - 1].arrivalTime;
      options.onProgress?.(progress);
      yield out;
    }
  } finally {
    await Promise.all(readers.map((r) => r.return?.(undefined)));
    await worker?.close();
  }
}

async function nextBatch(reader: AsyncIterator<InputEvent[]>): Promise<InputEvent[] | undefined> {
  for (;;) {
    const next = await reader.next();
    if (next.done) return undefined;
    if (next.value.length) return next.value;
  }
}

/** One partition's events: its files one after another. */
async function* partitionEvents(files: CaptureFile[], options: CaptureOptions, progress: CaptureProgress): AsyncGenerator<InputEvent[]> {
  for (const file of files) {
    progress.files++;
    yield* fileEvents(file, options, progress);
  }
}

/** Where the events of a Capture file report their bad records and blocks. */
function fileReport(file: CaptureFile, options: CaptureOptions): Report {
  return ({ message, line, type }) => options.onDeserializationError?.({ message, location: { file: file.path, line }, type });
}

/** One Capture file's events, read on this thread. */
async function* fileEvents(file: CaptureFile, options: CaptureOptions, progress: CaptureProgress): AsyncGenerator<InputEvent[]> {
  const report = fileReport(file, options);
  try {
    const reader = captureRecords(file, options, report, (n) => (progress.records += n));
    yield* readAvroContainer(openByteStream(file.path, "none"), file.path, report, reader, (n) => (progress.bytes += n));
  } catch (error) {
    throw error instanceof StreamkitError ? error : fileError(file.path, error, "Capture");
  }
}

// --------------------------------------------------------------------------- the worker thread

/**
 * From this many bytes of Capture files on, they are read by a worker thread (capture-worker.ts):
 * starting it costs more than it saves on a few files.
 */
const WORKER_MIN_BYTES = 4 << 20;
/** How many bytes (decompressed blocks and their JSON text) the worker may read ahead per partition. */
const WORKER_AHEAD_BYTES = 2 << 20;

/** The worker thread reading a capture's files, and its messages as they arrive, per partition. */
class CaptureWorker {
  private readonly worker: Worker;
  private readonly queues: CaptureWorkerMessage[][];
  private readonly ahead: Int32Array;
  private waiting: (() => void)[] = [];
  private failure: Error | undefined;
  private closed = false;

  constructor(partitions: CaptureFile[][], options: CaptureOptions) {
    this.queues = partitions.map(() => []);
    this.ahead = new Int32Array(new SharedArrayBuffer(4 * (partitions.length + 2)));
    const data: CaptureWorkerData = {
      partitions: partitions.map((files) => files.map((file) => ({ path: file.path, system: needsSystem(file, options) }))),
      jsonText: options.body.type === "json" && options.body.compression === "none",
      ahead: this.ahead.buffer as SharedArrayBuffer,
      aheadBytes: WORKER_AHEAD_BYTES,
    };
    this.worker = startCaptureWorker(data);
    this.worker.on("message", (message: CaptureWorkerMessage) => {
      this.queues[message.p].push(message);
      this.wake();
    });
    this.worker.on("error", (error) => {
      this.failure = error;
      this.wake();
    });
    this.worker.on("exit", (code) => {
      if (!this.closed) this.failure ??= new Error(`the Capture reader's worker thread stopped (exit code ${code})`);
      this.wake();
    });
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }

  async next(p: number): Promise<CaptureWorkerMessage> {
    for (;;) {
      const message = this.queues[p].shift();
      if (message) return message;
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /**
   * Gives back the read-ahead a block of partition p took, now that it is read; wakes the worker
   * when it waits and the partition has used up half its read-ahead (a wake-up is a system call).
   */
  taken(p: number, bytes: number): void {
    const { ahead } = this;
    const wake = ahead.length - 2;
    // In this order: a worker that has seen the counter move has seen the bytes given back.
    const left = Atomics.sub(ahead, p, bytes) - bytes;
    Atomics.add(ahead, wake, 1);
    if (left <= WORKER_AHEAD_BYTES / 2 && Atomics.load(ahead, wake + 1) === 1) Atomics.notify(ahead, wake);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }
}

/** The worker thread: its compiled module, or from TypeScript sources (tests, benches) through tsx. */
function startCaptureWorker(data: CaptureWorkerData): Worker {
  const workerData = { captureWorker: data };
  if (extname(__filename) === ".ts") {
    const module = join(__dirname, "capture-worker.ts");
    return new Worker(`require("tsx/cjs/api").register(); require(${JSON.stringify(module)});`, { eval: true, workerData, execArgv: [] });
  }
  return new Worker(join(__dirname, "capture-worker.js"), { workerData });
}

/** Whether a file's records' SystemProperties are read: for a partition the path does not give, and for IoT Hub's properties. */
function needsSystem(file: CaptureFile, options: CaptureOptions): boolean {
  return file.partition === undefined || options.iotHub !== false;
}

/** One partition's events from the worker's messages; a file the worker leaves to this thread is read here. */
async function* workerPartitionEvents(worker: CaptureWorker, p: number, files: CaptureFile[], options: CaptureOptions, progress: CaptureProgress): AsyncGenerator<InputEvent[]> {
  let batch: InputEvent[] = [];
  let file = files[0];
  let report = fileReport(file, options);
  let block = new CaptureBlock(false);
  let take: ((firstLine: number, batch: InputEvent[]) => void) | undefined;
  for (;;) {
    let message: CaptureWorkerMessage;
    try {
      message = await worker.next(p);
    } catch (error) {
      throw fileError(file.path, error, "Capture"); // the worker thread could not start, or stopped
    }
    switch (message.type) {
      case "file":
        file = files[message.file];
        progress.files++;
        report = fileReport(file, options);
        block = new CaptureBlock(needsSystem(file, options));
        take = captureBlockReader(block, new Messages(file, options), report, (n) => (progress.records += n))!.take;
        break;
      case "bytes":
        progress.bytes += message.bytes;
        break;
      case "report":
        report({ message: message.message, line: message.line });
        break;
      case "block": {
        const posted = message.block;
        block.payload = Buffer.from(posted.payload.buffer, posted.payload.byteOffset, posted.payload.length);
        block.count = posted.count;
        block.enqueuedStart = posted.enqueuedStart;
        block.enqueuedEnd = posted.enqueuedEnd;
        block.bodyStart = posted.bodyStart;
        block.bodyEnd = posted.bodyEnd;
        block.system = posted.system ?? [];
        block.text = posted.text && Buffer.from(posted.text.buffer, posted.text.byteOffset, posted.text.length);
        block.longDigits = posted.longDigits ?? true;
        take!(posted.first, batch);
        worker.taken(p, posted.size);
        if (batch.length >= MERGE_BATCH) {
          yield batch;
          batch = [];
        }
        break;
      }
      case "fallback":
        if (batch.length) yield batch;
        batch = [];
        yield* fileEvents(file, options, progress);
        break;
      case "error":
        throw fileError(file.path, new Error(message.message), "Capture");
      case "done":
        if (batch.length) yield batch;
        return;
    }
  }
}
