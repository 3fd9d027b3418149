// IoT telemetry: devices → IoT Hub → (route, hub's identity) → Event Hubs → Stream Analytics
// (per-device tumbling aggregates and threshold alerts) → ADLS Gen2 archive (Parquet), Azure SQL
// tables and a Power BI dashboard. The job reads Event Hubs and writes storage and SQL with its
// managed identity; nothing holds a key.
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { StreamkitError } from "../lib/core/errors";
import type { TableSpec } from "../lib/job";
import type { EventHubsNamespace } from "../constructs/eventhubs/event-hubs-namespace";
import type { IotHub } from "../constructs/iothub/iot-hub";
import { StreamkitStorage } from "../constructs/storage/storage-account";
import { AzureSql } from "../constructs/sql/azure-sql";
import { StreamingPipeline } from "../constructs/pipeline";
import { PowerBiOutput } from "../constructs/powerbi/power-bi-output";
import { SolutionStack, STREAM_ANALYTICS_NEEDS_PUBLIC_ENDPOINTS, type SolutionStackProps } from "./solution-stack";
import { addDeviceTelemetry } from "./device-telemetry";

export const IOT_TELEMETRY_QUERY = "queries/iot-telemetry/query.asaql";

export const TELEMETRY_AGGREGATES_TABLE: TableSpec = {
  name: "dbo.TelemetryAggregates",
  columns: [
    { name: "deviceId", sqlType: "nvarchar(64)", nullable: false },
    { name: "windowEnd", sqlType: "datetime2", nullable: false },
    { name: "readings", sqlType: "bigint", nullable: false },
    { name: "avgTemperature", sqlType: "float", nullable: true },
    { name: "maxTemperature", sqlType: "float", nullable: true },
    { name: "avgHumidity", sqlType: "float", nullable: true },
  ],
};

export const TEMPERATURE_ALERTS_TABLE: TableSpec = {
  name: "dbo.TemperatureAlerts",
  columns: [
    { name: "deviceId", sqlType: "nvarchar(64)", nullable: false },
    { name: "windowEnd", sqlType: "datetime2", nullable: false },
    { name: "avgTemperature", sqlType: "float", nullable: true },
    { name: "reason", sqlType: "nvarchar(200)", nullable: false },
  ],
};

export class IotTelemetryStack extends SolutionStack {
  readonly pipeline: StreamingPipeline;
  readonly eventHubs: EventHubsNamespace;
  readonly iotHub: IotHub;
  readonly lake: StreamkitStorage;
  readonly sql: AzureSql;
  readonly dashboard: PowerBiOutput;

  constructor(scope: Construct, id: string, props: SolutionStackProps) {
    super(scope, id, "iot", props);
    this.requirePublicEndpoints("IoT telemetry", `${STREAM_ANALYTICS_NEEDS_PUBLIC_ENDPOINTS}; and devices reach IoT Hub over the internet, through its IP filter`);
    const env = this.settings;
    const prefix = env.namePrefix;
    if (!env.powerBi) throw new StreamkitError(`environment '${props.environment}' has no powerBi workspace (groupId, groupName) for the dashboard`, { jsonPath: `context.environments.${props.environment}.powerBi` });
    if (!env.sqlAdmins) throw new StreamkitError(`environment '${props.environment}' has no sqlAdmins group for the SQL server`, { jsonPath: `context.environments.${props.environment}.sqlAdmins` });

    // The job reads Event Hubs with its managed identity (ASA cannot read IoT Hub without SAS keys).
    const ingest = addDeviceTelemetry(this, { namespaceName: `evhns-${prefix}-iot`, iotHubName: `iot-${prefix}-telemetry` });
    this.eventHubs = ingest.eventHubs;
    this.iotHub = ingest.iotHub;
    const telemetry = ingest.telemetry;

    this.lake = new StreamkitStorage(this, "lake", {
      ...this.common,
      name: `st${prefix}iotlake`,
      replication: env.zoneRedundant ? "ZRS" : "LRS",
      containers: ["archive"],
      lifecycleRules: [{ name: "archivetiering", prefixes: ["archive/telemetry/"], coolAfterDays: 30, coldAfterDays: 90, deleteAfterDays: 730 }],
    });

    this.sql = new AzureSql(this, "sql", {
      ...this.common,
      serverName: `sql-${prefix}-iot`,
      databaseName: "telemetry",
      entraAdmin: env.sqlAdmins,
      sku: env.sql.sku,
      zoneRedundant: env.zoneRedundant,
      // The job runs outside a virtual network: it reaches SQL through this rule.
      allowAzureServices: true,
      tables: [TELEMETRY_AGGREGATES_TABLE, TEMPERATURE_ALERTS_TABLE],
    });

    this.dashboard = new PowerBiOutput(this, "dashboard", {
      workspaceId: env.powerBi.groupId,
      workspaceName: env.powerBi.groupName,
      dataset: "iot-telemetry",
      table: "device-minutes",
    });

    const job = this.jobSettings;
    this.pipeline = new StreamingPipeline(this, "pipeline", {
      ...this.common,
      name: `asa-${prefix}-iot-telemetry`,
      projectDir: this.projectDir,
      query: IOT_TELEMETRY_QUERY,
      sku: job.sku,
      streamingUnits: job.streamingUnits,
      alerts: job.alerts,
      // Devices buffer and resend: tolerate a minute of lateness and 10 s of disorder.
      eventOrdering: { lateArrivalMaxDelaySeconds: 60, outOfOrderMaxDelaySeconds: 10, policy: "adjust" },
      outputErrorPolicy: "stop",
      jobStorage: this.lake,
      // Types from Functions/toFahrenheit.json, as in an ASA VS Code project.
      functions: { toFahrenheit: {} },
      sources: {
        telemetry: { from: telemetry, serialization: { type: "json" } },
      },
      sinks: {
        archive: { to: this.lake, container: "archive", format: "parquet", pathPattern: "telemetry/{date}/{time}", batchMaxWaitTime: "00:05:00" },
        aggregates: { to: this.sql, table: TELEMETRY_AGGREGATES_TABLE.name },
        alerts: { to: this.sql, table: TEMPERATURE_ALERTS_TABLE.name },
        dashboard: { to: this.dashboard },
      },
    });
    // Power BI access cannot be granted through Azure Resource Manager: a person does it once.
    new TerraformOutput(this, "power-bi-steps", {
      description: "What a person does in Power BI before the job starts",
      value: this.dashboard.manualSteps(this.pipeline.job.name).join("\n"),
    });
  }
}
