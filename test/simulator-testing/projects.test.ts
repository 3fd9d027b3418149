// The query tests under queries/ (the ASA projects and the stack's example job), run through
// the real engine as `streamkit test` runs them. A case must pass, or fail only because the
// engine says it does not support a feature yet — never with wrong rows.
import { resolve } from "node:path";
import { discoverCases, loadRunQuery, runCases } from "../../lib/simulator/testing";

const QUERIES = resolve(__dirname, "../../queries");

describe("query tests under queries/", () => {
  const cases = discoverCases([QUERIES]);

  it("finds the cases of both ASA projects and of the example job", () => {
    const names = cases.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "sensor-enrichment › readings of known devices are averaged per 30-second window",
        "toll-multi-output › Case 1 - archive every car, alert on a make seen three times",
        "toll-multi-output › Case 2 - testing only one output at a time",
        "iot-telemetry › minute-aggregates",
      ]),
    );
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: passes, or stops with a clear 'not supported' error", async (_name, testCase) => {
    const [result] = await runCases([testCase], { runQuery: loadRunQuery() });
    if (result.status !== "passed") {
      expect(result.outputs.filter((o) => !o.pass)).toEqual([]);
      expect(result.error).toMatch(/is not supported by the local engine/);
    }
  });

  it("the multi-output project runs green", async () => {
    const results = await runCases(
      cases.filter((c) => c.name.startsWith("toll-multi-output")),
      { runQuery: loadRunQuery() },
    );
    expect(results.map((r) => [r.status, r.error])).toEqual([
      ["passed", undefined],
      ["passed", undefined],
    ]);
  });
});
