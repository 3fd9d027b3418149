// JavaScript UDFs: the cost of one call, measured as a UDF in WHERE on BENCH_UDF_EVENTS events
// (1 M by default) next to the same query with the test written in SAQL, in the same run: the
// difference over the events is the cost per call (crossing into the function's sandbox and
// back, converting the argument and the result).
//   npm run bench -- udf
//   BENCH_BASELINE=/path/to/another/checkout adds that checkout's engine (e.g. before UDFs ran in
//   a worker thread) as a contender, so both per-call figures come from one run.
import { mkdirSync, writeFileSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { openEventSource } from "../lib/io";
import { parseJobSpec } from "../lib/job";
import { runQuery } from "../lib/simulator/run";
import { JSON_LINES, benchDir, engineRows, printLoad, race, readingAt, writeLines } from "./harness";

const EVENTS = Number(process.env.BENCH_UDF_EVENTS ?? 1_000_000);
const BASELINE = process.env.BENCH_BASELINE;
const PLAIN = "SELECT deviceId, temp FROM input TIMESTAMP BY ts WHERE temp > 25";
const UDF = "SELECT deviceId, temp FROM input TIMESTAMP BY ts WHERE udf.hot(temp) = 1";

export async function run(): Promise<void> {
  printLoad();
  const dir = join(benchDir(), "udf");
  mkdirSync(join(dir, "Functions"), { recursive: true });
  const file = join(dir, `readings-${EVENTS}.json`);
  if (!existsSync(file) || statSync(file).size === 0) writeLines(file, EVENTS, readingAt);
  writeFileSync(join(dir, "Functions", "hot.js"), "function main(t) { return t > 25 ? 1 : 0; }\n");
  const job = parseJobSpec({
    name: "udf-bench",
    query: { text: UDF },
    inputs: [{ alias: "input", kind: "eventhub" }],
    outputs: [{ alias: "output", kind: "blob" }],
    functions: [{ name: "hot", kind: "javascript-udf", file: join(dir, "Functions", "hot.js") }],
  });
  const inputs = () => [{ alias: "input", events: openEventSource(file, JSON_LINES) }];
  const baseline = BASELINE ? (require(join(BASELINE, "lib/simulator/run")) as { runQuery: typeof runQuery }).runQuery : undefined;
  const contenders: [string, () => Promise<number>][] = [
    ["WHERE temp > 25 (no function)", () => engineRows(PLAIN, inputs())],
    ["WHERE udf.hot(temp) = 1", () => engineRows(UDF, inputs(), { job })],
  ];
  if (baseline) contenders.push(["WHERE udf.hot(temp) = 1 (BENCH_BASELINE)", () => engineRows(UDF, inputs(), { job, run: baseline })]);
  const rates = await race(EVENTS, contenders, { labelWidth: 44, rowsMustAgree: true });
  const perCall = (rate: number) => ((1 / rate - 1 / rates[0]) * 1e6).toFixed(2);
  process.stdout.write(`  cost of one call: ${perCall(rates[1])} µs${baseline ? `; BENCH_BASELINE: ${perCall(rates[2])} µs` : ""}\n`);
}
