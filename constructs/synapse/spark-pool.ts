// A Synapse Spark pool for Spark Structured Streaming: autoscaling, auto-pausing, and roles
// for the workspace identity (which Spark jobs run as) to read Event Hubs and write Delta
// tables to ADLS Gen2 containers beyond the workspace's own filesystem.
import { Construct } from "constructs";
import { SynapseSparkPool as SparkPoolResource } from "@cdktf/provider-azurerm/lib/synapse-spark-pool";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { addDiagnosticSetting, withDefaultTags, type DiagnosticSettingsSpec } from "../core/shapes";
import { NAMING_RULES, validateName } from "../core/naming";
import type { EventHubAccessSpec, LakeAccessSpec } from "../databricks/databricks";
import type { Synapse } from "./synapse";

export interface SynapseSparkPoolProps {
  workspace: Synapse;
  name: string;
  /** Default `Small` (4 vCores, 32 GB). */
  nodeSize?: "Small" | "Medium" | "Large" | "XLarge" | "XXLarge" | "XXXLarge";
  /** Default 3-6 nodes (3 is Synapse's minimum). */
  autoScale?: { minNodes: number; maxNodes: number };
  /** Default 15 minutes. A streaming query keeps the pool busy, so it pauses only when stopped. */
  autoPauseMinutes?: number;
  /** Default `3.4`. */
  sparkVersion?: string;
  lakeAccess?: LakeAccessSpec[];
  eventHubAccess?: EventHubAccessSpec[];
  tags?: Record<string, string>;
  /** The pool's logs (Spark applications) and metrics to Log Analytics. */
  diagnosticSettings?: DiagnosticSettingsSpec;
}

const LAKE_ROLES = { read: "Storage Blob Data Reader", write: "Storage Blob Data Contributor" } as const;
const HUB_ROLES = { receive: "Azure Event Hubs Data Receiver", send: "Azure Event Hubs Data Sender" } as const;

export class SynapseSparkPool extends Construct {
  readonly pool: SparkPoolResource;
  readonly grants: RoleAssignment[] = [];

  constructor(scope: Construct, id: string, props: SynapseSparkPoolProps) {
    super(scope, id);
    validateName(this, NAMING_RULES.synapseSparkPool, props.name);
    const scale = props.autoScale ?? { minNodes: 3, maxNodes: 6 };
    const pause = props.autoPauseMinutes ?? 15;
    const version = props.sparkVersion ?? "3.4";
    this.node.addValidation({
      validate: () => {
        const where = `Synapse Spark pool '${props.name}'`;
        const problems: string[] = [];
        if (scale.minNodes < 3 || scale.maxNodes > 200 || scale.minNodes > scale.maxNodes) problems.push(`${where}: autoScale must satisfy 3 <= minNodes <= maxNodes <= 200`);
        if (pause < 5 || pause > 10080) problems.push(`${where}: autoPauseMinutes must be 5-10080, not ${pause}`);
        if (!/^\d+\.\d+$/.test(version)) problems.push(`${where}: sparkVersion '${version}' is not a version like 3.4`);
        return problems;
      },
    });
    this.pool = new SparkPoolResource(this, "pool", {
      name: props.name,
      synapseWorkspaceId: props.workspace.workspace.id,
      nodeSizeFamily: "MemoryOptimized",
      nodeSize: props.nodeSize ?? "Small",
      sparkVersion: version,
      autoScale: { minNodeCount: scale.minNodes, maxNodeCount: scale.maxNodes },
      autoPause: { delayInMinutes: pause },
      sessionLevelPackagesEnabled: false,
      tags: withDefaultTags(props.tags),
    });
    if (props.diagnosticSettings) addDiagnosticSetting(this, "diagnostics", this.pool.id, props.diagnosticSettings);
    const principalId = props.workspace.principalId;
    const grant = (gid: string, scope: string, role: string) =>
      this.grants.push(new RoleAssignment(this, gid, { scope, roleDefinitionName: role, principalId, principalType: "ServicePrincipal" }));
    for (const lake of props.lakeAccess ?? []) {
      grant(`lake-${lake.storageAccount.name}-${lake.container}`, `${lake.storageAccount.id}/blobServices/default/containers/${lake.container}`, LAKE_ROLES[lake.access]);
    }
    for (const hub of props.eventHubAccess ?? []) grant(`hub-${hub.hub.namespaceName}-${hub.hub.name}-${hub.access}`, hub.hub.id, HUB_ROLES[hub.access]);
  }
}
