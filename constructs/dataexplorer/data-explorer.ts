// Azure Data Explorer for streams: a cluster with a system identity, one database, its tables
// and ingestion mappings (a KQL script, since Terraform has no table resource), and Event Hubs
// data connections that read with the cluster's identity (granted Data Receiver on each hub).
import { Construct } from "constructs";
import { KustoCluster } from "@cdktf/provider-azurerm/lib/kusto-cluster";
import { KustoDatabase } from "@cdktf/provider-azurerm/lib/kusto-database";
import { KustoScript } from "@cdktf/provider-azurerm/lib/kusto-script";
import { KustoEventhubDataConnection } from "@cdktf/provider-azurerm/lib/kusto-eventhub-data-connection";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { DataAzurermKustoCluster } from "@cdktf/provider-azurerm/lib/data-azurerm-kusto-cluster";
import { DataAzurermKustoDatabase } from "@cdktf/provider-azurerm/lib/data-azurerm-kusto-database";
import { applyCommonShapes, CommonProps, CommonResources, identityBlock, ManagedIdentitiesSpec, withDefaultTags } from "../core/shapes";
import { NAMING_RULES, namingProblem, validateName } from "../core/naming";
import type { EventHubRef } from "../eventhubs/event-hub";
import { refuseAllowAll } from "../core/allowed-networks";
import { isProduction } from "../core/environment-profile";

export const KUSTO_TYPES = ["bool", "datetime", "dynamic", "guid", "int", "long", "real", "string", "timespan", "decimal"] as const;
export type KustoType = (typeof KUSTO_TYPES)[number];

export interface KustoTableSpec {
  name: string;
  columns: { name: string; type: KustoType; /** JSON path for JSON ingestion; default `$.<name>`. */ path?: string }[];
}

export type IngestionFormat = "JSON" | "MULTIJSON" | "CSV" | "AVRO";

export interface EventHubConnectionSpec {
  name: string;
  hub: EventHubRef;
  /** A consumer group of the hub reserved for this connection (one reader per group). */
  consumerGroup: string;
  table: string;
  /** Default `MULTIJSON` (one or more JSON objects per event). */
  format?: IngestionFormat;
  compression?: "None" | "GZip";
  /** Event Hubs system properties to add as columns (e.g. `x-opt-enqueued-time`). */
  eventSystemProperties?: string[];
}

export interface DataExplorerProps extends CommonProps {
  clusterName: string;
  databaseName: string;
  /** Default `Standard_E2ads_v5` x 2 (production SLA). For dev: `Dev(No SLA)_Standard_E2a_v4` x 1. */
  sku?: { name: string; capacity?: number };
  /**
   * Default `disabled`: no public query endpoint (Event Hubs ingestion still works: the service
   * pulls with the cluster's identity). `restricted` needs `allowedIpRanges`.
   */
  publicNetworkAccess?: "disabled" | "restricted" | "enabled";
  allowedIpRanges?: string[];
  /** Double (infrastructure) encryption; only at creation. Default: on in production (`declareProduction`), off elsewhere. */
  doubleEncryption?: boolean;
  /** Default false: seconds instead of minutes from event to query, at a memory cost. */
  streamingIngestion?: boolean;
  /** ISO 8601 durations. Defaults P7D hot cache, P31D retention. */
  hotCachePeriod?: string;
  softDeletePeriod?: string;
  tables?: KustoTableSpec[];
  eventHubConnections?: EventHubConnectionSpec[];
  zones?: string[];
  /** The system identity is always on (data connections read with it); add user-assigned ones here. */
  managedIdentities?: ManagedIdentitiesSpec;
}

/** `<table>_<format>` mapping name used by the data connections. */
export const mappingName = (table: string, format: IngestionFormat) => `${table}_${format === "CSV" ? "csv" : format === "AVRO" ? "avro" : "json"}`;

/** The KQL commands that create a table and its ingestion mappings. */
export function tableScript(table: KustoTableSpec, formats: IngestionFormat[], streaming: boolean): string {
  const quote = (s: string) => `['${s}']`;
  const commands = [`.create-merge table ${quote(table.name)} (${table.columns.map((c) => `${quote(c.name)}:${c.type}`).join(", ")})`];
  for (const format of [...new Set(formats.map((f) => (f === "MULTIJSON" ? "JSON" : f)))]) {
    const mapping =
      format === "CSV"
        ? table.columns.map((c, i) => ({ column: c.name, Properties: { Ordinal: String(i) } }))
        : format === "AVRO"
          ? table.columns.map((c) => ({ column: c.name, Properties: { Field: c.name } }))
          : table.columns.map((c) => ({ column: c.name, Properties: { Path: c.path ?? `$.${c.name}` } }));
    const kind = format === "CSV" ? "csv" : format === "AVRO" ? "avro" : "json";
    commands.push(`.create-or-alter table ${quote(table.name)} ingestion ${kind} mapping '${mappingName(table.name, format)}' '${JSON.stringify(mapping)}'`);
  }
  if (streaming) commands.push(`.alter table ${quote(table.name)} policy streamingingestion enable`);
  return commands.join("\n\n");
}

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

export interface DataExplorerRef {
  readonly clusterId: string;
  readonly clusterName: string;
  readonly databaseId: string;
  readonly databaseName: string;
  readonly resourceGroupName: string;
  readonly uri: string;
}

export class DataExplorer extends Construct implements DataExplorerRef {
  readonly cluster: KustoCluster;
  readonly database: KustoDatabase;
  readonly scripts: Record<string, KustoScript> = {};
  readonly connections: Record<string, KustoEventhubDataConnection> = {};
  readonly receiverRoles: RoleAssignment[] = [];
  readonly principalId: string;
  /** `https://<cluster>.<region>.kusto.windows.net`. */
  readonly uri: string;
  readonly common: CommonResources;
  readonly clusterId: string;
  readonly clusterName: string;
  readonly databaseId: string;
  readonly databaseName: string;
  readonly resourceGroupName: string;

  static fromExisting(scope: Construct, id: string, props: { clusterName: string; databaseName: string; resourceGroupName: string }): DataExplorerRef {
    const cluster = new DataAzurermKustoCluster(scope, `${id}-cluster`, { name: props.clusterName, resourceGroupName: props.resourceGroupName });
    const database = new DataAzurermKustoDatabase(scope, `${id}-database`, { name: props.databaseName, clusterName: props.clusterName, resourceGroupName: props.resourceGroupName });
    return { ...props, clusterId: cluster.id, databaseId: database.id, uri: cluster.uri };
  }

  constructor(scope: Construct, id: string, props: DataExplorerProps) {
    super(scope, id);
    validateName(this, NAMING_RULES.kustoCluster, props.clusterName);
    validateName(this, NAMING_RULES.kustoDatabase, props.databaseName);
    const access = props.publicNetworkAccess ?? "disabled";
    const streaming = props.streamingIngestion ?? false;
    refuseAllowAll(`Data Explorer cluster '${props.clusterName}'`, "allowedIpRanges", props.allowedIpRanges);
    this.node.addValidation({ validate: () => this.checkProps(props, access) });
    const tags = withDefaultTags(props.tags);
    this.cluster = new KustoCluster(this, "cluster", {
      name: props.clusterName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: { name: props.sku?.name ?? "Standard_E2ads_v5", capacity: props.sku?.capacity ?? 2 },
      identity: identityBlock({ ...props.managedIdentities, systemAssigned: true }, true),
      publicNetworkAccessEnabled: access !== "disabled",
      allowedIpRanges: access === "restricted" ? props.allowedIpRanges : undefined,
      diskEncryptionEnabled: true,
      doubleEncryptionEnabled: props.doubleEncryption ?? isProduction(this),
      purgeEnabled: false,
      streamingIngestionEnabled: streaming,
      // Only this tenant's principals may be granted access (unset or [] would trust every tenant).
      trustedExternalTenants: ["MyTenantOnly"],
      zones: props.zones,
      tags,
    });
    this.principalId = this.cluster.identity.principalId;
    this.uri = this.cluster.uri;
    this.database = new KustoDatabase(this, "database", {
      name: props.databaseName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      clusterName: this.cluster.name,
      hotCachePeriod: props.hotCachePeriod ?? "P7D",
      softDeletePeriod: props.softDeletePeriod ?? "P31D",
    });
    this.clusterId = this.cluster.id;
    this.clusterName = props.clusterName;
    this.databaseId = this.database.id;
    this.databaseName = props.databaseName;
    this.resourceGroupName = props.resourceGroupName;
    const connections = props.eventHubConnections ?? [];
    for (const table of props.tables ?? []) {
      const formats = connections.filter((c) => c.table === table.name).map((c) => c.format ?? "MULTIJSON");
      this.scripts[table.name] = new KustoScript(this, `table-${table.name}`, {
        name: `create-${table.name}`.toLowerCase(),
        databaseId: this.database.id,
        scriptContent: tableScript(table, formats.length > 0 ? formats : ["MULTIJSON"], streaming),
        continueOnErrorsEnabled: false,
      });
    }
    const granted = new Map<string, RoleAssignment>();
    for (const connection of connections) {
      let role = granted.get(connection.hub.id);
      if (!role) {
        role = new RoleAssignment(this, `receiver-${connection.hub.namespaceName}-${connection.hub.name}`, {
          scope: connection.hub.id,
          roleDefinitionName: "Azure Event Hubs Data Receiver",
          principalId: this.principalId,
          principalType: "ServicePrincipal",
        });
        granted.set(connection.hub.id, role);
        this.receiverRoles.push(role);
      }
      const format = connection.format ?? "MULTIJSON";
      const script = this.scripts[connection.table];
      this.connections[connection.name] = new KustoEventhubDataConnection(this, `connection-${connection.name}`, {
        name: connection.name,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        clusterName: this.cluster.name,
        databaseName: this.database.name,
        eventhubId: connection.hub.id,
        consumerGroup: connection.consumerGroup,
        tableName: connection.table,
        mappingRuleName: mappingName(connection.table, format),
        dataFormat: format,
        compression: connection.compression ?? "None",
        eventSystemProperties: connection.eventSystemProperties,
        // The cluster's own id selects its system-assigned identity: no key.
        identityId: this.cluster.id,
        dependsOn: [role, ...(script ? [script] : [])],
      });
    }
    this.common = applyCommonShapes(this, this.cluster.id, props);
  }

  private checkProps(props: DataExplorerProps, access: string): string[] {
    const problems: string[] = [];
    const where = `Data Explorer cluster '${props.clusterName}'`;
    if (props.managedIdentities?.systemAssigned === false) problems.push(`${where}: the system identity stays on: the Event Hubs data connections read with it`);
    if (access === "restricted" && !(props.allowedIpRanges?.length)) problems.push(`${where}: 'restricted' needs allowedIpRanges (an empty list would admit every address)`);
    if (access !== "restricted" && props.allowedIpRanges?.length) problems.push(`${where}: allowedIpRanges apply only when publicNetworkAccess is 'restricted'`);
    for (const [field, value] of [["hotCachePeriod", props.hotCachePeriod], ["softDeletePeriod", props.softDeletePeriod]] as const) {
      if (value !== undefined && !ISO_DURATION.test(value)) problems.push(`${where}: ${field} '${value}' is not an ISO 8601 duration such as P7D`);
    }
    const tables = new Map((props.tables ?? []).map((t) => [t.name, t]));
    if (tables.size !== (props.tables ?? []).length) problems.push(`${where}: a table is declared twice`);
    for (const table of props.tables ?? []) {
      const tableProblem = namingProblem(NAMING_RULES.kustoTable, table.name);
      if (tableProblem) problems.push(`${where}: ${tableProblem}`);
      if (table.columns.length === 0) problems.push(`${where}: table '${table.name}' has no column`);
      const seen = new Set<string>();
      for (const column of table.columns) {
        if (seen.has(column.name)) problems.push(`${where}: table '${table.name}' declares column '${column.name}' twice`);
        seen.add(column.name);
        const columnProblem = namingProblem(NAMING_RULES.kustoTable, column.name);
        if (columnProblem) problems.push(`${where}: table '${table.name}': ${columnProblem}`);
        if (!(KUSTO_TYPES as readonly string[]).includes(column.type)) problems.push(`${where}: table '${table.name}' column '${column.name}' has type '${column.type}' (Kusto types: ${KUSTO_TYPES.join(", ")})`);
      }
    }
    const names = new Set<string>();
    for (const connection of props.eventHubConnections ?? []) {
      if (names.has(connection.name)) problems.push(`${where}: data connection '${connection.name}' is declared twice`);
      names.add(connection.name);
      if (!tables.has(connection.table)) problems.push(`${where}: data connection '${connection.name}' writes table '${connection.table}', which is not declared in tables`);
      if (connection.consumerGroup === "$Default") problems.push(`${where}: data connection '${connection.name}' should have its own consumer group, not $Default`);
    }
    return problems;
  }
}
