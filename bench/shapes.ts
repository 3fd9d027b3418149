// The seven query shapes of issue 23, each raced against a hand-written chunked loop (JSON.parse of
// every line: the practical JavaScript limit) and DuckDB (1 and 2 threads) on the same generated
// JSON-lines files, in turns (harness race: order rotated each round, a full GC before each
// contender), best of BENCH_REPEAT; then the engine's peak RSS per shape in a fresh process, and
// scale runs (generated events, no file) for tumbling windows and the stream JOIN.
//   npm run bench -- shapes
//   BENCH_EVENTS (1000000)  BENCH_SHAPES=refjoin,sliding,…  BENCH_SCALE=1000000,5000000,10000000 ("" skips)
//   BENCH_SCALE_SHAPES (tumbling,streamjoin): the shapes whose peak RSS the scale runs measure ("all": every shape run)
//   BENCH_BASELINE=/path/to/another/checkout adds that checkout's engine as a contender (A/B in one run).
//   BENCH_CPU=1 rates every contender by this process's CPU time (user + system, all threads) instead
//   of the wall clock: steadier on a shared machine. DuckDB's threads are threads of this process, so
//   its 2-thread figure then counts both threads' CPU (work done, not time saved).
// The engine and the hand loop format every output row as a JSON line. DuckDB runs each shape twice:
// - writing rows: the engine's output rows (its columns, in its order) written as JSON lines by
//   `COPY (…) TO <file under benchDir()> (FORMAT JSON)`: the engine's work (plus the file write,
//   which the engine skips). COPY reports the rows it wrote; the bench checks that against the
//   file's lines, then deletes the files.
// - count only: `SELECT count(*) FROM (…)` (plus a sum over a computed column where DuckDB could
//   otherwise skip computing it): no row materialized or formatted, a lower bound on DuckDB's work.
// Both ratios are printed per shape and in the closing table. Row counts must agree between the
// hand loop, the engine and all DuckDB contenders, except for sliding windows: DuckDB has no row
// per leaving event, so its rows there are the entries only (a subset of the engine's rows).
import { createReadStream, existsSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { openEventSource } from "../lib/io";
import type { InputEvent } from "../lib/io/types";
import { runQuery, type RunInput } from "../lib/simulator/run";
import { parseJobSpec } from "../lib/job";
import { DEVICES, JSON_LINES, START, STEP_MS, benchDir, engineRows, lineChunks, peakRssOf, printChildMemory, printLoad, race, readingAt, writeLines, type Reading } from "./harness";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SCALE = (process.env.BENCH_SCALE ?? "1000000,5000000,10000000").split(",").filter(Boolean).map(Number);
const SCALE_SHAPES = (process.env.BENCH_SCALE_SHAPES ?? "tumbling,streamjoin").split(",");
const REFERENCE_ROWS = 1000;
/** An alarm per device every 10 s (devices staggered by 0.1 s): a reading meets at most one alarm within 5 s. */
const ALARM_EVERY_MS = 10_000;

interface Alarm {
  deviceId: string;
  level: number;
  ts: string;
}

/** The alarms of the span `readings` readings cover, in time order, one at a time (a 10 M-event run does not hold them all). */
function* alarms(readings: number): Generator<Alarm> {
  const end = START + readings * STEP_MS;
  for (let t = START; t < end; t += ALARM_EVERY_MS) {
    for (let d = 0; d < DEVICES; d++) {
      const at = t + d * 100;
      if (at < end) yield { deviceId: `dev-${d}`, level: d % 5, ts: new Date(at).toISOString() };
    }
  }
}

const alarmsFor = (readings: number): Alarm[] => [...alarms(readings)];

const referenceRow = (i: number) => ({ deviceId: `dev-${i}`, site: `site-${i % 37}`, maxTemp: 20 + (i % 11) });

interface Files {
  readings: string;
  alarms: string;
  reference: string;
}

interface Shape {
  name: string;
  query: string;
  /** Events the engine reads (readings, plus alarms for the stream JOIN). */
  events: (files: Files) => number;
  inputs: (files: Files) => RunInput[];
  reference?: boolean;
  hand: (files: Files) => Promise<number>;
  /** DuckDB SQL over the `readings`, `alarms` and `reference` views. */
  duckdb: {
    /** The engine's output rows, its columns in its order (COPY writes them as JSON lines). */
    rows: string;
    /** A computed column the count-only query sums (times 0), so that DuckDB cannot skip computing it. */
    keep?: string;
    /** DuckDB's rows are not all of the engine's (sliding: entries only), so its row counts are printed, not compared. */
    entriesOnly?: true;
  };
}

/** Rows formatted as JSON, as the engine's onRow consumer does. */
class Sink {
  rows = 0;
  bytes = 0;
  write(row: unknown): void {
    this.rows++;
    this.bytes += JSON.stringify(row).length;
  }
  get count(): number {
    return this.rows + (this.bytes < 0 ? 1 : 0);
  }
}

async function eachReading(file: string, f: (r: Reading) => void): Promise<void> {
  for await (const batch of lineChunks(file)) for (const line of batch) f(JSON.parse(line) as Reading);
}

const iso = (ms: number) => new Date(ms).toISOString();

const SHAPES: Shape[] = [
  {
    name: "refjoin",
    query: "SELECT i.deviceId, i.temp, r.site FROM input i TIMESTAMP BY ts JOIN ref r ON i.deviceId = r.deviceId WHERE i.temp > r.maxTemp",
    events: () => EVENTS,
    inputs: (f) => [
      { alias: "input", events: openEventSource(f.readings, JSON_LINES) },
      { alias: "ref", events: openEventSource(f.reference, JSON_LINES) },
    ],
    reference: true,
    hand: async (f) => {
      const ref = new Map<string, ReturnType<typeof referenceRow>>();
      for await (const batch of lineChunks(f.reference)) for (const line of batch) {
        const r = JSON.parse(line);
        ref.set(r.deviceId, r);
      }
      const out = new Sink();
      await eachReading(f.readings, (e) => {
        const r = ref.get(e.deviceId);
        if (r && e.temp > r.maxTemp) out.write({ deviceId: e.deviceId, temp: e.temp, site: r.site });
      });
      return out.count;
    },
    duckdb: { rows: "SELECT i.deviceId, i.temp, r.site FROM readings i JOIN reference r ON i.deviceId = r.deviceId WHERE i.temp > r.maxTemp" },
  },
  {
    name: "sliding",
    query: "SELECT deviceId, COUNT(*) AS n FROM input TIMESTAMP BY ts GROUP BY deviceId, SlidingWindow(second, 10)",
    events: () => EVENTS,
    inputs: (f) => [{ alias: "input", events: openEventSource(f.readings, JSON_LINES) }],
    hand: async (f) => {
      // A row when an event enters (window (t − 10 s, t]) and when one leaves (at its ts + 10 s) if any remain.
      const SIZE = 10_000;
      const queues = new Map<string, number[]>();
      const out = new Sink();
      const exits = (deviceId: string, q: number[], before: number) => {
        while (q.length && q[0] + SIZE < before) {
          const p = q[0] + SIZE;
          while (q.length && q[0] <= p - SIZE) q.shift();
          if (q.length) out.write({ deviceId, n: q.length });
        }
      };
      await eachReading(f.readings, (e) => {
        const t = Date.parse(e.ts);
        let q = queues.get(e.deviceId);
        if (!q) queues.set(e.deviceId, (q = []));
        exits(e.deviceId, q, t);
        while (q.length && q[0] <= t - SIZE) q.shift();
        q.push(t);
        out.write({ deviceId: e.deviceId, n: q.length });
      });
      for (const [deviceId, q] of queues) exits(deviceId, q, Infinity);
      return out.count;
    },
    // Entries only (DuckDB has no row per leaving event): a lower bound on DuckDB's work. The frame
    // is (t − 10 s, t] as ASA's: a device's reading exactly 10 s earlier is out (times are in ms).
    duckdb: {
      rows: "SELECT deviceId, count(*) OVER (PARTITION BY deviceId ORDER BY ts RANGE BETWEEN INTERVAL 9999999 MICROSECOND PRECEDING AND CURRENT ROW) AS n FROM readings",
      keep: "n",
      entriesOnly: true,
    },
  },
  {
    name: "hopping",
    query: "SELECT deviceId, AVG(temp) AS avgTemp FROM input TIMESTAMP BY ts GROUP BY deviceId, HoppingWindow(second, 60, 10)",
    events: () => EVENTS,
    inputs: (f) => [{ alias: "input", events: openEventSource(f.readings, JSON_LINES) }],
    hand: async (f) => {
      const open = new Map<number, Map<string, { sum: number; n: number }>>();
      const out = new Sink();
      const close = (before: number) => {
        for (const [end, groups] of open) {
          if (end >= before) break;
          for (const [deviceId, g] of groups) out.write({ deviceId, avgTemp: g.sum / g.n });
          open.delete(end);
        }
      };
      await eachReading(f.readings, (e) => {
        const t = Date.parse(e.ts);
        close(t);
        for (let end = Math.ceil(t / 10_000) * 10_000; end - 60_000 < t; end += 10_000) {
          let groups = open.get(end);
          if (!groups) open.set(end, (groups = new Map()));
          const g = groups.get(e.deviceId);
          if (g) {
            g.sum += e.temp;
            g.n++;
          } else groups.set(e.deviceId, { sum: e.temp, n: 1 });
        }
      });
      close(Infinity);
      return out.count;
    },
    duckdb: {
      rows: `SELECT deviceId, avg(temp) AS avgTemp FROM readings, range(0, 6) r(k)
      GROUP BY deviceId, time_bucket(INTERVAL 10 SECOND, ts - INTERVAL 1 MICROSECOND) + INTERVAL 10 SECOND * (1 + k)`,
    },
  },
  {
    name: "streamjoin",
    query: `SELECT r.deviceId, r.temp, a.level FROM readings r TIMESTAMP BY ts
JOIN alarms a TIMESTAMP BY ts ON r.deviceId = a.deviceId AND DATEDIFF(second, a, r) BETWEEN 0 AND 5`,
    events: () => EVENTS + alarmsFor(EVENTS).length,
    inputs: (f) => [
      { alias: "readings", events: openEventSource(f.readings, JSON_LINES) },
      { alias: "alarms", events: openEventSource(f.alarms, JSON_LINES) },
    ],
    hand: async (f) => {
      const recent = new Map<string, { t: number; a: Alarm }[]>();
      const alarmBatches = lineChunks(f.alarms)[Symbol.asyncIterator]();
      let pending: string[] = [];
      let nextAlarm: Alarm | undefined;
      const pull = async () => {
        while (!pending.length) {
          const next = await alarmBatches.next();
          if (next.done) return undefined;
          pending = next.value.reverse();
        }
        return JSON.parse(pending.pop()!) as Alarm;
      };
      nextAlarm = await pull();
      const out = new Sink();
      for await (const batch of lineChunks(f.readings)) {
        for (const line of batch) {
          const r = JSON.parse(line) as Reading;
          const t = Date.parse(r.ts);
          while (nextAlarm && Date.parse(nextAlarm.ts) <= t) {
            const list = recent.get(nextAlarm.deviceId) ?? [];
            list.push({ t: Date.parse(nextAlarm.ts), a: nextAlarm });
            recent.set(nextAlarm.deviceId, list);
            nextAlarm = await pull();
          }
          const list = recent.get(r.deviceId);
          if (!list) continue;
          while (list.length && t - list[0].t > 5000) list.shift();
          for (const { a } of list) out.write({ deviceId: r.deviceId, temp: r.temp, level: a.level });
        }
      }
      return out.count;
    },
    // A hash join on the device with the time range as a filter (an ASOF join planned badly here: 55 s on 300 k events).
    duckdb: { rows: "SELECT r.deviceId, r.temp, a.level FROM readings r JOIN alarms a ON r.deviceId = a.deviceId AND r.ts BETWEEN a.ts AND a.ts + INTERVAL 5 SECOND" },
  },
  {
    name: "tumbling",
    query: "SELECT deviceId, COUNT(*) AS n, AVG(temp) AS avgTemp, System.Timestamp() AS windowEnd FROM input TIMESTAMP BY ts GROUP BY deviceId, TumblingWindow(second, 10)",
    events: () => EVENTS,
    inputs: (f) => [{ alias: "input", events: openEventSource(f.readings, JSON_LINES) }],
    hand: async (f) => {
      let currentEnd = -Infinity;
      let groups = new Map<string, { sum: number; n: number }>();
      const out = new Sink();
      const flush = () => {
        const windowEnd = iso(currentEnd);
        for (const [deviceId, g] of groups) out.write({ deviceId, n: g.n, avgTemp: g.sum / g.n, windowEnd });
        groups = new Map();
      };
      await eachReading(f.readings, (e) => {
        const end = Math.ceil(Date.parse(e.ts) / 10_000) * 10_000;
        if (end !== currentEnd) {
          if (groups.size) flush();
          currentEnd = end;
        }
        const g = groups.get(e.deviceId);
        if (g) {
          g.sum += e.temp;
          g.n++;
        } else groups.set(e.deviceId, { sum: e.temp, n: 1 });
      });
      if (groups.size) flush();
      return out.count;
    },
    duckdb: {
      rows: `SELECT deviceId, count(*) AS n, avg(temp) AS avgTemp, time_bucket(INTERVAL 10 SECOND, ts - INTERVAL 1 MICROSECOND) + INTERVAL 10 SECOND AS windowEnd
      FROM readings GROUP BY ALL`,
    },
  },
  {
    name: "pass",
    query: "SELECT deviceId, temp, ts FROM input TIMESTAMP BY ts WHERE temp > 25",
    events: () => EVENTS,
    inputs: (f) => [{ alias: "input", events: openEventSource(f.readings, JSON_LINES) }],
    hand: async (f) => {
      const out = new Sink();
      await eachReading(f.readings, (e) => {
        if (e.temp > 25) out.write({ deviceId: e.deviceId, temp: e.temp, ts: e.ts });
      });
      return out.count;
    },
    duckdb: { rows: "SELECT deviceId, temp, ts FROM readings WHERE temp > 25" },
  },
  {
    name: "lag",
    query: "SELECT deviceId, temp, LAG(temp) OVER (PARTITION BY deviceId LIMIT DURATION(minute, 1)) AS prevTemp FROM input TIMESTAMP BY ts",
    events: () => EVENTS,
    inputs: (f) => [{ alias: "input", events: openEventSource(f.readings, JSON_LINES) }],
    hand: async (f) => {
      const last = new Map<string, { t: number; temp: number }>();
      const out = new Sink();
      await eachReading(f.readings, (e) => {
        const t = Date.parse(e.ts);
        const prev = last.get(e.deviceId);
        last.set(e.deviceId, { t, temp: e.temp });
        out.write({ deviceId: e.deviceId, temp: e.temp, prevTemp: prev && t - prev.t <= 60_000 ? prev.temp : null });
      });
      return out.count;
    },
    duckdb: {
      rows: `SELECT deviceId, temp, CASE WHEN ts - lag(ts) OVER w <= INTERVAL 1 MINUTE THEN lag(temp) OVER w END AS prevTemp
      FROM readings WINDOW w AS (PARTITION BY deviceId ORDER BY ts)`,
      keep: "coalesce(prevTemp, 0)",
    },
  },
];

const REFERENCE_JOB = parseJobSpec({
  name: "bench-refjoin",
  query: { text: SHAPES[0].query },
  inputs: [
    { alias: "input", kind: "eventhub" },
    { alias: "ref", type: "reference", kind: "blob" },
  ],
  outputs: [{ alias: "output", kind: "blob" }],
});

const BASELINE = process.env.BENCH_BASELINE;
const CPU = process.env.BENCH_CPU === "1";

function engine(shape: Shape, inputs: RunInput[], run = runQuery): Promise<number> {
  return engineRows(shape.query, inputs, { job: shape.reference ? REFERENCE_JOB : undefined, run });
}

const quote = (path: string) => `'${path.replace(/'/g, "''")}'`;

/** The shape's DuckDB query: its rows written to `output` as JSON lines, or (no output) the count only. */
function duckdbSql(shape: Shape, output?: string): string {
  const { rows, keep } = shape.duckdb;
  return output ? `COPY (${rows}) TO ${quote(output)} (FORMAT JSON)` : `SELECT count(*)${keep ? ` + 0 * sum(${keep})` : ""} FROM (${rows})`;
}

/**
 * DuckDB with `threads` threads over views of the files: the count-only query's number, or with
 * `output` the number of rows COPY reports it wrote there.
 */
async function duckdb(shape: Shape, files: Files, threads: number, output?: string): Promise<number> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:", { threads: String(threads) });
  const connection = await instance.connect();
  const source = (file: string, columns: string) => `read_json(${quote(file)}, format = 'newline_delimited', columns = {${columns}})`;
  await connection.run(`CREATE VIEW readings AS SELECT * FROM ${source(files.readings, "deviceId: 'VARCHAR', temp: 'DOUBLE', ts: 'TIMESTAMP'")}`);
  await connection.run(`CREATE VIEW alarms AS SELECT * FROM ${source(files.alarms, "deviceId: 'VARCHAR', level: 'BIGINT', ts: 'TIMESTAMP'")}`);
  await connection.run(`CREATE VIEW reference AS SELECT * FROM ${source(files.reference, "deviceId: 'VARCHAR', site: 'VARCHAR', maxTemp: 'DOUBLE'")}`);
  const reader = await connection.runAndReadAll(duckdbSql(shape, output));
  const value = Number(reader.getRows()[0][0]);
  connection.closeSync();
  return value;
}

/** The reference file (written once). */
function referenceFile(): string {
  const file = join(benchDir(), `reference-${REFERENCE_ROWS}.json`);
  if (!existsSync(file)) writeLines(file, REFERENCE_ROWS, referenceRow);
  return file;
}

function prepare(): Files {
  const dir = benchDir();
  const files: Files = {
    readings: join(dir, `events-${EVENTS}-${DEVICES}-${STEP_MS}.json`),
    alarms: join(dir, `alarms-${EVENTS}-${DEVICES}-${ALARM_EVERY_MS}.json`),
    reference: referenceFile(),
  };
  if (!existsSync(files.readings)) writeLines(files.readings, EVENTS, readingAt);
  if (!existsSync(files.alarms)) {
    const alarms = alarmsFor(EVENTS);
    writeLines(files.alarms, alarms.length, (i) => alarms[i]);
  }
  return files;
}

/** The number of lines of a file (its newlines). */
async function linesOf(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file)) {
    for (let i = (chunk as Buffer).indexOf(10); i !== -1; i = (chunk as Buffer).indexOf(10, i + 1)) lines++;
  }
  return lines;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const ratio = (a: number, b: number) => (a / b).toFixed(2);

export async function run(): Promise<void> {
  const files = prepare();
  const wanted = process.env.BENCH_SHAPES?.split(",");
  const shapes = SHAPES.filter((s) => !wanted || wanted.includes(s.name));
  process.stdout.write(`${EVENTS} readings (${DEVICES} devices, ${mb(statSync(files.readings).size)} of JSON lines), ${alarmsFor(EVENTS).length} alarms, ${REFERENCE_ROWS} reference rows\n`);
  printLoad();
  const table: string[] = [];
  const unit = CPU ? "ev/CPU-s" : "ev/s";
  for (const shape of shapes) {
    process.stdout.write(`${shape.name}: ${shape.query.replace(/\s+/g, " ")}\n`);
    const events = shape.events(files);
    const baseline: [string, () => Promise<number>][] = BASELINE
      ? [["streamkit engine (BENCH_BASELINE)", () => engine(shape, shape.inputs(files), (require(join(BASELINE, "lib/simulator/run")) as { runQuery: typeof runQuery }).runQuery)]]
      : [];
    process.stdout.write(`  DuckDB rows: ${shape.duckdb.rows.replace(/\s+/g, " ")}${shape.duckdb.entriesOnly ? " (entries only)" : ""}\n`);
    // DuckDB's rows go to one file per thread count, overwritten each round, checked and deleted after the race.
    const outputs = [1, 2].map((threads) => join(benchDir(), `shapes-${shape.name}-duckdb-${threads}.json`));
    const written = [0, 0];
    const writing = (k: number) => async () => (written[k] = await duckdb(shape, files, k + 1, outputs[k]));
    let rates: number[];
    try {
      rates = await race(
        events,
        [
          ["hand-written loop (chunks)", () => shape.hand(files)],
          ["streamkit engine", () => engine(shape, shape.inputs(files))],
          ["DuckDB (1 thread, count only)", () => duckdb(shape, files, 1)],
          ["DuckDB (2 threads, count only)", () => duckdb(shape, files, 2)],
          ["DuckDB (1 thread, writing rows)", writing(0)],
          ["DuckDB (2 threads, writing rows)", writing(1)],
          ...baseline,
        ],
        { labelWidth: 34, rowsMustAgree: false, agreeing: [0, 1, ...(shape.duckdb.entriesOnly ? [] : [2, 3, 4, 5]), ...(BASELINE ? [6] : [])], cpu: CPU },
      );
      for (const [k, output] of outputs.entries()) {
        const lines = await linesOf(output);
        if (lines !== written[k]) throw new Error(`DuckDB's COPY reported ${written[k]} rows but wrote ${lines} lines to ${output}`);
      }
    } finally {
      for (const output of outputs) rmSync(output, { force: true });
    }
    const [hand, eng, d1, d2, w1, w2, before] = rates;
    if (before) process.stdout.write(`  engine / baseline engine = ${ratio(eng, before)}\n`);
    const [rss] = peakRssOf(__filename, [shape.name, "file"]);
    process.stdout.write(
      `  engine / hand loop = ${ratio(eng, hand)}; engine / DuckDB 1 thread = ${ratio(eng, d1)} count only (DuckDB's lower bound), ${ratio(eng, w1)} writing rows; ` +
        `2 threads = ${ratio(eng, d2)} count only, ${ratio(eng, w2)} writing rows; peak RSS ${mb(rss)}\n`,
    );
    const name = shape.duckdb.entriesOnly ? `${shape.name} (DuckDB: entries only)` : shape.name;
    table.push(`| ${name} | ${(eng / 1e3).toFixed(0)} k ${unit} | ${ratio(eng, hand)} | ${ratio(eng, d1)} | ${ratio(eng, w1)} | ${ratio(eng, d2)} | ${ratio(eng, w2)} | ${mb(rss)} |`);
  }
  process.stdout.write(
    `\nRated by ${CPU ? "CPU time of this process, all threads (BENCH_CPU=1)" : "wall clock"}; × DuckDB: engine rate / DuckDB rate, count only (a lower bound on DuckDB's work) and writing the rows as JSON lines (the engine's work)\n` +
      `| shape | streamkit | × hand loop | × DuckDB 1 thread, count only | × DuckDB 1 thread, writing rows | × DuckDB 2 threads, count only | × DuckDB 2 threads, writing rows | peak RSS |\n` +
      `|---|---|---|---|---|---|---|---|\n${table.join("\n")}\n`,
  );
  for (const { name } of shapes.filter((s) => SCALE_SHAPES.includes("all") || SCALE_SHAPES.includes(s.name))) {
    if (!SCALE.length) break;
    const figures = SCALE.map((n) => {
      const [rss, heap] = peakRssOf(__filename, [name, String(n)]);
      return `${mb(rss)} at ${n} (live heap after GC ${mb(heap)})`;
    });
    process.stdout.write(`peak RSS of ${name} on generated events: ${figures.join(", ")} (goal ≤ 300 MB, flat)\n`);
  }
}

/** In a fresh process: the shape on the files (`file`), or on `n` generated events. */
async function rssChild(name: string, what: string): Promise<void> {
  const shape = SHAPES.find((s) => s.name === name)!;
  let inputs: RunInput[];
  if (what === "file") inputs = shape.inputs(prepare());
  else {
    const n = Number(what);
    const readings = shape.name === "streamjoin" ? Math.round(n / (1 + (DEVICES * STEP_MS) / ALARM_EVERY_MS)) : n;
    const events = (records: () => Iterable<unknown>): Iterable<InputEvent> => ({
      *[Symbol.iterator]() {
        let line = 0;
        for (const record of records()) yield { record: record as never, location: { file: "generated", line: ++line } };
      },
    });
    inputs = [{ alias: shape.name === "streamjoin" ? "readings" : "input", events: events(function* () {
      for (let i = 0; i < readings; i++) yield readingAt(i);
    }) }];
    if (shape.name === "streamjoin") inputs.push({ alias: "alarms", events: events(() => alarms(readings)) });
    if (shape.reference) inputs.push({ alias: "ref", events: openEventSource(referenceFile(), JSON_LINES) });
  }
  await engine(shape, inputs);
  printChildMemory();
}

if (process.argv[2] === "--rss-child") {
  rssChild(process.argv[3], process.argv[4]).catch((error) => {
    process.stderr.write(String(error?.stack ?? error));
    process.exit(1);
  });
}
