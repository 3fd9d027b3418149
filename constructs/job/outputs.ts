// Job outputs: one azurerm resource per output, written with the job's managed identity where
// azurerm lets it (Event Hubs, Blob/ADLS, SQL, Service Bus, Power BI), with the data role on the
// narrowest scope, and the job model's description of the same sink.
import type { z } from "zod";
import { TerraformResource, TerraformVariable } from "cdktf";
import { StreamAnalyticsOutputEventhub } from "@cdktf/provider-azurerm/lib/stream-analytics-output-eventhub";
import { StreamAnalyticsOutputBlob } from "@cdktf/provider-azurerm/lib/stream-analytics-output-blob";
import { StreamAnalyticsOutputMssql } from "@cdktf/provider-azurerm/lib/stream-analytics-output-mssql";
import { StreamAnalyticsOutputSynapse } from "@cdktf/provider-azurerm/lib/stream-analytics-output-synapse";
import { StreamAnalyticsOutputPowerbi } from "@cdktf/provider-azurerm/lib/stream-analytics-output-powerbi";
import { StreamAnalyticsOutputServicebusQueue } from "@cdktf/provider-azurerm/lib/stream-analytics-output-servicebus-queue";
import { StreamAnalyticsOutputCosmosdb } from "@cdktf/provider-azurerm/lib/stream-analytics-output-cosmosdb";
import { MssqlFirewallRule } from "@cdktf/provider-azurerm/lib/mssql-firewall-rule";
import { SynapseFirewallRule } from "@cdktf/provider-azurerm/lib/synapse-firewall-rule";
import { StreamkitError } from "../../lib/core/errors";
import { tableSchema, type OutputSpec, type TableSpec } from "../../lib/job";
import { literal, secretProblems, type JobContext } from "./job-context";
import { JOB_ROLES } from "./role-assignments";
import { normalizeSerialization, toAzurermOutputSerialization, type SerializationOptions } from "./serialization";
import { allResources, cosmosContainerOf, eventHubOf, serviceBusQueueOf, serviceKindOf, sqlDatabaseOf, storageOf, synapsePoolOf } from "./sources";

/** A Power BI workspace: not an Azure resource, so it is described, not found. */
export interface PowerBiWorkspace {
  /** The workspace (group) id, a GUID from the Power BI portal. */
  groupId: string;
  groupName: string;
}

/** What a Power BI output needs, from a workspace description or a Power BI output construct. */
interface PowerBiTarget extends PowerBiWorkspace {
  dataset?: string;
  table?: string;
  tableSpec?: TableSpec;
}

function powerBiTargetOf(value: object): PowerBiTarget | undefined {
  const v = value as Partial<PowerBiWorkspace> & { workspaceId?: unknown; workspaceName?: unknown; dataset?: unknown; table?: unknown; tableSpec?: TableSpec };
  if (typeof v.groupId === "string" && typeof v.groupName === "string") return { groupId: v.groupId, groupName: v.groupName };
  // The Power BI output construct (constructs/powerbi): workspace, dataset and table in one.
  if (typeof v.workspaceId === "string" && typeof v.workspaceName === "string") {
    return {
      groupId: v.workspaceId,
      groupName: v.workspaceName,
      dataset: typeof v.dataset === "string" ? v.dataset : undefined,
      table: typeof v.table === "string" ? v.table : undefined,
      tableSpec: v.tableSpec,
    };
  }
  return undefined;
}

export function isPowerBiWorkspace(value: object): boolean {
  return powerBiTargetOf(value) !== undefined;
}

export interface OutputOptions {
  /** Blob/ADLS: which container (filesystem) of the storage construct. */
  container?: string;
  /** Shorthand for `serialization: {type: format}`. */
  format?: SerializationOptions["type"];
  serialization?: SerializationOptions;
  /** Blob/ADLS: where files go, e.g. `telemetry/{date}/{time}`. */
  pathPattern?: string;
  dateFormat?: string;
  timeFormat?: string;
  /** Blob/ADLS: batch up to this long (`HH:MM:SS`) or this many rows before writing a file. */
  batchMaxWaitTime?: string;
  batchMinRows?: number;
  /** Event Hubs: the column whose value picks the partition. */
  partitionKey?: string;
  propertyColumns?: string[];
  /**
   * SQL / Synapse: the table the rows go to, with its columns (the checker matches the query's
   * columns to it), or the name of a table the SQL construct declares.
   */
  table?: TableInput | string;
  /**
   * SQL: write with one writer per query partition ("Inherit partitioning", azurerm max_writer_count 0)
   * instead of ASA's default single writer (stream-analytics-parallelization.md).
   */
  parallelWrite?: boolean;
  /** Synapse: azurerm offers SQL authentication only; the password comes from a sensitive variable. */
  user?: string;
  password?: TerraformVariable;
  /** Cosmos DB: the column whose value is the document id (upsert), and the partition key column. */
  documentId?: string;
  /** Power BI: the dataset and table the job creates in the workspace. */
  dataset?: string;
  powerBiTable?: string;
}

export interface AddedOutput {
  spec: OutputSpec;
  resource: TerraformResource;
  /** SQL / Synapse: the database or pool name, when known at synth time. */
  database?: string;
}

/** A table as a person writes it (column nullability may be left out). */
export type TableInput = z.input<typeof tableSchema>;

function requireTable(alias: string, kind: string, table: TableInput | string | undefined, target: object): TableSpec {
  if (!table) throw new StreamkitError(`output '${alias}': a ${kind} output needs its table (name and columns)`, undefined, "JOB_OUTPUT");
  if (typeof table === "string") {
    // A table the database construct declares: one definition for the table and the job.
    const lookup = (target as { table?: unknown }).table;
    if (typeof lookup !== "function") {
      throw new StreamkitError(`output '${alias}': the ${kind} target declares no tables; give the table as {name, columns}`, undefined, "JOB_OUTPUT");
    }
    try {
      return tableSchema.parse(lookup.call(target, table));
    } catch (error) {
      throw new StreamkitError(`output '${alias}': ${(error as Error).message}`, undefined, "JOB_OUTPUT");
    }
  }
  return tableSchema.parse(table);
}

/**
 * A job outside a virtual network reaches Azure SQL only through the server's "Allow Azure
 * services" rule (0.0.0.0), which the SQL construct leaves off by default.
 */
function sqlReachabilityProblems(alias: string, target: object, serverPublic: boolean | undefined): string[] {
  if (serverPublic === false) {
    return [`output '${alias}': the SQL server has public network access off; a Stream Analytics job reaches it only through a dedicated cluster's managed private endpoint, which this kit does not create`];
  }
  return azureServicesRuleProblems(alias, "SQL server", allResources(target, MssqlFirewallRule));
}

function azureServicesRuleProblems(alias: string, what: string, rules: (MssqlFirewallRule | SynapseFirewallRule)[]): string[] {
  const allowsAzure = rules.some((r) => literal(r.startIpAddressInput) === "0.0.0.0" && literal(r.endIpAddressInput) === "0.0.0.0");
  return allowsAzure ? [] : [`output '${alias}': the ${what} has no "Allow Azure services" firewall rule (0.0.0.0), so the job cannot connect; set allowAzureServices: true on its construct`];
}

function serializationFor(alias: string, options: OutputOptions, fallback: SerializationOptions["type"]) {
  if (options.format && options.serialization && options.serialization.type !== options.format) {
    throw new StreamkitError(`output '${alias}': format '${options.format}' and serialization.type '${options.serialization.type}' disagree`, undefined, "JOB_OUTPUT");
  }
  const serialization = normalizeSerialization(options.serialization ?? { type: options.format ?? fallback }, fallback);
  if (serialization.type === "delta") {
    throw new StreamkitError(`output '${alias}': Delta Lake output cannot be deployed (azurerm 4.55's output_blob has no Delta table path); use parquet`, undefined, "JOB_OUTPUT");
  }
  if (serialization.compression !== "none") {
    throw new StreamkitError(`output '${alias}': compression cannot be deployed (azurerm 4.55 outputs have no compression argument)`, undefined, "JOB_OUTPUT");
  }
  return serialization;
}

/** Adds one output to the job; `target` is the service construct (or provider resource) to write to. */
export function addJobOutput(ctx: JobContext, alias: string, target: object, options: OutputOptions = {}): AddedOutput {
  const id = `output-${alias}`;
  const byName = { name: alias, streamAnalyticsJobName: ctx.jobNameRef, resourceGroupName: ctx.resourceGroupName };

  const powerBi = powerBiTargetOf(target);
  if (powerBi) {
    const dataset = options.dataset ?? powerBi.dataset;
    const table = options.powerBiTable ?? powerBi.table;
    if (!dataset || !table) {
      throw new StreamkitError(`output '${alias}': a Power BI output needs a dataset and a table (powerBiTable)`, undefined, "JOB_OUTPUT");
    }
    // azurerm creates Power BI outputs with authentication mode Msi: the job's identity must be
    // made a Contributor of the workspace by a person (PowerBiOutput.manualSteps()).
    const resource = new StreamAnalyticsOutputPowerbi(ctx.scope, id, {
      name: alias,
      streamAnalyticsJobId: ctx.jobId,
      groupId: powerBi.groupId,
      groupName: powerBi.groupName,
      dataset,
      table,
    });
    const declared = options.table !== undefined ? requireTable(alias, "Power BI", options.table, target) : powerBi.tableSpec;
    return { spec: { alias, kind: "powerbi", table: declared }, resource };
  }

  switch (serviceKindOf(target)) {
    case "eventhub": {
      const hub = eventHubOf(target);
      const serialization = serializationFor(alias, options, "json");
      const resource = new StreamAnalyticsOutputEventhub(ctx.scope, id, {
        ...byName,
        servicebusNamespace: hub.namespaceName,
        eventhubName: hub.hubName,
        partitionKey: options.partitionKey,
        propertyColumns: options.propertyColumns,
        authenticationMode: "Msi",
        serialization: toAzurermOutputSerialization(serialization),
      });
      ctx.grant({ alias, direction: "output", role: JOB_ROLES.eventHubSender, scope: hub.scope, scopeKind: "eventhub" });
      return { spec: { alias, kind: "eventhub", serialization, partitionKey: options.partitionKey, partitionCount: hub.partitionCount }, resource };
    }
    case "storage": {
      const storage = storageOf(target, options.container);
      const serialization = serializationFor(alias, options, "json");
      const resource = new StreamAnalyticsOutputBlob(ctx.scope, id, {
        ...byName,
        storageAccountName: storage.accountName,
        storageContainerName: storage.containerName,
        pathPattern: options.pathPattern ?? `${alias}/{date}/{time}`,
        dateFormat: options.dateFormat ?? "yyyy/MM/dd",
        timeFormat: options.timeFormat ?? "HH",
        batchMaxWaitTime: options.batchMaxWaitTime,
        batchMinRows: options.batchMinRows,
        authenticationMode: "Msi",
        serialization: toAzurermOutputSerialization(serialization),
      });
      ctx.grant({ alias, direction: "output", role: JOB_ROLES.blobContributor, scope: storage.scope, scopeKind: "container" });
      return { spec: { alias, kind: storage.kind, serialization }, resource };
    }
    case "sql": {
      const sql = sqlDatabaseOf(target);
      const table = requireTable(alias, "SQL", options.table, target);
      ctx.addCheck(() => sqlReachabilityProblems(alias, target, literal(sql.server.publicNetworkAccessEnabledInput) as boolean | undefined));
      const resource = new StreamAnalyticsOutputMssql(ctx.scope, id, {
        ...byName,
        server: sql.server.fullyQualifiedDomainName,
        database: sql.database.name,
        table: table.name,
        // The job signs in as itself: a contained user made from its identity (sqlSetupScript).
        authenticationMode: "Msi",
        maxWriterCount: options.parallelWrite === undefined ? undefined : options.parallelWrite ? 0 : 1,
      });
      return { spec: { alias, kind: "sql", table, parallelWrite: options.parallelWrite }, resource, database: literal(sql.database.nameInput) };
    }
    case "synapse": {
      const synapse = synapsePoolOf(target);
      if (options.parallelWrite) {
        throw new StreamkitError(`output '${alias}': azurerm 4.55 has no parallel-write (Inherit partitioning) setting for Synapse outputs; parallelWrite applies to SQL outputs`, undefined, "JOB_OUTPUT");
      }
      const table = requireTable(alias, "Synapse", options.table, target);
      ctx.addCheck(() => [
        ...azureServicesRuleProblems(alias, "Synapse workspace", allResources(target, SynapseFirewallRule)),
        ...secretProblems(options.password, `output '${alias}' (Synapse)`),
        ...(options.user ? [] : [`output '${alias}' (Synapse) needs a user: azurerm 4.55 writes to Synapse with SQL authentication only`]),
        ...(literal(synapse.workspace.azureadAuthenticationOnlyInput) === true
          ? [`output '${alias}' (Synapse): the workspace allows Entra ID authentication only, but azurerm 4.55 writes to Synapse with SQL authentication; allow SQL authentication on the workspace`]
          : []),
      ]);
      const resource = new StreamAnalyticsOutputSynapse(ctx.scope, id, {
        ...byName,
        server: `${synapse.workspace.name}.sql.azuresynapse.net`,
        database: synapse.pool.name,
        table: table.name,
        user: options.user ?? "",
        // Without a sensitive variable the check above fails synth, so "" is never deployed.
        password: options.password instanceof TerraformVariable ? options.password.stringValue : "",
      });
      return { spec: { alias, kind: "synapse", table }, resource, database: literal(synapse.pool.nameInput) };
    }
    case "cosmosdb": {
      const cosmos = cosmosContainerOf(target);
      const resource = new StreamAnalyticsOutputCosmosdb(ctx.scope, id, {
        name: alias,
        streamAnalyticsJobId: ctx.jobId,
        cosmosdbSqlDatabaseId: cosmos.database.id,
        containerName: cosmos.container.name,
        documentId: options.documentId,
        partitionKey: options.partitionKey,
        authenticationMode: "Msi",
        // azurerm 4.55 marks the key required even with Msi; ASA ignores it then. It is a
        // reference to the account's attribute, so no secret is written into the JSON.
        cosmosdbAccountKey: cosmos.account.primaryKey,
      });
      ctx.grant(
        {
          alias,
          direction: "output",
          role: JOB_ROLES.cosmosDataContributor,
          scope: `/dbs/${cosmos.database.name}/colls/${cosmos.container.name}`,
          scopeKind: "cosmos-container",
        },
        { accountName: cosmos.account.name, accountId: cosmos.account.id, resourceGroupName: cosmos.account.resourceGroupName },
      );
      return { spec: { alias, kind: "cosmosdb", partitionKey: options.partitionKey }, resource };
    }
    case "servicebus-queue": {
      const bus = serviceBusQueueOf(target);
      const serialization = serializationFor(alias, options, "json");
      const resource = new StreamAnalyticsOutputServicebusQueue(ctx.scope, id, {
        ...byName,
        servicebusNamespace: bus.namespaceName,
        queueName: bus.queue.name,
        propertyColumns: options.propertyColumns,
        authenticationMode: "Msi",
        serialization: toAzurermOutputSerialization(serialization),
      });
      ctx.grant({ alias, direction: "output", role: JOB_ROLES.serviceBusSender, scope: bus.queue.id, scopeKind: "servicebus-queue" });
      return { spec: { alias, kind: "servicebus-queue", serialization }, resource };
    }
    default:
      throw new StreamkitError(
        `output '${alias}': cannot tell what service the target is; pass an Event Hubs, Blob/ADLS, SQL, Synapse, Cosmos DB or Service Bus construct (or its azurerm resource), or a Power BI workspace {groupId, groupName}`,
        undefined,
        "JOB_OUTPUT",
      );
  }
}
