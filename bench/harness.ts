// What the engine benchmarks share: the generated device readings, the JSON-lines files they are
// written to, the timing race between contenders, the engine as a contender, and peak-RSS
// measurement in a fresh process. Not a benchmark itself: it exports no run().
import { spawnSync } from "node:child_process";
import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { jsonLine } from "../lib/simulator/json-line";
import { runQuery, type RunInput } from "../lib/simulator/run";
import type { JobSpec } from "../lib/job/schema";

export const DEVICES = 100;
export const START = Date.UTC(2021, 5, 1);
/** A reading every 5 ms (100 devices: one per device every 0.5 s; 2 M readings span ~2.8 hours). */
export const STEP_MS = 5;

export const JSON_LINES = { type: "json", encoding: "utf8", compression: "none" } as const;

// A type alias, not an interface: it stays assignable to a record value.
export type Reading = {
  deviceId: string;
  temp: number;
  ts: string;
};

/** The i-th generated reading: devices interleaved, temperatures 15–35 °C, times STEP_MS apart. */
export function readingAt(i: number): Reading {
  return {
    deviceId: `dev-${(i * 7919) % DEVICES}`,
    temp: Math.round((15 + ((i * 31) % 200) / 10) * 10) / 10,
    ts: new Date(START + i * STEP_MS).toISOString(),
  };
}

/** Writes `n` records as JSON lines, 10,000 lines per write. */
export function writeLines(path: string, n: number, at: (i: number) => unknown): void {
  const fd = openSync(path, "w");
  let batch: string[] = [];
  for (let i = 0; i < n; i++) {
    batch.push(JSON.stringify(at(i)));
    if (batch.length === 10000) {
      writeSync(fd, batch.join("\n") + "\n");
      batch = [];
    }
  }
  if (batch.length) writeSync(fd, batch.join("\n") + "\n");
  closeSync(fd);
}

/** A file's lines a chunk at a time (no readline, one await per chunk): the fast way to write a loop by hand. */
export async function* lineChunks(file: string): AsyncGenerator<string[]> {
  let rest = "";
  for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const parts = (rest + (chunk as string)).split("\n");
    rest = parts.pop()!;
    yield parts.filter((l) => l.length > 0);
  }
  if (rest.trim()) yield [rest];
}

/** The folder generated files are kept in between runs. */
export function benchDir(): string {
  const dir = join(tmpdir(), "streamkit-bench");
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function printLoad(): void {
  process.stdout.write(`load average now: ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cpus().length} cores (figures are only comparable within one run)\n`);
}

const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 2));

export interface RaceOptions {
  /** Width of the contender's label column. */
  labelWidth: number;
  /** Fail when the contenders return different row counts (they must have done the same work). */
  rowsMustAgree: boolean;
  /** Only these contenders (by index) must agree on the row count; the others are printed beside them. */
  agreeing?: number[];
  /**
   * Rate by this process's CPU time (user + system) rather than the wall clock: a machine shared
   * with other work disturbs it far less. Both are printed.
   */
  cpu?: boolean;
  /** Hears each contender's best wall-clock and CPU seconds (all threads of the process). */
  onBest?: (index: number, best: { wall: number; cpu: number }) => void;
}

/**
 * Runs the contenders in turns, REPEAT rounds, and keeps each one's best time: on a shared machine
 * the load changes from second to second, and turns expose all contenders to the same conditions.
 * Round r starts at contender r mod n (no contender always runs first, on a cold cache and heap),
 * and when node runs with --expose-gc (`npm run bench` does) a full GC precedes each contender, so
 * that none pays on its clock for the garbage another left. Prints and returns each one's rate
 * over `events` events.
 */
export async function race(events: number, contenders: [string, () => Promise<number>][], options: RaceOptions): Promise<number[]> {
  const best = contenders.map(() => Infinity);
  const bestCpu = contenders.map(() => Infinity);
  const rows = contenders.map(() => 0);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) process.stdout.write("  (node without --expose-gc: no full GC between contenders)\n");
  for (let round = 0; round < REPEAT; round++) {
    for (let turn = 0; turn < contenders.length; turn++) {
      const i = (round + turn) % contenders.length;
      gc?.();
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      rows[i] = await contenders[i][1]();
      const c = process.cpuUsage(c0);
      best[i] = Math.min(best[i], Number(process.hrtime.bigint() - t0) / 1e9);
      bestCpu[i] = Math.min(bestCpu[i], (c.user + c.system) / 1e6);
    }
  }
  if (options.rowsMustAgree && new Set(rows).size !== 1) throw new Error(`the contenders disagree on the row count: ${rows.join(" vs ")}`);
  if (options.agreeing && new Set(options.agreeing.map((i) => rows[i])).size > 1) {
    throw new Error(`${options.agreeing.map((i) => contenders[i][0]).join(" and ")} disagree on the row count: ${options.agreeing.map((i) => rows[i]).join(" vs ")}`);
  }
  return contenders.map(([label], i) => {
    options.onBest?.(i, { wall: best[i], cpu: bestCpu[i] });
    if (options.cpu) {
      const rate = events / bestCpu[i];
      process.stdout.write(
        `  ${label.padEnd(options.labelWidth)} ${(rate / 1e6).toFixed(2).padStart(6)} M events/CPU-s  (best of ${REPEAT}: ${bestCpu[i].toFixed(2)} CPU-s, ${best[i].toFixed(2)} s wall, ${rows[i]} rows)\n`,
      );
      return rate;
    }
    const rate = events / best[i];
    process.stdout.write(`  ${label.padEnd(options.labelWidth)} ${(rate / 1e6).toFixed(2).padStart(6)} M events/s  (best of ${REPEAT}: ${best[i].toFixed(2)} s, ${rows[i]} rows)\n`);
    return rate;
  });
}

/**
 * The engine as a contender: runs the query and formats each row as `streamkit run` writes it; returns
 * the row count. `job` gives reference inputs; `run` is another checkout's runQuery (BENCH_BASELINE).
 */
export async function engineRows(query: string, inputs: RunInput[], options: { job?: JobSpec; run?: typeof runQuery } = {}): Promise<number> {
  let rows = 0;
  let bytes = 0;
  await (options.run ?? runQuery)({
    queryText: query,
    job: options.job,
    inputs,
    collect: false,
    onRow: (_alias, row) => {
      rows++;
      bytes += jsonLine(row).length;
    },
  });
  return rows + (bytes < 0 ? 1 : 0);
}

/**
 * Peak RSS and live heap after a full GC (bytes) of `script --rss-child ...args` run in a fresh
 * process; the child prints them with printChildMemory().
 */
export function peakRssOf(script: string, args: string[]): [number, number] {
  const result = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", script, "--rss-child", ...args], {
    encoding: "utf8",
    env: process.env,
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`RSS child failed: ${result.stderr}`);
  const [rss, heap] = result.stdout.trim().split(" ").map(Number);
  return [rss, heap];
}

/** In the RSS child, at the end: a full GC, then peak RSS and live heap for peakRssOf(). */
export function printChildMemory(): void {
  (globalThis as { gc?: () => void }).gc?.();
  process.stdout.write(`${process.resourceUsage().maxRSS * 1024} ${process.memoryUsage().heapUsed}\n`);
}
