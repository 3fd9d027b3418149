// `streamkit run` without --out writes no file the job does not name: one output goes to standard
// output as JSON lines (the summary to standard error), several need --out.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./cli-process";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "streamkit-run-stdout-"));
  writeFileSync(join(dir, "events.json"), ['{"deviceId":"a","temperature":30}', '{"deviceId":"b","temperature":20}', '{"deviceId":"c","temperature":31}'].join("\n"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("one output: its rows on standard output as JSON lines, the summary on standard error, no file written", () => {
  writeFileSync(join(dir, "q.asaql"), "SELECT deviceId, temperature INTO hot FROM events WHERE temperature > 25\n");
  const r = runCli(["run", "q.asaql", "--input", "events=events.json"], { cwd: dir });
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split("\n").map((line) => JSON.parse(line))).toEqual([
    { deviceId: "a", temperature: 30 },
    { deviceId: "c", temperature: 31 },
  ]);
  expect(r.stderr).toContain("output hot: 2 row(s) written to standard output");
  expect(readdirSync(dir).sort()).toEqual(["events.json", "q.asaql"]);
});

test("--quiet leaves standard output to the rows alone, and standard error empty", () => {
  writeFileSync(join(dir, "q.asaql"), "SELECT deviceId INTO hot FROM events WHERE temperature > 30\n");
  const r = runCli(["run", "q.asaql", "--input", "events=events.json", "--quiet"], { cwd: dir });
  expect(r).toEqual({ code: 0, stdout: '{"deviceId":"c"}\n', stderr: "" });
});

test("several outputs without --out: exit 2 naming them, before any event is read or file written", () => {
  writeFileSync(join(dir, "q.asaql"), "SELECT * INTO warm FROM events WHERE temperature > 25\nSELECT * INTO cold FROM events WHERE temperature <= 25\n");
  const r = runCli(["run", "q.asaql", "--input", "events=events.json"], { cwd: dir });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toBe("streamkit: the query writes 2 outputs (warm, cold): give --out <dir> for their files (without --out, a single output goes to standard output)\n");
  expect(readdirSync(dir).sort()).toEqual(["events.json", "q.asaql"]);

  const withOut = runCli(["run", "q.asaql", "--input", "events=events.json", "--out", "results"], { cwd: dir });
  expect(withOut.code).toBe(0);
  expect(readdirSync(join(dir, "results")).sort()).toEqual(["cold.json", "warm.json"]);
});

test("an output the job gives a local path is written there; the one left goes to standard output", () => {
  writeFileSync(join(dir, "q.asaql"), "SELECT * INTO warm FROM events WHERE temperature > 25\nSELECT deviceId INTO cold FROM events WHERE temperature <= 25\n");
  writeFileSync(
    join(dir, "job.json"),
    JSON.stringify({
      name: "split",
      query: { file: "q.asaql" },
      inputs: [{ alias: "events", kind: "eventhub", local: { path: "events.json" } }],
      outputs: [
        { alias: "warm", kind: "blob", local: { path: "out/warm.json" } },
        { alias: "cold", kind: "blob" },
      ],
    }),
  );
  const r = runCli(["run", "--job", "job.json"], { cwd: dir });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('{"deviceId":"b"}\n');
  expect(readdirSync(join(dir, "out"))).toEqual(["warm.json"]);
  expect(readdirSync(dir).sort()).toEqual(["events.json", "job.json", "out", "q.asaql"]);
});
