// `npm start` as the README gives it: main.ts synthesizes every example stack, then runs the
// example jobs' test cases. Run from an empty directory, so cdktf.out/ is written there.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SOLUTIONS } from "../../stacks/app";
import { loadEnvironments } from "../../stacks/environments";

const PROJECT = resolve(__dirname, "../..");

describe("main.ts --example (npm start)", () => {
  const cwd = mkdtempSync(join(tmpdir(), "streamkit-main-"));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it("synthesizes every stack into cdktf.out/ and runs the example test cases", () => {
    const result = spawnSync(process.execPath, ["--require", require.resolve("tsx/cjs"), join(PROJECT, "main.ts"), "--example"], { cwd, encoding: "utf8", timeout: 120000 });
    const expected = Object.keys(loadEnvironments(PROJECT)).flatMap((e) => Object.keys(SOLUTIONS).map((s) => `${s}-${e}`));
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(new RegExp(`^synthesized ${expected.length} stack\\(s\\) into cdktf\\.out/ in \\d+ ms: `));
    expect(readdirSync(join(cwd, "cdktf.out", "stacks")).sort()).toEqual(expected.sort());
    expect(result.stdout).toMatch(/running the example jobs' test cases[\s\S]*\n\d+ passed, 0 failed\n$/);
    expect(result.status).toBe(0);
  });
});
