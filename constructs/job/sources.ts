// What a job reads from and writes to, found inside the service constructs themselves.
// A person passes the construct they already have (an Event Hubs construct, an ADLS filesystem
// construct, a SQL database construct …) or the provider resource; the kit finds the provider
// resources it needs among the construct's children and public properties, so the job does not
// depend on how each service construct names its fields.
import { Construct, IConstruct } from "constructs";
import { Fn, TerraformResource } from "cdktf";
import { Eventhub } from "@cdktf/provider-azurerm/lib/eventhub";
import { EventhubNamespace } from "@cdktf/provider-azurerm/lib/eventhub-namespace";
import { Iothub } from "@cdktf/provider-azurerm/lib/iothub";
import { IothubSharedAccessPolicyA } from "@cdktf/provider-azurerm/lib/iothub-shared-access-policy";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageDataLakeGen2Filesystem } from "@cdktf/provider-azurerm/lib/storage-data-lake-gen2-filesystem";
import { MssqlServer } from "@cdktf/provider-azurerm/lib/mssql-server";
import { MssqlDatabase } from "@cdktf/provider-azurerm/lib/mssql-database";
import { SynapseWorkspace } from "@cdktf/provider-azurerm/lib/synapse-workspace";
import { SynapseSqlPool } from "@cdktf/provider-azurerm/lib/synapse-sql-pool";
import { ServicebusQueue } from "@cdktf/provider-azurerm/lib/servicebus-queue";
import { ServicebusNamespace } from "@cdktf/provider-azurerm/lib/servicebus-namespace";
import { CosmosdbAccount } from "@cdktf/provider-azurerm/lib/cosmosdb-account";
import { CosmosdbSqlDatabase } from "@cdktf/provider-azurerm/lib/cosmosdb-sql-database";
import { CosmosdbSqlContainer } from "@cdktf/provider-azurerm/lib/cosmosdb-sql-container";
import { StreamkitError } from "../../lib/core/errors";
import { literal } from "./job-context";

type ResourceClass<T> = abstract new (...args: never[]) => T;

/** Every provider resource a value holds: itself, its construct subtree, its public fields. */
function resourcesOf(value: object): TerraformResource[] {
  const found = new Set<TerraformResource>();
  const visit = (v: unknown, depth: number) => {
    if (!v || typeof v !== "object" || depth > 2) return;
    if (v instanceof TerraformResource) {
      found.add(v);
      return;
    }
    if (v instanceof Construct) {
      for (const c of v.node.findAll()) if (c instanceof TerraformResource) found.add(c);
    }
    // Public fields may reference resources created elsewhere (e.g. a shared storage account).
    for (const field of Object.values(v)) {
      if (field instanceof Construct || field instanceof TerraformResource) visit(field, depth + 1);
    }
  };
  visit(value, 0);
  return [...found];
}

function describe(value: object): string {
  return value instanceof Construct ? `'${(value as IConstruct).node.path}'` : "the given value";
}

/** The one resource of a class in a value, or undefined; several is an error (ambiguous). */
export function findResource<T>(value: object, cls: ResourceClass<T>, what: string): T | undefined {
  const matches = resourcesOf(value).filter((r): r is TerraformResource & T => r instanceof cls);
  if (matches.length > 1) {
    throw new StreamkitError(
      `${describe(value)} holds ${matches.length} ${what} resources (${matches.map((m) => m.node.path).join(", ")}): pass the one the job should use`,
      undefined,
      "JOB_SOURCE",
    );
  }
  return matches[0];
}

export function requireResource<T>(value: object, cls: ResourceClass<T>, what: string): T {
  const found = findResource(value, cls, what);
  if (!found) throw new StreamkitError(`${describe(value)} holds no ${what}`, undefined, "JOB_SOURCE");
  return found;
}

/** The name segment of an Azure resource id token (…/<type>/<name>), at a fixed position. */
function idSegment(id: string, index: number): string {
  return Fn.element(Fn.split("/", id), index);
}

export interface EventHubRef {
  hubName: string;
  namespaceName: string;
  resourceGroupName: string;
  /** The narrowest scope for a data role: the event hub itself. */
  scope: string;
  /** The hub's own way to add a consumer group, when its construct has one. */
  addConsumerGroup?: (name: string) => { name: string } | undefined;
  /** The hub's partition count when known at synth time (`streamkit explain` and the synth warnings use it). */
  partitionCount?: number;
}

/** A hub described by names (a service construct's reference, or a hub created elsewhere). */
interface NamedEventHub {
  id: string;
  name: string;
  namespaceName: string;
  resourceGroupName: string;
}

function isNamedEventHub(value: object): value is NamedEventHub {
  const v = value as Partial<NamedEventHub>;
  return [v.id, v.name, v.namespaceName, v.resourceGroupName].every((f) => typeof f === "string") && !(value instanceof TerraformResource);
}

export function eventHubOf(value: object): EventHubRef {
  if (isNamedEventHub(value)) {
    const { addConsumerGroup: add, consumerGroups, partitionCount } = value as {
      addConsumerGroup?: unknown;
      consumerGroups?: Record<string, { name: string }>;
      partitionCount?: number;
    };
    return {
      partitionCount: literal(partitionCount),
      hubName: value.name,
      namespaceName: value.namespaceName,
      resourceGroupName: value.resourceGroupName,
      scope: value.id,
      // A group the hub already declares for this consumer is reused, not made twice.
      addConsumerGroup:
        typeof add === "function" ? (name: string) => consumerGroups?.[name] ?? (add.call(value, name) as { name: string } | undefined) : undefined,
    };
  }
  const hub = requireResource(value, Eventhub, "event hub (azurerm_eventhub)");
  const namespace = findResource(value, EventhubNamespace, "Event Hubs namespace");
  // /subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.EventHub/namespaces/<ns>
  const namespaceId = hub.namespaceIdInput ?? hub.namespaceId;
  return {
    hubName: hub.name,
    namespaceName: namespace?.name ?? hub.namespaceNameInput ?? idSegment(namespaceId, 8),
    resourceGroupName: namespace?.resourceGroupName ?? hub.resourceGroupNameInput ?? idSegment(namespaceId, 4),
    scope: hub.id,
    partitionCount: literal(hub.partitionCountInput),
  };
}

export interface IotHubRef {
  hub: Iothub;
  /** ASA reads IoT Hub with a shared access policy only (no managed identity). */
  policy?: IothubSharedAccessPolicyA;
}

export function iotHubOf(value: object): IotHubRef {
  return {
    hub: requireResource(value, Iothub, "IoT Hub (azurerm_iothub)"),
    policy: findResource(value, IothubSharedAccessPolicyA, "IoT Hub shared access policy"),
  };
}

export interface StorageRef {
  accountName: string;
  /** The account resource when the value holds it (a bare container does not). */
  account?: StorageAccount;
  containerName: string;
  /** `adls` for a hierarchical-namespace filesystem, `blob` for a container. */
  kind: "adls" | "blob";
  /** The container (or filesystem) as an ARM scope: the narrowest scope for a data role. */
  scope: string;
}

/** All resources of a class a value holds (no ambiguity check). */
export function allResources<T>(value: object, cls: ResourceClass<T>): (TerraformResource & T)[] {
  return resourcesOf(value).filter((r): r is TerraformResource & T => r instanceof cls);
}

/**
 * The container (or ADLS Gen2 filesystem) a job reads or writes, with its account. A storage
 * construct often holds several containers: `containerName` picks one.
 */
export function storageOf(value: object, containerName?: string): StorageRef {
  const account = findResource(value, StorageAccount, "storage account");
  if (!account) return bareContainerOf(value, containerName);
  const candidates = [
    // `nameInput` is the literal name; `name` would be a token to be resolved by Terraform.
    ...allResources(value, StorageDataLakeGen2Filesystem).map((r) => ({ name: r.nameInput ?? r.name, adls: true })),
    ...allResources(value, StorageContainer).map((r) => ({ name: r.nameInput ?? r.name, adls: literal(account.isHnsEnabledInput) === true })),
  ];
  const chosen = containerName === undefined ? candidates : candidates.filter((c) => c.name === containerName);
  if (chosen.length !== 1) {
    const names = candidates.map((c) => c.name).join(", ") || "none";
    const problem =
      containerName === undefined
        ? chosen.length === 0
          ? "holds a storage account but no container or ADLS filesystem"
          : `holds several containers (${names}): pass container: '<name>'`
        : `has no container '${containerName}' (it has: ${names})`;
    throw new StreamkitError(`${describe(value)} ${problem}`, undefined, "JOB_SOURCE");
  }
  const picked = chosen[0]!;
  return {
    accountName: account.name,
    account,
    containerName: picked.name,
    kind: picked.adls ? "adls" : "blob",
    // The same ARM path names a blob container and an ADLS Gen2 filesystem.
    scope: `${account.id}/blobServices/default/containers/${picked.name}`,
  };
}

/**
 * A container passed on its own (e.g. `storage.container("archive")`), made through the
 * management plane: its account id gives the account's name and the ARM scope. Whether the
 * account has a hierarchical namespace is not known here, so it counts as Blob storage.
 */
function bareContainerOf(value: object, containerName: string | undefined): StorageRef {
  const container = findResource(value, StorageContainer, "storage container");
  const accountId = container?.storageAccountIdInput;
  if (!container || !accountId) {
    throw new StreamkitError(`${describe(value)} holds no storage account, and no container made with storageAccountId`, undefined, "JOB_SOURCE");
  }
  const name = container.nameInput ?? container.name;
  if (containerName !== undefined && containerName !== name) {
    throw new StreamkitError(`${describe(value)} is container '${name}', not '${containerName}'`, undefined, "JOB_SOURCE");
  }
  // /subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>
  return { accountName: idSegment(accountId, 8), containerName: name, kind: "blob", scope: `${accountId}/blobServices/default/containers/${name}` };
}

export interface SqlDatabaseRef {
  server: MssqlServer;
  database: MssqlDatabase;
}

export function sqlDatabaseOf(value: object): SqlDatabaseRef {
  return {
    server: requireResource(value, MssqlServer, "SQL server (azurerm_mssql_server)"),
    database: requireResource(value, MssqlDatabase, "SQL database (azurerm_mssql_database)"),
  };
}

export interface SynapsePoolRef {
  workspace: SynapseWorkspace;
  pool: SynapseSqlPool;
}

export function synapsePoolOf(value: object): SynapsePoolRef {
  return {
    workspace: requireResource(value, SynapseWorkspace, "Synapse workspace (azurerm_synapse_workspace)"),
    pool: requireResource(value, SynapseSqlPool, "Synapse dedicated SQL pool (azurerm_synapse_sql_pool)"),
  };
}

export interface ServiceBusQueueRef {
  queue: ServicebusQueue;
  namespaceName: string;
}

export function serviceBusQueueOf(value: object): ServiceBusQueueRef {
  const queue = requireResource(value, ServicebusQueue, "Service Bus queue (azurerm_servicebus_queue)");
  const namespace = findResource(value, ServicebusNamespace, "Service Bus namespace");
  return { queue, namespaceName: namespace?.name ?? idSegment(queue.namespaceIdInput ?? queue.namespaceId, 8) };
}

export interface CosmosContainerRef {
  account: CosmosdbAccount;
  database: CosmosdbSqlDatabase;
  container: CosmosdbSqlContainer;
}

export function cosmosContainerOf(value: object): CosmosContainerRef {
  return {
    account: requireResource(value, CosmosdbAccount, "Cosmos DB account (azurerm_cosmosdb_account)"),
    database: requireResource(value, CosmosdbSqlDatabase, "Cosmos DB SQL database"),
    container: requireResource(value, CosmosdbSqlContainer, "Cosmos DB SQL container"),
  };
}

/** Which service a value is, judged by the resources it holds (first match wins). */
export type ServiceKind = "eventhub" | "iothub" | "storage" | "sql" | "synapse" | "servicebus-queue" | "cosmosdb";

export function serviceKindOf(value: object): ServiceKind | undefined {
  const resources = resourcesOf(value);
  const has = (cls: ResourceClass<unknown>) => resources.some((r) => r instanceof cls);
  if (has(Iothub)) return "iothub";
  if (has(Eventhub) || isNamedEventHub(value)) return "eventhub";
  if (has(SynapseSqlPool)) return "synapse";
  if (has(MssqlDatabase)) return "sql";
  if (has(ServicebusQueue)) return "servicebus-queue";
  if (has(CosmosdbSqlContainer)) return "cosmosdb";
  if (has(StorageAccount) || has(StorageContainer) || has(StorageDataLakeGen2Filesystem)) return "storage";
  return undefined;
}
