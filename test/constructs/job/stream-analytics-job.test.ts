import { Testing } from "cdktf";
import { loadJobFile } from "../../../lib/job";
import { StreamAnalyticsJob } from "../../../constructs/job";
import { AGGREGATE_TABLE, PLACEMENT, Scratch, resourcesOfType, servicesStack } from "./fixtures";

const QUERY = `SELECT deviceId, temperature INTO archive FROM telemetry
SELECT deviceId, System.Timestamp() AS windowEnd, COUNT(*) AS readings
INTO aggregates FROM telemetry GROUP BY deviceId, TumblingWindow(minute, 1)
`;

describe("StreamAnalyticsJob", () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  function build(options: { alerts?: false } = {}) {
    const projectDir = scratch.project(QUERY);
    const services = servicesStack(scratch.app());
    const job = new StreamAnalyticsJob(services.stack, "job", {
      ...PLACEMENT,
      name: "asa-test",
      projectDir,
      queryFile: "queries/job/query.asaql",
      streamingUnits: "2/3",
      eventOrdering: { lateArrivalMaxDelaySeconds: 10, outOfOrderMaxDelaySeconds: 3 },
      ...options,
    });
    job.addInput("telemetry", services.namespace.hubs.telemetry!, { serialization: { type: "json" } });
    job.addOutput("archive", services.storage, { container: "archive", format: "parquet" });
    job.addOutput("aggregates", services.sql, { table: "dbo.Aggregates" });
    return { job, services, projectDir, synth: () => Testing.synth(services.stack) };
  }

  it("deploys the query, settings and identity as an azurerm job", () => {
    const { synth, job } = build();
    const jobs = resourcesOfType(synth(), "azurerm_stream_analytics_job");
    const deployed = Object.values(jobs)[0]!;
    expect(deployed).toMatchObject({
      name: "asa-test",
      transformation_query: QUERY,
      sku_name: "StandardV2",
      streaming_units: 7,
      compatibility_level: "1.2",
      events_late_arrival_max_delay_in_seconds: 10,
      events_out_of_order_max_delay_in_seconds: 3,
      events_out_of_order_policy: "Adjust",
      output_error_policy: "Stop",
      data_locale: "en-US",
      identity: { type: "SystemAssigned" },
      content_storage_policy: "SystemAccount",
    });
    expect(job.queryText).toBe(QUERY);
  });

  it("reads Event Hubs and writes ADLS and SQL with the job's managed identity", () => {
    const { synth } = build();
    const out = synth();
    const input = Object.values(resourcesOfType(out, "azurerm_stream_analytics_stream_input_eventhub_v2"))[0]!;
    expect(input).toMatchObject({ name: "telemetry", authentication_mode: "Msi", eventhub_consumer_group_name: expect.stringContaining("asa-test") });
    expect(input.stream_analytics_job_id).toMatch(/azurerm_stream_analytics_job\..*\.id/);
    const blob = Object.values(resourcesOfType(out, "azurerm_stream_analytics_output_blob"))[0]!;
    expect(blob).toMatchObject({ name: "archive", authentication_mode: "Msi", storage_container_name: "archive", serialization: { type: "Parquet" } });
    const sql = Object.values(resourcesOfType(out, "azurerm_stream_analytics_output_mssql"))[0]!;
    expect(sql).toMatchObject({ name: "aggregates", authentication_mode: "Msi", table: "dbo.Aggregates" });
    expect(sql).not.toHaveProperty("password");
    // The consumer group is made by the hub's own construct, named after the job.
    expect(Object.values(resourcesOfType(out, "azurerm_eventhub_consumer_group")).map((g) => g.name)).toContain("asa-test");
  });

  it("grants each data role at the hub or container, never wider", () => {
    const { synth, job } = build();
    const grants = Object.values(resourcesOfType(synth(), "azurerm_role_assignment"));
    const mine = grants.filter((g) => String(g.description).startsWith("Stream Analytics job"));
    expect(mine.map((g) => g.role_definition_name).sort()).toEqual(["Azure Event Hubs Data Receiver", "Storage Blob Data Contributor"]);
    const blobGrant = mine.find((g) => g.role_definition_name === "Storage Blob Data Contributor")!;
    expect(blobGrant.scope).toMatch(/\/blobServices\/default\/containers\/archive$/);
    expect(mine.every((g) => g.principal_type === "ServicePrincipal")).toBe(true);
    expect(job.grants.map((g) => [g.alias, g.direction, g.scopeKind])).toEqual([
      ["telemetry", "input", "eventhub"],
      ["archive", "output", "container"],
    ]);
  });

  it("derives the job model the simulator runs, and writes it as a job file", () => {
    const { job, projectDir } = build();
    expect(job.spec).toMatchObject({
      name: "asa-test",
      query: { file: "queries/job/query.asaql" },
      streamingUnits: 7,
      eventOrdering: { lateArrivalMaxDelaySeconds: 10, outOfOrderMaxDelaySeconds: 3, policy: "adjust" },
      inputs: [{ alias: "telemetry", kind: "eventhub", type: "stream", serialization: { type: "json" } }],
      outputs: [
        { alias: "archive", kind: "adls", serialization: { type: "parquet" } },
        { alias: "aggregates", kind: "sql", table: AGGREGATE_TABLE },
      ],
    });
    const file = job.writeJobFile("build/jobs/asa-test.json");
    const loaded = loadJobFile(file);
    expect(loaded.queryText).toBe(QUERY);
    expect(loaded.queryFile).toBe(`${projectDir}/queries/job/query.asaql`);
    expect(loaded.spec.outputs).toEqual(job.spec.outputs);
  });

  it("publishes the T-SQL that creates the job's contained user", () => {
    const { synth, job } = build();
    expect(job.sqlSetupScript).toBe(
      ["-- Azure SQL database telemetry", "CREATE USER [asa-test] FROM EXTERNAL PROVIDER;", "GRANT SELECT, INSERT ON OBJECT::[dbo].[Aggregates] TO [asa-test];"].join("\n"),
    );
    const outputs = (JSON.parse(synth()) as { output: Record<string, { value: string }> }).output;
    expect(Object.values(outputs).map((o) => o.value)).toContain(job.sqlSetupScript);
  });

  it("adds the alert pack by default, and none when turned off", () => {
    const on = resourcesOfType(build().synth(), "azurerm_monitor_metric_alert");
    const metrics = Object.values(on).map((a) => (a.criteria as { metric_name: string }[])[0]!.metric_name);
    expect(metrics.sort()).toEqual(["DeserializationError", "Errors", "InputEventsSourcesBacklogged", "OutputWatermarkDelaySeconds", "ResourceUtilization"]);
    expect(resourcesOfType(build({ alerts: false }).synth(), "azurerm_monitor_metric_alert")).toEqual({});
  });

  it("rejects a duplicate alias and an unknown service at once", () => {
    const { job, services } = build();
    expect(() => job.addInput("ARCHIVE", services.namespace.hubs.alerts!)).toThrow(/alias 'ARCHIVE' is already used/);
    expect(() => job.addOutput("other", { hello: "world" })).toThrow(/cannot tell what service/);
    expect(() => job.addOutput("lake2", services.storage)).toThrow(/several containers \(archive, reference\)/);
  });

  it("finds the hub inside a namespace with one hub, and asks which one when there are several", () => {
    const { job, services } = build();
    expect(() => job.addOutput("forward", services.namespace)).toThrow(/'test\/eh' holds 2 event hub \(azurerm_eventhub\) resources \(test\/eh\/hub-telemetry\/hub, test\/eh\/hub-alerts\/hub\): pass the one the job should use/);
  });

  it("refuses a job name Stream Analytics does not allow", () => {
    const services = servicesStack(scratch.app());
    expect(() => new StreamAnalyticsJob(services.stack, "job", { ...PLACEMENT, name: "asa job!", projectDir: scratch.project(QUERY), queryFile: "queries/job/query.asaql" })).toThrow(
      /job name 'asa job!' is invalid/,
    );
  });

  it("names a missing query file", () => {
    const services = servicesStack(scratch.app());
    expect(
      () => new StreamAnalyticsJob(services.stack, "job", { ...PLACEMENT, name: "asa-x", projectDir: scratch.project(QUERY), queryFile: "queries/nope.asaql" }),
    ).toThrow(/query file not found: queries\/nope\.asaql/);
  });
});
