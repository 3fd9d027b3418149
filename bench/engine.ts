// Engine throughput next to a hand-written JS loop and DuckDB (1 thread), on the same
// generated JSON-lines file, in the same run; then peak RSS of the engine on a larger run.
//   npm run bench -- engine            (BENCH_EVENTS=2000000, BENCH_RSS_EVENTS=10000000 by default)
//   BENCH_BASELINE=/path/to/another/checkout adds that checkout's reader to the reading races (A/B in one run).
import { createReadStream, existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { openEventBatches, openEventSource } from "../lib/io";
import type { InputEvent } from "../lib/io/types";
import { runQuery } from "../lib/simulator/run";
import { DEVICES, JSON_LINES, STEP_MS, benchDir, engineRows, peakRssOf, printChildMemory, printLoad, race as raceOver, readingAt, writeLines } from "./harness";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000_000);
const RSS_EVENTS = Number(process.env.BENCH_RSS_EVENTS ?? 10_000_000);
const PASS_QUERY = "SELECT deviceId, temp, ts FROM input TIMESTAMP BY ts WHERE temp > 25";
const WINDOW_QUERY =
  "SELECT deviceId, COUNT(*) AS n, System.Timestamp() AS windowEnd FROM input TIMESTAMP BY ts GROUP BY deviceId, TumblingWindow(second, 10)";

// 100 devices, one event every 5 ms: 2 M events span ~2.8 hours; a ten-second window holds 2000
// events of 100 devices and writes 100 rows, a typical aggregation ratio.

/** The contenders' best times over all EVENTS events. */
const race = (contenders: [string, () => Promise<number>][]) => raceOver(EVENTS, contenders, { labelWidth: 34, rowsMustAgree: false });

/** The engine on the file's events, through the JSON reader. */
const engine = (file: string, query: string) => engineRows(query, [{ alias: "input", events: openEventSource(file, JSON_LINES) }]);

/** The file's lines by readline: the way a hand-written loop is usually written. */
async function* readlineLines(file: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of rl) if (line) yield line;
}

/** The file's lines a chunk at a time (no readline, one await per chunk): the faster hand-written way. */
async function* lineChunks(file: string): AsyncGenerator<string[]> {
  let rest = "";
  for await (const chunk of createReadStream(file, { encoding: "utf8" })) {
    const text = rest + (chunk as string);
    const batch: string[] = [];
    let start = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
      if (nl > start) batch.push(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
    yield batch;
  }
  if (rest.trim()) yield [rest];
}

/** The reader alone: every event of the file, as the engine receives them (with `open`: another checkout's reader). */
async function readerOnly(file: string, open = openEventBatches): Promise<number> {
  let events = 0;
  for await (const batch of open(file, JSON_LINES)) events += batch.length;
  return events;
}

const BASELINE = process.env.BENCH_BASELINE;

/** The BENCH_BASELINE checkout's reader as a contender, when given. */
function baselineReader(file: string): [string, () => Promise<number>][] {
  if (!BASELINE) return [];
  const { openEventBatches: open } = require(join(BASELINE, "lib/io")) as { openEventBatches: typeof openEventBatches };
  return [["streamkit reader (BENCH_BASELINE)", () => readerOnly(file, open)]];
}

/** Reading and parsing by hand with readline. */
async function handRead(file: string): Promise<number> {
  let events = 0;
  for await (const line of readlineLines(file)) if (JSON.parse(line)) events++;
  return events;
}

/** Reading and parsing by hand a chunk at a time, as the query loops below do. */
async function handReadChunks(file: string): Promise<number> {
  let events = 0;
  for await (const batch of lineChunks(file)) for (const line of batch) if (JSON.parse(line)) events++;
  return events;
}

/** The same pass-through written by hand: parse, filter, project, format. */
async function handPass(file: string): Promise<number> {
  let rows = 0;
  let bytes = 0;
  for await (const batch of lineChunks(file)) {
    for (const line of batch) {
      const e = JSON.parse(line);
      if (e.temp > 25) {
        rows++;
        bytes += JSON.stringify({ deviceId: e.deviceId, temp: e.temp, ts: e.ts }).length;
      }
    }
  }
  return rows + (bytes < 0 ? 1 : 0);
}

/** COUNT(*) per device in 10 s tumbling windows by hand (events are in time order). */
async function handWindow(file: string): Promise<number> {
  let rows = 0;
  let bytes = 0;
  let currentEnd = -Infinity;
  let counts = new Map<string, number>();
  const flush = () => {
    const end = new Date(currentEnd).toISOString();
    for (const [deviceId, n] of counts) {
      rows++;
      bytes += JSON.stringify({ deviceId, n, windowEnd: end }).length;
    }
    counts = new Map();
  };
  for await (const batch of lineChunks(file)) {
    for (const line of batch) {
      const e = JSON.parse(line);
      const t = Date.parse(e.ts);
      const end = Math.ceil(t / 10_000) * 10_000;
      if (end !== currentEnd) {
        if (counts.size) flush();
        currentEnd = end;
      }
      counts.set(e.deviceId, (counts.get(e.deviceId) ?? 0) + 1);
    }
  }
  if (counts.size) flush();
  return rows + (bytes < 0 ? 1 : 0);
}

async function duckdbWindow(file: string): Promise<number> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(
    `SELECT deviceId, count(*) AS n, time_bucket(INTERVAL 10 SECOND, ts::TIMESTAMP - INTERVAL 1 MICROSECOND) + INTERVAL 10 SECOND AS windowEnd
     FROM read_json('${file.replace(/'/g, "''")}', format = 'newline_delimited', columns = {deviceId: 'VARCHAR', temp: 'DOUBLE', ts: 'VARCHAR'})
     GROUP BY ALL`,
  );
  const rows = reader.getRows().length;
  connection.closeSync();
  return rows;
}

async function duckdbPass(file: string): Promise<number> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(
    `SELECT count(*) FROM read_json('${file.replace(/'/g, "''")}', format = 'newline_delimited', columns = {deviceId: 'VARCHAR', temp: 'DOUBLE', ts: 'VARCHAR'}) WHERE temp > 25`,
  );
  const rows = Number(reader.getRows()[0][0]);
  connection.closeSync();
  return rows;
}

/**
 * Peak RSS and live heap after a full GC (bytes) of the engine on `n` generated events (windowed
 * query), in a fresh process; with `file`, on that file's events through the JSON reader instead.
 */
function peakRss(n: number, file?: string): [number, number] {
  return peakRssOf(__filename, [String(n), ...(file ? [file] : [])]);
}

async function rssChild(n: number, file?: string): Promise<void> {
  function* events(): Generator<InputEvent> {
    for (let i = 0; i < n; i++) yield { record: readingAt(i), location: { file: "generated", line: i + 1 } };
  }
  let rows = 0;
  const input = file ? openEventSource(file, JSON_LINES) : events();
  await runQuery({ queryText: WINDOW_QUERY, inputs: [{ alias: "input", events: input }], collect: false, onRow: () => rows++ });
  printChildMemory();
}

export async function run(): Promise<void> {
  const dir = benchDir();
  const file = join(dir, `events-${EVENTS}-${DEVICES}-${STEP_MS}.json`);
  if (!existsSync(file)) writeLines(file, EVENTS, readingAt);
  process.stdout.write(`${EVENTS} events, ${DEVICES} devices, ${(statSync(file).size / 1e6).toFixed(0)} MB of JSON lines (${file})\n`);
  printLoad();

  process.stdout.write(`reading alone (JSON lines → event objects):\n`);
  const [hr, hc, er] = await race([
    ["hand-written loop (readline)", () => handRead(file)],
    ["hand-written loop (chunks)", () => handReadChunks(file)],
    ["streamkit reader", () => readerOnly(file)],
    ...baselineReader(file),
  ]);
  process.stdout.write(`  reader / readline loop = ${(er / hr).toFixed(2)}; reader / chunk loop = ${(er / hc).toFixed(2)} (the query loops below read by chunks)\n`);

  // A 16-digit run on most lines: a ratio a producer computed and wrote with all its 17 digits.
  const precise = join(dir, `events-precise-${EVENTS}-${DEVICES}-${STEP_MS}.json`);
  if (!existsSync(precise)) writeLines(precise, EVENTS, (i) => ({ ...readingAt(i), ratio: ((i * 31) % 200) / 300 }));
  process.stdout.write(`reading alone, with a double written with all its digits ("ratio":0.10333333333333333):\n`);
  const [pc, pr, pb] = await race([
    ["hand-written loop (chunks)", () => handReadChunks(precise)],
    ["streamkit reader", () => readerOnly(precise)],
    ...baselineReader(precise),
  ]);
  process.stdout.write(`  reader / chunk loop = ${(pr / pc).toFixed(2)} (without the ratio above: ${(er / hc).toFixed(2)})${pb ? `; reader / baseline reader = ${(pr / pb).toFixed(2)}` : ""}\n`);

  process.stdout.write(`pass-through with a filter: ${PASS_QUERY}\n`);
  const [hp, ep, dp] = await race([
    ["hand-written loop (chunks)", () => handPass(file)],
    ["streamkit engine", () => engine(file, PASS_QUERY)],
    ["DuckDB (1 thread, count only)", () => duckdbPass(file)],
  ]);
  process.stdout.write(`  engine / hand loop = ${(ep / hp).toFixed(2)} (goal ≥ 0.7); engine / DuckDB = ${(ep / dp).toFixed(2)}\n`);

  process.stdout.write(`COUNT(*) per device, 10-second tumbling window: ${WINDOW_QUERY}\n`);
  const [hw, ew, dw] = await race([
    ["hand-written loop (chunks)", () => handWindow(file)],
    ["streamkit engine", () => engine(file, WINDOW_QUERY)],
    ["DuckDB (1 thread)", () => duckdbWindow(file)],
  ]);
  process.stdout.write(`  engine / hand loop = ${(ew / hw).toFixed(2)} (goal ≥ 0.5); engine / DuckDB = ${(ew / dw).toFixed(2)} (goal ≥ 0.5)\n`);

  const small = Math.max(1, Math.floor(RSS_EVENTS / 5));
  const [rssSmall, heapSmall] = peakRss(small);
  const [rssLarge, heapLarge] = peakRss(RSS_EVENTS);
  process.stdout.write(
    `peak RSS, windowed query on generated events: ${(rssSmall / 1e6).toFixed(0)} MB at ${small} events, ${(rssLarge / 1e6).toFixed(0)} MB at ${RSS_EVENTS} events (goal ≤ 300 MB, flat)\n` +
      `live heap after a full GC at the end: ${(heapSmall / 1e6).toFixed(1)} MB and ${(heapLarge / 1e6).toFixed(1)} MB (the engine's state does not grow with the event count)\n`,
  );
  const [rssFile] = peakRss(EVENTS, file);
  process.stdout.write(`peak RSS, windowed query reading the ${EVENTS}-event file (${(statSync(file).size / 1e6).toFixed(0)} MB) through the JSON reader: ${(rssFile / 1e6).toFixed(0)} MB\n`);
  writeFileSync(join(dir, "last-run.txt"), new Date().toISOString());
}

if (process.argv[2] === "--rss-child") {
  rssChild(Number(process.argv[3]), process.argv[4]).catch((error) => {
    process.stderr.write(String(error?.stack ?? error));
    process.exit(1);
  });
}
