// The topology explain reads from a query: one step per WITH and per SELECT … INTO, what each reads,
// and its operators with the figures the capacity rules need (window sizes, join bounds, durations).
import { parseQuery } from "../../lib/saql";
import { readTopology } from "../../lib/explain/topology";

function topology(query: string, referenceInputs: string[] = []) {
  const { script, diagnostics } = parseQuery(query);
  expect(diagnostics).toEqual([]);
  return readTopology(script!, query, { referenceInputs });
}

describe("explain topology", () => {
  const steps = topology(
    `WITH Readings AS (
  SELECT r.deviceId, r.t, d.room, LAG(r.t) OVER (PARTITION BY r.deviceId LIMIT DURATION(minute, 5)) AS previous
  FROM telemetry r TIMESTAMP BY ts
  JOIN devices d ON r.deviceId = d.deviceId
  WHERE r.t IS NOT NULL
),
Paired AS (
  SELECT a.deviceId, b.t FROM Readings a JOIN other b PARTITION BY PartitionId ON a.deviceId = b.deviceId AND DATEDIFF(second, a, b) BETWEEN 0 AND 30
),
Flat AS (
  SELECT f.deviceId, e.ArrayValue AS v FROM Readings f CROSS APPLY GetArrayElements(f.values) AS e
)
SELECT deviceId, COUNT(*) AS n, udf.scale(AVG(t)) AS s INTO perMinute FROM Readings GROUP BY deviceId, HoppingWindow(minute, 10, 5)
SELECT deviceId, Collect() AS c INTO sessions FROM Readings GROUP BY deviceId, SessionWindow(minute, 2, 60)
SELECT DISTINCT deviceId INTO combined FROM Paired UNION SELECT deviceId FROM Flat
SELECT deviceId INTO snapshots FROM Readings GROUP BY deviceId, System.Timestamp()
SELECT deviceId INTO sliding FROM Readings GROUP BY deviceId, SlidingWindow(second, 30)
SELECT * INTO patterns FROM Readings MATCH_RECOGNIZE (LIMIT DURATION(minute, 1) PARTITION BY deviceId MEASURES Last(A.t) AS last PATTERN (A B) DEFINE A AS A.t > 1, B AS B.t < 1) AS m`,
    ["devices"],
  );
  const byName = (name: string) => steps.find((s) => s.name === name)!;

  it("has one step per WITH and per SELECT … INTO, in order, with what each reads", () => {
    expect(steps.map((s) => [s.kind, s.name])).toEqual([
      ["with", "Readings"],
      ["with", "Paired"],
      ["with", "Flat"],
      ["select", "perMinute"],
      ["select", "sessions"],
      ["select", "combined"],
      ["select", "snapshots"],
      ["select", "sliding"],
      ["select", "patterns"],
    ]);
    expect(byName("Readings").sources).toEqual([
      { name: "telemetry", kind: "input", role: "from", timestampBy: "ts", partitionBy: undefined, intoPartitions: undefined },
      { name: "devices", kind: "reference", role: "join", partitionBy: undefined, intoPartitions: undefined, timestampBy: undefined },
    ]);
    expect(byName("Paired").sources.map((s) => [s.name, s.kind, s.partitionBy])).toEqual([
      ["Readings", "step", undefined],
      ["other", "input", ["PartitionId"]],
    ]);
    expect(byName("combined").sources.map((s) => s.name)).toEqual(["Paired", "Flat"]);
  });

  it("reads reference joins, filters, analytic functions with their duration, projections", () => {
    expect(byName("Readings").operators.map((o) => o.kind)).toEqual(["reference-join", "filter", "analytic", "project"]);
    expect(byName("Readings").operators).toContainEqual(expect.objectContaining({ kind: "analytic", fn: "LAG", partitionBy: ["r.deviceId"], durationMs: 300_000 }));
  });

  it("reads a stream join's DATEDIFF bound and its equality keys; APPLY; UNION; DISTINCT", () => {
    expect(byName("Paired").operators).toContainEqual({ kind: "join", with: "other", text: expect.stringContaining("DATEDIFF"), boundMs: 30_000, keys: [["deviceid", "deviceid"]] });
    expect(byName("Flat").operators).toContainEqual({ kind: "apply", fn: "GetArrayElements", outer: false });
    expect(byName("combined").operators.map((o) => o.kind)).toEqual(["distinct", "project", "project", "union"]);
  });

  it("reads each window's kind and size, its keys, UDF calls and event-holding aggregates", () => {
    expect(byName("perMinute").operators).toContainEqual(expect.objectContaining({ kind: "window", window: "hopping", sizeMs: 600_000, hopMs: 300_000, groupBy: ["deviceId"], holdsEvents: [] }));
    expect(byName("perMinute").operators).toContainEqual({ kind: "udf", name: "scale" });
    expect(byName("sessions").operators).toContainEqual(expect.objectContaining({ kind: "window", window: "session", sizeMs: 3_600_000, holdsEvents: ["Collect()"] }));
    expect(byName("snapshots").operators).toContainEqual(expect.objectContaining({ kind: "window", window: "snapshot", groupBy: ["deviceId"] }));
    expect(byName("sliding").operators).toContainEqual(expect.objectContaining({ kind: "window", window: "sliding", sizeMs: 30_000 }));
    expect(byName("patterns").operators).toContainEqual({ kind: "match-recognize", partitionBy: ["deviceId"], durationMs: 60_000 });
  });
});
