// Per-environment settings, read from cdktf.json `context.environments` (the CLI passes the
// context to the app in CDKTF_CONTEXT_JSON; a plain `tsx main.ts` reads cdktf.json itself).
// What differs between environments lives here — SKUs, streaming units, zones, locks, alert
// thresholds and severities — so the example stacks are the same code everywhere.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { StreamkitError } from "../lib/core/errors";
import { formatJsonPath } from "../lib/job";

const alertRuleSchema = z.strictObject({
  threshold: z.number().min(0),
  severity: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
});

export const environmentSchema = z.strictObject({
  location: z.string().min(1),
  namePrefix: z.string().regex(/^[a-z][a-z0-9]{1,11}$/, "a name prefix is 2-12 lowercase letters and digits"),
  subscriptionId: z.string().uuid().optional(),
  tags: z.record(z.string(), z.string()).default({}),
  backend: z
    .strictObject({ resourceGroupName: z.string(), storageAccountName: z.string(), containerName: z.string() })
    .optional(),
  /** Zone-redundant storage, SQL and Event Hubs where the tier allows it. */
  zoneRedundant: z.boolean().default(false),
  /** A CanNotDelete lock on each stateful resource (namespaces, storage, databases, jobs). */
  lock: z.boolean().default(false),
  eventHubs: z
    .strictObject({ sku: z.enum(["Basic", "Standard", "Premium"]).default("Standard"), capacity: z.number().int().min(1).default(1), partitions: z.number().int().min(1).max(32).default(2) })
    .default({ sku: "Standard", capacity: 1, partitions: 2 }),
  iotHub: z
    .strictObject({
      sku: z.enum(["S1", "S2", "S3"]).default("S1"),
      units: z.number().int().min(1).default(1),
      /** The devices' public address ranges (CIDR), let through the hub's IP filter. */
      deviceIpRanges: z.array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/, "a device range is an IPv4 address or CIDR block")).default([]),
    })
    .default({ sku: "S1", units: 1, deviceIpRanges: [] }),
  /** Zone redundancy needs a Premium, Business Critical or General Purpose (vCore) SKU. */
  sql: z.strictObject({ sku: z.string().min(1).default("S0") }).default({ sku: "S0" }),
  synapse: z.strictObject({ sku: z.string().min(1).default("DW100c") }).default({ sku: "DW100c" }),
  job: z
    .strictObject({
      sku: z.enum(["Standard", "StandardV2"]).default("StandardV2"),
      /** V2: "1/3", "2/3", "1", "2" …; V1: 1, 3, 6, 12 … */
      streamingUnits: z.union([z.string(), z.number()]).default("1/3"),
    })
    .default({ sku: "StandardV2", streamingUnits: "1/3" }),
  alerts: z
    .strictObject({
      emailReceivers: z.array(z.string().email()).default([]),
      suUtilization: alertRuleSchema.optional(),
      watermarkDelay: alertRuleSchema.optional(),
      inputBacklog: alertRuleSchema.optional(),
      deserializationErrors: alertRuleSchema.optional(),
      runtimeErrors: alertRuleSchema.optional(),
    })
    .default({ emailReceivers: [] }),
  /** The Spark solution's Data Explorer cluster: `Dev(No SLA)_Standard_E2a_v4` x 1 for trials, a production SKU x 2+ for the SLA. */
  dataExplorer: z
    .strictObject({ sku: z.string().min(1).default("Dev(No SLA)_Standard_E2a_v4"), capacity: z.number().int().min(1).default(1) })
    .default({ sku: "Dev(No SLA)_Standard_E2a_v4", capacity: 1 }),
  /** The Spark solution's Synapse Spark pool (memory optimized nodes, autoscale between the bounds). */
  sparkPool: z
    .strictObject({
      nodeSize: z.enum(["Small", "Medium", "Large", "XLarge", "XXLarge", "XXXLarge"]).default("Small"),
      minNodes: z.number().int().min(3).default(3),
      maxNodes: z.number().int().max(200).default(6),
    })
    .default({ nodeSize: "Small", minNodes: 3, maxNodes: 6 }),
  /**
   * The Spark solution's Databricks streaming jobs: the Databricks Runtime, pinned per environment
   * (16.1+ reads Event Hubs with a Unity Catalog service credential), the node type and the job
   * cluster's autoscaling bounds.
   */
  databricks: z
    .strictObject({
      sparkVersion: z.string().regex(/^\d+\.\d+\.x(-[a-z0-9]+)*-scala\d+\.\d+$/, "a Databricks Runtime is pinned, e.g. 16.4.x-scala2.12").default("16.4.x-scala2.12"),
      nodeType: z.string().min(1).default("Standard_D4ds_v5"),
      minWorkers: z.number().int().min(1).default(1),
      maxWorkers: z.number().int().min(1).default(2),
    })
    .refine((d) => d.minWorkers <= d.maxWorkers, "minWorkers is at most maxWorkers")
    .default({ sparkVersion: "16.4.x-scala2.12", nodeType: "Standard_D4ds_v5", minWorkers: 1, maxWorkers: 2 }),
  /** The Power BI workspace the dashboards of this environment go to. */
  powerBi: z.strictObject({ groupId: z.string().uuid(), groupName: z.string().min(1) }).optional(),
  /** The Entra group that administers SQL databases (its members run the job's setup T-SQL). */
  sqlAdmins: z.strictObject({ loginUsername: z.string().min(1), objectId: z.string().uuid() }).optional(),
  /**
   * How far the services' public endpoints may open, as `streamkit policy` checks it (written
   * into each synthesized stack): `disabled` (private endpoints only), `restricted` (public
   * endpoint behind a default-deny firewall, or off) or `enabled`. See stacks/README.md for what
   * each example solution does with it.
   */
  publicNetworkAccess: z.enum(["disabled", "restricted", "enabled"]).default("restricted"),
  /**
   * A production environment: the constructs turn on their production defaults (infrastructure
   * and double encryption, Synapse exfiltration protection, SQL and Synapse auditing) and
   * `streamkit policy` applies its production rules.
   */
  production: z.boolean().default(false),
  /** The address space of a solution's virtual network (Spark: Databricks subnets and private endpoints). */
  virtualNetwork: z
    .strictObject({ addressSpace: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "an address space is an IPv4 CIDR block, e.g. 10.40.0.0/16") })
    .default({ addressSpace: "10.40.0.0/16" }),
  /** Log retention of the environment's Log Analytics workspace, in days. */
  logRetentionDays: z.number().int().min(30).max(730).default(30),
});
export type EnvironmentSettings = z.infer<typeof environmentSchema>;

/** SQL SKUs that can be zone redundant: Premium (P…), Business Critical (BC_…), General Purpose vCore (GP_…). */
export function sqlSkuSupportsZones(sku: string): boolean {
  return /^(P\d|BC_|GP_)/i.test(sku);
}
export type Environments = Record<string, EnvironmentSettings>;

const environmentsSchema = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), environmentSchema).superRefine((environments, ctx) => {
  for (const [name, env] of Object.entries(environments)) {
    if (env.zoneRedundant && !sqlSkuSupportsZones(env.sql.sku)) {
      ctx.addIssue({ code: "custom", path: [name, "sql", "sku"], message: `SQL SKU '${env.sql.sku}' cannot be zone redundant (zoneRedundant is on): use a Premium, Business Critical or General Purpose SKU` });
    }
  }
});

export function parseEnvironments(value: unknown, source: string): Environments {
  const result = environmentsSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new StreamkitError(issue.message, { file: source, jsonPath: `context.environments.${formatJsonPath(issue.path)}` });
  }
  return result.data;
}

/** The environments of this project: from the cdktf CLI's context, else from cdktf.json. */
export function loadEnvironments(projectDir: string): Environments {
  const fromCli = process.env.CDKTF_CONTEXT_JSON;
  if (fromCli) {
    const context = JSON.parse(fromCli) as { environments?: unknown };
    if (context.environments) return parseEnvironments(context.environments, "CDKTF_CONTEXT_JSON");
  }
  const file = join(projectDir, "cdktf.json");
  const config = JSON.parse(readFileSync(file, "utf8")) as { context?: { environments?: unknown } };
  return parseEnvironments(config.context?.environments ?? {}, file);
}
