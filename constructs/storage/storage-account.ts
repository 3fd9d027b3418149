// A storage account for streams: ADLS Gen2 (hierarchical namespace) by default, with its
// filesystems/containers and lifecycle rules for stream archives. Secure by default: no
// public blobs, no shared keys (Entra ID only), HTTPS with TLS 1.2, default-deny firewall
// with trusted Azure services (Stream Analytics, Event Hubs, Synapse) let through.
import { Construct } from "constructs";
import { Token } from "cdktf";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageManagementPolicy } from "@cdktf/provider-azurerm/lib/storage-management-policy";
import { DataAzurermStorageAccount } from "@cdktf/provider-azurerm/lib/data-azurerm-storage-account";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { addDiagnosticSetting, applyCommonShapes, CommonProps, CommonResources, identityBlock, ManagedIdentitiesSpec, RoleAssignmentSpec, withDefaultTags } from "../core/shapes";
import { NAMING_RULES, validateName } from "../core/naming";
import { addPrivateEndpoint, PrivateEndpointSpec } from "../core/private-endpoint";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import type { PublicNetworkAccess } from "../eventhubs/event-hubs-namespace";
import { refuseAllowAll } from "../core/allowed-networks";
import { isProduction } from "../core/environment-profile";

export type StorageReplication = "LRS" | "ZRS" | "GRS" | "RAGRS" | "GZRS" | "RAGZRS";

/** A container (a filesystem on an ADLS Gen2 account), optionally with grants at its scope. */
export interface ContainerSpec {
  name: string;
  /** e.g. a job's identity as "Storage Blob Data Contributor" on its output container only. */
  roleAssignments?: RoleAssignmentSpec[];
}

/**
 * Lifecycle of stream archives under some prefixes ("capture/", "archive/telemetry/"):
 * move to cheaper tiers, then delete. Days count from the blob's last modification.
 */
export interface LifecycleRuleSpec {
  name: string;
  /** `container/path` prefixes; empty or absent means every block blob of the account. */
  prefixes?: string[];
  coolAfterDays?: number;
  coldAfterDays?: number;
  archiveAfterDays?: number;
  deleteAfterDays?: number;
}

export interface StreamkitStorageProps extends CommonProps {
  name: string;
  /** Default true: ADLS Gen2 (directories, ACLs, Delta/Parquet-friendly). Cannot change after creation. */
  hierarchicalNamespace?: boolean;
  /** Default `ZRS`: survives a zone outage in the region. */
  replication?: StorageReplication;
  /** Default `Hot`: streams are written and read often. */
  accessTier?: "Hot" | "Cool";
  /**
   * Default false: shared keys and SAS tokens do not work, only Entra ID. Turn on only for a
   * consumer that cannot use Entra ID: Event Hubs Capture in azurerm 4.55 (SAS mode), Azure
   * Functions' runtime storage, tools that only take a connection string.
   */
  sharedAccessKeyEnabled?: boolean;
  /** A second layer of AES-256 at the infrastructure level; only settable at creation. Default: on in production (`declareProduction`), off elsewhere. */
  infrastructureEncryption?: boolean;
  /** Default `restricted`. */
  publicNetworkAccess?: PublicNetworkAccess;
  allowedIpRanges?: string[];
  /** Private endpoints, one per sub-resource clients use (`dfs` for ADLS Gen2 clients, `blob` for Blob clients). */
  privateEndpoints?: (PrivateEndpointSpec & { subresource: "blob" | "dfs" | "queue" | "table" | "file" | "web" })[];
  /** Containers (filesystems on ADLS Gen2). A plain string is a container without grants. */
  containers?: (string | ContainerSpec)[];
  lifecycleRules?: LifecycleRuleSpec[];
  /** Days a deleted blob / container can be restored. Default 7; 0 turns it off. */
  softDeleteDays?: number;
  /** Default: none (the account calls nothing itself; add one for customer-managed keys). */
  managedIdentities?: ManagedIdentitiesSpec;
}

export interface StorageAccountRef {
  readonly id: string;
  readonly name: string;
  readonly resourceGroupName: string;
  /** `https://<name>.dfs.core.windows.net/` for ADLS Gen2 clients. */
  readonly dfsEndpoint: string;
  readonly blobEndpoint: string;
  /** False when the account refuses shared keys (unknown for an existing account). */
  readonly sharedAccessKeyEnabled?: boolean;
}

export class StreamkitStorage extends Construct implements StorageAccountRef {
  readonly account: StorageAccount;
  readonly id: string;
  readonly name: string;
  readonly resourceGroupName: string;
  readonly dfsEndpoint: string;
  readonly blobEndpoint: string;
  readonly sharedAccessKeyEnabled: boolean;
  readonly hierarchicalNamespace: boolean;
  readonly containers: Record<string, StorageContainer> = {};
  readonly lifecyclePolicy?: StorageManagementPolicy;
  /** The blob service's diagnostic setting (its logs live there, not on the account). */
  readonly blobDiagnosticSetting?: MonitorDiagnosticSetting;
  readonly common: CommonResources;
  readonly privateEndpoints: Record<string, PrivateEndpoint> = {};

  static fromExisting(scope: Construct, id: string, props: { name: string; resourceGroupName: string }): StorageAccountRef {
    const data = new DataAzurermStorageAccount(scope, id, props);
    return { id: data.id, ...props, dfsEndpoint: data.primaryDfsEndpoint, blobEndpoint: data.primaryBlobEndpoint };
  }

  constructor(scope: Construct, id: string, props: StreamkitStorageProps) {
    super(scope, id);
    validateName(this, NAMING_RULES.storageAccount, props.name);
    this.hierarchicalNamespace = props.hierarchicalNamespace ?? true;
    this.sharedAccessKeyEnabled = props.sharedAccessKeyEnabled ?? false;
    const access = props.publicNetworkAccess ?? "restricted";
    const softDelete = props.softDeleteDays ?? 7;
    refuseAllowAll(`storage account '${props.name}'`, "allowedIpRanges", props.allowedIpRanges);
    this.node.addValidation({ validate: () => this.checkProps(props, softDelete) });

    this.account = new StorageAccount(this, "account", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      accountKind: "StorageV2",
      accountTier: "Standard",
      accountReplicationType: props.replication ?? "ZRS",
      accessTier: props.accessTier ?? "Hot",
      isHnsEnabled: this.hierarchicalNamespace,
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: "TLS1_2",
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: this.sharedAccessKeyEnabled,
      defaultToOauthAuthentication: true,
      crossTenantReplicationEnabled: false,
      localUserEnabled: false,
      infrastructureEncryptionEnabled: props.infrastructureEncryption ?? isProduction(this),
      publicNetworkAccessEnabled: access !== "disabled",
      networkRules:
        access === "enabled"
          ? undefined
          : { defaultAction: "Deny", bypass: ["AzureServices", "Logging", "Metrics"], ipRules: props.allowedIpRanges?.length ? props.allowedIpRanges : undefined },
      blobProperties:
        softDelete > 0
          ? { deleteRetentionPolicy: { days: softDelete }, containerDeleteRetentionPolicy: { days: softDelete } }
          : undefined,
      identity: identityBlock(props.managedIdentities, false),
      tags: withDefaultTags(props.tags),
    });
    this.id = this.account.id;
    this.name = props.name;
    this.resourceGroupName = props.resourceGroupName;
    this.dfsEndpoint = this.account.primaryDfsEndpoint;
    this.blobEndpoint = this.account.primaryBlobEndpoint;

    for (const pe of props.privateEndpoints ?? []) {
      if (this.privateEndpoints[pe.subresource]) throw new Error(`storage account '${props.name}' declares two '${pe.subresource}' private endpoints`);
      this.privateEndpoints[pe.subresource] = addPrivateEndpoint(this, `private-endpoint-${pe.subresource}`, { ...props, tags: withDefaultTags(props.tags) }, { resourceId: this.account.id, resourceName: props.name, subresource: pe.subresource }, pe);
    }
    for (const container of props.containers ?? []) this.addContainer(container);
    if (props.lifecycleRules?.length) this.lifecyclePolicy = this.lifecycle(props.lifecycleRules);
    this.common = applyCommonShapes(this, this.account.id, { ...props, diagnosticSettings: undefined });
    if (props.diagnosticSettings) {
      // The account has metrics only; the blob service carries the read/write/delete logs.
      this.common.diagnosticSetting = addDiagnosticSetting(this, "diagnostics", this.account.id, props.diagnosticSettings);
      this.blobDiagnosticSetting = addDiagnosticSetting(this, "blob-diagnostics", `${this.account.id}/blobServices/default`, props.diagnosticSettings);
    }
  }

  /**
   * Adds a container (a filesystem on ADLS Gen2). Created through the management plane
   * (`storage_account_id`), so it works with shared keys off and a default-deny firewall.
   */
  addContainer(spec: string | ContainerSpec): StorageContainer {
    const { name, roleAssignments } = typeof spec === "string" ? { name: spec, roleAssignments: undefined } : spec;
    if (this.containers[name]) throw new Error(`container '${name}' is declared twice in storage account '${this.name}'`);
    validateName(this, NAMING_RULES.container, name);
    const container = new StorageContainer(this, `container-${name}`, { name, storageAccountId: this.account.id, containerAccessType: "private" });
    this.containers[name] = container;
    if (roleAssignments?.length) {
      const scope = new Construct(this, `container-${name}-access`);
      applyCommonShapes(scope, container.id, { roleAssignments });
    }
    return container;
  }

  /** A declared container by name. */
  container(name: string): StorageContainer {
    const container = this.containers[name];
    if (!container) throw new Error(`storage account '${this.name}' has no container '${name}' (declared: ${Object.keys(this.containers).join(", ") || "none"})`);
    return container;
  }

  private lifecycle(rules: LifecycleRuleSpec[]): StorageManagementPolicy {
    return new StorageManagementPolicy(this, "lifecycle", {
      storageAccountId: this.account.id,
      rule: rules.map((rule) => ({
        name: rule.name,
        enabled: true,
        filters: { blobTypes: ["blockBlob"], prefixMatch: rule.prefixes?.length ? rule.prefixes : undefined },
        actions: {
          baseBlob: {
            tierToCoolAfterDaysSinceModificationGreaterThan: rule.coolAfterDays,
            tierToColdAfterDaysSinceModificationGreaterThan: rule.coldAfterDays,
            tierToArchiveAfterDaysSinceModificationGreaterThan: rule.archiveAfterDays,
            deleteAfterDaysSinceModificationGreaterThan: rule.deleteAfterDays,
          },
        },
      })),
    });
  }

  private checkProps(props: StreamkitStorageProps, softDelete: number): string[] {
    const problems: string[] = [];
    const where = `storage account '${props.name}'`;
    if (!Token.isUnresolved(softDelete) && (!Number.isInteger(softDelete) || softDelete < 0 || softDelete > 365)) {
      problems.push(`${where}: softDeleteDays must be 0-365, not ${softDelete}`);
    }
    if ((props.allowedIpRanges?.length ?? 0) > 0 && (props.publicNetworkAccess ?? "restricted") !== "restricted") {
      problems.push(`${where}: allowedIpRanges apply only when publicNetworkAccess is 'restricted'`);
    }
    for (const ip of props.allowedIpRanges ?? []) {
      // Storage firewall rules take public IPv4 addresses or ranges only, and no /31 or /32 masks.
      if (/\/3[12]$/.test(ip)) problems.push(`${where}: allowed IP range '${ip}' must be written without /31 or /32 (Azure Storage rejects them)`);
    }
    const names = new Set<string>();
    for (const rule of props.lifecycleRules ?? []) {
      if (names.has(rule.name)) problems.push(`${where}: lifecycle rule '${rule.name}' is declared twice`);
      names.add(rule.name);
      if (!/^[A-Za-z0-9]{1,256}$/.test(rule.name)) problems.push(`${where}: lifecycle rule name '${rule.name}' has letters and digits only`);
      const steps = [rule.coolAfterDays, rule.coldAfterDays, rule.archiveAfterDays, rule.deleteAfterDays];
      if (steps.every((d) => d === undefined)) problems.push(`${where}: lifecycle rule '${rule.name}' has no action (cool, cold, archive or delete after days)`);
      for (const d of steps) if (d !== undefined && (!Number.isInteger(d) || d < 0)) problems.push(`${where}: lifecycle rule '${rule.name}' has a negative or fractional day count ${d}`);
      const ordered = steps.filter((d): d is number => d !== undefined);
      if (ordered.some((d, i) => i > 0 && d <= ordered[i - 1]!)) {
        problems.push(`${where}: lifecycle rule '${rule.name}' must move to cool, then cold, then archive, then delete on increasing days`);
      }
      if (rule.archiveAfterDays !== undefined && (props.replication === "ZRS" || props.replication === undefined || props.replication.includes("GZRS"))) {
        problems.push(`${where}: lifecycle rule '${rule.name}' archives blobs, but the archive tier is not available on ZRS/GZRS accounts (use LRS, GRS or RAGRS, or cold)`);
      }
    }
    return problems;
  }
}
