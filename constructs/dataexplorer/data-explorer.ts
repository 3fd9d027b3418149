// Azure Data Explorer for streams: a cluster with a system identity, one database, its tables
// and ingestion mappings (a KQL script, since Terraform has no table resource), and Event Hubs
// data connections that read with the cluster's identity (granted Data Receiver on each hub).
import { existsSync, readFileSync } from "node:fs";
import { basename, extname, isAbsolute, join, relative, resolve } from "node:path";
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
import { StreamkitError } from "../../lib/core/errors";
import { checkKqlScripts, type KqlScript } from "../../lib/kql/check";

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
  /** The ingestion mapping; default `<table>_json` (or `_csv`, `_avro`), made for a declared table. A table a script creates names its script's mapping here. */
  mapping?: string;
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
  /**
   * Management scripts, `.kql` files relative to `projectDir`, applied in this order after the
   * declared tables: tables, ingestion mappings, functions, update policies, materialized views,
   * retention and caching policies. Checked at synth against the tables and each earlier script.
   */
  scripts?: string[];
  /** Where relative script paths start. Default: the current directory. */
  projectDir?: string;
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
    const projectDir = resolve(props.projectDir ?? process.cwd());
    const scripts: KqlScript[] = (props.scripts ?? []).map((file) => {
      const path = isAbsolute(file) ? file : join(projectDir, file);
      const display = relative(projectDir, path).split("\\").join("/");
      if (!existsSync(path)) throw new StreamkitError(`${`Data Explorer database '${props.databaseName}'`}: script not found: ${display}`, { file: display }, "KQL_SCRIPT");
      return { file: display, text: readFileSync(path, "utf8") };
    });
    // Scripts run one after the other, after the declared tables (a later script builds on earlier ones).
    let previous: KustoScript[] = Object.values(this.scripts);
    for (const script of scripts) {
      const name = `script-${basename(script.file, extname(script.file))}`.toLowerCase().replace(/[^a-z0-9-]+/g, "-");
      const made = new KustoScript(this, name, {
        name,
        databaseId: this.database.id,
        scriptContent: script.text,
        continueOnErrorsEnabled: false,
        dependsOn: previous,
      });
      this.scripts[script.file] = made;
      previous = [made];
    }
    this.node.addValidation({ validate: () => this.checkScripts(props, scripts) });
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
      this.connections[connection.name] = new KustoEventhubDataConnection(this, `connection-${connection.name}`, {
        name: connection.name,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        clusterName: this.cluster.name,
        databaseName: this.database.name,
        eventhubId: connection.hub.id,
        consumerGroup: connection.consumerGroup,
        tableName: connection.table,
        mappingRuleName: connection.mapping ?? mappingName(connection.table, format),
        dataFormat: format,
        compression: connection.compression ?? "None",
        eventSystemProperties: connection.eventSystemProperties,
        // The cluster's own id selects its system-assigned identity: no key.
        identityId: this.cluster.id,
        // Ingestion starts once the tables, mappings and update policies exist.
        dependsOn: [role, ...Object.values(this.scripts)],
      });
    }
    this.common = applyCommonShapes(this, this.cluster.id, props);
  }

  /** Every name a script uses exists in the declared tables or an earlier script; so do the data connections' tables and mappings. */
  private checkScripts(props: DataExplorerProps, scripts: KqlScript[]): string[] {
    const tables = props.tables ?? [];
    const connections = props.eventHubConnections ?? [];
    const mappings: Record<string, string[]> = {};
    for (const table of tables) {
      const formats = connections.filter((c) => c.table === table.name).map((c) => c.format ?? "MULTIJSON");
      mappings[table.name] = (formats.length > 0 ? formats : (["MULTIJSON"] as IngestionFormat[])).map((f) => mappingName(table.name, f));
    }
    const { errors, state } = checkKqlScripts({ tables, mappings }, scripts);
    const where = `Data Explorer cluster '${props.clusterName}'`;
    for (const connection of connections) {
      const mapping = connection.mapping ?? mappingName(connection.table, connection.format ?? "MULTIJSON");
      if (!state.tables.has(connection.table)) errors.push(`${where}: data connection '${connection.name}' writes table '${connection.table}', which is not declared in tables or created by a script`);
      else if (!state.mappings.get(connection.table)?.has(mapping)) errors.push(`${where}: data connection '${connection.name}' uses mapping '${mapping}', which table '${connection.table}' does not have (declared: ${[...(state.mappings.get(connection.table) ?? [])].join(", ") || "none"})`);
    }
    const names = new Set(Object.keys(this.scripts).map((k) => this.scripts[k]!.nameInput));
    if (names.size !== Object.keys(this.scripts).length) errors.push(`${where}: two scripts have the same name (a script is named after its file: script-<file name>)`);
    return errors;
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
      if (connection.consumerGroup === "$Default") problems.push(`${where}: data connection '${connection.name}' should have its own consumer group, not $Default`);
    }
    return problems;
  }
}
