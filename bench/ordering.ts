// Local event-time ordering (the default of runQuery) against today's path, the cloud ordering
// (arrival order with the policy: what every run did before local ordering), in the same run:
// throughput and peak RSS on a sorted file and on the same events fully reversed.
//   npm run bench -- ordering     (BENCH_ORDERING_EVENTS=10000000 by default; goals: RSS ≤ 300 MB,
//                                  sorted local ≥ 0.9 × cloud)
// On the reversed file the two do different work: cloud adjusts every event up to the watermark
// (all of them land in the first window), local reads the file twice (streamed until the second
// event shows it is out of order, then sorted: runs of 50 k events spilled and merged).
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { openEventSource } from "../lib/io";
import { runQuery, type Ordering } from "../lib/simulator/run";
import { JSON_LINES, benchDir, peakRssOf, printChildMemory, printLoad, race as raceOver, readingAt, writeLines } from "./harness";

const EVENTS = Number(process.env.BENCH_ORDERING_EVENTS ?? 10_000_000);
const QUERY = "SELECT deviceId, COUNT(*) AS n, System.Timestamp() AS windowEnd FROM input TIMESTAMP BY ts GROUP BY deviceId, TumblingWindow(second, 10)";

/** The engine on a file with an ordering; returns the rows written (a restart starts the count over). */
async function engine(file: string, ordering: Ordering): Promise<number> {
  let rows = 0;
  await runQuery({
    queryText: QUERY,
    inputs: [{ alias: "input", events: openEventSource(file, JSON_LINES) }],
    ordering,
    collect: false,
    onRow: () => rows++,
    onRestart: () => {
      rows = 0;
    },
  });
  return rows;
}

/** The contenders in turns (harness race), rated by this process's CPU time: a shared machine disturbs it far less than the wall clock. */
const race = (contenders: [string, () => Promise<number>][]) => raceOver(EVENTS, contenders, { labelWidth: 36, rowsMustAgree: false, cpu: true });

function files(): { sorted: string; reversed: string } {
  const dir = benchDir();
  const sorted = join(dir, `ordering-sorted-${EVENTS}.json`);
  const reversed = join(dir, `ordering-reversed-${EVENTS}.json`);
  if (!existsSync(sorted)) writeLines(sorted, EVENTS, readingAt);
  if (!existsSync(reversed)) writeLines(reversed, EVENTS, (i) => readingAt(EVENTS - 1 - i));
  return { sorted, reversed };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

export async function run(): Promise<void> {
  const { sorted, reversed } = files();
  process.stdout.write(`${EVENTS} events per file, ${mb(statSync(sorted).size)} of JSON lines each (${sorted}, ${reversed})\n`);
  printLoad();
  process.stdout.write("sorted file:\n");
  const [cloudSorted, localSorted] = await race([
    ["today's path (ordering cloud)", () => engine(sorted, "cloud")],
    ["local ordering (streamed)", () => engine(sorted, "local")],
  ]);
  process.stdout.write(`  local / today = ${(localSorted / cloudSorted).toFixed(2)} (goal ≥ 0.90)\n`);
  process.stdout.write("reversed file:\n");
  const [cloudReversed, localReversed] = await race([
    ["today's path (ordering cloud)", () => engine(reversed, "cloud")],
    ["local ordering (sorted, spilled)", () => engine(reversed, "local")],
  ]);
  process.stdout.write(`  local / today = ${(localReversed / cloudReversed).toFixed(2)} (different work: see the header)\n`);
  process.stdout.write("peak RSS (fresh process each; goal ≤ 300 MB):\n");
  for (const [label, file, ordering] of [
    ["sorted, today's path", sorted, "cloud"],
    ["sorted, local", sorted, "local"],
    ["reversed, today's path", reversed, "cloud"],
    ["reversed, local", reversed, "local"],
  ] as const) {
    const [rss, heap] = peakRssOf(__filename, [file, ordering]);
    process.stdout.write(`  ${label.padEnd(24)} ${mb(rss).padStart(7)} peak RSS, ${mb(heap)} live heap after GC\n`);
  }
}

if (process.argv[2] === "--rss-child") {
  engine(process.argv[3], process.argv[4] as Ordering)
    .then(printChildMemory)
    .catch((error) => {
      process.stderr.write(String(error));
      process.exitCode = 1;
    });
}
