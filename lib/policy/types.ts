// The policy check reads a synthesized stack (cdk.tf.json) as plain JSON: it needs neither
// cdktf nor the provider, so it checks any Terraform JSON, whoever wrote it.

/** One synthesized stack: its name, where it was read from, and its Terraform JSON. */
export interface SynthesizedStack {
  name: string;
  file: string;
  json: TerraformJson;
}

export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, unknown>;
  variable?: Record<string, Record<string, unknown>>;
  output?: Record<string, Record<string, unknown>>;
  locals?: Record<string, unknown>;
  terraform?: Record<string, unknown>;
}

/** How open service endpoints may be, per environment. */
export type NetworkExposure = "disabled" | "restricted" | "enabled";
export const NETWORK_EXPOSURES: readonly NetworkExposure[] = ["disabled", "restricted", "enabled"];

/** Where a stack declares its environment's exposure in cdk.tf.json (constructs/core/network-exposure.ts). */
export const STACK_EXPOSURE_PATH = ["//", "streamkit", "publicNetworkAccess"] as const;

export interface PolicyOptions {
  /**
   * The exposure the environment allows: for every stack, or per stack name. Where this gives
   * nothing (absent, or the function returns undefined), the stack's own declaration counts
   * (`"//".streamkit.publicNetworkAccess`, written by the example stacks from cdktf.json), else `restricted`.
   */
  publicNetworkAccess?: NetworkExposure | ((stackName: string) => NetworkExposure | undefined);
  /** Findings accepted on purpose: a rule id and a resource address (`*` matches any run of characters). */
  waivers?: { rule: string; address: string }[];
}

export type RuleId = "tls" | "local-auth" | "public-network" | "literal-secret" | "managed-identity";

export interface Finding {
  rule: RuleId;
  stack: string;
  /** Terraform address: `azurerm_storage_account.lake_account_1A2B3C4D`, `output.x`, `var.y`. */
  address: string;
  /** The construct path cdktf records, when there is one (`stack/lake/account`). */
  constructPath?: string;
  message: string;
  waived?: boolean;
  /** Why it was waived: from the stack's code (`waivePolicy`) or the command line. */
  waiverReason?: string;
}

/** One resource as a rule sees it. */
export interface ResourceView {
  stack: string;
  type: string;
  name: string;
  address: string;
  constructPath?: string;
  body: Record<string, unknown>;
}

export interface RuleContext {
  stack: SynthesizedStack;
  exposure: NetworkExposure;
}

export interface Rule {
  id: RuleId;
  description: string;
  check(context: RuleContext): Omit<Finding, "rule" | "stack">[];
}
