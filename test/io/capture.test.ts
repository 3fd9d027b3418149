// Event Hubs Capture files as an input (lib/io/capture.ts): files generated here with avsc in the
// exact Capture schema, several partitions, out-of-order enqueued times across partitions, a
// corrupt block, gzip bodies. Metadata fields as stream-analytics-define-inputs.md lists them for
// Event Hub and IoT Hub inputs.
import { instantOfMs } from "../../lib/saql/instant";
import avsc from "avsc";
import fc from "fast-check";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { compilePathFormat, findCaptureFiles, jsonObjectBlock, openCaptureSource, parseEnqueuedTime, type CaptureProgress } from "../../lib/io/capture";
import { CaptureBlock } from "../../lib/io/readers/capture-records";
import type { DeserializationError, InputEvent } from "../../lib/io/types";
import { parseJobSpec } from "../../lib/job";
import { DateTimeValue } from "../../lib/saql/values";
import { runQueryOnFiles } from "../../lib/simulator/run-files";
import { runQuery } from "../../lib/simulator/run";
import { discoverCases, runCases } from "../../lib/simulator/testing";
import { capturePath, captureRecord, captureBytes, captureType, containerBytes, syncMarkers, writeCaptureFile, type CaptureMessage } from "./capture-files";
import { ser, tempDir } from "./helpers";

/** The `count` records of a block's bytes as objects, read by the reader's own CaptureBlock; `system`: whether to read SystemProperties. */
function decodeCaptureBlock(payload: Buffer, count: number, system: boolean) {
  const block = new CaptureBlock(system);
  block.decode(payload, count);
  return Array.from({ length: count }, (_, i) => ({ EnqueuedTimeUtc: block.enqueuedText(i), SystemProperties: system ? block.system[i] : undefined, Body: block.body(i) }));
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.cleanup());

const iso = (ms: number) => new Date(ms).toISOString();
const at = (second: number) => Date.UTC(2024, 0, 1, 10, 0, 0) + second * 1000;

const readAll = (location: string, body = ser("json"), extra: { pathFormat?: string; iotHub?: boolean } = {}) => readAllOf(location, body, extra);

async function readAllOf(location: string, body = ser("json"), extra: { pathFormat?: string; iotHub?: boolean; worker?: boolean } = {}) {
  const events: InputEvent[] = [];
  const errors: DeserializationError[] = [];
  for await (const e of openCaptureSource(location, { body, ...extra, onDeserializationError: (err) => errors.push(err) })) events.push(e);
  return { events, errors };
}

describe("enqueued times", () => {
  it("reads Capture's .NET text and ISO 8601 (IoT Hub routing), as UTC", () => {
    expect(parseEnqueuedTime("9/24/2019 9:13:33 PM")?.valueOf()).toBe(Date.UTC(2019, 8, 24, 21, 13, 33));
    expect(parseEnqueuedTime("12/1/2019 12:00:01 AM")?.valueOf()).toBe(Date.UTC(2019, 11, 1, 0, 0, 1));
    expect(parseEnqueuedTime("12/1/2019 12:00:01 PM")?.valueOf()).toBe(Date.UTC(2019, 11, 1, 12, 0, 1));
    expect(parseEnqueuedTime("2018-06-11T00:00:08.2250000Z")?.valueOf()).toBe(Date.UTC(2018, 5, 11, 0, 0, 8, 225));
    expect(parseEnqueuedTime("2/30/2019 1:00:00 PM")).toBeUndefined();
    expect(parseEnqueuedTime("13:00")).toBeUndefined();
  });
});

describe("path format", () => {
  it("places files by partition and by the time their path names, not by listing order", async () => {
    const root = tmp.path("capture");
    // Partition 10 sorts before 2 as text; 09:59:30 after 10:00:00 as text in another folder layout.
    const files: [number, number][] = [
      [10, at(0)],
      [2, at(60)],
      [2, at(-30)],
      [10, at(3600)],
    ];
    for (const [p, t] of files) await writeCaptureFile(capturePath(root, p, iso(t)), [{ enqueued: iso(t), body: { p, t } }]);
    writeFileSync(tmp.path("capture/.hidden"), "not a capture file");
    const placed = findCaptureFiles(root);
    expect(placed.map((part) => part.map((f) => [f.partition, f.time]))).toEqual([
      [
        [2, at(-30)],
        [2, at(60)],
      ],
      [
        [10, at(0)],
        [10, at(3600)],
      ],
    ]);
    // A glob picks files the same way.
    expect(findCaptureFiles(`${root}/ns/hub/10/**/*.avro`).flat().map((f) => f.time)).toEqual([at(0), at(3600)]);
  });

  it("takes a custom format, and refuses a file that does not match it", async () => {
    const root = tmp.path("custom");
    const format = "{Year}-{Month}-{Day}/{Namespace}_{EventHub}_{PartitionId}/{Hour}{Minute}{Second}";
    await writeCaptureFile(`${root}/2024-01-01/ns_hub_3/100000.avro`, [{ enqueued: iso(at(0)), body: { a: 1 } }]);
    await writeCaptureFile(`${root}/2024-01-01/ns_hub_3/095959.avro`, [{ enqueued: iso(at(-1)), body: { a: 0 } }]);
    expect(findCaptureFiles(root, format).map((part) => part.map((f) => [f.partition, iso(f.time)]))).toEqual([
      [
        [3, iso(at(-1))],
        [3, iso(at(0))],
      ],
    ]);
    expect(() => findCaptureFiles(root)).toThrow(/095959\.avro does not match the Capture path format '\{Namespace\}\/\{EventHub\}.*--capture-path-format/);
    expect(() => compilePathFormat("{Namespace}/{Partition}/{Year}")).toThrow(/names '\{Partition\}'/);
    expect(() => findCaptureFiles(tmp.path("nowhere"))).toThrow(/Capture folder not found/);
  });
});

// Each case read on this thread and by the worker thread (capture-worker.ts; by default only for large captures).
describe.each([false, true])("records (worker thread: %s)", (worker) => {
  const readAll = (location: string, body = ser("json"), extra: { pathFormat?: string; iotHub?: boolean } = {}) => readAllOf(location, body, { ...extra, worker });

  it("gives each event its body's fields and ASA's metadata fields; partitions merge by enqueued time", async () => {
    const root = tmp.path("capture");
    // Enqueued times interleave across partitions and files: the merged stream is in arrival order.
    await writeCaptureFile(capturePath(root, 0, iso(at(0))), [
      { enqueued: iso(at(0)), body: { id: "a" } },
      { enqueued: iso(at(3)), body: [{ id: "c1" }, { id: "c2" }] },
    ]);
    await writeCaptureFile(capturePath(root, 0, iso(at(5))), [{ enqueued: iso(at(6)), body: { id: "e" } }]);
    await writeCaptureFile(capturePath(root, 1, iso(at(1))), [
      { enqueued: iso(at(1)), body: { id: "b" } },
      { enqueued: iso(at(4)), body: '{"id":"d1"}\n{"id":"d2"}' },
    ]);
    const { events, errors } = await readAll(root);
    expect(errors).toEqual([]);
    expect(events.map((e) => [e.record.id, e.record.PartitionId, (e.record.EventEnqueuedUtcTime as DateTimeValue).valueOf()])).toEqual([
      ["a", 0, at(0)],
      ["b", 1, at(1)],
      ["c1", 0, at(3)],
      ["c2", 0, at(3)],
      ["d1", 1, at(4)],
      ["d2", 1, at(4)],
      ["e", 0, at(6)],
    ]);
    const first = events[0];
    expect(Object.keys(first.record)).toEqual(["id", "EventProcessedUtcTime", "PartitionId", "EventEnqueuedUtcTime"]);
    expect(first.record.EventProcessedUtcTime).toBeInstanceOf(DateTimeValue);
    expect(first.arrivalTime).toBe(instantOfMs(at(0)));
    expect([first.location.file, first.location.line]).toEqual([capturePath(root, 0, iso(at(0))), 1]);
    expect(events[2].location.line).toBe(2); // the Capture record number
  });

  it("reports progress: files, records, bytes of the set, and the enqueued time the merged stream reached", async () => {
    const root = tmp.path("progress");
    await writeCaptureFile(capturePath(root, 0, iso(at(0))), [{ enqueued: iso(at(0)), body: { a: 1 } }, { enqueued: iso(at(7)), body: { a: 2 } }]);
    await writeCaptureFile(capturePath(root, 1, iso(at(0))), [{ enqueued: iso(at(3)), body: { a: 3 } }]);
    const seen: CaptureProgress[] = [];
    for await (const _ of openCaptureSource(root, { body: ser("json"), worker, onProgress: (p) => seen.push({ ...p }) })) void _;
    const size = findCaptureFiles(root).flat().reduce((n, f) => n + f.size, 0);
    expect(seen[seen.length - 1]).toEqual({ files: 2, filesTotal: 2, records: 3, bytes: size, bytesTotal: size, position: instantOfMs(at(7)) });
  });

  it("decodes gzip bodies, CSV bodies and Avro bodies with the input's serialization", async () => {
    const root = tmp.path("gz");
    await writeCaptureFile(capturePath(root, 0, iso(at(0))), [
      { enqueued: iso(at(0)), body: gzipSync(JSON.stringify({ v: 1 })) },
      { enqueued: iso(at(1)), body: Buffer.from("not gzip") },
    ]);
    const gz = await readAll(root, ser("json", { compression: "gzip" }));
    expect(gz.events.map((e) => e.record.v)).toEqual([1]);
    expect(gz.errors).toEqual([{ message: expect.stringMatching(/^the message body is not gzip data/), location: { file: capturePath(root, 0, iso(at(0))), line: 2 } }]);

    const csvRoot = tmp.path("csv");
    await writeCaptureFile(capturePath(csvRoot, 0, iso(at(0))), [{ enqueued: iso(at(0)), body: "deviceId;t\nd1;20\nd2;21\n" }]);
    expect((await readAll(csvRoot, ser("csv", { fieldDelimiter: ";" }))).events.map((e) => [e.record.deviceId, e.record.t])).toEqual([
      ["d1", "20"],
      ["d2", "21"],
    ]);

    const avroRoot = tmp.path("avro");
    const type = avsc.Type.forSchema({ type: "record", name: "R", fields: [{ name: "n", type: "long" }] });
    await writeCaptureFile(capturePath(avroRoot, 0, iso(at(0))), [{ enqueued: iso(at(0)), body: await containerBytes(type, [{ n: 7 }]) }]);
    expect((await readAll(avroRoot, ser("avro"))).events.map((e) => e.record.n)).toEqual([7]);
  });

  it("counts a corrupt block as a data error with its location, and reads on", async () => {
    const root = tmp.path("corrupt");
    const file = capturePath(root, 0, iso(at(0)));
    const messages: CaptureMessage[] = Array.from({ length: 6 }, (_, i) => ({ enqueued: iso(at(i)), body: { i } }));
    // One record per block; the second block claims more records than it holds.
    const bytes = await captureBytes(messages.map((m, i) => captureRecord(m, i)), { blockSize: 1 });
    const markers = syncMarkers(bytes);
    expect(markers.length).toBe(7);
    const second = markers[1] + 16;
    bytes[second] = 2 * 5; // zigzag varint: 5 records
    await writeCaptureFile(file, []); // the folders
    writeFileSync(file, new Uint8Array(bytes));
    const { events, errors } = await readAll(root);
    expect(events.map((e) => e.record.i)).toEqual([0, 2, 3, 4, 5]);
    expect(errors).toEqual([{ message: expect.stringMatching(new RegExp(`^malformed Avro block at byte ${second} \\(records 2–6\\)`)), location: { file, line: 2 } }]);
    // Reported records and events read again from the start: a capture source is read again at will.
    expect((await readAll(root)).events).toHaveLength(5);
  });

  it("reports a message without a body or with a bad enqueued time, and refuses a file that is not Capture's", async () => {
    const root = tmp.path("bad");
    const file = capturePath(root, 0, iso(at(0)));
    await writeCaptureFile(file, [
      { enqueued: iso(at(0)), body: null },
      { enqueued: "yesterday", body: { a: 1 } },
      { enqueued: iso(at(1)), body: "[1]" },
      { enqueued: iso(at(2)), body: { ok: true } },
    ], { isoTime: true });
    const { events, errors } = await readAll(root);
    expect(events.map((e) => e.record.ok)).toEqual([true]);
    expect(errors.map((e) => [e.location.line, e.message])).toEqual([
      [1, "the message has no body"],
      [2, 'EnqueuedTimeUtc is not a datetime: "yesterday"'],
      [3, "an event must be a JSON object"],
    ]);
    const other = avsc.Type.forSchema({ type: "record", name: "R", fields: [{ name: "n", type: "long" }] });
    writeFileSync(file, new Uint8Array(await containerBytes(other, [{ n: 1 }])));
    await expect(readAll(root)).rejects.toThrow(/is not an Event Hubs Capture file: its records have no EnqueuedTimeUtc or Body/);
  });

  it("stops at an integer JSON.parse would round, with its location; 17-digit doubles and long numbers in strings read on", async () => {
    const root = tmp.path("digits");
    const file = capturePath(root, 0, iso(at(0)));
    const bodies = [{ d: 3.3099999999999996 }, { s: "12345678901234567" }, { d: 0.1 }];
    await writeCaptureFile(file, bodies.map((body, i) => ({ enqueued: iso(at(i)), body })));
    expect((await readAll(root)).events.map((e) => [e.record.d, e.record.s])).toEqual([
      [3.3099999999999996, undefined],
      [undefined, "12345678901234567"],
      [0.1, undefined],
    ]);
    await writeCaptureFile(file, [...bodies, '{"n":12345678901234567}'].map((body, i) => ({ enqueued: iso(at(i)), body })));
    await expect(readAll(root)).rejects.toThrow(expect.objectContaining({ message: expect.stringMatching(/integer beyond ±2\^53/), location: { file, line: 4 } }));
  });

  it("adds the IoTHub record from IoT Hub routing properties (IoT Hub inputs), and the partition from the properties when the path has none", async () => {
    const root = tmp.path("iot");
    const system = {
      "iothub-connection-device-id": "dev-1",
      "iothub-connection-auth-generation-id": "637000",
      "iothub-enqueuedtime": "2024-01-01T09:59:59.5000000Z",
      "message-id": "m-1",
      "correlation-id": "c-1",
      "x-opt-partition-id": "4",
    };
    await writeCaptureFile(`${root}/2024/01/01/10/00/00.avro`, [{ enqueued: iso(at(0)), body: { t: 1 }, system }]);
    const format = "{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}";
    const { events } = await readAll(root, ser("json"), { pathFormat: format, iotHub: true });
    expect(events[0].record.PartitionId).toBe(4);
    expect(events[0].record.IoTHub).toEqual({
      MessageId: "m-1",
      CorrelationId: "c-1",
      ConnectionDeviceId: "dev-1",
      ConnectionDeviceGenerationId: "637000",
      EnqueuedTime: DateTimeValue.fromMs(Date.UTC(2024, 0, 1, 9, 59, 59, 500)),
    });
    // An IoT Hub input's events arrived when IoT Hub received them, before the route put them in the captured hub.
    expect(events[0].record.EventEnqueuedUtcTime).toEqual(DateTimeValue.fromMs(Date.UTC(2024, 0, 1, 9, 59, 59, 500)));
    expect(events[0].arrivalTime).toBe(instantOfMs(Date.UTC(2024, 0, 1, 9, 59, 59, 500)));
    // An Event Hub input does not get it (ASA gives IoT Hub routing properties there through GetMetadataPropertyValue only).
    const asEventHub = (await readAll(root, ser("json"), { pathFormat: format, iotHub: false })).events[0];
    expect(asEventHub.record.IoTHub).toBeUndefined();
    expect(asEventHub.arrivalTime).toBe(instantOfMs(at(0)));
  });
});

describe("the partition merge", () => {
  it("gives each next event as the partitions' heads say: the earliest arrival, ties to the lower partition (enqueued times tie and go back within a partition)", async () => {
    // The oracle: one event at a time, the partition whose next event has the earliest enqueued time (then the lowest partition).
    const merged = (partitions: number[][]) => {
      const at = partitions.map(() => 0);
      const out: [number, number][] = [];
      for (;;) {
        let pick = -1;
        for (let p = 0; p < partitions.length; p++) if (at[p] < partitions[p].length && (pick < 0 || partitions[p][at[p]] < partitions[pick][at[pick]])) pick = p;
        if (pick < 0) return out;
        out.push([pick, at[pick]++]);
      }
    };
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }), async (partitions) => {
        const root = tmp.path(`merge-${run++}`);
        for (let p = 0; p < partitions.length; p++) {
          await writeCaptureFile(capturePath(root, p, iso(at(0))), partitions[p].map((second, i) => ({ enqueued: iso(at(second)), body: { p, i } })));
        }
        const { events } = await readAll(root);
        expect(events.map((e) => [e.record.p, e.record.i])).toEqual(merged(partitions));
      }),
      { numRuns: 60 },
    );
  });
});

describe("the worker thread", () => {
  it("gives the events reading on this thread gives, in the same order, and each file's reports in the same order: several partitions, files and blocks, odd bodies, a corrupt block", async () => {
    const root = tmp.path("both");
    // Bodies: objects (one JSON text per block), and bodies that make the worker's text decline
    // or the block's parse fail: several objects, "},{" in a string, arrays, malformed, no body, 16 digits (in a string).
    const odd: CaptureMessage["body"][] = ['{"a":1}{"b":2}', '{"s":"},{"}', [{ x: 1 }, { x: 2 }], "{", null, '{"id":"12345678901234567"}', "[1]"];
    let second = 0;
    for (let p = 0; p < 3; p++) {
      for (let f = 0; f < 2; f++) {
        const messages: CaptureMessage[] = Array.from({ length: 40 }, (_, i) => {
          second++;
          const body = i % 9 === 8 ? odd[(i + p + f) % odd.length] : { p, f, i, t: `v${i}` };
          return { enqueued: i === 13 && p === 1 ? "not a time" : iso(at(second % 97)), body };
        });
        const file = capturePath(root, p, iso(at(f * 100)));
        await writeCaptureFile(file, messages, { blockSize: 300, isoTime: true });
        if (p === 2 && f === 0) {
          const bytes = readFileSync(file);
          bytes[syncMarkers(bytes)[2] + 16] = 2 * 99; // the third block claims 99 records
          writeFileSync(file, new Uint8Array(bytes));
        }
      }
    }
    const read = async (worker: boolean) => {
      const events: InputEvent[] = [];
      const errors: DeserializationError[] = [];
      for await (const e of openCaptureSource(root, { body: ser("json"), worker, onDeserializationError: (e) => errors.push(e) })) events.push(e);
      // Each file's reports in order (the worker reads ahead: reports of different partitions may interleave otherwise).
      const byFile = [...errors].sort((a, b) => (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0));
      return { events: events.map((e) => [e.record, e.arrivalTime, e.location.file, e.location.line]), errors: byFile };
    };
    const here = await read(false);
    expect(here.events.length).toBeGreaterThan(150);
    expect(here.errors.length).toBeGreaterThan(10);
    expect(await read(true)).toEqual(here);
  });
});

describe("a run on Capture files", () => {
  it("reads the input a job declares with local kind 'capture' and counts reading errors with the run's", async () => {
    const root = tmp.path("capture");
    await writeCaptureFile(capturePath(root, 0, iso(at(0))), [
      { enqueued: iso(at(0)), body: gzipSync('{"deviceId":"d1","v":1}') },
      { enqueued: iso(at(1)), body: Buffer.from("{broken") },
    ]);
    await writeCaptureFile(capturePath(root, 1, iso(at(0))), [{ enqueued: iso(at(2)), body: gzipSync('{"deviceId":"d2","v":2}') }]);
    const job = parseJobSpec({
      name: "replay",
      query: { file: "q.asaql" },
      inputs: [{ alias: "input", kind: "eventhub", serialization: { type: "json", compression: "gzip" }, local: { path: root, kind: "capture" } }],
      outputs: [{ alias: "out", kind: "blob" }],
    });
    const result = await runQueryOnFiles({
      queryText: "SELECT deviceId, v, PartitionId, EventEnqueuedUtcTime INTO out FROM input",
      job,
      outDir: tmp.dir,
      ordering: "cloud",
    });
    const rows = readFileSync(result.files.out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(rows).toEqual([
      { deviceId: "d1", v: 1, PartitionId: 0, EventEnqueuedUtcTime: "2024-01-01T10:00:00.0000000Z" },
      { deviceId: "d2", v: 2, PartitionId: 1, EventEnqueuedUtcTime: "2024-01-01T10:00:02.0000000Z" },
    ]);
    expect(result.stats.errors).toEqual([
      { type: "InputDeserializerError.InvalidData", count: 1, first: [{ origin: `${capturePath(root, 0, iso(at(0)))}:2`, message: expect.stringMatching(/^the message body is not gzip data/) }] },
    ]);
  });
});

describe("arrival times and the ordering policy (cloud ordering)", () => {
  // event-ordering.md and stream-analytics-time-handling.md: late arrival is judged against the
  // event's arrival (enqueued) time, out of order against the watermark of the event's own
  // partition, and an event more than 5 minutes ahead of its arrival is dropped.
  // [partition, enqueued second, event-time second, id]
  const EVENTS: [number, number, number, string][] = [
    [0, 0, 0, "a"],
    [1, 1, 1, "b"],
    [0, 3, 3, "c"],
    [1, 4, 2, "d"], // behind partition 0, not behind its own partition: left as it is
    [1, 5, 1.5, "e"], // behind its own partition's 2: out of order
    [0, 20, 10, "f"], // 10 s before its arrival, tolerance 5 s: late
    [1, 21, 21 + 301, "g"], // more than 5 min ahead of its arrival: early
  ];
  const QUERY = "SELECT id, System.Timestamp() AS t INTO out FROM input TIMESTAMP BY ts";

  async function replay(ordering: "cloud" | "local", policy: "adjust" | "drop") {
    const root = tmp.path(`policy-${ordering}-${policy}`);
    for (const p of [0, 1]) {
      const mine = EVENTS.filter((e) => e[0] === p);
      // Two files per partition, split at second 4.
      const early = mine.filter((e) => e[1] < 4);
      const late = mine.filter((e) => e[1] >= 4);
      const message = ([, enqueued, ts, id]: (typeof EVENTS)[number]): CaptureMessage => ({ enqueued: iso(at(enqueued)), body: { id, ts: iso(at(ts)) } });
      await writeCaptureFile(capturePath(root, p, iso(at(0))), early.map(message), { isoTime: true });
      await writeCaptureFile(capturePath(root, p, iso(at(4))), late.map(message), { isoTime: true, firstSequence: early.length });
    }
    const { rows, stats } = await runCaptureFolder(root, ordering, policy);
    return { rows: rows.sort((x, y) => (x[0] < y[0] ? -1 : 1)), stats };
  }

  /** The query over a Capture folder: its rows as [id, System.Timestamp() in ms], and the run's stats. */
  async function runCaptureFolder(root: string, ordering: "cloud" | "local", policy: "adjust" | "drop") {
    const job = parseJobSpec({
      name: "replay",
      query: { text: QUERY },
      eventOrdering: { lateArrivalMaxDelaySeconds: 5, outOfOrderMaxDelaySeconds: 0, policy },
      inputs: [{ alias: "input", kind: "eventhub", local: { path: root, kind: "capture" } }],
      outputs: [{ alias: "out", kind: "blob" }],
    });
    const rows: [string, number][] = [];
    const { stats } = await runQueryOnFiles({
      queryText: QUERY,
      job,
      ordering,
      stream: { alias: "out", write: (bytes) => rows.push(...Buffer.from(bytes).toString("utf8").trim().split("\n").map((l) => JSON.parse(l)).map((r): [string, number] => [r.id, Date.parse(r.t)])) },
    });
    return { rows, stats };
  }

  it("adjusts late and out-of-order events against arrival times and per-partition watermarks", async () => {
    const { rows, stats } = await replay("cloud", "adjust");
    expect(rows).toEqual([
      ["a", at(0)],
      ["b", at(1)],
      ["c", at(3)],
      ["d", at(2)],
      ["e", at(2)],
      ["f", at(15)],
    ]);
    expect([stats.lateAdjusted, stats.outOfOrderAdjusted, stats.earlyDropped]).toEqual([1, 1, 1]);
    expect(stats.errors.map((e) => [e.type, e.count]).sort()).toEqual([
      ["InputEventEarlyBeyondThreshold", 1],
      ["InputEventLateBeyondThreshold", 1],
      ["InputEventOutOfOrderBeyondThreshold", 1],
    ]);
  });

  it("drops them under the drop policy", async () => {
    const { rows, stats } = await replay("cloud", "drop");
    expect(rows.map((r) => r[0])).toEqual(["a", "b", "c", "d"]);
    expect([stats.lateDropped, stats.outOfOrderDropped, stats.earlyDropped]).toEqual([1, 1, 1]);
  });

  it("judges a partition whose first event comes late against its own watermark: the folder names every partition", async () => {
    const root = tmp.path("first-late");
    const message = (enqueued: number, ts: number, id: string): CaptureMessage => ({ enqueued: iso(at(enqueued)), body: { id, ts: iso(at(ts)) } });
    await writeCaptureFile(capturePath(root, 0, iso(at(0))), [message(0, 0, "a"), message(1, 8, "b")], { isoTime: true });
    // Partition 1's first event: behind partition 0's 8 s, not behind its own (idle) watermark, 2 − 5 s.
    await writeCaptureFile(capturePath(root, 1, iso(at(0))), [message(2, 3, "c")], { isoTime: true });
    const { rows, stats } = await runCaptureFolder(root, "cloud", "adjust");
    expect(rows.sort()).toEqual([
      ["a", at(0)],
      ["b", at(8)],
      ["c", at(3)],
    ]);
    expect(stats.outOfOrderAdjusted).toBe(0);
  });

  it("applies no policy in local ordering: every event at its own time", async () => {
    const { rows, stats } = await replay("local", "drop");
    expect(rows).toEqual(EVENTS.map(([, , ts, id]) => [id, at(ts)]));
    expect(stats.errors).toEqual([]);
  });
});

describe("Capture inputs in query test cases", () => {
  it("reads a folder inputs/<alias>/ as the Capture files of an Event Hub input", async () => {
    const job = tmp.path("job");
    mkdirSync(`${job}/tests/replay/expected`, { recursive: true });
    writeFileSync(`${job}/query.asaql`, "SELECT deviceId, PartitionId, COUNT(*) AS n INTO out FROM input GROUP BY deviceId, PartitionId, TumblingWindow(minute, 1)");
    writeFileSync(
      `${job}/job.json`,
      JSON.stringify({ name: "replay", query: { file: "query.asaql" }, inputs: [{ alias: "input", kind: "eventhub", serialization: { type: "json", compression: "gzip" } }], outputs: [{ alias: "out", kind: "blob" }] }),
    );
    const root = `${job}/tests/replay/inputs/input`;
    await writeCaptureFile(capturePath(root, 0, iso(at(0))), [1, 10, 20].map((s) => ({ enqueued: iso(at(s)), body: gzipSync('{"deviceId":"d1"}') })));
    await writeCaptureFile(capturePath(root, 1, iso(at(0))), [5].map((s) => ({ enqueued: iso(at(s)), body: gzipSync('{"deviceId":"d1"}') })));
    writeFileSync(`${job}/tests/replay/expected/out.json`, '{"deviceId":"d1","PartitionId":0,"n":3}\n{"deviceId":"d1","PartitionId":1,"n":1}\n');
    const cases = discoverCases([job]);
    expect(cases[0].inputs).toEqual([expect.objectContaining({ alias: "input", path: root, capture: { pathFormat: undefined, iotHub: false } })]);
    const [result] = await runCases(cases, { runQuery });
    expect(result.error).toBeUndefined();
    expect(result.outputs.map((o) => [o.missing, o.extra])).toEqual([[[], []]]);
    expect(result.status).toBe("passed");
    writeFileSync(`${job}/tests/replay/expected/out.json`, '{"deviceId":"d1","PartitionId":0,"n":4}\n');
    expect((await runCases(discoverCases([job]), { runQuery }))[0].status).toBe("failed");
  });
});

describe("JSON bodies of a block parsed as one text", () => {
  // The oracle: each body parsed on its own. Bodies are built from fragments that can close,
  // open, split or merge values, inside strings or out.
  const fragments = ['{"a":1}', '{"s":"},{"}', "{", "}", "[", "]", ",", '"', " ", "\n", '{"b":[1,2]}', "{}", "1", '{"c":"x"}'];
  const pieces = fc.array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 4 }).map((parts) => parts.join(""));
  // Mostly well-formed object bodies, so that the fast path is taken often and broken bodies sit among them.
  const objects = fc.constantFrom('{"a":1}', '{"b":[1,2]}', "{}", '{"c":"x"}', ' {"d":{"e":null}}\n');
  const body = fc.oneof({ arbitrary: objects, weight: 3 }, { arbitrary: pieces, weight: 1 });

  it("gives exactly what parsing each body alone gives, or declines", () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.array(body, { minLength: 2, maxLength: 6 }), (texts) => {
        const values = jsonObjectBlock(texts.map((t) => Buffer.from(t)));
        if (values === undefined) return;
        taken++;
        expect(values).toEqual(texts.map((t) => JSON.parse(t)));
      }),
      { numRuns: 3000 },
    );
    expect(taken).toBeGreaterThan(300); // the property is exercised, not vacuous
  });

  it("takes the fast path on object bodies", () => {
    expect(jsonObjectBlock(['{"a":1}', ' {"b":"},{"} ', '{"c":[{},{}]}'].map((t) => Buffer.from(t)))).toBeUndefined(); // "},{" in a string: declined
    expect(jsonObjectBlock(['{"a":1}', '\n{"b":2}\n'].map((t) => Buffer.from(t)))).toEqual([{ a: 1 }, { b: 2 }]);
  });
});

describe("Capture records read straight from a block's bytes", () => {
  const text = fc.string({ unit: "grapheme", maxLength: 12 });
  const property = fc.oneof(
    fc.integer({ min: -(2 ** 52), max: 2 ** 52 }).map((long) => ({ long })),
    fc.double({ noNaN: true }).map((double) => ({ double })),
    text.map((string) => ({ string })),
    fc.uint8Array({ maxLength: 8 }).map((b) => ({ bytes: Buffer.from(b) })),
  );
  const record = fc.record({
    SequenceNumber: fc.integer({ min: 0, max: 2 ** 52 }),
    Offset: text,
    EnqueuedTimeUtc: text,
    SystemProperties: fc.dictionary(text, property, { maxKeys: 4 }),
    Properties: fc.dictionary(text, property, { maxKeys: 4 }),
    Body: fc.option(fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b))),
  });
  /** What avsc decodes, as the reader shows it: property values unwrapped, bytes as UTF-8 text. */
  const oracle = (r: { EnqueuedTimeUtc: string; SystemProperties: Record<string, Record<string, unknown>>; Body: Buffer | null }) => ({
    EnqueuedTimeUtc: r.EnqueuedTimeUtc,
    SystemProperties: Object.fromEntries(Object.entries(r.SystemProperties).map(([k, v]) => [k, "bytes" in v ? (v.bytes as Buffer).toString("utf8") : Object.values(v)[0]])),
    Body: r.Body,
  });

  it("gives what avsc decodes, for any records of the Capture schema", () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 5 }), (records) => {
        const payload = Buffer.concat(records.map((r) => new Uint8Array(captureType.toBuffer(r))));
        const decoded = decodeCaptureBlock(payload, records.length, true);
        const expected = records.map((r) => oracle(captureType.fromBuffer(captureType.toBuffer(r)) as never));
        expect(decoded.map((d) => ({ ...d, Body: d.Body && Buffer.from(new Uint8Array(d.Body)) }))).toEqual(expected);
        expect(decodeCaptureBlock(payload, records.length, false).map((d) => d.EnqueuedTimeUtc)).toEqual(records.map((r) => r.EnqueuedTimeUtc));
      }),
      { numRuns: 500 },
    );
  });

  it("reads map blocks with a negative count and a size, and refuses a block that ends early or holds more", () => {
    const long = (n: number) => new Uint8Array(avsc.Type.forSchema("long").toBuffer(n));
    const str = (s: string) => new Uint8Array(avsc.Type.forSchema("string").toBuffer(s));
    const entry = Buffer.concat([str("k"), long(2), str("v")]); // key, branch 2 (string), value
    const record = Buffer.concat([long(1), str("o"), str("t"), long(-1), long(entry.length), entry, long(0), long(0), long(1), long(2), new Uint8Array([0x7b, 0x7d])].map((b) => new Uint8Array(b)));
    expect(decodeCaptureBlock(record, 1, true)).toEqual([{ EnqueuedTimeUtc: "t", SystemProperties: { k: "v" }, Body: Buffer.from("{}") }]);
    expect(decodeCaptureBlock(record, 1, false)[0].SystemProperties).toBeUndefined();
    expect(() => decodeCaptureBlock(record.subarray(0, record.length - 1), 1, false)).toThrow("the block ends inside a record");
    expect(() => decodeCaptureBlock(Buffer.concat([record, record].map((b) => new Uint8Array(b))), 1, false)).toThrow("the block holds more bytes than its records");
  });
});

describe("other Capture-like schemas", () => {
  it("reads an IoT Hub storage route's files (no SequenceNumber or Offset) with avsc", async () => {
    const type = avsc.Type.forSchema(
      {
        type: "record",
        name: "Message",
        namespace: "Microsoft.Azure.Devices",
        fields: [
          { name: "EnqueuedTimeUtc", type: "string" },
          { name: "Properties", type: { type: "map", values: "string" } },
          { name: "SystemProperties", type: { type: "map", values: "string" } },
          { name: "Body", type: ["null", "bytes"] },
        ],
      },
      { wrapUnions: "auto" },
    );
    const bytes = await containerBytes(type, [{ EnqueuedTimeUtc: "2018-06-11T00:00:08.2250000Z", Properties: {}, SystemProperties: { connectionDeviceId: "dev-9", enqueuedTime: "2018-06-11T00:00:08.2250000Z" }, Body: Buffer.from('{"t":1}') }], { codec: "deflate" });
    const root = tmp.path("route");
    const file = `${root}/hub/2/2018/06/11/00/00.avro`;
    mkdirSync(`${root}/hub/2/2018/06/11/00`, { recursive: true });
    writeFileSync(file, new Uint8Array(bytes));
    const { events, errors } = await readAll(root, ser("json"), { pathFormat: "{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}", iotHub: true });
    expect(errors).toEqual([]);
    expect(events.map((e) => [e.record.t, e.record.PartitionId, (e.record.IoTHub as Record<string, unknown>).ConnectionDeviceId, e.arrivalTime])).toEqual([[1, 2, "dev-9", instantOfMs(Date.UTC(2018, 5, 11, 0, 0, 8, 225))]]);
  });
});
