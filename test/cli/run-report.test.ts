// `streamkit run --report run.json`, --ordering and --arrival-time, driven as a process: the
// report counts each data error by ASA's type with its first locations, as the summary does.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./cli-process";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "run-report-"));
  writeFileSync(
    join(dir, "query.asaql"),
    [
      "CREATE TABLE input (Id bigint, ts nvarchar(max), k nvarchar(max));",
      "SELECT Id, System.Timestamp() AS T INTO out FROM input TIMESTAMP BY ts OVER k",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "in.json"),
    [
      '{"Id": 1, "ts": "2024-01-01T00:00:05Z", "k": "a"}',
      '{"Id": 2, "ts": "2024-01-01T00:00:01Z", "k": "a"}',
      "{not json",
      '{"Id": "three", "ts": "2024-01-01T00:00:02Z", "k": "a"}',
      '{"Id": 4, "ts": null, "k": "a"}',
      '{"Id": 5, "ts": "2024-01-01T00:00:03Z", "k": null}',
      '{"Id": 6, "ts": "2024-01-01T00:00:04Z", "k": "b"}',
    ].join("\n") + "\n",
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("local ordering: rows in event-time order; each data error counted by type with its first location", () => {
  const report = join(dir, "run.json");
  const r = runCli(["run", "query.asaql", "-i", "input=in.json", "-o", "out", "--report", report, "--arrival-time", "2024-01-01T00:00:00Z"], { cwd: dir });
  expect(r.stderr).toContain(`in.json:3: malformed JSON`);
  expect(r.code).toBe(0);
  const rows = readFileSync(join(dir, "out", "out.json"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  expect(rows.map((row) => row.Id)).toEqual([2, 6, 1]);
  const json = JSON.parse(readFileSync(report, "utf8"));
  expect(json.ordering).toBe("local");
  expect(json.arrivalTime).toBe("2024-01-01T00:00:00.0000000Z");
  expect(json.inputs).toEqual({ input: { eventsRead: 6 } });
  expect(json.outputs.out.rowsWritten).toBe(3);
  expect(json.dataErrors.total).toBe(4);
  const at = (type: string) => ({ count: json.dataErrors.byType[type].count, where: json.dataErrors.byType[type].first.map((f: { location: string }) => f.location) });
  const file = join(dir, "in.json");
  expect(at("InputDeserializerError.InvalidData")).toEqual({ count: 2, where: [`${file}:3`, `${file}:4`] });
  expect(at("InputEventTimestampNotFound")).toEqual({ count: 1, where: [`${file}:5`] });
  expect(at("InputEventTimestampByOverValueNotFound")).toEqual({ count: 1, where: [`${file}:6`] });
  expect(at("InputEventOutOfOrderBeyondThreshold")).toEqual({ count: 0, where: [] });
  expect(r.stdout).toContain("data errors: 4 (by ASA's type; first locations)");
  expect(r.stdout).toContain(`  InputEventTimestampByOverValueNotFound: 1 (${file}:6)`);
});

test("--ordering cloud applies the job's policy and counts what it adjusts", () => {
  const report = join(dir, "cloud.json");
  writeFileSync(join(dir, "plain.asaql"), "SELECT Id, System.Timestamp() AS T INTO out FROM input TIMESTAMP BY ts");
  const r = runCli(["run", "plain.asaql", "-i", "input=in.json", "-o", "cloud", "--report", report, "--ordering", "cloud"], { cwd: dir });
  expect(r.code).toBe(0);
  const json = JSON.parse(readFileSync(report, "utf8"));
  expect(json.ordering).toBe("cloud");
  // Id 2 (00:01) after Id 1 (00:05): adjusted; so are the 00:02, 00:03 and 00:04 events after it.
  expect(json.orderingPolicy.outOfOrderAdjusted).toBe(4);
  expect(json.dataErrors.byType.InputEventOutOfOrderBeyondThreshold.count).toBe(4);
  expect(json.dataErrors.byType.InputEventOutOfOrderBeyondThreshold.first[0].location).toBe(`${join(dir, "in.json")}:2`);
  expect(r.stdout).toContain("out-of-order events: 4 adjusted");
});

test("bad --ordering and --arrival-time values are usage errors (exit 2)", () => {
  const a = runCli(["run", "query.asaql", "-i", "input=in.json", "-o", "x", "--ordering", "sorted"], { cwd: dir });
  expect(a.code).toBe(2);
  expect(a.stderr).toContain("--ordering takes local or cloud, got 'sorted'");
  const b = runCli(["run", "query.asaql", "-i", "input=in.json", "-o", "x", "--arrival-time", "2024-01-01T00:00:00"], { cwd: dir });
  expect(b.code).toBe(2);
  expect(b.stderr).toContain("--arrival-time takes an ISO 8601 instant with its zone");
});
