// Kafka inputs/outputs and Data Explorer outputs exist in Stream Analytics but not in azurerm
// 4.55: adding one fails at once with what to do instead — never a wrong resource.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { TerraformVariable } from "cdktf";
import { StreamAnalyticsJob } from "../../../constructs/job";
import { HdinsightKafka } from "../../../constructs/hdinsight/hdinsight-kafka";
import { DataExplorer } from "../../../constructs/dataexplorer/data-explorer";
import { PLACEMENT, Scratch, servicesStack } from "./fixtures";

const QUERY = "SELECT * INTO out FROM telemetry";

describe("endpoints azurerm 4.55 cannot deploy", () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  function setup() {
    const services = servicesStack(scratch.app());
    const job = new StreamAnalyticsJob(services.stack, "job", { ...PLACEMENT, name: "asa-check", projectDir: scratch.project(QUERY), queryFile: "queries/job/query.asaql" });
    const kafka = new HdinsightKafka(services.stack, "kafka", {
      ...PLACEMENT,
      name: "hdi-test-kafka",
      storage: { storageAccount: services.storage, filesystem: "kafka" },
      identity: { id: "/subscriptions/x/resourceGroups/rg-test/providers/Microsoft.ManagedIdentity/userAssignedIdentities/kafka", principalId: "00000000-0000-0000-0000-0000000000aa" },
      gateway: { username: "kafkaadmin", password: new TerraformVariable(services.stack, "gateway_password", { type: "string", sensitive: true }) },
      ssh: { username: "kafkauser", publicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDmlj4Xv4Qh7cS0p2J4QwQ+Lr7JXUzE7h4wV4QWqg0yH test"] },
      network: { virtualNetworkId: "/vnet", subnetId: "/vnet/subnets/kafka" },
    });
    const adx = new DataExplorer(services.stack, "adx", { ...PLACEMENT, clusterName: "adxtestcluster", databaseName: "telemetry" });
    return { services, job, kafka, adx };
  }

  it("the provider binding has no Kafka or Data Explorer input/output resource for Stream Analytics", () => {
    const lib = join(dirname(require.resolve("@cdktf/provider-azurerm/package.json")), "lib");
    expect(existsSync(join(lib, "stream-analytics-output-blob"))).toBe(true);
    const streamAnalytics = readdirSync(lib).filter((name) => name.startsWith("stream-analytics-"));
    expect(streamAnalytics.filter((name) => /kafka|kusto|data-explorer|adx/.test(name))).toEqual([]);
  });

  it("a Kafka cluster as input fails with the missing resource and the Event Hubs alternative", () => {
    const { job, kafka } = setup();
    expect(() => job.addInput("telemetry", kafka)).toThrow(
      /input 'telemetry': Stream Analytics Kafka inputs cannot be deployed: azurerm 4\.55 .* has no stream_analytics_stream_input_kafka resource\. Produce to an event hub through the Event Hubs Kafka endpoint .*outside Terraform/,
    );
  });

  it("a Kafka cluster or Kafka client properties as output fail the same way", () => {
    const { job, kafka, services } = setup();
    expect(() => job.addOutput("out", kafka)).toThrow(/output 'out': Stream Analytics Kafka outputs cannot be deployed: .*no stream_analytics_output_kafka resource\. Write to an event hub/);
    const properties = services.namespace.kafkaClientConfig({ hub: "telemetry", authentication: { kind: "managedIdentity" } });
    expect(() => job.addOutput("out", properties)).toThrow(/Kafka outputs cannot be deployed/);
  });

  it("Data Explorer as output fails with the missing resource and the ingest-from-Event-Hubs alternative", () => {
    const { job, adx, services } = setup();
    expect(() => job.addOutput("out", adx)).toThrow(
      /output 'out': Stream Analytics output to Azure Data Explorer cannot be deployed: azurerm 4\.55 .* has no Data Explorer \(Kusto\) output resource\. Write to an event hub .*eventHubConnections/,
    );
    const existing = DataExplorer.fromExisting(services.stack, "shared-adx", { clusterName: "adxshared", databaseName: "events", resourceGroupName: "rg-shared" });
    expect(() => job.addOutput("out", existing)).toThrow(/output to Azure Data Explorer cannot be deployed/);
    expect(() => job.addInput("telemetry", adx)).toThrow(/input 'telemetry': Azure Data Explorer is not a Stream Analytics input/);
  });

  it("nothing is added to the job: the alias stays free for a supported endpoint", () => {
    const { job, kafka, services } = setup();
    expect(() => job.addInput("telemetry", kafka)).toThrow();
    expect(job.addInput("telemetry", services.namespace.hubs.telemetry!).kind).toBe("eventhub");
  });
});
