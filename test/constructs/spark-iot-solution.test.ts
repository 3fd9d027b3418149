// The IoT telemetry solution with Spark Structured Streaming in place of Stream Analytics,
// built from the service constructs alone: devices → IoT Hub → (hub identity) → Event Hubs →
// Databricks and Synapse Spark (each with its own consumer group, reading with a managed
// identity) → Delta on ADLS Gen2; Data Explorer ingests the same hub for ad-hoc queries.
// The whole stack passes the security policy with no waiver.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { addAzureProvider } from "../../constructs/core/azure-provider";
import { StreamkitResourceGroup } from "../../constructs/core/resource-group";
import { EventHubsNamespace } from "../../constructs/eventhubs/event-hubs-namespace";
import { addKafkaPropertiesOutput } from "../../constructs/eventhubs/kafka-client";
import { IotHub } from "../../constructs/iothub/iot-hub";
import { StreamkitStorage } from "../../constructs/storage/storage-account";
import { Databricks } from "../../constructs/databricks/databricks";
import { Synapse } from "../../constructs/synapse/synapse";
import { SynapseSparkPool } from "../../constructs/synapse/spark-pool";
import { DataExplorer } from "../../constructs/dataexplorer/data-explorer";
import { checkStacks, formatFinding, loadStacks } from "../../lib/policy";

const outdir = mkdtempSync(join(tmpdir(), "streamkit-spark-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function sparkIotStack(app: App, env: string, exposure: { databricks: "enabled" | "disabled" }) {
  const stack = new TerraformStack(app, `iot-spark-${env}`);
  addAzureProvider(stack);
  const prefix = `sk${env}`;
  const rg = new StreamkitResourceGroup(stack, "rg", { name: `rg-${prefix}-iot-spark`, location: "westeurope", tags: { environment: env } });
  const place = { resourceGroupName: rg.resourceGroup.name, location: "westeurope", tags: { environment: env } };
  const events = new EventHubsNamespace(stack, "event-hubs", {
    ...place,
    name: `evhns-${prefix}-iot-spark`,
    hubs: [{ name: "telemetry", partitionCount: 8, consumerGroups: ["databricks", "synapse-spark", "adx"] }],
  });
  const telemetry = events.hub("telemetry");
  new IotHub(stack, "iot-hub", { ...place, name: `iot-${prefix}-spark`, routes: [{ name: "telemetry-to-event-hubs", eventHub: telemetry }], fallbackToBuiltInEndpoint: false });
  const lake = new StreamkitStorage(stack, "lake", {
    ...place,
    name: `st${prefix}sparklake`,
    containers: ["bronze", "silver", "synapse", "checkpoints"],
    lifecycleRules: [{ name: "checkpoints", prefixes: ["checkpoints/"], deleteAfterDays: 30 }],
  });
  const databricks = new Databricks(stack, "databricks", {
    ...place,
    name: `dbw-${prefix}-iot`,
    publicNetworkAccess: exposure.databricks,
    ...(exposure.databricks === "disabled"
      ? {
          network: { virtualNetworkId: "/vnet", publicSubnetName: "host", privateSubnetName: "container", publicSubnetNetworkSecurityGroupAssociationId: "/a/host", privateSubnetNetworkSecurityGroupAssociationId: "/a/container" },
          privateEndpoint: { subnetId: "/vnet/subnets/pe" },
        }
      : {}),
    eventHubAccess: [{ hub: telemetry, access: "receive" }],
    lakeAccess: [
      { storageAccount: lake, container: "bronze", access: "write" },
      { storageAccount: lake, container: "silver", access: "write" },
      { storageAccount: lake, container: "checkpoints", access: "write" },
    ],
  });
  const synapse = new Synapse(stack, "synapse", { ...place, name: `syn-${prefix}-iot`, filesystem: { storageAccount: lake, name: "synapse" }, entraAdmin: { loginUsername: "synapse-admins", objectId: "00000000-0000-0000-0000-00000000000a" } });
  new SynapseSparkPool(stack, "spark", { workspace: synapse, name: "telemetry", eventHubAccess: [{ hub: telemetry, access: "receive" }], lakeAccess: [{ storageAccount: lake, container: "silver", access: "read" }] });
  new DataExplorer(stack, "adx", {
    ...place,
    clusterName: `adx${prefix}iot`,
    databaseName: "telemetry",
    tables: [{ name: "Telemetry", columns: [{ name: "deviceId", type: "string" }, { name: "temperature", type: "real" }, { name: "humidity", type: "real" }, { name: "eventTime", type: "datetime" }] }],
    eventHubConnections: [{ name: "telemetry-in", hub: telemetry, consumerGroup: "adx", table: "Telemetry" }],
  });
  addKafkaPropertiesOutput(stack, "spark_kafka_properties", events.kafkaClientConfig({ hub: "telemetry", consumerGroup: "databricks", authentication: { kind: "managedIdentity" } }));
  return { stack, databricks };
}

describe("IoT telemetry with Spark in place of Stream Analytics", () => {
  const app = new App({ outdir });
  sparkIotStack(app, "dev", { databricks: "enabled" });
  sparkIotStack(app, "prod", { databricks: "disabled" });
  app.synth();
  const stacks = loadStacks(outdir);

  it("synthesizes one stack per environment with every engine reading the hub under its own consumer group", () => {
    expect(stacks.map((s) => s.name)).toEqual(["iot-spark-dev", "iot-spark-prod"]);
    const prod = stacks[1]!.json;
    const groups = Object.values(prod.resource?.azurerm_eventhub_consumer_group ?? {}).map((g) => g.name);
    expect(groups.sort()).toEqual(["adx", "databricks", "synapse-spark"]);
    const receivers = Object.values(prod.resource?.azurerm_role_assignment ?? {}).filter((r) => r.role_definition_name === "Azure Event Hubs Data Receiver");
    expect(receivers).toHaveLength(3);
    expect(prod.output?.spark_kafka_properties?.value).toMatch(/^bootstrap\.servers=evhns-skprod-iot-spark\.servicebus\.windows\.net:9093\n/);
  });

  it("passes the policy: dev allows Databricks' public workspace, prod closes everything", () => {
    const findings = checkStacks(stacks, { publicNetworkAccess: (name) => (name.endsWith("-dev") ? "enabled" : "restricted") });
    expect(findings.map(formatFinding)).toEqual([]);
  });
});
