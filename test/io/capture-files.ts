// Writes Event Hubs Capture files with avsc, in the exact schema Capture writes
// (event-hubs-capture-overview.md), for the capture tests and the capture bench.
import avro from "avsc";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export const CAPTURE_SCHEMA = {
  type: "record",
  name: "EventData",
  namespace: "Microsoft.ServiceBus.Messaging",
  fields: [
    { name: "SequenceNumber", type: "long" },
    { name: "Offset", type: "string" },
    { name: "EnqueuedTimeUtc", type: "string" },
    { name: "SystemProperties", type: { type: "map", values: ["long", "double", "string", "bytes"] } },
    { name: "Properties", type: { type: "map", values: ["long", "double", "string", "bytes"] } },
    { name: "Body", type: ["null", "bytes"] },
  ],
};
export const captureType = avro.Type.forSchema(CAPTURE_SCHEMA as avro.Schema, { wrapUnions: "auto" });

export type PropertyValue = number | string | Buffer;

export interface CaptureMessage {
  /** Enqueued time: an ISO instant, written as Capture writes it (`9/24/2019 9:13:33 PM`) unless `isoTime`. */
  enqueued: string;
  body: Buffer | string | object | null;
  system?: Record<string, PropertyValue>;
  properties?: Record<string, PropertyValue>;
}

/** .NET's invariant date text, as Capture writes EnqueuedTimeUtc (seconds only). */
export function captureTimeText(iso: string): string {
  const d = new Date(iso);
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? "AM" : "PM"}`;
}

function wrap(map: Record<string, PropertyValue> = {}): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [k, v] of Object.entries(map)) {
    out[k] = Buffer.isBuffer(v) ? { bytes: v } : typeof v === "string" ? { string: v } : Number.isInteger(v) ? { long: v } : { double: v };
  }
  return out;
}

/** The Avro record of a message; `sequence` numbers it within its partition. */
export function captureRecord(m: CaptureMessage, sequence: number, options: { isoTime?: boolean } = {}): object {
  const body = m.body === null ? null : Buffer.isBuffer(m.body) ? m.body : Buffer.from(typeof m.body === "string" ? m.body : JSON.stringify(m.body));
  return {
    SequenceNumber: sequence,
    Offset: String(sequence * 1000),
    EnqueuedTimeUtc: options.isoTime ? m.enqueued : captureTimeText(m.enqueued),
    SystemProperties: wrap(m.system),
    Properties: wrap(m.properties),
    Body: body,
  };
}

/** An object container of records, as Capture writes it (deflate blocks); `blockSize` in bytes. */
export function captureBytes(records: object[], options: { codec?: "null" | "deflate"; blockSize?: number } = {}): Promise<Buffer> {
  return containerBytes(captureType, records, { codec: options.codec ?? "deflate", blockSize: options.blockSize });
}

/** An Avro object container file of any schema, encoded by avsc. */
export async function containerBytes(type: avro.Type, records: object[], options: { codec?: "null" | "deflate"; blockSize?: number } = {}): Promise<Buffer> {
  const encoder = new avro.streams.BlockEncoder(type, { codec: options.codec ?? "null", blockSize: options.blockSize });
  const chunks: Buffer[] = [];
  encoder.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => encoder.on("end", resolve).on("error", reject));
  for (const r of records) encoder.write(r);
  encoder.end();
  await done;
  return Buffer.concat(chunks.map((c) => new Uint8Array(c)));
}

export async function writeCaptureFile(path: string, messages: CaptureMessage[], options: { codec?: "null" | "deflate"; blockSize?: number; isoTime?: boolean; firstSequence?: number } = {}): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const first = options.firstSequence ?? 0;
  writeFileSync(path, new Uint8Array(await captureBytes(messages.map((m, i) => captureRecord(m, first + i, options)), options)));
}

/** `<root>/<ns>/<hub>/<partition>/YYYY/MM/DD/HH/mm/ss.avro`: Capture's default path for a file started at `iso`. */
export function capturePath(root: string, partition: number, iso: string, ns = "ns", hub = "hub"): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${root}/${ns}/${hub}/${partition}/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}/${pad(d.getUTCMinutes())}/${pad(d.getUTCSeconds())}.avro`;
}

/** Where each sync marker starts in a container: the header's, then one per block. */
export function syncMarkers(bytes: Buffer): number[] {
  const sync = new Uint8Array(bytes.subarray(bytes.length - 16));
  const markers: number[] = [];
  for (let i = bytes.indexOf(sync); i >= 0; i = bytes.indexOf(sync, i + 1)) markers.push(i);
  return markers;
}
