// `streamkit run` driven as a user would: a real process, real files.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../cli/cli-process";
import { runCliInProcess } from "../../cli/cli-in-process";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sk-run-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const events = [
  { DeviceId: "a", Temp: 31, T: "2021-06-01T10:00:01Z" },
  { DeviceId: "b", Temp: 20, T: "2021-06-01T10:00:02Z" },
  { DeviceId: "a", Temp: 35, T: "2021-06-01T10:00:12Z" },
];

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test("runs a query on a JSON-lines file and writes each output as JSON lines, with a summary", async () => {
  const query = write(
    "q.asaql",
    `SELECT DeviceId, Temp INTO hot FROM telemetry TIMESTAMP BY T WHERE Temp > 30
SELECT DeviceId, COUNT(*) AS N, System.Timestamp() AS WindowEnd INTO counts FROM telemetry TIMESTAMP BY T GROUP BY DeviceId, TumblingWindow(second, 10)`,
  );
  const input = write("events.json", events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  const out = join(dir, "out");
  const r = await runCliInProcess(["run", query, "--input", `telemetry=${input}`, "--out", out]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(readFileSync(join(out, "hot.json"), "utf8")).toBe('{"DeviceId":"a","Temp":31}\n{"DeviceId":"a","Temp":35}\n');
  const counts = readFileSync(join(out, "counts.json"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  expect(counts).toEqual([
    { DeviceId: "a", N: 1, WindowEnd: "2021-06-01T10:00:10.0000000Z" },
    { DeviceId: "b", N: 1, WindowEnd: "2021-06-01T10:00:10.0000000Z" },
    { DeviceId: "a", N: 1, WindowEnd: "2021-06-01T10:00:20.0000000Z" },
  ]);
  expect(r.stdout).toContain("input  telemetry: 3 event(s) read");
  expect(r.stdout).toContain("output hot: 2 row(s) written");
  expect(r.stdout).toContain("output counts: 3 row(s) written");
  expect(r.stdout).toContain("ordering: local (each input in event-time order, no ordering policy)");
  expect(r.stdout).toContain("deserialization errors: 0");
});

test("reads CSV named by :csv, counts malformed events and goes on", async () => {
  const query = write("q.asaql", "SELECT DeviceId, Temp FROM telemetry");
  const input = write("events.txt", "DeviceId,Temp\na,1\nb,2\n");
  const r = await runCliInProcess(["run", query, "--input", `telemetry=${input}:csv`, "--out", dir, "--quiet"]);
  expect(r.code).toBe(0);
  expect(readFileSync(join(dir, "output.json"), "utf8").trim().split("\n")).toHaveLength(2);

  const bad = write("bad.json", '{"DeviceId":"a"}\n{"DeviceId":\n{"DeviceId":"c"}\n');
  const r2 = await runCliInProcess(["run", query, "--input", `telemetry=${bad}`, "--out", join(dir, "o2")]);
  expect(r2.code).toBe(0);
  expect(r2.stderr).toMatch(/warning: .*bad\.json:2/);
  expect(r2.stdout).toContain("deserialization errors: 1");
  expect(readFileSync(join(dir, "o2", "output.json"), "utf8").trim().split("\n")).toHaveLength(2);
});

test("takes inputs, outputs and the event-ordering policy from --job (applied with --ordering cloud)", async () => {
  write("q.asaql", "SELECT No, System.Timestamp() AS Ts INTO archive FROM input TIMESTAMP BY EventTime");
  write(
    "in.json",
    [
      { No: 1, EventTime: "2021-06-01T10:00:00Z", Enq: "2021-06-01T10:00:40Z" },
      { No: 2, EventTime: "2021-06-01T10:00:41Z", Enq: "2021-06-01T10:00:41Z" },
    ]
      .map((e) => JSON.stringify(e))
      .join("\n"),
  );
  const job = write(
    "job.json",
    JSON.stringify({
      name: "cli-job",
      query: { file: "q.asaql" },
      eventOrdering: { lateArrivalMaxDelaySeconds: 15, outOfOrderMaxDelaySeconds: 0, policy: "adjust" },
      inputs: [{ alias: "input", kind: "eventhub", local: { path: "in.json", arrivalTimeField: "Enq" } }],
      outputs: [{ alias: "archive", kind: "blob", local: { path: "results/archive.json" } }],
    }),
  );
  // The job's policy is applied only to cloud input sources (event-ordering article): opt in.
  const r = await runCliInProcess(["run", join(dir, "q.asaql"), "--job", job, "--ordering", "cloud"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("late events: 1 adjusted, 0 dropped");
  const rows = readFileSync(join(dir, "results", "archive.json"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  expect(rows).toEqual([
    { No: 1, Ts: "2021-06-01T10:00:25.0000000Z" },
    { No: 2, Ts: "2021-06-01T10:00:41.0000000Z" },
  ]);
});

test("writes an output in the serialization the job declares (CSV), and an empty file for an output with no rows", async () => {
  write("q.asaql", "SELECT DeviceId, Temp INTO table1 FROM telemetry TIMESTAMP BY T\nSELECT DeviceId INTO none FROM telemetry TIMESTAMP BY T WHERE Temp > 100");
  write("events.json", events.map((e) => JSON.stringify(e)).join("\n"));
  const job = write(
    "job.json",
    JSON.stringify({
      name: "csv-job",
      query: { file: "q.asaql" },
      inputs: [{ alias: "telemetry", kind: "eventhub", local: { path: "events.json" } }],
      outputs: [
        { alias: "table1", kind: "blob", serialization: { type: "csv", fieldDelimiter: ";" }, local: { path: "out/table1.csv" } },
        { alias: "none", kind: "blob", local: { path: "out/none.json" } },
      ],
    }),
  );
  const r = await runCliInProcess(["run", join(dir, "q.asaql"), "--job", job]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(readFileSync(join(dir, "out", "table1.csv"), "utf8").trim().split(/\r?\n/)).toEqual(["DeviceId;Temp", "a;31", "b;20", "a;35"]);
  expect(readFileSync(join(dir, "out", "none.json"), "utf8")).toBe("");
  expect(r.stdout).toContain("output none: 0 row(s) written");
});

test("a feature not implemented stops the run with its name and location, and writes no file", async () => {
  const query = write("q.asaql", "SELECT\n  TOP 1 Id\nINTO out\nFROM a TIMESTAMP BY T");
  const a = write("a.json", JSON.stringify({ Id: 1, T: "2021-06-01T10:00:00Z" }));
  const out = join(dir, "out");
  const r = await runCliInProcess(["run", query, "--input", `a=${a}`, "--out", out]);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/q\.asaql:2:7: TOP \(.*\) is not supported by the local engine/);
  expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
});

test("a Delta Lake output the query writes: check reports it, as run does (an output opens at its first row, which an empty run never has)", async () => {
  const query = write("q.asaql", "SELECT Id INTO lake FROM a TIMESTAMP BY T\nSELECT Id INTO copy FROM a TIMESTAMP BY T");
  const a = write("a.json", JSON.stringify({ Id: 1, T: "2021-06-01T10:00:00Z" }));
  const job = write(
    "job.json",
    JSON.stringify({
      name: "delta-job",
      query: { file: "q.asaql" },
      inputs: [{ alias: "a", kind: "eventhub" }],
      outputs: [
        { alias: "lake", kind: "adls", serialization: { type: "delta" } },
        { alias: "copy", kind: "blob" },
        { alias: "unused", kind: "adls", serialization: { type: "delta" } },
      ],
    }),
  );
  const words = "output 'lake': output serialization 'delta' is not supported by the local engine";
  const check = await runCliInProcess(["check", query, "--job", job]);
  expect(check.code).toBe(1);
  expect(check.stdout).toContain(`q.asaql: error: ${words}`);
  expect(check.stdout).not.toContain("output 'unused': output serialization");
  const run = await runCliInProcess(["run", query, "--job", job, "--input", `a=${a}`, "--out", join(dir, "delta-out")]);
  expect(run.code).toBe(2);
  expect(run.stderr).toBe(`streamkit: ${words}\n`);
});

test("a query error is reported with file:line:col; a missing input by its alias", async () => {
  const query = write("q.asaql", "SELECT DeviceId, COUNT(*) AS N\nFROM telemetry TIMESTAMP BY T\nGROUP BY DeviceId");
  const input = write("events.json", JSON.stringify(events[0]));
  const r = await runCliInProcess(["run", query, "--input", `telemetry=${input}`, "--out", dir]);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/q\.asaql:\d+:\d+: /);

  const ok = write("ok.asaql", "SELECT * FROM telemetry");
  const r2 = await runCliInProcess(["run", ok, "--out", dir]);
  expect(r2.code).not.toBe(0);
  expect(r2.stderr).toContain("the query reads input 'telemetry', but no events were given for it");
});

test("a run that fails half-way leaves no partial output file", async () => {
  // The first statement writes rows; the second calls a function that throws on the third event.
  const fs = require("node:fs") as typeof import("node:fs");
  fs.mkdirSync(join(dir, "Functions"), { recursive: true });
  write("Functions/f.js", "function main(id) { if (id === 3) throw new Error('bad id'); return id; }\n");
  const query = write("q.asaql", "SELECT Id INTO ok FROM telemetry\nSELECT udf.f(Id) AS F INTO stamped FROM telemetry");
  const job = write(
    "job.json",
    JSON.stringify({
      name: "half-way",
      query: { file: "q.asaql" },
      inputs: [{ alias: "telemetry", kind: "eventhub" }],
      outputs: [{ alias: "ok", kind: "blob" }, { alias: "stamped", kind: "blob" }],
      functions: [{ name: "f", kind: "javascript-udf", file: "Functions/f.js" }],
    }),
  );
  const input = write("events.json", [1, 2, 3].map((Id) => JSON.stringify({ Id })).join("\n"));
  const out = join(dir, "out");
  const r = await runCliInProcess(["run", query, "--job", job, "--input", `telemetry=${input}`, "--out", out]);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/q\.asaql:2:8: JavaScript function 'f' failed: Error: bad id/);
  expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
});

test("rejects a malformed --input", async () => {
  const query = write("q.asaql", "SELECT * FROM telemetry");
  const r = await runCliInProcess(["run", query, "--input", "telemetry"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("--input takes Alias=path[:format]");
});

test("a job's JavaScript UDF runs from its file beside the job; one that throws stops the run naming the function and the event", async () => {
  const fs = require("node:fs") as typeof import("node:fs");
  fs.mkdirSync(join(dir, "job", "Functions"), { recursive: true });
  fs.mkdirSync(join(dir, "elsewhere"), { recursive: true });
  write("job/Functions/f.js", "function main(c) { if (c > 33) throw new Error('too hot: ' + c); return c * 9 / 5 + 32; }\n");
  write("job/q.asaql", "SELECT DeviceId, udf.f(Temp) AS F INTO out FROM telemetry");
  write(
    "job/job.json",
    JSON.stringify({
      name: "udf-job",
      query: { file: "q.asaql" },
      inputs: [{ alias: "telemetry", kind: "eventhub" }],
      outputs: [{ alias: "out", kind: "blob" }],
      functions: [{ name: "f", kind: "javascript-udf", file: "Functions/f.js" }],
    }),
  );
  const input = write("events.json", events.slice(0, 2).map((e) => JSON.stringify(e)).join("\n") + "\n");
  const out = join(dir, "out");
  // Run from another folder: the function's file is found relative to the job file.
  const r = runCli(["run", join(dir, "job", "q.asaql"), "--job", join(dir, "job", "job.json"), "--input", `telemetry=${input}`, "--out", out], { cwd: join(dir, "elsewhere") });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(readFileSync(join(out, "out.json"), "utf8")).toBe('{"DeviceId":"a","F":87.8}\n{"DeviceId":"b","F":68}\n');

  const hot = write("hot.json", events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  const failed = await runCliInProcess(["run", join(dir, "job", "q.asaql"), "--job", join(dir, "job", "job.json"), "--input", `telemetry=${hot}`, "--out", join(dir, "out2")]);
  expect(failed.code).not.toBe(0);
  expect(failed.stderr).toMatch(/q\.asaql:1:18: JavaScript function 'f' failed: Error: too hot: 35 \(on the event at .*hot\.json:3\)/);
  expect(existsSync(join(dir, "out2", "out.json"))).toBe(false);
});
