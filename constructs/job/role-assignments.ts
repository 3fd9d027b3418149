// The job's managed identity gets one built-in role per input/output, at the narrowest scope
// the service allows (the event hub, the container), never the account or resource group.
import { Construct } from "constructs";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";

/** Built-in roles the job needs; names exactly as Azure spells them. */
export const JOB_ROLES = {
  eventHubReceiver: "Azure Event Hubs Data Receiver",
  eventHubSender: "Azure Event Hubs Data Sender",
  blobContributor: "Storage Blob Data Contributor",
  blobReader: "Storage Blob Data Reader",
  serviceBusSender: "Azure Service Bus Data Sender",
} as const;
export type JobRole = (typeof JOB_ROLES)[keyof typeof JOB_ROLES];

/** What the job was granted, and why: kept for tests and reports. */
export interface JobGrant {
  alias: string;
  direction: "input" | "output" | "job-storage";
  role: JobRole;
  /** The ARM scope (a token at synth time). */
  scope: string;
  /** Which kind of resource the scope is, e.g. `eventhub`, `container`. */
  scopeKind: "eventhub" | "container" | "servicebus-queue" | "storage-account";
  assignment: RoleAssignment;
}

export function grantRole(
  scope: Construct,
  id: string,
  principalId: string,
  grant: Omit<JobGrant, "assignment">,
): JobGrant {
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
