// Clickstream analytics: the web tier sends page views to Event Hubs; the job joins them with
// the page catalogue (reference data in ADLS Gen2), forwards enriched clicks to another event
// hub, and writes page views per category and 5 minutes to a Synapse dedicated SQL pool.
// Event Hubs and storage use the job's managed identity; Synapse takes SQL authentication
// (azurerm's only option for that output), with passwords in sensitive Terraform variables.
import { Construct } from "constructs";
import { TerraformVariable } from "cdktf";
import { StreamkitError } from "../lib/core/errors";
import type { TableSpec } from "../lib/job";
import { EventHubsNamespace } from "../constructs/eventhubs/event-hubs-namespace";
import { StreamkitStorage } from "../constructs/storage/storage-account";
import { Synapse } from "../constructs/synapse/synapse";
import { waivePolicy } from "../constructs/core/policy-waiver";
import { StreamingPipeline } from "../constructs/pipeline";
import { SolutionStack, STREAM_ANALYTICS_NEEDS_PUBLIC_ENDPOINTS, type SolutionStackProps } from "./solution-stack";

export const CLICKSTREAM_QUERY = "queries/clickstream/query.asaql";

export const PAGE_VIEWS_TABLE: TableSpec = {
  name: "dbo.PageViews",
  columns: [
    { name: "category", sqlType: "nvarchar(100)", nullable: false },
    { name: "windowEnd", sqlType: "datetime2", nullable: false },
    { name: "pageViews", sqlType: "bigint", nullable: false },
  ],
};

/** The SQL user the job signs in to the pool as (created by the job's setup T-SQL). */
export const SYNAPSE_JOB_USER = "asa_clickstream_writer";

export class ClickstreamStack extends SolutionStack {
  readonly pipeline: StreamingPipeline;
  readonly eventHubs: EventHubsNamespace;
  readonly lake: StreamkitStorage;
  readonly synapse: Synapse;

  constructor(scope: Construct, id: string, props: SolutionStackProps) {
    super(scope, id, "clicks", props);
    this.requirePublicEndpoints("clickstream", STREAM_ANALYTICS_NEEDS_PUBLIC_ENDPOINTS);
    const env = this.settings;
    const prefix = env.namePrefix;
    if (!env.sqlAdmins) throw new StreamkitError(`environment '${props.environment}' has no sqlAdmins group for the Synapse workspace`, { jsonPath: `context.environments.${props.environment}.sqlAdmins` });

    this.eventHubs = new EventHubsNamespace(this, "event-hubs", {
      ...this.common,
      name: `evhns-${prefix}-clicks`,
      sku: env.eventHubs.sku,
      capacity: env.eventHubs.capacity,
      hubs: [
        { name: "clicks", partitionCount: env.eventHubs.partitions, retentionDays: 1 },
        { name: "enriched", partitionCount: env.eventHubs.partitions, retentionDays: 1 },
      ],
    });

    this.lake = new StreamkitStorage(this, "lake", {
      ...this.common,
      name: `st${prefix}clicks`,
      replication: env.zoneRedundant ? "ZRS" : "LRS",
      containers: ["synapse", "reference"],
    });

    // Synapse with SQL authentication on: the job's output cannot use Entra ID through azurerm.
    const adminPassword = new TerraformVariable(this, "synapse_sql_admin_password", {
      type: "string",
      sensitive: true,
      description: "Password of the Synapse workspace's SQL administrator (set TF_VAR_synapse_sql_admin_password)",
    });
    const jobPassword = new TerraformVariable(this, "synapse_job_password", {
      type: "string",
      sensitive: true,
      description: `Password of SQL user ${SYNAPSE_JOB_USER}, which the Stream Analytics job signs in as (set TF_VAR_synapse_job_password)`,
    });
    this.synapse = new Synapse(this, "synapse", {
      ...this.common,
      name: `syn-${prefix}-clicks`,
      filesystem: { storageAccount: this.lake, name: "synapse" },
      entraAdmin: env.sqlAdmins,
      sqlAdministrator: { login: "sqladminuser", password: adminPassword },
      allowAzureServices: true,
      sqlPool: { name: "clicks", sku: env.synapse.sku, storageAccountType: env.zoneRedundant ? "GRS" : "LRS", tables: [PAGE_VIEWS_TABLE] },
    });
    waivePolicy(
      this.synapse.workspace,
      "local-auth",
      "Stream Analytics writes to Synapse with SQL authentication only (azurerm 4.55's stream_analytics_output_synapse has no managed-identity mode); both passwords come from sensitive variables",
    );

    const job = this.jobSettings;
    this.pipeline = new StreamingPipeline(this, "pipeline", {
      ...this.common,
      name: `asa-${prefix}-clickstream`,
      projectDir: this.projectDir,
      query: CLICKSTREAM_QUERY,
      sku: job.sku,
      streamingUnits: job.streamingUnits,
      alerts: job.alerts,
      eventOrdering: { lateArrivalMaxDelaySeconds: 5, outOfOrderMaxDelaySeconds: 5, policy: "adjust" },
      outputErrorPolicy: "drop",
      sources: {
        clicks: { from: this.eventHubs.hubs.clicks!, serialization: { type: "json" } },
        pages: { from: this.lake, container: "reference", reference: true, pathPattern: "pages/pages.csv", serialization: { type: "csv", fieldDelimiter: "," } },
      },
      sinks: {
        enriched: { to: this.eventHubs.hubs.enriched!, format: "json", partitionKey: "sessionId" },
        pageviews: { to: this.synapse, table: PAGE_VIEWS_TABLE.name, user: SYNAPSE_JOB_USER, password: jobPassword },
      },
    });
  }
}
