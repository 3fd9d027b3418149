// A Synapse workspace on an ADLS Gen2 filesystem with an optional dedicated SQL pool that a
// Stream Analytics job writes to. Microsoft Entra-only by default; a SQL administrator, when
// one is really needed, takes its password from a sensitive Terraform variable, never a literal.
import { Construct } from "constructs";
import { TerraformVariable } from "cdktf";
import { SynapseWorkspace } from "@cdktf/provider-azurerm/lib/synapse-workspace";
import { SynapseWorkspaceAadAdmin } from "@cdktf/provider-azurerm/lib/synapse-workspace-aad-admin";
import { SynapseSqlPool } from "@cdktf/provider-azurerm/lib/synapse-sql-pool";
import { SynapseFirewallRule } from "@cdktf/provider-azurerm/lib/synapse-firewall-rule";
import { DataAzurermSynapseWorkspace } from "@cdktf/provider-azurerm/lib/data-azurerm-synapse-workspace";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import type { TableSpec } from "../../lib/job";
import { addDiagnosticSetting, applyCommonShapes, CommonProps, CommonResources, identityBlock, ManagedIdentitiesSpec, withDefaultTags } from "../core/shapes";
import { NAMING_RULES, validateName } from "../core/naming";
import { addPrivateEndpoint, PrivateEndpointSpec } from "../core/private-endpoint";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import type { PublicNetworkAccess } from "../eventhubs/event-hubs-namespace";
import type { StorageAccountRef } from "../storage/storage-account";
import { ALLOW_AZURE_SERVICES_REASON, literalRanges, type EntraAdminSpec, type FirewallRuleSpec } from "../sql/azure-sql";
import { SynapseWorkspaceExtendedAuditingPolicy } from "@cdktf/provider-azurerm/lib/synapse-workspace-extended-auditing-policy";
import { SynapseSqlPoolExtendedAuditingPolicy } from "@cdktf/provider-azurerm/lib/synapse-sql-pool-extended-auditing-policy";
import { refuseAllowAll } from "../core/allowed-networks";
import { isProduction } from "../core/environment-profile";
import { waivePolicy } from "../core/policy-waiver";
import { TableCatalog } from "../sql/table-definition";

export interface SynapseSqlPoolSpec {
  name: string;
  /** Default `DW100c` (the smallest). */
  sku?: string;
  /** Default `GRS`; `LRS` turns geo-backup off (Azure requires it). */
  storageAccountType?: "GRS" | "LRS";
  /** Tables the job writes (checked like Azure SQL tables). */
  tables?: TableSpec[];
}

export interface SynapseProps extends CommonProps {
  name: string;
  /** The workspace's primary filesystem: an ADLS Gen2 account and a container on it. */
  filesystem: { storageAccount: StorageAccountRef; name: string };
  entraAdmin: EntraAdminSpec;
  /**
   * Only when a tool needs SQL authentication: the login, and a `TerraformVariable` with
   * `sensitive: true` holding the password (set through TF_VAR_... at deploy time).
   */
  sqlAdministrator?: { login: string; password: TerraformVariable };
  /** Default `restricted`: public endpoint with firewall rules only. */
  publicNetworkAccess?: PublicNetworkAccess;
  firewallRules?: FirewallRuleSpec[];
  /** Default false: the 0.0.0.0 rule that Stream Analytics outside a virtual network needs. */
  allowAzureServices?: boolean;
  /** Private endpoints: `Sql` (dedicated pools), `SqlOnDemand` (serverless), `Dev` (Synapse Studio APIs). */
  privateEndpoints?: (PrivateEndpointSpec & { subresource: "Sql" | "SqlOnDemand" | "Dev" })[];
  /** Default true: Spark and pipelines run in a workspace-managed virtual network. */
  managedVirtualNetwork?: boolean;
  /** With a managed network, allow outbound traffic only to approved tenants. Default: on in production (`declareProduction`) when the managed network is, off elsewhere. */
  dataExfiltrationProtection?: boolean;
  sqlPool?: SynapseSqlPoolSpec;
  /** Workspace and SQL pool auditing to Azure Monitor (their diagnostic settings carry the audit events), 90 days. Default: on in production (`declareProduction`), off elsewhere. */
  auditing?: boolean;
  /** The system identity is always on (Synapse requires it); add user-assigned ones here. */
  managedIdentities?: ManagedIdentitiesSpec;
}

export interface SynapseWorkspaceRef {
  readonly id: string;
  readonly name: string;
  readonly resourceGroupName: string;
}

export class Synapse extends Construct implements SynapseWorkspaceRef {
  readonly workspace: SynapseWorkspace;
  readonly entraAdmin: SynapseWorkspaceAadAdmin;
  readonly sqlPool?: SynapseSqlPool;
  readonly firewallRules: SynapseFirewallRule[] = [];
  readonly auditing: (SynapseWorkspaceExtendedAuditingPolicy | SynapseSqlPoolExtendedAuditingPolicy)[] = [];
  /** The workspace identity's access to its filesystem (Storage Blob Data Contributor). */
  readonly filesystemAccess: RoleAssignment;
  readonly id: string;
  readonly name: string;
  readonly resourceGroupName: string;
  readonly principalId: string;
  readonly tables: Record<string, TableSpec>;
  readonly common: CommonResources;
  readonly privateEndpoints: Record<string, PrivateEndpoint> = {};
  private readonly catalog: TableCatalog;

  static fromExisting(scope: Construct, id: string, props: { name: string; resourceGroupName: string }): SynapseWorkspaceRef {
    const data = new DataAzurermSynapseWorkspace(scope, id, props);
    return { id: data.id, ...props };
  }

  constructor(scope: Construct, id: string, props: SynapseProps) {
    super(scope, id);
    validateName(this, NAMING_RULES.synapseWorkspace, props.name);
    if (props.sqlPool) validateName(this, NAMING_RULES.synapseSqlPool, props.sqlPool.name);
    const access = props.publicNetworkAccess ?? "restricted";
    refuseAllowAll(`Synapse workspace '${props.name}'`, "firewallRules", literalRanges(props.firewallRules));
    const managedNetwork = props.managedVirtualNetwork ?? true;
    const auditing = props.auditing ?? isProduction(this);
    this.catalog = new TableCatalog(`SQL pool '${props.sqlPool?.name ?? "(none)"}'`);
    for (const table of props.sqlPool?.tables ?? []) this.catalog.add(table);
    this.tables = this.catalog.tables;
    this.node.addValidation({ validate: () => this.checkProps(props, access) });

    const admin = props.sqlAdministrator;
    const tags = withDefaultTags(props.tags);
    const account = props.filesystem.storageAccount;
    this.workspace = new SynapseWorkspace(this, "workspace", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      // The data-plane URL of the filesystem: https://<account>.dfs.core.windows.net/<filesystem>.
      storageDataLakeGen2FilesystemId: `${account.dfsEndpoint}${props.filesystem.name}`,
      azureadAuthenticationOnly: admin === undefined,
      sqlAdministratorLogin: admin?.login,
      // A literal (possible from JavaScript) never reaches the output: checkProps reports it.
      sqlAdministratorLoginPassword: admin?.password instanceof TerraformVariable ? admin.password.stringValue : undefined,
      publicNetworkAccessEnabled: access !== "disabled",
      managedVirtualNetworkEnabled: managedNetwork,
      dataExfiltrationProtectionEnabled: props.dataExfiltrationProtection ?? (managedNetwork && isProduction(this)),
      identity: identityBlock({ ...props.managedIdentities, systemAssigned: true }, true),
      tags,
    });
    this.id = this.workspace.id;
    this.name = props.name;
    this.resourceGroupName = props.resourceGroupName;
    this.principalId = this.workspace.identity.principalId;

    const tenantId = props.entraAdmin?.tenantId ?? new DataAzurermClientConfig(this, "client").tenantId;
    this.entraAdmin = new SynapseWorkspaceAadAdmin(this, "entra-admin", {
      synapseWorkspaceId: this.workspace.id,
      login: props.entraAdmin?.loginUsername ?? "",
      objectId: props.entraAdmin?.objectId ?? "",
      tenantId,
    });
    this.filesystemAccess = new RoleAssignment(this, "filesystem-access", {
      scope: `${account.id}/blobServices/default/containers/${props.filesystem.name}`,
      roleDefinitionName: "Storage Blob Data Contributor",
      principalId: this.workspace.identity.principalId,
      principalType: "ServicePrincipal",
    });
    if (access === "restricted") {
      for (const rule of props.firewallRules ?? []) {
        this.firewallRules.push(new SynapseFirewallRule(this, `fw-${rule.name}`, { synapseWorkspaceId: this.workspace.id, ...rule }));
      }
      if (props.allowAzureServices) {
        const rule = new SynapseFirewallRule(this, "fw-allow-azure-services", { name: "AllowAllWindowsAzureIps", synapseWorkspaceId: this.workspace.id, startIpAddress: "0.0.0.0", endIpAddress: "0.0.0.0" });
        waivePolicy(rule, "synapse.allow-azure-services", ALLOW_AZURE_SERVICES_REASON);
        this.firewallRules.push(rule);
      }
    }
    for (const pe of props.privateEndpoints ?? []) {
      if (this.privateEndpoints[pe.subresource]) throw new Error(`Synapse workspace '${props.name}' declares two '${pe.subresource}' private endpoints`);
      this.privateEndpoints[pe.subresource] = addPrivateEndpoint(this, `private-endpoint-${pe.subresource.toLowerCase()}`, { ...props, tags }, { resourceId: this.workspace.id, resourceName: props.name, subresource: pe.subresource }, pe);
    }
    if (props.sqlPool) {
      const storage = props.sqlPool.storageAccountType ?? "GRS";
      this.sqlPool = new SynapseSqlPool(this, "sql-pool", {
        name: props.sqlPool.name,
        synapseWorkspaceId: this.workspace.id,
        skuName: props.sqlPool.sku ?? "DW100c",
        storageAccountType: storage,
        createMode: "Default",
        dataEncrypted: true,
        geoBackupPolicyEnabled: storage === "GRS",
        tags,
      });
    }
    this.common = applyCommonShapes(this, this.workspace.id, props);
    if (this.sqlPool && props.diagnosticSettings) addDiagnosticSetting(this, "sql-pool-diagnostics", this.sqlPool.id, props.diagnosticSettings);
    if (auditing) {
      this.auditing.push(new SynapseWorkspaceExtendedAuditingPolicy(this, "auditing", { synapseWorkspaceId: this.workspace.id, logMonitoringEnabled: true, retentionInDays: 90 }));
      if (this.sqlPool) this.auditing.push(new SynapseSqlPoolExtendedAuditingPolicy(this, "sql-pool-auditing", { sqlPoolId: this.sqlPool.id, logMonitoringEnabled: true, retentionInDays: 90 }));
    }
  }

  table(name: string): TableSpec {
    return this.catalog.get(name);
  }

  /** CREATE TABLE statements for the pool's tables (run them as the Entra admin). */
  createTablesSql(): string {
    return this.catalog.createSql();
  }

  private checkProps(props: SynapseProps, access: PublicNetworkAccess): string[] {
    const problems: string[] = [];
    const where = `Synapse workspace '${props.name}'`;
    if (!props.entraAdmin?.loginUsername || !props.entraAdmin.objectId) problems.push(`${where}: entraAdmin needs loginUsername and objectId`);
    const admin = props.sqlAdministrator as { login?: unknown; password?: unknown } | undefined;
    if (admin) {
      if (!(admin.password instanceof TerraformVariable)) {
        problems.push(`${where}: sqlAdministrator.password must be a TerraformVariable with sensitive: true, never a literal`);
      } else if (admin.password.sensitive !== true) {
        problems.push(`${where}: the variable holding sqlAdministrator.password must be declared with sensitive: true`);
      }
      if (typeof admin.login !== "string" || !/^[A-Za-z][A-Za-z0-9_]{0,127}$/.test(admin.login)) {
        problems.push(`${where}: sqlAdministrator.login must be an identifier (letters, digits, '_')`);
      } else if (/^(admin|administrator|sa|root|dbmanager|loginmanager|dbo|guest|public)$/i.test(admin.login)) {
        problems.push(`${where}: sqlAdministrator.login '${admin.login}' is a reserved name`);
      }
    }
    if (access !== "restricted" && ((props.firewallRules?.length ?? 0) > 0 || props.allowAzureServices)) {
      problems.push(`${where}: firewall rules and allowAzureServices apply only when publicNetworkAccess is 'restricted'`);
    }
    if (props.managedIdentities?.systemAssigned === false) problems.push(`${where}: a Synapse workspace always has its system identity (it owns the workspace filesystem)`);
    if (props.dataExfiltrationProtection && props.managedVirtualNetwork === false) {
      problems.push(`${where}: dataExfiltrationProtection needs managedVirtualNetwork`);
    }
    if (props.sqlPool?.sku !== undefined && !/^DW\d+c$/.test(props.sqlPool.sku)) {
      problems.push(`${where}: SQL pool sku '${props.sqlPool.sku}' is not a DWU level like DW100c`);
    }
    problems.push(...this.catalog.problems());
    return problems;
  }
}
