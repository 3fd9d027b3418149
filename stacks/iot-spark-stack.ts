// IoT telemetry with Spark Structured Streaming in place of Stream Analytics: devices → IoT Hub
// → (route, hub's identity) → Event Hubs → Azure Databricks and a Synapse Spark pool, each
// reading the hub under its own consumer group with a managed identity and writing Delta to
// ADLS Gen2 (bronze/silver containers, checkpoints beside them); Data Explorer ingests the same
// hub. Nothing holds a key. The processing is part of the solution: a Databricks streaming job
// (pipelines/iot-telemetry/main.py: Event Hubs → bronze → silver Delta) and Data Explorer's
// scripts (kql/iot-spark/: raw → typed by an update policy → per-device minute aggregates in a
// materialized view). Synapse Spark jobs cannot be deployed with azurerm 4.55 (SynapseSparkJob
// says so); the stack publishes the Kafka client properties a hand-made one would read with.
import { Construct } from "constructs";
import type { EventHubsNamespace } from "../constructs/eventhubs/event-hubs-namespace";
import { addKafkaPropertiesOutput } from "../constructs/eventhubs/kafka-client";
import type { IotHub } from "../constructs/iothub/iot-hub";
import { StreamkitStorage } from "../constructs/storage/storage-account";
import { Databricks } from "../constructs/databricks/databricks";
import { SparkStreamingJob } from "../constructs/databricks/spark-streaming-job";
import { Synapse } from "../constructs/synapse/synapse";
import { SynapseSparkPool } from "../constructs/synapse/spark-pool";
import { DataExplorer } from "../constructs/dataexplorer/data-explorer";
import { SparkNetwork } from "../constructs/network/spark-network";
import { StreamkitError } from "../lib/core/errors";
import { SolutionStack, type SolutionStackProps } from "./solution-stack";
import { addDeviceTelemetry } from "./device-telemetry";

/**
 * What the Event Hubs data connection ingests: each device message whole. The typed table, the
 * update policy that fills it, the minute aggregates and the retention are the scripts'.
 */
export const ADX_RAW_TABLE = { name: "RawTelemetry", columns: [{ name: "payload", type: "dynamic", path: "$" }] } as const;

/** Data Explorer's scripts, applied in this order. */
export const ADX_SCRIPTS = ["10-telemetry-table", "20-parse-telemetry", "30-update-policy", "40-device-minute-view", "50-retention"].map((name) => `kql/iot-spark/${name}.kql`);

/** The Databricks streaming job's code. */
export const SPARK_JOB_CODE = "pipelines/iot-telemetry/main.py";

/** One consumer group per engine: readers never share offsets. */
export const SPARK_CONSUMER_GROUPS = { databricks: "databricks", synapse: "synapse-spark", dataExplorer: "adx" } as const;

export class IotSparkStack extends SolutionStack {
  readonly eventHubs: EventHubsNamespace;
  readonly iotHub: IotHub;
  readonly lake: StreamkitStorage;
  /** Databricks' virtual network; absent where the environment lets the workspace be public. */
  readonly network?: SparkNetwork;
  readonly databricks: Databricks;
  /** Event Hubs → bronze → silver Delta tables, on Databricks. */
  readonly sparkJob: SparkStreamingJob;
  readonly synapse: Synapse;
  readonly sparkPool: SynapseSparkPool;
  readonly dataExplorer: DataExplorer;

  constructor(scope: Construct, id: string, props: SolutionStackProps) {
    super(scope, id, "spark", props);
    this.requirePublicEndpoints(
      "IoT Spark",
      "devices reach IoT Hub over the internet through its IP filter, IoT Hub routes to Event Hubs and Data Explorer ingests from it as trusted Azure services through the namespace's public endpoint",
    );
    const env = this.settings;
    const prefix = env.namePrefix;
    if (!env.sqlAdmins) throw new StreamkitError(`environment '${props.environment}' has no sqlAdmins group for the Synapse workspace`, { jsonPath: `context.environments.${props.environment}.sqlAdmins` });

    // Databricks has no Azure-level firewall: short of `enabled`, its workspace is closed and
    // reached through a private endpoint, with clusters injected into the solution's network.
    // Clusters then reach Event Hubs and the lake through private endpoints too (their public
    // endpoints deny by default), and have no internet egress of their own.
    const publicWorkspace = env.publicNetworkAccess === "enabled";
    if (!publicWorkspace) {
      this.network = new SparkNetwork(this, "network", { ...this.common, name: `vnet-${prefix}-spark`, addressSpace: env.virtualNetwork.addressSpace });
    }
    const network = this.network;

    const ingest = addDeviceTelemetry(this, {
      namespaceName: `evhns-${prefix}-spark`,
      iotHubName: `iot-${prefix}-spark`,
      consumerGroups: Object.values(SPARK_CONSUMER_GROUPS),
      privateEndpoint: network?.privateEndpointIn("privatelink.servicebus.windows.net"),
    });
    this.eventHubs = ingest.eventHubs;
    this.iotHub = ingest.iotHub;
    const telemetry = ingest.telemetry;

    this.lake = new StreamkitStorage(this, "lake", {
      ...this.common,
      name: `st${prefix}sparklake`,
      replication: env.zoneRedundant ? "ZRS" : "LRS",
      containers: ["bronze", "silver", "synapse", "checkpoints"],
      // Streaming checkpoints of stopped queries are useless after a month; Delta data is kept.
      lifecycleRules: [{ name: "checkpoints", prefixes: ["checkpoints/"], deleteAfterDays: 30 }],
      privateEndpoints: network
        ? [
            { subresource: "dfs", ...network.privateEndpointIn("privatelink.dfs.core.windows.net") },
            { subresource: "blob", ...network.privateEndpointIn("privatelink.blob.core.windows.net") },
          ]
        : undefined,
    });

    this.databricks = new Databricks(this, "databricks", {
      ...this.common,
      name: `dbw-${prefix}-spark`,
      publicNetworkAccess: publicWorkspace ? "enabled" : "disabled",
      network: network?.databricks,
      privateEndpoint: network?.privateEndpointIn("privatelink.azuredatabricks.net"),
      eventHubAccess: [{ hub: telemetry, access: "receive" }],
      lakeAccess: [
        { storageAccount: this.lake, container: "bronze", access: "write" },
        { storageAccount: this.lake, container: "silver", access: "write" },
        { storageAccount: this.lake, container: "checkpoints", access: "write" },
      ],
    });

    this.sparkJob = new SparkStreamingJob(this, "spark-job", {
      workspace: this.databricks,
      name: "iot-telemetry-bronze-silver",
      projectDir: this.projectDir,
      codeFile: SPARK_JOB_CODE,
      cluster: { sparkVersion: env.databricks.sparkVersion, nodeType: env.databricks.nodeType, minWorkers: env.databricks.minWorkers, maxWorkers: env.databricks.maxWorkers },
      inputs: [{ alias: "telemetry", eventHub: telemetry, consumerGroup: SPARK_CONSUMER_GROUPS.databricks, partitionCount: env.eventHubs.partitions }],
      outputs: [
        { alias: "bronze", delta: { storageAccount: this.lake, container: "bronze", path: "telemetry" } },
        { alias: "silver", delta: { storageAccount: this.lake, container: "silver", path: "telemetry" } },
      ],
      checkpoint: { storageAccount: this.lake, container: "checkpoints" },
      trigger: { kind: "continuous" },
      alertEmails: env.alerts.emailReceivers,
      tags: this.tags,
    });

    this.synapse = new Synapse(this, "synapse", {
      ...this.common,
      name: `syn-${prefix}-spark`,
      filesystem: { storageAccount: this.lake, name: "synapse" },
      entraAdmin: env.sqlAdmins,
      // Synapse Studio and the serverless SQL endpoint from the solution's network, like the Databricks workspace.
      privateEndpoints: network
        ? [
            { subresource: "Dev", ...network.privateEndpointIn("privatelink.dev.azuresynapse.net") },
            { subresource: "SqlOnDemand", ...network.privateEndpointIn("privatelink.sql.azuresynapse.net") },
          ]
        : undefined,
    });
    this.sparkPool = new SynapseSparkPool(this, "spark-pool", {
      workspace: this.synapse,
      name: "telemetry",
      nodeSize: env.sparkPool.nodeSize,
      autoScale: { minNodes: env.sparkPool.minNodes, maxNodes: env.sparkPool.maxNodes },
      eventHubAccess: [{ hub: telemetry, access: "receive" }],
      lakeAccess: [{ storageAccount: this.lake, container: "silver", access: "read" }],
      tags: this.tags,
      diagnosticSettings: this.common.diagnosticSettings,
    });

    this.dataExplorer = new DataExplorer(this, "adx", {
      ...this.common,
      clusterName: `adx${prefix}spark`,
      databaseName: "telemetry",
      sku: { name: env.dataExplorer.sku, capacity: env.dataExplorer.capacity },
      tables: [{ name: ADX_RAW_TABLE.name, columns: ADX_RAW_TABLE.columns.map((c) => ({ ...c })) }],
      projectDir: this.projectDir,
      scripts: ADX_SCRIPTS,
      eventHubConnections: [{ name: "telemetry-in", hub: telemetry, consumerGroup: SPARK_CONSUMER_GROUPS.dataExplorer, table: ADX_RAW_TABLE.name }],
    });

    // What a Spark readStream.format("kafka") needs (Entra ID, no secret), as a Terraform output.
    addKafkaPropertiesOutput(
      this,
      "databricks_kafka_properties",
      this.eventHubs.kafkaClientConfig({ hub: "telemetry", consumerGroup: SPARK_CONSUMER_GROUPS.databricks, authentication: { kind: "managedIdentity" } }),
    );
  }
}
