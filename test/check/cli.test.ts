// `streamkit check` driven as a process, as a user runs it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runCli } from "../cli/cli-process";

const ROOT = resolve(__dirname, "../..");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "streamkit-check-"));
  writeFileSync(join(dir, "good.asaql"), "SELECT deviceId, AVG(temp) AS t\nINTO alerts\nFROM telemetry TIMESTAMP BY time\nGROUP BY deviceId, TumblingWindow(minute, 1)\n");
  writeFileSync(join(dir, "bad.asaql"), "SELECT deviceId, AVG(temp) AS t\nINTO alerts\nFROM telemetry\nGROUP BY deviceId\n\nSELECT\tLEN(name, 2) AS n INTO alerts FROM telemetry\n");
  writeFileSync(
    join(dir, "job.json"),
    JSON.stringify({
      name: "cli-check",
      query: { file: "good.asaql" },
      inputs: [{ alias: "telemetry", kind: "eventhub" }, { alias: "spare", kind: "eventhub" }],
      outputs: [{ alias: "alerts", kind: "eventhub" }],
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("streamkit check", () => {
  it("exits 0 and says ok for a clean query", () => {
    const r = runCli(["check", "good.asaql"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("good.asaql: ok (1 input(s), 1 output(s))\n");
    expect(r.code).toBe(0);
  });

  it("prints file:line:col: error: message, the source line and a caret under the span, and exits 1", () => {
    const r = runCli(["check", "bad.asaql"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        "bad.asaql:4:10: error: a window must be specified: a GROUP BY on a stream needs TumblingWindow, HoppingWindow, SlidingWindow, SessionWindow, SnapshotWindow or System.Timestamp(), e.g. GROUP BY key, TumblingWindow(minute, 1)",
        "4 | GROUP BY deviceId",
        "  |          ^~~~~~~~",
        "bad.asaql:6:8: error: LEN takes 1 argument, but 2 were given",
        "6 | SELECT\tLEN(name, 2) AS n INTO alerts FROM telemetry",
        "  |       \t^~~~~~~~~~~~",
        "2 errors",
        "",
      ].join("\n"),
    );
    expect(r.stdout).not.toContain("\u001b["); // no colours when not on a TTY
  });

  it("checks against a job: its inputs, outputs, and warns about unused ones", () => {
    const r = runCli(["check", "--job", "job.json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("good.asaql: warning: input 'spare' is not used by the query");
    const bad = runCli(["check", "bad.asaql", "--job", "job.json"], { cwd: dir });
    expect(bad.code).toBe(1);
  });

  it("prints the compile-result shape with --format json", () => {
    const r = runCli(["check", "bad.asaql", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ file: "bad.asaql", inputs: ["telemetry"], outputs: ["alerts"], functions: [] });
    expect(result.diagnostics[0]).toEqual({
      severity: "error",
      message: expect.stringContaining("a window must be specified"),
      startLine: 4,
      startColumn: 10,
      endLine: 4,
      endColumn: 17,
      isGlobal: false,
      code: "MISSING_WINDOW",
    });
    expect(result.script).toBeUndefined();
  });

  it("checks an ASA VS Code project with --project", () => {
    const r = runCli(["check", "--project", join(ROOT, "queries/toll-multi-output")]);
    expect(r.stdout).toMatch(/toll-multi-output\.asaql: ok/);
    expect(r.code).toBe(0);
  });

  it("reads the query from standard input with -", () => {
    const r = runCli(["check", "-"], { cwd: dir, input: "SELECT * INTO o FROM i WHERE COUNT(*) > 1\n" });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<stdin>:1:30: error: aggregate COUNT cannot be used in WHERE/);
  });

  it("reports usage problems with exit 2", () => {
    expect(runCli(["check", "missing.asaql"], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringContaining("query file not found") });
    expect(runCli(["check", "good.asaql", "--format", "xml"], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringContaining("--format must be text or json") });
    expect(runCli(["check"], { cwd: dir }).code).toBe(2);
  });
});
