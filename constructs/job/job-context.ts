// What the input, output and function builders need from the job they attach to. The builders
// hide azurerm's mix of `streamAnalyticsJobName + resourceGroupName` and `streamAnalyticsJobId`:
// they get both from here and pick what each resource wants.
import type { Construct } from "constructs";
import { TerraformVariable, Token } from "cdktf";
import type { CosmosGrantTarget, JobGrant } from "./role-assignments";

export interface JobContext {
  /** Where the builders create their resources (the job construct). */
  readonly scope: Construct;
  /** The job's name as written, for names derived from it (consumer groups, SQL users). */
  readonly jobName: string;
  /**
   * The job's name as a reference to the job resource: resources that name their job this way
   * are created after it (a literal name would give Terraform no ordering).
   */
  readonly jobNameRef: string;
  readonly resourceGroupName: string;
  readonly jobId: string;
  /** The job's system-assigned identity. */
  readonly principalId: string;
  grant(grant: Omit<JobGrant, "assignment">, cosmos?: CosmosGrantTarget): JobGrant;
  /** A synth-time check: returns problems, each a complete sentence naming where it is. */
  addCheck(check: () => string[]): void;
}

/**
 * Problems with a secret the job needs (a SQL password), or none: it must come from a sensitive
 * Terraform variable, so it never lands in the synthesized JSON or in source control.
 */
export function secretProblems(secret: unknown, what: string): string[] {
  if (secret === undefined) return [`${what} needs a password: pass a sensitive TerraformVariable (password: new TerraformVariable(…, { sensitive: true }))`];
  if (!(secret instanceof TerraformVariable)) {
    return [`${what}: the password must be a sensitive TerraformVariable, not a literal (a literal ends up in cdk.tf.json and in git)`];
  }
  if (secret.sensitive !== true) return [`${what}: the password variable '${secret.node.id}' must be declared with sensitive: true`];
  return [];
}

/** A literal value known at synth time, or undefined for a token (decided at apply time). */
export function literal<T>(value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && Token.isUnresolved(value)) return undefined;
  if (typeof value === "object" && value !== null && Token.isUnresolved(value)) return undefined;
  return value;
}
