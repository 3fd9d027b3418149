// `streamkit run --compare <folder>`: a replay of Capture files compared with the files a real job
// wrote (output folders in JSON lines, CSV, Parquet), by the rules of `streamkit test`; exit 1 when
// they differ. Called in-process: the process itself does not matter here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeOutputFile } from "../../lib/io";
import { DateTimeValue } from "../../lib/saql/values";
import { capturePath, writeCaptureFile } from "../io/capture-files";
import { runCliInProcess } from "./cli-in-process";

let dir: string;
const at = (second: number) => new Date(Date.UTC(2024, 0, 1, 10, 0, 0) + second * 1000).toISOString();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "run-compare-"));
  // Two partitions: d1 on 0, d2 on 1; minute windows.
  await writeCaptureFile(capturePath(join(dir, "capture"), 0, at(0)), [1, 20, 70].map((s) => ({ enqueued: at(s), body: { deviceId: "d1", v: s } })));
  await writeCaptureFile(capturePath(join(dir, "capture"), 1, at(0)), [5, 65].map((s) => ({ enqueued: at(s), body: { deviceId: "d2", v: s } })));
  writeFileSync(
    join(dir, "query.asaql"),
    [
      "SELECT deviceId, COUNT(*) AS n, System.Timestamp() AS windowEnd INTO agg FROM input GROUP BY deviceId, TumblingWindow(minute, 1)",
      "SELECT deviceId, v, PartitionId, EventEnqueuedUtcTime, EventProcessedUtcTime INTO raw FROM input",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "job.json"),
    JSON.stringify({
      name: "replay",
      query: { file: "query.asaql" },
      inputs: [{ alias: "input", kind: "eventhub", local: { path: "capture", kind: "capture" } }],
      outputs: [
        { alias: "agg", kind: "adls", serialization: { type: "csv" } },
        { alias: "raw", kind: "blob", serialization: { type: "parquet" } },
      ],
    }),
  );
  // What the real job wrote: agg as CSV in two files of its path pattern, raw as Parquet.
  const real = join(dir, "real");
  mkdirSync(join(real, "agg", "2024", "01", "01"), { recursive: true });
  writeFileSync(join(real, "agg", "2024", "01", "01", "0_a_1.csv"), `deviceId,n,windowEnd\nd1,2,${at(60)}\nd2,1,${at(60)}\n`);
  writeFileSync(join(real, "agg", "2024", "01", "01", "0_b_1.csv"), `deviceId,n,windowEnd\nd1,1,${at(120)}\nd2,1,${at(120)}\n`);
  const raw = [1, 5, 20, 65, 70].map((s) => ({
    deviceId: s === 5 || s === 65 ? "d2" : "d1",
    v: s,
    PartitionId: s === 5 || s === 65 ? 1 : 0,
    EventEnqueuedUtcTime: DateTimeValue.fromMs(Date.parse(at(s))),
    // When the real job processed it: never what a replay can know, left out of the comparison.
    EventProcessedUtcTime: DateTimeValue.fromMs(Date.parse(at(s)) + 1234),
  }));
  mkdirSync(join(real, "raw"), { recursive: true });
  writeOutputFile(join(real, "raw", "0_c_1.parquet"), raw, { type: "parquet", encoding: "utf8", compression: "none" });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (compare: string, ...extra: string[]) => runCliInProcess(["run", "--job", join(dir, "job.json"), "--ordering", "cloud", "--compare", join(dir, compare), "-q", ...extra]);

test("outputs equal to the real job's: the rows matched per output, exit 0", async () => {
  const r = await run("real");
  expect(r.stderr).toBe("");
  expect(r.stdout).toContain("compare agg: 4 row(s) matched, 0 missing, 0 extra, 0 changed (real job: 4 row(s) in 2 files under");
  expect(r.stdout).toContain("compare raw: 5 row(s) matched, 0 missing, 0 extra, 0 changed");
  expect(r.stdout).toContain("all 2 output(s) match the real job's");
  expect(r.code).toBe(0);
});

test("outputs that differ: missing, extra and changed rows with their first differences, exit 1", async () => {
  const other = join(dir, "other");
  mkdirSync(join(other, "agg"), { recursive: true });
  // d1's first window counted 3 (changed), d2's second window absent (extra), a d3 row the replay lacks (missing).
  writeFileSync(join(other, "agg", "x.csv"), `deviceId,n,windowEnd\nd1,3,${at(60)}\nd2,1,${at(60)}\nd1,1,${at(120)}\nd3,9,${at(120)}\n`);
  const r = await run("other");
  expect(r.stdout).toContain("compare agg: 2 row(s) matched, 1 missing, 1 extra, 1 changed");
  expect(r.stdout).toContain("changed row (n):");
  expect(r.stdout).toMatch(/missing row: \{"deviceId":"d3","n":"?9"?/);
  expect(r.stdout).toMatch(/extra row: +\{"deviceId":"d2","n":"?1"?,"windowEnd":"2024-01-01T10:02/);
  expect(r.stdout).toContain("compare raw: the real job's folder has no raw/ or raw.<ext> (5 row(s) written by this run)");
  expect(r.stdout).toContain("2 of 2 output(s) differ from the real job's");
  expect(r.code).toBe(1);
});

test("--ignore-field replaces the fields left out: EventProcessedUtcTime then differs", async () => {
  const r = await run("real", "--ignore-field", "v");
  expect(r.stdout).toContain("compare raw: 0 row(s) matched, 0 missing, 0 extra, 5 changed");
  expect(r.stdout).toContain("changed row (EventProcessedUtcTime):");
  expect(r.code).toBe(1);
});

test("usage errors: a missing folder, --ignore-field without --compare", async () => {
  const missing = await run("nowhere");
  expect(missing.stderr).toMatch(/--compare: folder not found: .*nowhere/);
  expect(missing.code).toBe(2);
  const stray = await runCliInProcess(["run", "--job", join(dir, "job.json"), "--ignore-field", "x", "-o", join(dir, "o")]);
  expect(stray.stderr).toContain("--ignore-field applies to --compare");
  expect(stray.code).toBe(2);
});
