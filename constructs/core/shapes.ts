// The shapes every streamkit service construct accepts, so a platform team learns them once:
// where a resource goes, its tags, who may use it, where its logs go, a lock and identities.
// The helpers here turn them into azurerm resources; every construct calls `applyCommonShapes`.
import { Construct } from "constructs";
import { Fn, TerraformIterator, Token } from "cdktf";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import { DataAzurermMonitorDiagnosticCategories } from "@cdktf/provider-azurerm/lib/data-azurerm-monitor-diagnostic-categories";

/** Where a resource lives. */
export interface Placement {
  resourceGroupName: string;
  location: string;
}

/** One Azure RBAC grant at the construct's main resource. */
export interface RoleAssignmentSpec {
  /** Object id of the user, group, service principal or managed identity. */
  principalId: string;
  /** A built-in role name ("Azure Event Hubs Data Receiver") or a full role definition id ("/subscriptions/.../roleDefinitions/<guid>"). */
  role: string;
  /** Set it for principals created in the same deployment: avoids Entra replication delays. */
  principalType?: "ServicePrincipal" | "User" | "Group";
  description?: string;
}

/** Send all logs and all metrics of the resource to a Log Analytics workspace. */
export interface DiagnosticSettingsSpec {
  logAnalyticsWorkspaceId: string;
  /** Default `diag-streamkit`. */
  name?: string;
  /** `Dedicated` (resource-specific tables, recommended) or `AzureDiagnostics`. Default `Dedicated`. */
  destinationType?: "Dedicated" | "AzureDiagnostics";
}

export type LockLevel = "CanNotDelete" | "ReadOnly";

export interface LockSpec {
  level: LockLevel;
  notes?: string;
}

/** Managed identities of a resource. `systemAssigned` defaults per construct (on where the service uses it). */
export interface ManagedIdentitiesSpec {
  systemAssigned?: boolean;
  /** Resource ids of user-assigned identities. */
  userAssignedIds?: string[];
}

/** The props every service construct takes besides its own. */
export interface CommonProps extends Placement {
  tags?: Record<string, string>;
  roleAssignments?: RoleAssignmentSpec[];
  diagnosticSettings?: DiagnosticSettingsSpec;
  lock?: LockSpec;
}

/** The azurerm `identity` block for a set of managed identities, or undefined for none. */
export function identityBlock(
  spec: ManagedIdentitiesSpec | undefined,
  systemAssignedByDefault: boolean,
): { type: string; identityIds?: string[] } | undefined {
  const system = spec?.systemAssigned ?? systemAssignedByDefault;
  const user = spec?.userAssignedIds ?? [];
  if (system && user.length > 0) return { type: "SystemAssigned, UserAssigned", identityIds: user };
  if (system) return { type: "SystemAssigned" };
  if (user.length > 0) return { type: "UserAssigned", identityIds: user };
  return undefined;
}

/** A role given by full definition id goes to `role_definition_id`, a name to `role_definition_name`. */
export function roleArguments(role: string): { roleDefinitionId?: string; roleDefinitionName?: string } {
  if (!Token.isUnresolved(role) && role.trim() === "") throw new Error("a role assignment needs a role name or role definition id");
  return role.startsWith("/") ? { roleDefinitionId: role } : { roleDefinitionName: role };
}

export interface CommonResources {
  roleAssignments: RoleAssignment[];
  diagnosticSetting?: MonitorDiagnosticSetting;
  lock?: ManagementLock;
}

/**
 * Adds role assignments, the diagnostic setting and the lock for one resource.
 * `resourceId` is the scope; the lock depends on the other resources so Terraform can
 * still create them under a ReadOnly lock.
 */
export function applyCommonShapes(scope: Construct, resourceId: string, props: Omit<CommonProps, keyof Placement | "tags">): CommonResources {
  const roleAssignments = (props.roleAssignments ?? []).map(
    (grant, index) =>
      new RoleAssignment(scope, `role-${index}`, {
        scope: resourceId,
        principalId: grant.principalId,
        principalType: grant.principalType,
        description: grant.description,
        ...roleArguments(grant.role),
      }),
  );
  const diagnosticSetting = props.diagnosticSettings ? addDiagnosticSetting(scope, "diagnostics", resourceId, props.diagnosticSettings) : undefined;
  let lock: ManagementLock | undefined;
  if (props.lock) {
    lock = new ManagementLock(scope, "lock", {
      name: `lock-${props.lock.level.toLowerCase()}`,
      scope: resourceId,
      lockLevel: props.lock.level,
      notes: props.lock.notes ?? "Managed by streamkit: remove the lock in code before deleting.",
      dependsOn: [...roleAssignments, ...(diagnosticSetting ? [diagnosticSetting] : [])],
    });
  }
  return { roleAssignments, diagnosticSetting, lock };
}

/** Tags of the resource: the caller's, plus a marker that streamkit manages it. */
export function withDefaultTags(tags: Record<string, string> | undefined): Record<string, string> {
  return { "managed-by": "streamkit", ...(tags ?? {}) };
}

/**
 * A diagnostic setting sending every log (the `allLogs` category group, where the resource has
 * logs) and every metric category to Log Analytics. Categories differ per resource type (a
 * storage account has metrics only, its blob service has both), so they are read from
 * `azurerm_monitor_diagnostic_categories` at plan time instead of being guessed here.
 */
export function addDiagnosticSetting(scope: Construct, id: string, targetResourceId: string, spec: DiagnosticSettingsSpec): MonitorDiagnosticSetting {
  const categories = new DataAzurermMonitorDiagnosticCategories(scope, `${id}-categories`, { resourceId: targetResourceId });
  const logGroups = TerraformIterator.fromList(Fn.conditional(Fn.contains(categories.logCategoryGroups, "allLogs"), ["allLogs"], []));
  const metrics = TerraformIterator.fromList(categories.metrics);
  return new MonitorDiagnosticSetting(scope, id, {
    name: spec.name ?? "diag-streamkit",
    targetResourceId,
    logAnalyticsWorkspaceId: spec.logAnalyticsWorkspaceId,
    logAnalyticsDestinationType: spec.destinationType ?? "Dedicated",
    enabledLog: logGroups.dynamic({ category_group: logGroups.value }),
    enabledMetric: metrics.dynamic({ category: metrics.value }),
  });
}
