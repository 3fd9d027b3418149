// Capacity estimates: each figure follows the proportionality its article documents, with the
// workload given; every figure is flagged as an estimate and names its basis.
import { explainQuery, type Workload } from "../../lib/explain";
import { EVENTS_PER_SU_V2, GROUP_STATE_BYTES } from "../../lib/explain/capacity";
import { defineJob, type JobSpecInput } from "../../lib/job";

function explain(query: string, workload: Workload, job: Partial<JobSpecInput> = {}) {
  const spec = defineJob({
    name: "capacity",
    query: { text: query },
    inputs: [
      { alias: "telemetry", kind: "eventhub", partitionCount: 8 },
      { alias: "other", kind: "eventhub", partitionCount: 8 },
      { alias: "devices", type: "reference", kind: "blob" },
    ],
    outputs: [{ alias: "output", kind: "blob" }],
    ...job,
  });
  const result = explainQuery(query, { job: spec, workload });
  if (!result.explanation) throw new Error(JSON.stringify(result.diagnostics));
  return result.explanation;
}

describe("explain capacity", () => {
  it("windowed aggregate: groups × open windows × bytes per group (hopping 10 min every 5: two windows open)", () => {
    const e = explain("SELECT deviceId, COUNT(*) AS n INTO output FROM telemetry GROUP BY deviceId, HoppingWindow(minute, 10, 5)", { eventsPerSecond: 100, keys: 1000 });
    const state = e.capacity.steps[0]!.state;
    expect(state.value).toBe(1000 * 2 * GROUP_STATE_BYTES);
    expect(state.estimate).toBe(true);
    expect(state.basis.join(" ")).toMatch(/Windowed aggregates/);
  });

  it("a grouping with keys but no --keys is unknown, and says what to give", () => {
    const e = explain("SELECT deviceId, COUNT(*) AS n INTO output FROM telemetry GROUP BY deviceId, TumblingWindow(minute, 1)", { eventsPerSecond: 100 });
    expect(e.capacity.steps[0]!.state.value).toBeUndefined();
    expect(e.capacity.steps[0]!.state.basis.join(" ")).toMatch(/--keys/);
    expect(e.capacity.totalState.value).toBeUndefined();
  });

  it("temporal join: rate into the join × DATEDIFF range × event size", () => {
    const e = explain(
      "SELECT t.deviceId INTO output FROM telemetry t JOIN other o ON t.deviceId = o.deviceId AND DATEDIFF(minute, t, o) BETWEEN 0 AND 10",
      { eventsPerSecond: 50, eventBytes: 200 },
    );
    // Both inputs feed the join: 100 events/s kept for 600 s.
    expect(e.capacity.steps[0]!.state.value).toBe(100 * 600 * 200);
    expect(e.capacity.steps[0]!.state.basis.join(" ")).toMatch(/Temporal joins/);
  });

  it("LAG … LIMIT DURATION: event rate × duration × event size", () => {
    const e = explain("SELECT deviceId, LAG(t) OVER (PARTITION BY deviceId LIMIT DURATION(minute, 5)) AS p INTO output FROM telemetry", { eventsPerSecond: { telemetry: 100 }, eventBytes: 500 });
    expect(e.capacity.steps[0]!.state.value).toBe(100 * 300 * 500);
  });

  it("reference data: one copy per join, per partition of a partitioned step", () => {
    const e = explain("SELECT t.deviceId, d.room INTO output FROM telemetry t JOIN devices d ON t.deviceId = d.deviceId", { eventsPerSecond: 10, referenceBytes: { devices: 1_000_000 } });
    expect(e.steps[0]!.parallelism.out).toEqual({ partitioned: true, key: "PartitionId", count: 8 });
    expect(e.capacity.steps[0]!.state.value).toBe(8 * 1_000_000);
  });

  it("Collect keeps every event of its window", () => {
    const e = explain("SELECT deviceId, Collect() AS readings INTO output FROM telemetry GROUP BY deviceId, TumblingWindow(second, 10)", { eventsPerSecond: 100, keys: 10, eventBytes: 100 });
    expect(e.capacity.steps[0]!.state.value).toBe(10 * GROUP_STATE_BYTES + 100 * 10 * 100);
  });

  it("the out-of-order buffer: rate × tolerance × event size", () => {
    const e = explain("SELECT * INTO output FROM telemetry", { eventsPerSecond: 1000, eventBytes: 100 }, { eventOrdering: { outOfOrderMaxDelaySeconds: 5 } });
    expect(e.capacity.reorderBuffer?.value).toBe(1000 * 5 * 100);
    expect(e.capacity.totalState.value).toBe(1000 * 5 * 100);
  });

  it("streaming units: rate over the documented passthrough throughput, rounded up to an SU V2 size that divides the partitions", () => {
    // 12,000 events/s needs 2.4 SU V2: 3 does not divide 8 partitions, 4 does.
    const e = explain("SELECT * INTO output FROM telemetry", { eventsPerSecond: 12_000 });
    expect(12_000 / EVENTS_PER_SU_V2).toBeCloseTo(2.4);
    expect(e.capacity.streamingUnits.value).toBe(4);
    expect(e.capacity.streamingUnits.basis.join(" ")).toMatch(/divides the 8 partitions/);
    // A small rate fits a fractional node.
    expect(explain("SELECT * INTO output FROM telemetry", { eventsPerSecond: 1000 }).capacity.streamingUnits.value).toBeCloseTo(1 / 3);
  });

  it("flags a rate that needs more SUs than a merging query can use", () => {
    const e = explain("SELECT COUNT(*) AS n INTO output FROM telemetry GROUP BY TumblingWindow(minute, 1)", { eventsPerSecond: 20_000 });
    expect(e.maxStreamingUnits).toBe(1);
    expect(e.capacity.streamingUnits.value).toBe(4);
    expect(e.capacity.streamingUnits.basis.join(" ")).toMatch(/more than the 1 SU V2 the query can use/);
  });

  it("a workload that needs more SUs than the job has is a warning; one that fits is not", () => {
    const query = "SELECT * INTO output FROM telemetry";
    expect(explain(query, { eventsPerSecond: 4000 }, { streamingUnits: 3 }).warnings.map((w) => w.message)).toEqual([
      "the workload needs about 1 SU V2 (an estimate from its rate, see Capacity) and job 'capacity' has 1/3",
    ]);
    expect(explain(query, { eventsPerSecond: 4000 }, { streamingUnits: 10 }).warnings).toEqual([]);
    expect(explain(query, {}, { streamingUnits: 3 }).warnings).toEqual([]);
  });

  it("without a rate, the SU estimate is unknown and names what is missing", () => {
    const e = explain("SELECT * INTO output FROM telemetry", {});
    expect(e.capacity.streamingUnits.value).toBeUndefined();
    expect(e.capacity.streamingUnits.basis[0]).toMatch(/--events-per-second/);
    expect(e.capacity.workload.assumptions[0]).toMatch(/500 bytes \(assumed/);
  });
});
