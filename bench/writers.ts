// Output writers: peak RSS of a run's outputs (lib/simulator/output-files: rows spilled as JSON
// lines, then each format written from the spill a chunk or row group at a time) at 1 M and 10 M
// rows per format, beside a hand-written loop writing the same rows as JSON lines (the floor: no
// row kept) and the former whole-file writer (every row held, then formatRows) at 1 M rows.
// Each figure comes from a fresh process. `BENCH_WRITER_ROWS=1000000,10000000` sets the counts,
// `BENCH_WRITER_FORMATS=avro,csv` the formats (default: all).
import { closeSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { formatRows } from "../lib/io";
import type { Serialization } from "../lib/job";
import { DateTimeValue, type RecordValue } from "../lib/saql/values";
import { jsonLine } from "../lib/simulator/json-line";
import { OutputSet } from "../lib/simulator/output-files";
import { benchDir, DEVICES, peakRssOf, printChildMemory, printLoad, START, STEP_MS } from "./harness";

const COUNTS = (process.env.BENCH_WRITER_ROWS ?? "1000000,10000000").split(",").map(Number);
const FORMATS: Record<string, Serialization> = {
  "json lines": { type: "json", encoding: "utf8", compression: "none" },
  "json array": { type: "json", encoding: "utf8", compression: "none", format: "array" },
  csv: { type: "csv", encoding: "utf8", compression: "none", fieldDelimiter: "," },
  parquet: { type: "parquet", encoding: "utf8", compression: "none" },
  "json gzip": { type: "json", encoding: "utf8", compression: "gzip" },
  avro: { type: "avro", encoding: "utf8", compression: "none" },
};
const WANTED = process.env.BENCH_WRITER_FORMATS?.split(",") ?? Object.keys(FORMATS);

/** An output row as a window query writes it: a device, an average, a count, the window end. */
function rowAt(i: number): RecordValue {
  return { deviceId: `dev-${(i * 7919) % DEVICES}`, avgTemp: 15 + ((i * 31) % 200) / 10, n: i % 50, windowEnd: new DateTimeValue(START + i * STEP_MS, i % 10) };
}

async function child(how: string, format: string, n: number, path: string): Promise<void> {
  const serialization = FORMATS[format];
  if (how === "loop") {
    const fd = openSync(path, "w");
    let batch: string[] = [];
    for (let i = 0; i < n; i++) {
      batch.push(jsonLine(rowAt(i)));
      if (batch.length === 4096) (writeSync(fd, batch.join("\n") + "\n"), (batch = []));
    }
    writeSync(fd, batch.join("\n") + "\n");
    closeSync(fd);
  } else if (how === "whole") {
    const rows: RecordValue[] = [];
    for (let i = 0; i < n; i++) rows.push(rowAt(i));
    const bytes = formatRows(rows, serialization);
    const fd = openSync(path, "w");
    writeSync(fd, new Uint8Array(bytes));
    closeSync(fd);
  } else {
    const set = new OutputSet();
    const out = set.open("o", path, serialization);
    for (let i = 0; i < n; i++) out.add(rowAt(i));
    await set.commit();
  }
  printChildMemory();
}

export async function run(): Promise<void> {
  printLoad();
  const dir = benchDir();
  const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
  const measure = (how: string, format: string, n: number) => {
    const path = join(dir, `writer-${how}-${format.replace(" ", "-")}-${n}`);
    const started = process.hrtime.bigint();
    const [rss] = peakRssOf(__filename, [how, format, String(n), path]);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const size = statSync(path).size;
    rmSync(path, { force: true });
    return `peak RSS ${mb(rss).padStart(7)}  file ${mb(size).padStart(6)}  ${seconds.toFixed(1)} s`;
  };
  process.stdout.write(`${"writer".padEnd(34)} ${"rows".padStart(10)}\n`);
  for (const n of COUNTS) {
    process.stdout.write(`${"hand-written JSON-lines loop".padEnd(34)} ${String(n).padStart(10)}  ${measure("loop", "json lines", n)}\n`);
    for (const format of WANTED) process.stdout.write(`${`streamed ${format}`.padEnd(34)} ${String(n).padStart(10)}  ${measure("stream", format, n)}\n`);
  }
  const n = Math.min(...COUNTS);
  for (const format of ["csv", "parquet"].filter((f) => WANTED.includes(f))) process.stdout.write(`${`whole-file ${format} (before)`.padEnd(34)} ${String(n).padStart(10)}  ${measure("whole", format, n)}\n`);
}

if (process.argv[2] === "--rss-child") {
  const [how, format, n, path] = process.argv.slice(3);
  child(how, format, Number(n), path).catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = 1;
  });
}
