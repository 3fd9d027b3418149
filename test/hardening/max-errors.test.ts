// --max-errors N (and a test case's maxErrors): a data-quality gate for CI. More than N events
// failing to deserialize or convert fail the run with exit 1 (or the case); without the option
// a file of garbage still runs (exit 0), as ASA skips such events.
import { writeFileSync } from "node:fs";
import { runCliInProcess } from "../cli/cli-in-process";
import { tempDir } from "../io/helpers";
import { discoverCases, runCases } from "../../lib/simulator/testing";
import { runQuery } from "../../lib/simulator/run";
import { tree } from "../simulator-testing/fixtures";

// Two malformed lines, one event whose value does not convert, one good event.
const EVENTS = '{"v": "1"}\nnot json\n{"v": "x"}\n{"v" 2}\n';

describe("streamkit run --max-errors", () => {
  const t = tempDir();
  afterAll(t.cleanup);
  const run = (...extra: string[]) => {
    writeFileSync(t.path("q.asaql"), "SELECT CAST(v AS bigint) AS v INTO o FROM i");
    writeFileSync(t.path("i.json"), EVENTS);
    return runCliInProcess(["run", t.path("q.asaql"), "--input", `i=${t.path("i.json")}`, "--out", t.dir, "--quiet", ...extra]);
  };

  it("without it, bad events are counted warnings and the run succeeds", async () => {
    expect((await run()).code).toBe(0);
  });

  it("more bad events than allowed (deserialization and conversion alike) exit 1 and say so", async () => {
    const r = await run("--max-errors", "2");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("streamkit: 3 event(s) failed to deserialize or convert, more than the 2 allowed (--max-errors)");
  });

  it("exactly as many as allowed pass", async () => {
    expect((await run("--max-errors", "3")).code).toBe(0);
  });

  it("a limit that is not a whole number is bad usage", async () => {
    const r = await run("--max-errors", "-1");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--max-errors takes a whole number ≥ 0, not '-1'");
  });
});

describe("a test case's maxErrors", () => {
  it("fails the case when more events fail to deserialize or convert, and only then", async () => {
    const t = tree({
      "gate/gate.asaql": "SELECT CAST(v AS bigint) AS v INTO output FROM input",
      "gate/tests/strict/inputs/input.json": EVENTS,
      "gate/tests/strict/expected/output.json": '{"v": 1}\n',
      "gate/tests/strict/case.json": { maxErrors: 2 },
      "gate/tests/lenient/inputs/input.json": EVENTS,
      "gate/tests/lenient/expected/output.json": '{"v": 1}\n',
      "gate/tests/lenient/case.json": { maxErrors: 3 },
    });
    try {
      const results = await runCases(discoverCases([t.dir]), { runQuery });
      const byName = Object.fromEntries(results.map((r) => [r.testCase.name, r]));
      expect(byName["gate › strict"]).toMatchObject({ status: "failed", error: "3 event(s) failed to deserialize or convert, more than the 2 allowed (maxErrors)" });
      expect(byName["gate › lenient"].status).toBe("passed");
    } finally {
      t.cleanup();
    }
  });
});
