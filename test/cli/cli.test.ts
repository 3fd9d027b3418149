import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./cli-process";

describe("streamkit CLI", () => {
  it("prints its version and help", () => {
    expect(runCli(["--version"])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(runCli(["--help"])).toMatchObject({ code: 0, stdout: expect.stringContaining("Usage: streamkit") });
  });

  it("rejects unknown commands and options with exit 2", () => {
    expect(runCli(["frobnicate"])).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown command 'frobnicate'") });
    expect(runCli(["--bogus"])).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown option '--bogus'") });
  });

  it("validates a job file and names the JSON path of a mistake", () => {
    const dir = mkdtempSync(join(tmpdir(), "streamkit-cli-"));
    try {
      writeFileSync(join(dir, "good.json"), JSON.stringify({ name: "job1", query: { text: "SELECT 1" } }));
      writeFileSync(join(dir, "bad.json"), JSON.stringify({ name: "job1", query: { text: "" }, inputs: [{ alias: "in", kind: "ftp" }] }));
      expect(runCli(["validate", join(dir, "good.json")])).toMatchObject({ code: 0, stdout: expect.stringContaining("ok") });
      const bad = runCli(["validate", join(dir, "bad.json")]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("bad.json at inputs[0].kind:");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
