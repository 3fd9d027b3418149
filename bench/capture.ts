// Replaying Event Hubs Capture files (lib/io/capture.ts) against the engine's JSON-lines path on the
// same events, in the same run: a capture set of 4 partitions, deflate-compressed Avro blocks, one
// file per partition and 5 minutes (Capture's default window), each message a JSON body, enqueued
// times written as Capture writes them (`6/1/2021 12:00:01 AM`); and the
// same events as JSON lines with their EventEnqueuedUtcTime and PartitionId. Both runs replay the
// events in arrival order (cloud ordering) through the same query.
// The Capture run reads its files in a worker thread (capture-worker.ts, from 4 MB of files):
// throughput is compared by wall clock (the goal) and by CPU time of all the process's threads.
//   npm run bench -- capture     (BENCH_EVENTS=5000000 by default; goal: Capture ≥ JSON lines
//                                 by wall clock; peak RSS flat whatever the capture's size)
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { openEventSource } from "../lib/io";
import { findCaptureFiles, openCaptureSource } from "../lib/io/capture";
import { parseJobSpec } from "../lib/job";
import { runQuery, type RunInput } from "../lib/simulator/run";
import { capturePath, captureRecord, captureBytes } from "../test/io/capture-files";
import { JSON_LINES, START, STEP_MS, benchDir, peakRssOf, printChildMemory, printLoad, race, readingAt, writeLines } from "./harness";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const PARTITIONS = 4;
/** Capture's default time window: a file per partition every 5 minutes. */
const FILE_MS = 5 * 60 * 1000;
const QUERY = "SELECT deviceId, PartitionId, COUNT(*) AS n, AVG(temp) AS avgTemp INTO out FROM input GROUP BY deviceId, PartitionId, TumblingWindow(minute, 1)";
const JOB = parseJobSpec({ name: "capture-bench", query: { text: QUERY }, inputs: [{ alias: "input", kind: "eventhub" }], outputs: [{ alias: "out", kind: "blob" }] });

/** Event i: reading i, enqueued in the second of its reading time (Capture writes EnqueuedTimeUtc to the second), on partition i mod 4. */
const enqueuedAt = (i: number) => START + Math.floor((i * STEP_MS) / 1000) * 1000;

async function writeCaptureSet(root: string): Promise<void> {
  for (let p = 0; p < PARTITIONS; p++) {
    let records: object[] = [];
    let fileStart = -1;
    const flush = async () => {
      if (!records.length) return;
      const path = capturePath(root, p, new Date(fileStart).toISOString());
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, new Uint8Array(await captureBytes(records, { codec: "deflate" })));
      records = [];
    };
    for (let i = p, seq = 0; i < EVENTS; i += PARTITIONS, seq++) {
      const t = enqueuedAt(i);
      const window = t - ((t - START) % FILE_MS);
      if (window !== fileStart) {
        await flush();
        fileStart = window;
      }
      records.push(captureRecord({ enqueued: new Date(t).toISOString(), body: readingAt(i) }, seq));
    }
    await flush();
  }
}

function files(): { capture: string; lines: string } {
  const dir = benchDir();
  const capture = join(dir, `capture-s-${EVENTS}`);
  const lines = join(dir, `capture-s-${EVENTS}.json`);
  if (!existsSync(lines)) writeLines(lines, EVENTS, (i) => ({ ...readingAt(i), EventEnqueuedUtcTime: new Date(enqueuedAt(i)).toISOString(), PartitionId: i % PARTITIONS }));
  return { capture, lines };
}

async function engine(input: RunInput): Promise<number> {
  let rows = 0;
  await runQuery({ queryText: QUERY, job: JOB, inputs: [input], ordering: "cloud", collect: false, onRow: () => rows++ });
  return rows;
}

const captureInput = (root: string): RunInput => ({ alias: "input", events: openCaptureSource(root, { body: JSON_LINES, iotHub: false }) });
const linesInput = (file: string): RunInput => ({ alias: "input", events: openEventSource(file, JSON_LINES) });
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

export async function run(): Promise<void> {
  const { capture, lines } = files();
  if (!existsSync(capture)) await writeCaptureSet(capture);
  const set = findCaptureFiles(capture);
  const captureBytesTotal = set.flat().reduce((n, f) => n + f.size, 0);
  process.stdout.write(
    `${EVENTS} events: ${set.flat().length} Capture files over ${set.length} partitions, ${mb(captureBytesTotal)} (deflate); the same events as ${mb(statSync(lines).size)} of JSON lines\n`,
  );
  printLoad();
  const best: { wall: number; cpu: number }[] = [];
  await race(
    EVENTS,
    [
      ["JSON lines (same events)", () => engine(linesInput(lines))],
      ["Capture files (4 partitions)", () => engine(captureInput(capture))],
    ],
    { labelWidth: 30, rowsMustAgree: true, cpu: true, onBest: (i, b) => (best[i] = b) },
  );
  const [json, replay] = best;
  process.stdout.write(
    `  Capture / JSON lines throughput: ${(json.wall / replay.wall).toFixed(2)} by wall clock (goal ≥ 1.00), ${(json.cpu / replay.cpu).toFixed(2)} by CPU time of all threads\n`,
  );
  process.stdout.write("peak RSS (fresh process each):\n");
  for (const [label, kind, path] of [
    ["JSON lines", "lines", lines],
    ["Capture files", "capture", capture],
  ] as const) {
    const [rss, heap] = peakRssOf(__filename, [kind, path]);
    process.stdout.write(`  ${label.padEnd(14)} ${mb(rss).padStart(7)} peak RSS, ${mb(heap)} live heap after GC\n`);
  }
}

if (process.argv[2] === "--rss-child") {
  const [, , , kind, path] = process.argv;
  engine(kind === "capture" ? captureInput(path) : linesInput(path))
    .then(printChildMemory)
    .catch((error) => {
      process.stderr.write(String(error));
      process.exitCode = 1;
    });
}
