import { TerraformStack, Testing } from "cdktf";
import { addAzureProvider } from "../../../constructs/core/azure-provider";
import { EventHubsNamespace } from "../../../constructs/eventhubs/event-hubs-namespace";
import { StreamkitStorage } from "../../../constructs/storage/storage-account";
import { StreamingPipeline } from "../../../constructs/pipeline";
import { PLACEMENT, Scratch, resourcesOfType } from "../job/fixtures";

const QUERY = "SELECT deviceId, temperature INTO archive FROM telemetry WHERE temperature > 0\n";

describe("StreamingPipeline", () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  function stack() {
    const made = new TerraformStack(scratch.app(), "pipeline-test");
    addAzureProvider(made);
    return made;
  }

  it("wires a reused source and a sink it creates, in a few lines", () => {
    const s = stack();
    const namespace = new EventHubsNamespace(s, "eh", { ...PLACEMENT, name: "evhns-pipe-01", hubs: [{ name: "telemetry" }] });
    const pipeline = new StreamingPipeline(s, "telemetry", {
      ...PLACEMENT,
      name: "asa-pipe",
      projectDir: scratch.project(QUERY),
      query: "queries/job/query.asaql",
      sources: { telemetry: { from: namespace.hubs.telemetry! } },
      sinks: {
        archive: {
          to: (scope, id) => new StreamkitStorage(scope, id, { ...PLACEMENT, name: "stpipearchive", containers: ["archive"] }),
          container: "archive",
          format: "parquet",
        },
      },
    });
    const synthesized = Testing.synth(s, true);
    // The sink was created inside the pipeline; the source is the namespace's own hub.
    expect(pipeline.services.archive).toBeInstanceOf(StreamkitStorage);
    expect((pipeline.services.archive as StreamkitStorage).node.path).toBe("pipeline-test/telemetry/sink-archive");
    expect(pipeline.services.telemetry).toBe(namespace.hubs.telemetry);
    expect(pipeline.spec.inputs.map((i) => [i.alias, i.kind])).toEqual([["telemetry", "eventhub"]]);
    expect(pipeline.spec.outputs.map((o) => [o.alias, o.kind, o.serialization?.type])).toEqual([["archive", "adls", "parquet"]]);
    const roles = Object.values(resourcesOfType(synthesized, "azurerm_role_assignment")).map((r) => r.role_definition_name);
    expect(roles.sort()).toEqual(["Azure Event Hubs Data Receiver", "Storage Blob Data Contributor"]);
  });

  it("fails synth when the query and the declared sinks disagree", () => {
    const s = stack();
    const namespace = new EventHubsNamespace(s, "eh", { ...PLACEMENT, name: "evhns-pipe-02", hubs: [{ name: "telemetry" }, { name: "out" }] });
    new StreamingPipeline(s, "telemetry", {
      ...PLACEMENT,
      name: "asa-pipe",
      projectDir: scratch.project(QUERY),
      query: "queries/job/query.asaql",
      sources: { telemetry: { from: namespace.hubs.telemetry! } },
      sinks: { forwarded: { to: namespace.hubs.out! } },
    });
    expect(() => Testing.synth(s, true)).toThrow(/queries\/job\/query\.asaql:1:\d+: .*archive/);
  });

  it("needs at least one source and one sink", () => {
    const s = stack();
    expect(
      () => new StreamingPipeline(s, "empty", { ...PLACEMENT, name: "asa-pipe", projectDir: scratch.project(QUERY), query: "queries/job/query.asaql", sources: {}, sinks: {} }),
    ).toThrow(/has no source/);
  });
});
