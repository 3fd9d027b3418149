// A 2-stream JOIN bounded by DATEDIFF (5 minutes) and LAG per device, each next to a hand-written
// JS loop doing the same work on the same generated JSON-lines files, in the same run; then peak
// RSS of the engine at two event counts (it must stay flat).
//   npm run bench -- join        (BENCH_EVENTS=2000000, BENCH_RSS_EVENTS=BENCH_EVENTS by default)
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { openEventSource } from "../lib/io";
import type { InputEvent } from "../lib/io/types";
import { runQuery, type RunInput } from "../lib/simulator/run";
import { DEVICES, JSON_LINES, START, STEP_MS, benchDir, engineRows as engine, lineChunks, peakRssOf, printChildMemory, printLoad, race as raceOver, readingAt, writeLines, type Reading } from "./harness";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000_000);
const RSS_EVENTS = Number(process.env.BENCH_RSS_EVENTS ?? EVENTS);
/** A command per device every 5 minutes, devices staggered by 3 s: ~1 match per reading. */
const COMMAND_EVERY_MS = 5 * 60_000;
const BOUND_MS = 5 * 60_000;

const JOIN_QUERY = `SELECT r.deviceId, r.temp, c.setpoint, System.Timestamp() AS t
FROM readings r TIMESTAMP BY ts
JOIN commands c TIMESTAMP BY ts
ON r.deviceId = c.deviceId AND DATEDIFF(minute, c, r) BETWEEN 0 AND 5`;
const LAG_QUERY = `SELECT deviceId, temp, LAG(temp) OVER (PARTITION BY deviceId LIMIT DURATION(minute, 5)) AS prevTemp
FROM readings TIMESTAMP BY ts`;

interface Command {
  deviceId: string;
  setpoint: number;
  ts: string;
}

/** Commands of the span the readings cover, in time order. */
function commandsFor(readings: number): Command[] {
  const end = START + readings * STEP_MS;
  const out: Command[] = [];
  for (let t = START; t < end; t += COMMAND_EVERY_MS) {
    for (let d = 0; d < DEVICES; d++) {
      const at = t + d * 3000;
      if (at < end) out.push({ deviceId: `dev-${d}`, setpoint: 20 + (d % 7), ts: new Date(at).toISOString() });
    }
  }
  return out.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
}

/** How many readings, with their commands, make `total` events. */
function split(total: number): { readings: number; commands: number } {
  const perReading = DEVICES / (COMMAND_EVERY_MS / STEP_MS);
  const readings = Math.round(total / (1 + perReading));
  return { readings, commands: commandsFor(readings).length };
}

/** Contenders in turns, best time each; they must agree on the row count. */
const race = (events: number, contenders: [string, () => Promise<number>][]) => raceOver(events, contenders, { labelWidth: 22, rowsMustAgree: true });

async function* lines(file: string): AsyncGenerator<string> {
  for await (const batch of lineChunks(file)) yield* batch;
}

/** The join by hand: both files merged by time, each device's commands of the last 5 minutes kept. */
async function handJoin(readingsFile: string, commandsFile: string): Promise<number> {
  let rows = 0;
  let bytes = 0;
  const recent = new Map<string, { t: number; c: Command }[]>();
  const cmds = lines(commandsFile)[Symbol.asyncIterator]();
  let next = await cmds.next();
  let nextCmd: Command | undefined = next.done ? undefined : JSON.parse(next.value);
  for await (const batch of lineChunks(readingsFile)) {
    for (const line of batch) {
      const r = JSON.parse(line) as Reading;
      const t = Date.parse(r.ts);
      // Commands up to this reading's time (ties: the command first, it can match).
      while (nextCmd && Date.parse(nextCmd.ts) <= t) {
        const list = recent.get(nextCmd.deviceId) ?? [];
        list.push({ t: Date.parse(nextCmd.ts), c: nextCmd });
        recent.set(nextCmd.deviceId, list);
        next = await cmds.next();
        nextCmd = next.done ? undefined : JSON.parse(next.value);
      }
      const list = recent.get(r.deviceId);
      if (!list) continue;
      while (list.length && t - list[0].t > BOUND_MS) list.shift();
      for (const { c } of list) {
        rows++;
        bytes += JSON.stringify({ deviceId: r.deviceId, temp: r.temp, setpoint: c.setpoint, t: new Date(t).toISOString() }).length;
      }
    }
  }
  return rows + (bytes < 0 ? 1 : 0);
}

/** LAG per device by hand: the previous reading of the device if it is within 5 minutes. */
async function handLag(readingsFile: string): Promise<number> {
  let rows = 0;
  let bytes = 0;
  const last = new Map<string, { t: number; temp: number }>();
  for await (const batch of lineChunks(readingsFile)) {
    for (const line of batch) {
      const r = JSON.parse(line) as Reading;
      const t = Date.parse(r.ts);
      const prev = last.get(r.deviceId);
      const prevTemp = prev && t - prev.t < BOUND_MS ? prev.temp : null;
      last.set(r.deviceId, { t, temp: r.temp });
      rows++;
      bytes += JSON.stringify({ deviceId: r.deviceId, temp: r.temp, prevTemp }).length;
    }
  }
  return rows + (bytes < 0 ? 1 : 0);
}

/** Peak RSS and live heap after a full GC (bytes) of the engine on `n` generated events, in a fresh process. */
function peakRss(which: "join" | "lag", n: number): [number, number] {
  return peakRssOf(__filename, [which, String(n)]);
}

async function rssChild(which: "join" | "lag", n: number): Promise<void> {
  const { readings } = which === "join" ? split(n) : { readings: n };
  function* readingEvents(): Generator<InputEvent> {
    for (let i = 0; i < readings; i++) yield { record: readingAt(i) as never, location: { file: "generated", line: i + 1 } };
  }
  function* commandEvents(): Generator<InputEvent> {
    let line = 0;
    for (const c of commandsFor(readings)) yield { record: c as never, location: { file: "generated-commands", line: ++line } };
  }
  const inputs: RunInput[] = [{ alias: "readings", events: readingEvents() }];
  if (which === "join") inputs.push({ alias: "commands", events: commandEvents() });
  let rows = 0;
  await runQuery({ queryText: which === "join" ? JOIN_QUERY : LAG_QUERY, inputs, collect: false, onRow: () => rows++ });
  printChildMemory();
}

function printRss(which: "join" | "lag"): void {
  const small = Math.max(1, Math.floor(RSS_EVENTS / 5));
  const [rssSmall, heapSmall] = peakRss(which, small);
  const [rssLarge, heapLarge] = peakRss(which, RSS_EVENTS);
  process.stdout.write(
    `  peak RSS: ${(rssSmall / 1e6).toFixed(0)} MB at ${small} events, ${(rssLarge / 1e6).toFixed(0)} MB at ${RSS_EVENTS} events (×${(rssLarge / rssSmall).toFixed(2)} for ${(RSS_EVENTS / small).toFixed(0)}× the events); ` +
      `live heap after a full GC: ${(heapSmall / 1e6).toFixed(1)} MB and ${(heapLarge / 1e6).toFixed(1)} MB\n`,
  );
}

export async function run(): Promise<void> {
  const dir = benchDir();
  const { readings, commands } = split(EVENTS);
  const readingsFile = join(dir, `readings-${readings}.json`);
  const commandsFile = join(dir, `commands-${readings}.json`);
  if (!existsSync(readingsFile)) writeLines(readingsFile, readings, readingAt);
  if (!existsSync(commandsFile)) {
    const list = commandsFor(readings);
    writeLines(commandsFile, list.length, (i) => list[i]);
  }
  const mb = (f: string) => (statSync(f).size / 1e6).toFixed(0);
  process.stdout.write(`${readings} readings + ${commands} commands = ${readings + commands} events, ${DEVICES} devices (${mb(readingsFile)} + ${mb(commandsFile)} MB of JSON lines in ${dir})\n`);
  printLoad();

  process.stdout.write(`2-stream JOIN, 5-minute DATEDIFF bound: ${JOIN_QUERY.replace(/\s+/g, " ")}\n`);
  const [hj, ej] = await race(readings + commands, [
    ["hand-written loop", () => handJoin(readingsFile, commandsFile)],
    [
      "streamkit engine",
      () =>
        engine(JOIN_QUERY, [
          { alias: "readings", events: openEventSource(readingsFile, JSON_LINES) },
          { alias: "commands", events: openEventSource(commandsFile, JSON_LINES) },
        ]),
    ],
  ]);
  process.stdout.write(`  engine / hand loop = ${(ej / hj).toFixed(2)}\n`);
  printRss("join");

  process.stdout.write(`LAG per device: ${LAG_QUERY.replace(/\s+/g, " ")}\n`);
  const [hl, el] = await race(readings, [
    ["hand-written loop", () => handLag(readingsFile)],
    ["streamkit engine", () => engine(LAG_QUERY, [{ alias: "readings", events: openEventSource(readingsFile, JSON_LINES) }])],
  ]);
  process.stdout.write(`  engine / hand loop = ${(el / hl).toFixed(2)}\n`);
  printRss("lag");
}

if (process.argv[2] === "--rss-child") {
  rssChild(process.argv[3] as "join" | "lag", Number(process.argv[4])).catch((error) => {
    process.stderr.write(String(error?.stack ?? error));
    process.exit(1);
  });
}
