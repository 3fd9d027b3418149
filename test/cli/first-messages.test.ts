// The messages a new user meets first, through the real process: the same words from every
// command, the documented exit code, no stack trace.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./cli-process";

const dir = mkdtempSync(join(tmpdir(), "streamkit-messages-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("a missing query file is 'query file not found' in run as in check (exit 2)", () => {
  const expected = `streamkit: query file not found: ${join(dir, "missing.asaql")}\n`;
  expect(runCli(["check", "missing.asaql"], { cwd: dir })).toEqual({ code: 2, stdout: "", stderr: expected });
  expect(runCli(["run", "missing.asaql", "--input", "a=a.json"], { cwd: dir })).toEqual({ code: 2, stdout: "", stderr: expected });
});

it("ISNULL names COALESCE, located, exit 1", () => {
  writeFileSync(join(dir, "isnull.asaql"), "SELECT ISNULL(reading, 0) AS r INTO out FROM telemetry\n");
  const r = runCli(["check", "isnull.asaql"], { cwd: dir });
  expect(r.code).toBe(1);
  expect(r.stdout).toContain("isnull.asaql:1:8: error: 'ISNULL' is a SQL Server function that Stream Analytics does not have: use COALESCE(expression, replacement)");
  expect(r.stderr).toBe("");
});
