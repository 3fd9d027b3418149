// Azure SQL for stream outputs: a logical server that accepts Microsoft Entra ID only (no SQL
// logins, so no password exists anywhere), one database, network access by firewall rules or
// a private endpoint, and the tables the job writes, declared as the job model's TableSpec.
import { Construct } from "constructs";
import { Token } from "cdktf";
import { MssqlServer } from "@cdktf/provider-azurerm/lib/mssql-server";
import { MssqlDatabase } from "@cdktf/provider-azurerm/lib/mssql-database";
import { MssqlFirewallRule } from "@cdktf/provider-azurerm/lib/mssql-firewall-rule";
import { DataAzurermMssqlServer } from "@cdktf/provider-azurerm/lib/data-azurerm-mssql-server";
import { DataAzurermMssqlDatabase } from "@cdktf/provider-azurerm/lib/data-azurerm-mssql-database";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import type { TableSpec } from "../../lib/job";
import { addDiagnosticSetting, applyCommonShapes, CommonProps, CommonResources, identityBlock, ManagedIdentitiesSpec, withDefaultTags } from "../core/shapes";
import { NAMING_RULES, validateName } from "../core/naming";
import { addPrivateEndpoint, PrivateEndpointSpec } from "../core/private-endpoint";
import type { PublicNetworkAccess } from "../eventhubs/event-hubs-namespace";
import { TableCatalog } from "./table-definition";
import { MssqlServerExtendedAuditingPolicy } from "@cdktf/provider-azurerm/lib/mssql-server-extended-auditing-policy";
import { refuseAllowAll } from "../core/allowed-networks";
import { isProduction } from "../core/environment-profile";
import { waivePolicy } from "../core/policy-waiver";

/** The Microsoft Entra user, group or service principal that administers the server. */
export interface EntraAdminSpec {
  /** Display name of the user/group/app, e.g. "sql-admins". */
  loginUsername: string;
  objectId: string;
  /** Default: the provider's tenant. */
  tenantId?: string;
}

export interface FirewallRuleSpec {
  name: string;
  startIpAddress: string;
  endIpAddress: string;
}

export interface AzureSqlProps extends CommonProps {
  serverName: string;
  databaseName: string;
  entraAdmin: EntraAdminSpec;
  /** Default `S0`. e.g. `Basic`, `S1`, `P1`, `GP_S_Gen5_1` (serverless), `HS_Gen5_2`. */
  sku?: string;
  maxSizeGb?: number;
  /** Default false (available on Premium, Business Critical and General Purpose vCore). */
  zoneRedundant?: boolean;
  /** Default `restricted`: public endpoint with firewall rules only. */
  publicNetworkAccess?: PublicNetworkAccess;
  firewallRules?: FirewallRuleSpec[];
  /**
   * Default false. Adds the 0.0.0.0 rule "Allow Azure services": Stream Analytics jobs outside
   * a virtual network need it to write to SQL, but it admits every Azure tenant's services.
   */
  allowAzureServices?: boolean;
  privateEndpoint?: PrivateEndpointSpec;
  /** Tables the job writes; the job construct checks query output columns against them. */
  tables?: TableSpec[];
  /** Default: a system-assigned identity on the server. */
  managedIdentities?: ManagedIdentitiesSpec;
  /**
   * Server auditing to Azure Monitor (the master database's diagnostic setting sends the audit
   * events to `diagnosticSettings`' workspace), 90 days. Default: on in production when
   * `diagnosticSettings` is given (`declareProduction`), off elsewhere.
   */
  auditing?: boolean;
}

export interface AzureSqlRef {
  readonly serverId: string;
  readonly serverName: string;
  /** `<server>.database.windows.net`. */
  readonly serverFqdn: string;
  readonly databaseId: string;
  readonly databaseName: string;
  readonly resourceGroupName: string;
}

/** Why a construct that was asked for allowAzureServices waives the policy's finding on it. */
export const ALLOW_AZURE_SERVICES_REASON =
  "allowAzureServices was asked for: a Stream Analytics job outside a virtual network reaches its SQL endpoint only through the 0.0.0.0 rule";

/** Firewall rules as `start-end` ranges, leaving out those given as tokens (unknown at synth). */
export function literalRanges(rules: FirewallRuleSpec[] | undefined): string[] {
  return (rules ?? []).filter((r) => !Token.isUnresolved(r.startIpAddress) && !Token.isUnresolved(r.endIpAddress)).map((r) => `${r.startIpAddress}-${r.endIpAddress}`);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export class AzureSql extends Construct implements AzureSqlRef {
  readonly server: MssqlServer;
  readonly database: MssqlDatabase;
  readonly firewallRules: MssqlFirewallRule[] = [];
  readonly auditing?: MssqlServerExtendedAuditingPolicy;
  readonly privateEndpoint?: PrivateEndpoint;
  readonly serverId: string;
  readonly serverName: string;
  readonly serverFqdn: string;
  readonly databaseId: string;
  readonly databaseName: string;
  readonly resourceGroupName: string;
  readonly principalId?: string;
  /** Declared tables by name (as written, e.g. `dbo.telemetry`). */
  readonly tables: Record<string, TableSpec>;
  private readonly catalog: TableCatalog;
  readonly common: CommonResources;

  static fromExisting(scope: Construct, id: string, props: { serverName: string; databaseName: string; resourceGroupName: string }): AzureSqlRef {
    const server = new DataAzurermMssqlServer(scope, `${id}-server`, { name: props.serverName, resourceGroupName: props.resourceGroupName });
    const database = new DataAzurermMssqlDatabase(scope, `${id}-database`, { name: props.databaseName, serverId: server.id });
    return { ...props, serverId: server.id, serverFqdn: server.fullyQualifiedDomainName, databaseId: database.id };
  }

  constructor(scope: Construct, id: string, props: AzureSqlProps) {
    super(scope, id);
    validateName(this, NAMING_RULES.sqlServer, props.serverName);
    validateName(this, NAMING_RULES.sqlDatabase, props.databaseName);
    const access = props.publicNetworkAccess ?? "restricted";
    refuseAllowAll(`SQL server '${props.serverName}'`, "firewallRules", literalRanges(props.firewallRules));
    this.catalog = new TableCatalog(`database '${props.databaseName}'`);
    for (const table of props.tables ?? []) this.catalog.add(table);
    this.tables = this.catalog.tables;
    this.node.addValidation({ validate: () => this.checkProps(props, access) });

    const identity = identityBlock(props.managedIdentities, true);
    const tags = withDefaultTags(props.tags);
    this.server = new MssqlServer(this, "server", {
      name: props.serverName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      version: "12.0",
      minimumTlsVersion: "1.2",
      publicNetworkAccessEnabled: access !== "disabled",
      azureadAdministrator: {
        // Checked at synth (checkProps): JavaScript callers can omit it despite the types.
        loginUsername: props.entraAdmin?.loginUsername ?? "",
        objectId: props.entraAdmin?.objectId ?? "",
        tenantId: props.entraAdmin?.tenantId,
        azureadAuthenticationOnly: true,
      },
      identity,
      tags,
    });
    this.database = new MssqlDatabase(this, "database", {
      name: props.databaseName,
      serverId: this.server.id,
      skuName: props.sku ?? "S0",
      maxSizeGb: props.maxSizeGb,
      zoneRedundant: props.zoneRedundant ?? false,
      transparentDataEncryptionEnabled: true,
      tags,
    });
    if (access === "restricted") {
      for (const rule of props.firewallRules ?? []) {
        this.firewallRules.push(new MssqlFirewallRule(this, `fw-${rule.name}`, { serverId: this.server.id, ...rule }));
      }
      if (props.allowAzureServices) {
        const rule = new MssqlFirewallRule(this, "fw-allow-azure-services", { name: "AllowAllWindowsAzureIps", serverId: this.server.id, startIpAddress: "0.0.0.0", endIpAddress: "0.0.0.0" });
        waivePolicy(rule, "sql.allow-azure-services", ALLOW_AZURE_SERVICES_REASON);
        this.firewallRules.push(rule);
      }
    }
    if (props.privateEndpoint) {
      this.privateEndpoint = addPrivateEndpoint(this, "private-endpoint", { ...props, tags }, { resourceId: this.server.id, resourceName: props.serverName, subresource: "sqlServer" }, props.privateEndpoint);
    }
    this.serverId = this.server.id;
    this.serverName = props.serverName;
    this.serverFqdn = this.server.fullyQualifiedDomainName;
    this.databaseId = this.database.id;
    this.databaseName = props.databaseName;
    this.resourceGroupName = props.resourceGroupName;
    this.principalId = identity?.type.includes("SystemAssigned") ? this.server.identity.principalId : undefined;

    // Grants and the lock go on the server; logs and metrics come from the database (the
    // logical server has no diagnostic categories of its own).
    this.common = applyCommonShapes(this, this.server.id, { ...props, diagnosticSettings: undefined });
    if (props.diagnosticSettings) this.common.diagnosticSetting = addDiagnosticSetting(this, "diagnostics", this.database.id, props.diagnosticSettings);
    if (props.auditing ?? (isProduction(this) && props.diagnosticSettings !== undefined)) {
      this.auditing = new MssqlServerExtendedAuditingPolicy(this, "auditing", { serverId: this.server.id, logMonitoringEnabled: true, retentionInDays: 90 });
      // Audit events to Azure Monitor go through the master database's diagnostic setting.
      if (props.diagnosticSettings) addDiagnosticSetting(this, "audit-diagnostics", `${this.server.id}/databases/master`, props.diagnosticSettings);
    }
  }

  /** A declared table, with a clear error naming the declared ones. */
  table(name: string): TableSpec {
    return this.catalog.get(name);
  }

  /**
   * The CREATE TABLE statements for the declared tables. Terraform cannot create tables: run
   * these as the Entra admin (e.g. `sqlcmd -G`), then grant the job's identity INSERT on them.
   */
  createTablesSql(): string {
    return this.catalog.createSql();
  }

  private checkProps(props: AzureSqlProps, access: PublicNetworkAccess): string[] {
    const problems: string[] = [];
    const where = `SQL server '${props.serverName}'`;
    const admin = props.entraAdmin as Partial<EntraAdminSpec> | undefined;
    if (!admin?.loginUsername || !admin.objectId) problems.push(`${where}: entraAdmin needs loginUsername and objectId (Microsoft Entra-only authentication; SQL logins are off)`);
    if (access !== "restricted" && ((props.firewallRules?.length ?? 0) > 0 || props.allowAzureServices)) {
      problems.push(`${where}: firewall rules and allowAzureServices apply only when publicNetworkAccess is 'restricted'`);
    }
    if (access === "disabled" && !props.privateEndpoint) {
      problems.push(`${where}: public network access is disabled and no privateEndpoint is declared, so nothing could reach the database`);
    }
    for (const rule of props.firewallRules ?? []) {
      for (const ip of [rule.startIpAddress, rule.endIpAddress]) {
        if (!Token.isUnresolved(ip) && !IPV4.test(ip)) problems.push(`${where}: firewall rule '${rule.name}' has '${ip}', not an IPv4 address`);
      }
      if (rule.startIpAddress === "0.0.0.0" && rule.endIpAddress === "0.0.0.0") problems.push(`${where}: firewall rule '${rule.name}' is 0.0.0.0: say allowAzureServices: true instead`);
    }
    if (props.maxSizeGb !== undefined && (!(props.maxSizeGb > 0) || props.maxSizeGb > 4096)) problems.push(`${where}: maxSizeGb must be between 1 and 4096, not ${props.maxSizeGb}`);
    problems.push(...this.catalog.problems());
    return problems;
  }
}
