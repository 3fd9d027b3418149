// `streamkit test` as a user runs it: a process, its output and its exit code.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runCli } from "../cli/cli-process";

const ROOT = resolve(__dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "streamkit-cli-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function projectCopy(): string {
  const dir = mkdtempSync(join(work, "toll-"));
  cpSync(join(ROOT, "queries/toll-multi-output"), dir, { recursive: true });
  return dir;
}

describe("streamkit test", () => {
  it("runs an ASA project's testConfig.json and exits 0 when every case passes", () => {
    const r = runCli(["test", "--project", "queries/toll-multi-output"], { cwd: ROOT });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^✓ toll-multi-output › Case 1 - archive every car, alert on a make seen three times \(\d+ ms\)$/m);
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("2 passed, 0 failed");
    expect(r.code).toBe(0);
  });

  it("prints the row diff and exits 1 when a case fails; writes JUnit XML with --reporter junit --out", () => {
    const dir = projectCopy();
    writeFileSync(join(dir, "test/three-cars/AlertOutput.json"), '{"Make":"Toyota","AsaTime":"2015-01-01T00:00:10.0000000Z","Count":4}\n');
    const out = join(dir, "results.xml");
    const r = runCli(["test", "--project", join(dir, "asaproj.json"), "--reporter", "junit", "--out", out], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`output 'AlertOutput' (test/three-cars/AlertOutput.json): 1 changed — expected 1 row(s), got 1`);
    expect(r.stdout).toContain('        - "Count": 4\n        + "Count": 3');
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("0 passed, 2 failed");
    const xml = readFileSync(out, "utf8");
    expect(xml).toContain('<testsuites name="streamkit" tests="2" failures="2"');
  });

  it("prints JUnit XML on stdout (and the summary on stderr) with --reporter junit and no --out", () => {
    const r = runCli(["test", "queries/toll-multi-output", "--reporter", "junit"], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="streamkit" tests="2" failures="0"/);
    expect(r.stdout.trimEnd().endsWith("</testsuites>")).toBe(true);
    expect(r.stderr).toBe("2 passed, 0 failed\n");
  });

  it("rewrites expected files with --update, after which the cases pass", () => {
    const dir = projectCopy();
    const expected = join(dir, "test/three-cars/AlertOutput.json");
    writeFileSync(expected, '{"Make":"Toyota","AsaTime":"2015-01-01T00:00:10.0000000Z","Count":4}\n');
    const updated = runCli(["test", dir, "--update"], { cwd: dir });
    expect(updated.stdout).toMatch(/↻ toll-multi-output › Case 1 .* \(expected files updated\)/);
    expect(updated.code).toBe(0);
    expect(readFileSync(expected, "utf8")).toBe('{"Make":"Toyota","AsaTime":"2015-01-01T00:00:10.0000000Z","Count":3}\n');
    expect(runCli(["test", dir], { cwd: dir }).code).toBe(0);
  });

  it("reports a malformed testConfig.json with its location and exits 2", () => {
    const dir = projectCopy();
    writeFileSync(join(dir, "test/testConfig.json"), '{\n  "TestCases": [\n    { "Name": "a" "Inputs": [] }\n  ]\n}\n');
    const r = runCli(["test", dir], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^streamkit: ${join(dir, "test/testConfig.json")}:3:\\d+: testConfig.json is not valid JSON`));
  });

  it("is a usage error when there is nothing to test, or --config comes without --project", () => {
    const empty = mkdtempSync(join(work, "empty-"));
    const none = runCli(["test", empty]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`no test cases found under ${empty}`);
    const config = runCli(["test", "--config", "x.json"]);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain("--config needs --project");
    expect(existsSync(join(empty, "results.xml"))).toBe(false);
  });
});
