// Benchmark of `streamkit check`: the time to check a 200-line query warm (goal ≤ 50 ms),
// next to JSON.parse of the same bytes in the same run, and the whole CLI process (goal ≤ 300 ms).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { checkQuery } from "../lib/saql";

/** A realistic query of about `lines` lines: steps with windows, joins, CASE, analytic functions. */
export function buildQuery(lines = 200): string {
  const out: string[] = [];
  let step = 0;
  const stepNames: string[] = [];
  while (out.length < lines - 14) {
    const name = `Step${step}`;
    const source = step % 3 === 0 || stepNames.length === 0 ? `Telemetry${step % 4} TIMESTAMP BY eventTime` : stepNames[stepNames.length - 1]!;
    out.push(
      `${step === 0 ? "WITH" : ","} ${name} AS (`,
      `    SELECT deviceId, region,`,
      `        AVG(CAST(temperature AS float)) AS avgTemp,`,
      `        MAX(reading) AS maxReading, COUNT(*) AS readings,`,
      `        CASE WHEN AVG(temperature) > ${30 + step} THEN 'hot' ELSE 'ok' END AS level,`,
      `        System.Timestamp() AS windowEnd -- window end`,
      `    FROM ${source}`,
      `    WHERE deviceId IS NOT NULL AND region IN ('eu', 'us', 'asia') AND reading BETWEEN 0 AND 1000`,
      `    GROUP BY deviceId, region, TumblingWindow(minute, ${step + 1})`,
      `    HAVING COUNT(*) > ${step}`,
      `)`,
    );
    stepNames.push(name);
    step++;
  }
  out.push(
    `SELECT s.deviceId, s.avgTemp, r.owner, LAG(s.avgTemp) OVER (PARTITION BY s.deviceId LIMIT DURATION(hour, 1)) AS previous`,
    `INTO alerts`,
    `FROM ${stepNames[stepNames.length - 1]} s`,
    `JOIN Step0 r ON s.deviceId = r.deviceId AND DATEDIFF(minute, s, r) BETWEEN 0 AND 5`,
    `WHERE s.level = 'hot'`,
    ``,
    `SELECT deviceId, COUNT(*) AS events, System.Timestamp() AS windowEnd`,
    `INTO archive`,
    `FROM Telemetry0 TIMESTAMP BY eventTime`,
    `GROUP BY deviceId, HoppingWindow(Duration(minute, 10), Hop(minute, 5))`,
  );
  for (const name of stepNames.slice(1, -1)) out.push(`SELECT * INTO audit FROM ${name}`);
  return out.slice(0, Math.max(lines, out.length)).join("\n") + "\n";
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeMs(fn: () => void, repeat: number): number {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(times);
}

export interface CheckBenchResult {
  lines: number;
  bytes: number;
  checkWarmMs: number;
  checkColdMs: number;
  jsonParseMs: number;
  processMs: number;
  /** node + tsx + lib/saql only, checking the same file. */
  frontEndProcessMs: number;
  /** `node -e 0`: the floor of any process. */
  nodeBaselineMs: number;
  errors: number;
}

export function run(): CheckBenchResult {
  const query = buildQuery(200);
  const lines = query.split("\n").length - 1;
  const cold = timeMs(() => checkQuery(query), 1);
  for (let i = 0; i < 20; i++) checkQuery(query);
  const checkWarmMs = timeMs(() => checkQuery(query), 50);
  const errors = checkQuery(query).diagnostics.filter((d) => d.severity === "error").length;
  // The same bytes as a JSON document (the query's lines as a string array).
  const json = JSON.stringify(query.split("\n"));
  const jsonParseMs = timeMs(() => JSON.parse(json), 50);

  const dir = mkdtempSync(join(tmpdir(), "streamkit-bench-"));
  let processMs = NaN;
  let frontEndProcessMs = NaN;
  let nodeBaselineMs = NaN;
  try {
    const file = join(dir, "query.asaql");
    writeFileSync(file, query);
    const bin = resolve(__dirname, "../bin/streamkit");
    spawnSync(process.execPath, [bin, "check", file], { encoding: "utf8" }); // warm the loader's cache
    processMs = timeMs(() => {
      const r = spawnSync(process.execPath, [bin, "check", file], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`streamkit check failed: ${r.stdout}${r.stderr}`);
    }, 5);
    // The same check in a process that loads only the front end: what the CLI's other commands add.
    const frontEndOnly = `require("tsx/cjs"); const { checkQuery } = require(${JSON.stringify(resolve(__dirname, "../lib/saql/index.ts"))}); const r = checkQuery(require("fs").readFileSync(${JSON.stringify(file)}, "utf8")); process.exitCode = r.diagnostics.some((d) => d.severity === "error") ? 1 : 0;`;
    frontEndProcessMs = timeMs(() => {
      spawnSync(process.execPath, ["-e", frontEndOnly], { encoding: "utf8", cwd: resolve(__dirname, "..") });
    }, 5);
    nodeBaselineMs = timeMs(() => {
      spawnSync(process.execPath, ["-e", "0"], { encoding: "utf8" });
    }, 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const result = { lines, bytes: Buffer.byteLength(query), checkWarmMs, checkColdMs: cold, jsonParseMs, processMs, frontEndProcessMs, nodeBaselineMs, errors };
  const fmt = (n: number) => `${n.toFixed(2)} ms`;
  process.stdout.write(
    [
      `check: ${lines}-line query (${result.bytes} bytes, ${errors} error(s))`,
      `  checkQuery warm (median of 50): ${fmt(checkWarmMs)}   goal ≤ 50 ms   ${checkWarmMs <= 50 ? "ok" : "OVER"}`,
      `  checkQuery cold (first call):   ${fmt(cold)}`,
      `  JSON.parse of the same bytes:   ${fmt(jsonParseMs)}   (baseline, same run)`,
      `  streamkit check process (median of 5): ${fmt(processMs)}   goal ≤ 300 ms   ${processMs <= 300 ? "ok" : "OVER"}`,
      `  front end alone in a process (node + tsx + lib/saql): ${fmt(frontEndProcessMs)}`,
      `  bare node process (node -e 0): ${fmt(nodeBaselineMs)}   (load average ${require("node:os").loadavg()[0].toFixed(1)})`,
    ].join("\n") + "\n",
  );
  return result;
}

if (require.main === module) run();
