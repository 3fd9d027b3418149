// An Azure Databricks workspace for Spark Structured Streaming, with its access connector: the
// managed identity Unity Catalog uses to read and write ADLS Gen2 (Delta tables, including the
// ones a Stream Analytics job writes) and to read Event Hubs — granted per container and per hub.
import { Construct } from "constructs";
import { DatabricksWorkspace } from "@cdktf/provider-azurerm/lib/databricks-workspace";
import { DatabricksAccessConnector } from "@cdktf/provider-azurerm/lib/databricks-access-connector";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { DataAzurermDatabricksWorkspace } from "@cdktf/provider-azurerm/lib/data-azurerm-databricks-workspace";
import { applyCommonShapes, CommonProps, CommonResources, withDefaultTags } from "../core/shapes";
import { NAMING_RULES, validateName } from "../core/naming";
import { addPrivateEndpoint, PrivateEndpointSpec } from "../core/private-endpoint";
import type { StorageAccountRef } from "../storage/storage-account";
import type { EventHubRef } from "../eventhubs/event-hub";
import { UnityCatalog } from "./unity-catalog";

/** A container the workspace reads (e.g. Delta tables a job writes) or writes (its own Delta output). */
export interface LakeAccessSpec {
  storageAccount: StorageAccountRef;
  container: string;
  access: "read" | "write";
}

export interface EventHubAccessSpec {
  hub: EventHubRef;
  access: "receive" | "send";
}

/** VNet injection: clusters run in your subnets (needed to turn public access off). */
export interface DatabricksNetworkSpec {
  virtualNetworkId: string;
  publicSubnetName: string;
  privateSubnetName: string;
  publicSubnetNetworkSecurityGroupAssociationId: string;
  privateSubnetNetworkSecurityGroupAssociationId: string;
}

export interface DatabricksProps extends CommonProps {
  name: string;
  /** Default `premium`: Unity Catalog, access connectors and RBAC need it. */
  sku?: "premium" | "standard" | "trial";
  /**
   * Required: `enabled` keeps the workspace UI/API on the internet (Entra ID sign-in, no public
   * IPs on clusters); `disabled` needs `network` (VNet injection) and a `privateEndpoint`.
   * There is no "restricted": IP access lists are a workspace setting, not an Azure one.
   */
  publicNetworkAccess: "enabled" | "disabled";
  network?: DatabricksNetworkSpec;
  /** `databricks_ui_api` private endpoint; required when public access is disabled. */
  privateEndpoint?: PrivateEndpointSpec;
  /** Default false: double encryption of the workspace's root storage (premium, creation only). */
  infrastructureEncryption?: boolean;
  /** Default: Azure names it `databricks-rg-<name>-<suffix>`. */
  managedResourceGroupName?: string;
  lakeAccess?: LakeAccessSpec[];
  eventHubAccess?: EventHubAccessSpec[];
}

const LAKE_ROLES = { read: "Storage Blob Data Reader", write: "Storage Blob Data Contributor" } as const;
const HUB_ROLES = { receive: "Azure Event Hubs Data Receiver", send: "Azure Event Hubs Data Sender" } as const;

export interface DatabricksWorkspaceRef {
  readonly id: string;
  readonly name: string;
  readonly resourceGroupName: string;
  /** `adb-<id>.<n>.azuredatabricks.net`. */
  readonly workspaceUrl: string;
}

export class Databricks extends Construct implements DatabricksWorkspaceRef {
  readonly workspace: DatabricksWorkspace;
  readonly accessConnector: DatabricksAccessConnector;
  /** The access connector's identity: use it for Unity Catalog storage credentials. */
  readonly principalId: string;
  readonly grants: RoleAssignment[] = [];
  readonly privateEndpoint?: PrivateEndpoint;
  readonly common: CommonResources;
  readonly id: string;
  readonly name: string;
  readonly resourceGroupName: string;
  readonly workspaceUrl: string;
  readonly accessConnectorId: string;
  private unityCatalogConstruct?: UnityCatalog;

  static fromExisting(scope: Construct, id: string, props: { name: string; resourceGroupName: string }): DatabricksWorkspaceRef {
    const data = new DataAzurermDatabricksWorkspace(scope, id, props);
    return { id: data.id, ...props, workspaceUrl: data.workspaceUrl };
  }

  constructor(scope: Construct, id: string, props: DatabricksProps) {
    super(scope, id);
    validateName(this, NAMING_RULES.databricksWorkspace, props.name);
    this.node.addValidation({ validate: () => this.checkProps(props) });
    const tags = withDefaultTags(props.tags);
    this.accessConnector = new DatabricksAccessConnector(this, "access-connector", {
      name: `${props.name}-connector`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      identity: { type: "SystemAssigned" },
      tags,
    });
    this.principalId = this.accessConnector.identity.principalId;
    this.accessConnectorId = this.accessConnector.id;
    const disabled = props.publicNetworkAccess === "disabled";
    const network = props.network;
    this.workspace = new DatabricksWorkspace(this, "workspace", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: props.sku ?? "premium",
      managedResourceGroupName: props.managedResourceGroupName,
      publicNetworkAccessEnabled: !disabled,
      // With public access off, the control plane reaches clusters through private link only.
      networkSecurityGroupRulesRequired: network ? (disabled ? "NoAzureDatabricksRules" : "AllRules") : undefined,
      infrastructureEncryptionEnabled: props.infrastructureEncryption ?? false,
      customParameters: {
        noPublicIp: true,
        virtualNetworkId: network?.virtualNetworkId,
        publicSubnetName: network?.publicSubnetName,
        privateSubnetName: network?.privateSubnetName,
        publicSubnetNetworkSecurityGroupAssociationId: network?.publicSubnetNetworkSecurityGroupAssociationId,
        privateSubnetNetworkSecurityGroupAssociationId: network?.privateSubnetNetworkSecurityGroupAssociationId,
      },
      tags,
    });
    this.id = this.workspace.id;
    this.name = props.name;
    this.resourceGroupName = props.resourceGroupName;
    this.workspaceUrl = this.workspace.workspaceUrl;
    if (props.privateEndpoint) {
      this.privateEndpoint = addPrivateEndpoint(this, "private-endpoint", { ...props, tags }, { resourceId: this.workspace.id, resourceName: props.name, subresource: "databricks_ui_api" }, props.privateEndpoint);
    }
    for (const lake of props.lakeAccess ?? []) this.grantLakeAccess(lake);
    for (const hub of props.eventHubAccess ?? []) this.grantEventHubAccess(hub);
    this.common = applyCommonShapes(this, this.workspace.id, props);
  }

  /** The workspace's Unity Catalog objects (provider, credentials, external locations), made on first use. */
  get unityCatalog(): UnityCatalog {
    this.unityCatalogConstruct ??= new UnityCatalog(this, "unity-catalog", this);
    return this.unityCatalogConstruct;
  }

  /** Lets the access connector read or write one container (e.g. the Delta tables a job writes). */
  grantLakeAccess(spec: LakeAccessSpec): RoleAssignment {
    return this.grant(`lake-${spec.storageAccount.name}-${spec.container}`, `${spec.storageAccount.id}/blobServices/default/containers/${spec.container}`, LAKE_ROLES[spec.access]);
  }

  /** Lets the access connector receive from or send to one event hub. */
  grantEventHubAccess(spec: EventHubAccessSpec): RoleAssignment {
    return this.grant(`hub-${spec.hub.namespaceName}-${spec.hub.name}-${spec.access}`, spec.hub.id, HUB_ROLES[spec.access]);
  }

  /** One role assignment per container or hub and access: asking again returns it (several jobs share a container). */
  private grant(id: string, scope: string, role: string): RoleAssignment {
    const existing = this.node.tryFindChild(id);
    if (existing instanceof RoleAssignment) {
      // Write (Data Contributor) covers read (Data Reader) on the same container.
      // and a read asked for first is widened when a write is asked for later.
      if (existing.roleDefinitionNameInput === LAKE_ROLES.read && role === LAKE_ROLES.write) existing.roleDefinitionName = role;
      return existing;
    }
    const grant = new RoleAssignment(this, id, { scope, roleDefinitionName: role, principalId: this.principalId, principalType: "ServicePrincipal" });
    this.grants.push(grant);
    return grant;
  }

  private checkProps(props: DatabricksProps): string[] {
    const problems: string[] = [];
    const where = `Databricks workspace '${props.name}'`;
    if (props.publicNetworkAccess !== "enabled" && props.publicNetworkAccess !== "disabled") {
      problems.push(`${where}: choose publicNetworkAccess 'enabled' or 'disabled' (required: there is no safe default without a virtual network)`);
    }
    if (props.publicNetworkAccess === "disabled") {
      if (!props.network) problems.push(`${where}: public access disabled needs network (VNet injection)`);
      if (!props.privateEndpoint) problems.push(`${where}: public access disabled needs a privateEndpoint (databricks_ui_api) to reach the workspace`);
    }
    if ((props.sku ?? "premium") !== "premium" && ((props.lakeAccess?.length ?? 0) > 0 || props.infrastructureEncryption)) {
      problems.push(`${where}: Unity Catalog access and infrastructure encryption need the premium SKU`);
    }
    return problems;
  }
}
