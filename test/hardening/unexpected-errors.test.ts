// No code path exits 3: an error nothing anticipated is one line naming what failed, exit 2,
// with the stack only under STREAMKIT_DEBUG=1. Event text never reaches the terminal raw.
import { writeFileSync } from "node:fs";
import { runCliInProcess } from "../cli/cli-in-process";
import { runCli } from "../cli/cli-process";
import { tempDir } from "../io/helpers";
import { runQueryOnFiles } from "../../lib/simulator/run-files";
import { escapeControl } from "../../lib/core/terminal-text";

// The run itself, unless a test makes it throw what nothing anticipated.
jest.mock("../../lib/simulator/run-files", () => {
  const actual = jest.requireActual("../../lib/simulator/run-files");
  return { ...actual, runQueryOnFiles: jest.fn(actual.runQueryOnFiles) };
});
const failRun = (make: () => unknown) =>
  (runQueryOnFiles as jest.Mock).mockImplementation(() => {
    throw make();
  });

describe("unexpected errors", () => {
  afterEach(() => (runQueryOnFiles as jest.Mock).mockImplementation(jest.requireActual("../../lib/simulator/run-files").runQueryOnFiles));

  it.each([
    ["an Error", () => new TypeError("boom\nsecond line")],
    ["a thrown string", () => "plain"],
    ["an object whose message getter throws", () => Object.defineProperty(new Error(), "message", { get: () => { throw new Error("no"); } })],
  ])("%s ends the run with exit 2 and one line; the stack only under STREAMKIT_DEBUG=1", async (_name, make) => {
    failRun(make);
    const t = tempDir();
    try {
      writeFileSync(t.path("q.asaql"), "SELECT * INTO o FROM i");
      const quiet = await runCliInProcess(["run", t.path("q.asaql"), "--input", `i=${t.path("i.json")}`], { STREAMKIT_DEBUG: undefined });
      expect(quiet.code).toBe(2);
      expect(quiet.stderr).toMatch(/^streamkit: internal error: [^\n]+\n$/);
      const debug = await runCliInProcess(["run", t.path("q.asaql"), "--input", `i=${t.path("i.json")}`], { STREAMKIT_DEBUG: "1" });
      expect(debug.code).toBe(2);
      expect(debug.stderr.split("\n")[0]).toMatch(/^streamkit: internal error: /);
    } finally {
      t.cleanup();
    }
  });

  it("the error line names the error and the stack comes with STREAMKIT_DEBUG=1", async () => {
    failRun(() => new TypeError("cannot read x"));
    const t = tempDir();
    try {
      writeFileSync(t.path("q.asaql"), "SELECT * INTO o FROM i");
      const args = ["run", t.path("q.asaql"), "--input", `i=${t.path("i.json")}`];
      const quiet = await runCliInProcess(args, { STREAMKIT_DEBUG: undefined });
      expect(quiet.stderr).toContain("internal error: TypeError: cannot read x");
      expect(quiet.stderr).not.toContain("    at ");
      const debug = await runCliInProcess(args, { STREAMKIT_DEBUG: "1" });
      expect(debug.stderr).toContain("    at ");
    } finally {
      t.cleanup();
    }
  });

  it("the command as a process: an error escaping every command (uncaught) is one line and exit 2", () => {
    const t = tempDir();
    try {
      // Thrown from a timer while the command runs: nothing but the bin's last-resort handler sees it.
      writeFileSync(t.path("throw.js"), 'setTimeout(() => { throw new TypeError("escaped"); }, 0);\n');
      writeFileSync(t.path("q.asaql"), "SELECT * INTO o FROM i");
      writeFileSync(t.path("i.json"), '{"a":1}\n'.repeat(200000));
      const r = runCli(["run", t.path("q.asaql"), "--input", `i=${t.path("i.json")}`, "--out", t.dir], {
        env: { STREAMKIT_DEBUG: "", NODE_OPTIONS: `--require ${t.path("throw.js")}` },
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("streamkit: internal error: TypeError: escaped (STREAMKIT_DEBUG=1 shows where)\n");
    } finally {
      t.cleanup();
    }
  });
});

describe("event text in warnings", () => {
  it("escapes control characters", () => {
    expect(escapeControl("a\x1b[2Jb\x07\r\u009b\u2028")).toBe("a\\x1b[2Jb\\x07\\x0d\\x9b\\u2028");
  });

  it("a malformed event cannot write escape sequences to the terminal", async () => {
    const t = tempDir();
    try {
      writeFileSync(t.path("q.asaql"), "SELECT CAST(v AS bigint) AS v INTO o FROM i");
      writeFileSync(t.path("i.json"), '{"v":"\\u001b]0;pwned\\u0007\\u001b[2J"}\n{"v" \u001b[31m garbage\n');
      const r = await runCliInProcess(["run", t.path("q.asaql"), "--input", `i=${t.path("i.json")}`, "--out", t.dir]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain("warning:");
      expect(r.stderr).toContain("\\x1b");
      expect(r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    } finally {
      t.cleanup();
    }
  });
});
