// The job construct runs `streamkit explain`'s analysis at synth: streaming units the query cannot use,
// or partitions merged on more than one node, are a warning naming the step and the reason; strict
// mode (context `streamkit:strict`, or STREAMKIT_STRICT=1) fails synth with the same message.
import { rmSync } from "node:fs";
import { Testing } from "cdktf";
import type { App } from "cdktf";
import { StreamAnalyticsJob } from "../../../constructs/job";
import { PLACEMENT, Scratch, servicesStack } from "./fixtures";

const MERGING = "SELECT deviceId, System.Timestamp() AS windowEnd, COUNT(*) AS readings\nINTO aggregates\nFROM telemetry\nGROUP BY deviceId, TumblingWindow(minute, 1)\n";
const PASSTHROUGH = "SELECT deviceId, System.Timestamp() AS windowEnd, 1 AS readings\nINTO aggregates\nFROM telemetry\n";

describe("scaling findings at synth", () => {
  const scratch = new Scratch();
  const apps: App[] = [];
  afterAll(() => {
    scratch.cleanup();
    for (const app of apps) rmSync(app.outdir, { recursive: true, force: true });
  });

  function build(query: string, streamingUnits: string, app: App = scratch.app()) {
    const services = servicesStack(app);
    const job = new StreamAnalyticsJob(services.stack, "job", { ...PLACEMENT, name: "asa-scale", projectDir: scratch.project(query), queryFile: "queries/job/query.asaql", streamingUnits, alerts: false });
    job.addInput("telemetry", services.namespace.hubs.telemetry!);
    job.addOutput("aggregates", services.sql, { table: "dbo.Aggregates" });
    let error = "";
    try {
      Testing.synth(services.stack, true);
    } catch (e) {
      error = (e as Error).message;
    }
    const warnings = job.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
    return { error, warnings, spec: job.spec };
  }

  it("the job model knows the hub's partitions (the namespace's default, 4)", () => {
    expect(build(PASSTHROUGH, "1/3").spec.inputs[0]).toMatchObject({ alias: "telemetry", partitionCount: 4 });
  });

  it("more SUs than a merging query can use: a warning naming the step and why", () => {
    const { error, warnings } = build(MERGING, "2");
    expect(error).toBe("");
    expect(warnings).toEqual([
      expect.stringMatching(/^queries\/job\/query\.asaql: job 'asa-scale' has 2 SU V2 but its query can use at most 1: step 'aggregates': GROUP BY deviceId without PartitionId merges all 4 partitions \[stream-analytics-parallelization\.md/),
    ]);
  });

  it("the smallest size raises nothing, nor a partitioned query within its partitions", () => {
    expect(build(MERGING, "1/3").warnings).toEqual([]);
    expect(build(PASSTHROUGH, "4").warnings).toEqual([]);
  });

  it("a partitioned query given more SUs than partitions: a warning with the count", () => {
    expect(build(PASSTHROUGH, "6").warnings).toEqual([expect.stringMatching(/has 6 SU V2 but its query can use at most 4: 4 for partitioned step 'aggregates'/)]);
  });

  it("SUs the query can use, while one of its steps merges: a warning that the merging step runs on one node", () => {
    const query = `WITH Readings AS (SELECT deviceId, temperature FROM telemetry WHERE temperature > 0)\n${MERGING.replace("FROM telemetry", "FROM Readings")}`;
    // Readings: 4 partitions; aggregates merges: at most 1 + 4 = 5 SU V2.
    expect(build(query, "3").warnings).toEqual([expect.stringMatching(/has 3 SU V2 while its query merges partitions, so the merging steps run on one node: step 'aggregates': GROUP BY deviceId/)]);
  });

  it("strict mode by context fails synth with the same message", () => {
    const app = Testing.app({ context: { "streamkit:strict": true } });
    apps.push(app);
    const { error, warnings } = build(MERGING, "2", app);
    expect(warnings).toEqual([]);
    expect(error).toMatch(/job 'asa-scale' has 2 SU V2 but its query can use at most 1: step 'aggregates'/);
  });

  it("strict mode by STREAMKIT_STRICT=1", () => {
    process.env.STREAMKIT_STRICT = "1";
    try {
      expect(build(MERGING, "2").error).toMatch(/merges all 4 partitions/);
    } finally {
      delete process.env.STREAMKIT_STRICT;
    }
  });
});
