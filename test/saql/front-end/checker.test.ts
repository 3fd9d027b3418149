// The checker against a job: names, compile-result lists, warnings, joins with reference data.
import { checkQuery } from "../../../lib/saql";
import { defineJob, type JobSpec } from "../../../lib/job";

const job: JobSpec = defineJob({
  name: "checker-test",
  query: { text: "" },
  inputs: [
    { alias: "Telemetry", kind: "eventhub" },
    { alias: "Entry", kind: "eventhub" },
    { alias: "Exit", kind: "iothub" },
    { alias: "Devices", type: "reference", kind: "blob" },
  ],
  outputs: [
    { alias: "Alerts", kind: "eventhub" },
    { alias: "Archive", kind: "blob" },
  ],
  functions: [{ name: "parseTags", kind: "javascript-udf", inputs: [{ type: "nvarchar(max)" }] }],
});

const errors = (text: string, j: JobSpec | undefined = job) => checkQuery(text, { job: j }).diagnostics.filter((d) => d.severity === "error");
const codes = (text: string, j: JobSpec | undefined = job) => checkQuery(text, { job: j }).diagnostics.map((d) => d.code);

describe("checker: names and the compile result", () => {
  it("lists the inputs, outputs and functions a query uses, spelled as the job declares them, case-insensitively", () => {
    const result = checkQuery(
      `WITH s AS (SELECT deviceId, udf.PARSETAGS(tags) AS t FROM TELEMETRY)
SELECT * INTO alerts FROM s
SELECT s.deviceId, d.owner INTO ARCHIVE FROM s JOIN devices d ON s.deviceId = d.deviceId`,
      { job },
    );
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.inputs).toEqual(["Telemetry", "Devices"]);
    expect(result.outputs).toEqual(["Alerts", "Archive"]);
    expect(result.functions).toEqual(["parseTags"]);
  });

  it("warns about inputs and outputs the query never uses, as global diagnostics", () => {
    const result = checkQuery("SELECT * INTO Alerts FROM Telemetry", { job });
    const warnings = result.diagnostics.filter((d) => d.severity === "warning");
    expect(warnings.map((d) => [d.code, d.isGlobal])).toEqual([
      ["UNUSED_INPUT", true],
      ["UNUSED_INPUT", true],
      ["UNUSED_INPUT", true],
      ["UNUSED_OUTPUT", true],
    ]);
    expect(warnings[0]!.message).toContain("input 'Entry' is not used");
    expect(warnings[3]!.message).toContain("output 'Archive' is not written");
  });

  it("warns about a step no query reads", () => {
    const result = checkQuery("WITH unused AS (SELECT * FROM Telemetry)\nSELECT * INTO Alerts FROM Telemetry");
    expect(result.diagnostics).toMatchObject([{ severity: "warning", code: "UNUSED_STEP", startLine: 1, startColumn: 6 }]);
  });

  it("shares steps between statements and sees them only after their definition", () => {
    expect(errors("WITH s AS (SELECT * FROM Telemetry)\nSELECT * INTO Alerts FROM s\nSELECT * INTO Archive FROM s")).toEqual([]);
    expect(codes("SELECT * INTO Alerts FROM s\nWITH s AS (SELECT * FROM Telemetry)\nSELECT * INTO Archive FROM s")).toContain("STEP_BEFORE_DEFINITION");
  });

  it("without a job, takes any FROM name that is not a step as an input and any INTO as an output", () => {
    const result = checkQuery("SELECT * INTO somewhere FROM anything\nSELECT * FROM other");
    expect(result.diagnostics).toEqual([]);
    expect(result.inputs).toEqual(["anything", "other"]);
    expect(result.outputs).toEqual(["somewhere", "output"]);
  });
});

describe("checker: joins", () => {
  it("needs no DATEDIFF bound for a join with reference data", () => {
    expect(errors("SELECT t.deviceId, d.owner INTO Alerts FROM Telemetry t JOIN Devices d ON t.deviceId = d.deviceId")).toEqual([]);
  });

  it("accepts a stream-stream join bounded by DATEDIFF, also combined with other conditions", () => {
    expect(
      errors(`SELECT e.id INTO Alerts FROM Entry e TIMESTAMP BY t JOIN Exit x TIMESTAMP BY t
ON e.id = x.id AND DATEDIFF(minute, e, x) BETWEEN 0 AND 15`),
    ).toEqual([]);
  });

  it("needs a DATEDIFF bound when a step (a stream) joins an input", () => {
    expect(codes("WITH s AS (SELECT * FROM Entry)\nSELECT s.id INTO Alerts FROM s JOIN Exit x ON s.id = x.id")).toContain("JOIN_WITHOUT_DATEDIFF");
  });

  it("does not judge join bounds without a job (nothing says which inputs are reference data)", () => {
    expect(checkQuery("SELECT a.x INTO o FROM a JOIN b ON a.x = b.x").diagnostics).toEqual([]);
  });
});

describe("checker: grouping", () => {
  it("accepts grouped columns qualified or not, expressions over them and System.Timestamp()", () => {
    expect(
      errors(`SELECT t.deviceId, UPPER(deviceId) AS up, COUNT(*) AS n, System.Timestamp() AS at, DATEADD(minute, -1, System.Timestamp()) AS startAt
INTO Alerts FROM Telemetry t GROUP BY deviceId, TumblingWindow(minute, 1)`),
    ).toEqual([]);
  });

  it("accepts a snapshot GROUP BY System.Timestamp() and Windows() with System.Timestamp()", () => {
    expect(errors("WITH s AS (SELECT COUNT(*) AS n FROM Telemetry GROUP BY TumblingWindow(second, 5))\nSELECT SUM(n) AS total INTO Alerts FROM s GROUP BY System.Timestamp()")).toEqual([]);
    expect(errors("SELECT COUNT(*) AS n INTO Alerts FROM Telemetry GROUP BY Windows(TumblingWindow(minute, 1), System.Timestamp())")).toEqual([]);
  });

  it("accepts HAVING without GROUP BY: it then filters like WHERE (HAVING page)", () => {
    expect(errors("SELECT deviceId INTO Alerts FROM Telemetry HAVING deviceId = 'a'")).toEqual([]);
  });

  it("accepts aggregates used as analytic functions without a window", () => {
    expect(errors("SELECT AVG(reading) OVER (PARTITION BY deviceId LIMIT DURATION(minute, 5)) AS movingAvg INTO Alerts FROM Telemetry")).toEqual([]);
  });

  it("accepts a UDA as an aggregate and reports it in WHERE", () => {
    const withUda = defineJob({ ...job, functions: [{ name: "median", kind: "javascript-uda", inputs: [] }] });
    expect(errors("SELECT uda.median(x) AS m INTO Alerts FROM Telemetry GROUP BY TumblingWindow(minute, 1)", withUda)).toEqual([]);
    expect(codes("SELECT x INTO Alerts FROM Telemetry WHERE uda.median(x) > 1", withUda)).toContain("AGGREGATE_IN_WHERE");
  });
});

describe("checker: after syntax errors", () => {
  it("does not warn about unused inputs and outputs a dropped statement may have used", () => {
    const result = checkQuery("SELECT * INTO Alerts FROM Telemetry\nSELECT a,, b INTO Archive FROM Entry", { job });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["SYNTAX"]);
  });
});

describe("checker: grouping by records", () => {
  it("treats the fields of a grouped record as grouped", () => {
    expect(
      checkQuery("SELECT e.props.region, COUNT(*) AS n INTO Alerts FROM Telemetry e GROUP BY e.props, TumblingWindow(minute, 1)", { job }).diagnostics.filter(
        (d) => d.severity === "error",
      ),
    ).toEqual([]);
  });
});

describe("checker: compatibility level", () => {
  it("accepts bit at level 1.2 and reports it below (data types page)", () => {
    expect(errors("SELECT CAST(flag AS bit) AS f INTO Alerts FROM Telemetry")).toEqual([]);
    const old = defineJob({ ...job, compatibilityLevel: "1.1" });
    expect(errors("SELECT CAST(flag AS bit) AS f INTO Alerts FROM Telemetry", old)).toMatchObject([
      { code: "INVALID_TYPE", startColumn: 21, message: expect.stringContaining("needs compatibility level 1.2") },
    ]);
  });
});
