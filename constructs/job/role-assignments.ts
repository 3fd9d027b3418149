// The job's managed identity gets one built-in role per input/output, at the narrowest scope
// the service allows (the event hub, the container), never the account or resource group.
// Cosmos DB has its own data-plane RBAC: its role is assigned there, on the container.
import { Construct } from "constructs";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { CosmosdbSqlRoleAssignment } from "@cdktf/provider-azurerm/lib/cosmosdb-sql-role-assignment";

/** Built-in roles the job needs; names exactly as Azure spells them. */
export const JOB_ROLES = {
  eventHubReceiver: "Azure Event Hubs Data Receiver",
  eventHubSender: "Azure Event Hubs Data Sender",
  blobContributor: "Storage Blob Data Contributor",
  blobReader: "Storage Blob Data Reader",
  serviceBusSender: "Azure Service Bus Data Sender",
  cosmosDataContributor: "Cosmos DB Built-in Data Contributor",
} as const;

/** The fixed id of Cosmos DB's built-in data contributor role, under each account. */
export const COSMOS_DATA_CONTRIBUTOR_ID = "00000000-0000-0000-0000-000000000002";
export type JobRole = (typeof JOB_ROLES)[keyof typeof JOB_ROLES];

/** What the job was granted, and why: kept for tests and reports. */
export interface JobGrant {
  alias: string;
  direction: "input" | "output" | "job-storage";
  role: JobRole;
  /** The ARM scope (a token at synth time). */
  scope: string;
  /** Which kind of resource the scope is, e.g. `eventhub`, `container`. */
  scopeKind: "eventhub" | "container" | "servicebus-queue" | "storage-account" | "cosmos-container";
  assignment: RoleAssignment | CosmosdbSqlRoleAssignment;
}

/** A Cosmos DB data-plane grant: account, and the scope inside it (`/dbs/<db>/colls/<container>`). */
export interface CosmosGrantTarget {
  accountName: string;
  accountId: string;
  resourceGroupName: string;
}

export function grantRole(
  scope: Construct,
  id: string,
  principalId: string,
  grant: Omit<JobGrant, "assignment">,
  cosmos?: CosmosGrantTarget,
): JobGrant {
  if (grant.scopeKind === "cosmos-container") {
    if (!cosmos) throw new Error("a Cosmos DB grant needs its account");
    const assignment = new CosmosdbSqlRoleAssignment(scope, id, {
      accountName: cosmos.accountName,
      resourceGroupName: cosmos.resourceGroupName,
      roleDefinitionId: `${cosmos.accountId}/sqlRoleDefinitions/${COSMOS_DATA_CONTRIBUTOR_ID}`,
      principalId,
      scope: grant.scope,
    });
    return { ...grant, assignment };
  }
  const assignment = new RoleAssignment(scope, id, {
    scope: grant.scope,
    roleDefinitionName: grant.role,
    principalId,
    // The job's identity is a service principal: saying so skips an Entra lookup that can
    // fail right after the identity is created.
    principalType: "ServicePrincipal",
    description: `Stream Analytics job ${grant.direction} '${grant.alias}'`,
  });
  return { ...grant, assignment };
}
