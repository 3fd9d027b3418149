import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NotSupportedError, StreamkitError } from "../../lib/core/errors";
import { discoverCases, formatJunitReport, formatTextReport, runCases, type CaseResult } from "../../lib/simulator/testing";
import { copyingEngine, tree } from "./fixtures";

const ASAPROJ = {
  "asaproj.json": { name: "cars", startFile: "cars.asaql", configurations: [] },
  "cars.asaql": "SELECT * INTO InputCopy FROM Input",
  "Inputs/Input.json": { Name: "Input", Type: "Data Stream", DataSourceType: "Event Hub", Serialization: { Type: "Json" }, ScriptType: "Input" },
  "Outputs/InputCopy.json": { Name: "InputCopy", DataSourceType: "Blob Storage", Serialization: { Type: "Json" }, ScriptType: "Output" },
  "test/in.json": '{"Make":"Honda","n":1}\n{"Make":"Toyota","n":2}\n{"Make":"Ford","n":3}\n{"Make":"BMW","n":4}\n',
  "test/expected.json": '{"Make":"Honda","n":1}\n{"Make":"Toyota","n":20}\n{"Make":"Ford","n":3}\n{"Make":"Audi","n":5}\n',
};

function config(cases: object[]): object {
  return { Script: "../cars.asaql", TestCases: cases };
}

function caseWith(inputs: object[], outputs: object[], name = "Case 1"): object {
  return { Name: name, Inputs: inputs, ExpectedOutputs: outputs };
}

const INPUT = { InputAlias: "Input", Type: "Data Stream", Format: "Json", FilePath: "in.json", ScriptType: "InputMock" };

/** Durations vary from run to run: zero them for snapshots. */
const stable = (results: CaseResult[]) => results.map((r) => ({ ...r, durationMs: 0 }));

describe("streamkit test runner", () => {
  it("runs the query from the project's folder, where its relative paths start", async () => {
    const t = tree({ ...ASAPROJ, "test/copy.json": ASAPROJ["test/in.json"], "test/testConfig.json": config([caseWith([INPUT], [{ OutputAlias: "InputCopy", FilePath: "copy.json", Required: true }])]) });
    try {
      const seen: (string | undefined)[] = [];
      const engine = copyingEngine();
      await runCases(discoverCases([t.dir]), { runQuery: (options) => (seen.push(options.jobDir), engine(options)) });
      expect(seen).toEqual([t.dir]);
    } finally {
      t.cleanup();
    }
  });

  it("reports a failing case with a readable row diff", async () => {
    const t = tree({ ...ASAPROJ, "test/testConfig.json": config([caseWith([INPUT], [{ OutputAlias: "InputCopy", FilePath: "expected.json", Required: true }])]) });
    try {
      const results = await runCases(discoverCases([t.dir]), { runQuery: copyingEngine() });
      expect(results.map((r) => r.status)).toEqual(["failed"]);
      const [output] = results[0].outputs;
      expect(output).toMatchObject({ alias: "InputCopy", expectedCount: 4, actualCount: 4, missing: [{ Make: "Audi", n: 5 }], extra: [{ Make: "BMW", n: 4 }] });
      expect(output.changed).toEqual([{ expected: { Make: "Toyota", n: 20 }, actual: { Make: "Toyota", n: 2 }, fields: ["n"] }]);
      expect(formatTextReport(stable(results), { color: false, cwd: t.dir })).toMatchSnapshot();
    } finally {
      t.cleanup();
    }
  });

  it("passes a case whose outputs match, and does not compare outputs that are not Required", async () => {
    const t = tree({
      ...ASAPROJ,
      "test/copy.json": ASAPROJ["test/in.json"],
      "test/testConfig.json": config([
        caseWith(
          [INPUT],
          [
            { OutputAlias: "InputCopy", FilePath: "copy.json", Required: true },
            { OutputAlias: "Other", FilePath: "[N/A]", Required: false },
          ],
        ),
      ]),
    });
    try {
      const engine = copyingEngine();
      const results = await runCases(discoverCases([join(t.dir, "asaproj.json")]), { runQuery: engine });
      expect(results.map((r) => [r.testCase.name, r.status])).toEqual([["cars › Case 1", "passed"]]);
      expect(results[0].outputs.map((o) => o.alias)).toEqual(["InputCopy"]);
      // The runner hands the engine the project's query and job.
      expect(engine.calls[0]).toMatchObject({ queryText: ASAPROJ["cars.asaql"], queryFile: join(t.dir, "cars.asaql"), job: { name: "cars" } });
      expect(formatTextReport(stable(results), { color: false, cwd: t.dir })).toBe("✓ cars › Case 1 (0 ms)\n\n1 passed, 0 failed\n");
    } finally {
      t.cleanup();
    }
  });

  it("gives a located error for a missing input file, and runs the other cases", async () => {
    const t = tree({
      ...ASAPROJ,
      "test/copy.json": ASAPROJ["test/in.json"],
      "test/testConfig.json": config([
        caseWith([{ ...INPUT, FilePath: "missing.json" }], [{ OutputAlias: "InputCopy", FilePath: "copy.json" }], "broken"),
        caseWith([INPUT], [{ OutputAlias: "InputCopy", FilePath: "copy.json" }], "fine"),
      ]),
    });
    try {
      const results = await runCases(discoverCases([t.dir]), { runQuery: copyingEngine() });
      expect(results.map((r) => r.status)).toEqual(["failed", "passed"]);
      expect(results[0].error).toBe(`${join(t.dir, "test/testConfig.json")} at TestCases[0].Inputs[0].FilePath: input file not found: ${join(t.dir, "test/missing.json")}`);
    } finally {
      t.cleanup();
    }
  });

  it("gives a located error for an unknown input or output alias", async () => {
    const t = tree({
      ...ASAPROJ,
      "test/testConfig.json": config([
        caseWith([{ ...INPUT, InputAlias: "Entry" }], [], "unknown input"),
        caseWith([INPUT], [{ OutputAlias: "Nowhere", FilePath: "expected.json" }], "unknown output"),
      ]),
    });
    try {
      const results = await runCases(discoverCases([t.dir]), { runQuery: copyingEngine() });
      const file = join(t.dir, "test/testConfig.json");
      expect(results.map((r) => r.error)).toEqual([
        `${file} at TestCases[0].Inputs[0].InputAlias: unknown input alias 'Entry' (the project declares: Input)`,
        `${file} at TestCases[1].ExpectedOutputs[0].OutputAlias: unknown output alias 'Nowhere' (the project declares: InputCopy)`,
      ]);
    } finally {
      t.cleanup();
    }
  });

  it("gives file:line:col for a malformed testConfig.json", () => {
    const t = tree({ ...ASAPROJ, "test/testConfig.json": '{\n  "TestCases": [\n    { "Name": "a", }\n  ]\n}\n' });
    try {
      let error: unknown;
      try {
        discoverCases([t.dir]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StreamkitError);
      expect((error as StreamkitError).describe()).toMatch(new RegExp(`^${join(t.dir, "test/testConfig.json")}:3:\\d+: testConfig.json is not valid JSON`));
    } finally {
      t.cleanup();
    }
  });

  it("reads streamkit's layout: case.json options, reference inputs, arrival-time fields, malformed events", async () => {
    const t = tree({
      "jobs/cars/cars.asaql": "SELECT * FROM Input",
      "jobs/cars/tests/ordered/inputs/Input.json": '{"n":1,"at":"2021-06-01T10:00:00Z"}\n{"n":2,"at":"2021-06-01T10:00:01Z"}\nnot json\n',
      "jobs/cars/tests/ordered/inputs/Ref.csv": "k,v\na,1\n",
      "jobs/cars/tests/ordered/expected/InputCopy.json": '{"n":1,"at":"2021-06-01T10:00:00Z","arrivedAt":"2021-06-01T10:00:00.000Z","seen":"x"}\n{"n":2,"at":"2021-06-01T10:00:01Z","arrivedAt":"2021-06-01T10:00:01.000Z","seen":"y"}\n',
      "jobs/cars/tests/ordered/expected/RefCopy.json": '{"k":"a","v":1}\n',
      "jobs/cars/tests/ordered/case.json": { orderSensitive: true, ignoreFields: ["seen"], referenceInputs: ["Ref"], arrivalTimeFields: { Input: "at" } },
    });
    try {
      const cases = discoverCases([join(t.dir, "jobs")]);
      expect(cases.map((c) => c.name)).toEqual(["cars › ordered"]);
      expect(cases[0].job!.spec.inputs.map((i) => [i.alias, i.type])).toEqual([
        ["Input", "stream"],
        ["Ref", "reference"],
      ]);
      const [result] = await runCases(cases, { runQuery: copyingEngine() });
      expect(result.status).toBe("passed");
      expect(result.deserializationErrors).toEqual([expect.stringMatching(/Input\.json:3: malformed JSON/)]);
      expect(formatTextReport([{ ...result, durationMs: 0 }], { color: false, cwd: t.dir })).toBe(
        "✓ cars › ordered (1 event(s) or row(s) skipped as malformed) (0 ms)\n\n1 passed, 0 failed\n",
      );
      // Naming the case directory runs that case alone.
      expect(discoverCases([join(t.dir, "jobs/cars/tests/ordered")]).map((c) => c.name)).toEqual(["cars › ordered"]);
    } finally {
      t.cleanup();
    }
  });

  it("fails a case whose input file names an alias job.json does not declare", async () => {
    const t = tree({
      "cars/job.json": { name: "cars", query: { file: "cars.asaql" }, inputs: [{ alias: "Input", kind: "eventhub" }], outputs: [{ alias: "InputCopy", kind: "blob" }] },
      "cars/cars.asaql": "SELECT * INTO InputCopy FROM Input",
      "cars/tests/one/inputs/Entry.json": "{}\n",
    });
    try {
      const [result] = await runCases(discoverCases([t.dir]), { runQuery: copyingEngine() });
      expect(result.error).toBe(`${join(t.dir, "cars/tests/one/inputs/Entry.json")}: unknown input alias 'Entry' (from the file name; the job declares: Input)`);
    } finally {
      t.cleanup();
    }
  });

  it("passes a case that expects an error only when the run fails with it", async () => {
    const t = tree({
      "j/q.asaql": "SELECT * FROM Input",
      "j/tests/udf/inputs/Input.json": "{}\n",
      "j/tests/udf/case.json": { expectedError: "NOT_SUPPORTED" },
    });
    try {
      const cases = discoverCases([t.dir]);
      const unsupported = async () => {
        throw new NotSupportedError("JavaScript UDA", { file: "q.asaql", line: 1, column: 8 });
      };
      expect((await runCases(cases, { runQuery: unsupported }))[0].status).toBe("passed");
      const [succeeded] = await runCases(cases, { runQuery: copyingEngine() });
      expect(succeeded.status).toBe("failed");
      expect(succeeded.error).toBe("expected the run to fail with 'NOT_SUPPORTED', but it succeeded");
    } finally {
      t.cleanup();
    }
  });

  it("shows an engine error with its location", async () => {
    const t = tree({ "j/q.asaql": "SELECT", "j/tests/a/inputs/Input.json": "{}\n" });
    try {
      const failing = async () => {
        throw new NotSupportedError("JOIN", { file: "j/q.asaql", line: 3, column: 5 });
      };
      const [result] = await runCases(discoverCases([t.dir]), { runQuery: failing });
      expect(result.error).toBe("j/q.asaql:3:5: JOIN is not supported by the local engine");
    } finally {
      t.cleanup();
    }
  });

  it("rewrites expected files with --update, then passes", async () => {
    const t = tree({
      "j/q.asaql": "SELECT * FROM Input",
      "j/tests/a/inputs/Input.json": '{"n":1}\n{"n":2}\n',
      "j/tests/a/expected/InputCopy.json": '{"n":1}\n',
    });
    try {
      const engine = copyingEngine();
      expect((await runCases(discoverCases([t.dir]), { runQuery: engine }))[0].status).toBe("failed");
      expect((await runCases(discoverCases([t.dir]), { runQuery: engine, update: true }))[0].status).toBe("updated");
      expect(readFileSync(join(t.dir, "j/tests/a/expected/InputCopy.json"), "utf8")).toBe('{"n":1}\n{"n":2}\n');
      expect((await runCases(discoverCases([t.dir]), { runQuery: engine }))[0].status).toBe("passed");
    } finally {
      t.cleanup();
    }
  });

  it("keeps an expected file's JSON layout when it rewrites it", async () => {
    const t = tree({
      "j/q.asaql": "SELECT * FROM Input",
      "j/tests/a/inputs/Input.json": '{"n":1}\n{"n":2}\n',
      "j/tests/a/expected/InputCopy.json": '[\n  {"n": 1}\n]\n',
    });
    try {
      await runCases(discoverCases([t.dir]), { runQuery: copyingEngine(), update: true });
      expect(readFileSync(join(t.dir, "j/tests/a/expected/InputCopy.json"), "utf8")).toBe('[{"n":1},\n{"n":2}]\n');
    } finally {
      t.cleanup();
    }
  });

  it("compares a CSV expected file as CSV: an empty field is NULL, numbers in the DataLocale's decimal form", async () => {
    const csvCase = (expected: string, locale?: string) => ({
      ...ASAPROJ,
      ...(locale && {
        "asaproj.json": { name: "cars", startFile: "cars.asaql", configurations: [{ filePath: "JobConfig.json", subType: "JobConfig" }] },
        "JobConfig.json": { DataLocale: locale, ScriptType: "JobConfig" },
      }),
      "test/in.json": '{"Make":"Honda","n":null}\n{"Make":"BMW","n":1.5}\n{"Make":"Audi"}\n',
      "test/expected.csv": expected,
      "test/testConfig.json": config([caseWith([INPUT], [{ OutputAlias: "InputCopy", FilePath: "expected.csv", Required: true }])]),
    });
    const statusOf = async (files: Record<string, string | object>) => {
      const t = tree(files);
      try {
        const engine = copyingEngine();
        return (await runCases(discoverCases([t.dir]), { runQuery: engine }))[0].status;
      } finally {
        t.cleanup();
      }
    };
    expect(await statusOf(csvCase("Make,n\nHonda,\nBMW,1.5\nAudi,\n"))).toBe("passed");
    expect(await statusOf(csvCase("Make,n\nHonda,\nBMW,\nAudi,\n"))).toBe("failed");
    expect(await statusOf(csvCase('Make,n\nHonda,\nBMW,"1,5"\nAudi,\n', "it-IT"))).toBe("passed");
    expect(await statusOf(csvCase('Make,n\nHonda,\nBMW,"1,5"\nAudi,\n', "en-US"))).toBe("failed");
  });

  it("writes a JUnit report with one testsuite per job", async () => {
    const t = tree({ ...ASAPROJ, "test/testConfig.json": config([caseWith([INPUT], [{ OutputAlias: "InputCopy", FilePath: "expected.json" }])]) });
    try {
      const results = stable(await runCases(discoverCases([t.dir]), { runQuery: copyingEngine() }));
      const xml = formatJunitReport(results, t.dir);
      expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="streamkit" tests="1" failures="1" time="0.000">/);
      expect(xml).toContain(`<testsuite name="cars" tests="1" failures="1" errors="0" skipped="0" time="0.000">`);
      expect(xml).toContain(`<testcase name="Case 1" classname="cars" file="test/testConfig.json" time="0.000">`);
      expect(xml).toContain(`<failure message="output 'InputCopy' differs">`);
      expect(xml).toContain("missing row: {&quot;Make&quot;:&quot;Audi&quot;,&quot;n&quot;:5}");
    } finally {
      t.cleanup();
    }
  });
});
