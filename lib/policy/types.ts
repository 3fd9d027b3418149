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

/** What an environment of cdktf.json (`context.environments.<name>`) tells the policy. */
export interface PolicyEnvironment {
  /** Default `restricted`. */
  publicNetworkAccess?: NetworkExposure;
  /** Production environments get the rules marked production-only too. Default false. */
  production?: boolean;
}

export interface PolicyOptions {
  /**
   * The exposure the environment allows: for every stack, or per stack name. Where this gives
   * nothing (absent, or the function returns undefined), the stack's environment counts (below).
   */
  publicNetworkAccess?: NetworkExposure | ((stackName: string) => NetworkExposure | undefined);
  /**
   * The environments of cdktf.json: a stack named `<solution>-<environment>` is held to its
   * environment's exposure and profile. A stack that matches none is held to `restricted` and
   * to the production rules. What a stack declares about itself can only make it stricter.
   */
  environments?: Record<string, PolicyEnvironment>;
  /** Findings accepted on purpose: a rule family or rule id, and a resource address (`*` matches any run of characters). */
  waivers?: { rule: string; address: string }[];
}

/** Rule families: a waiver may name a family (every rule in it) or one rule id. */
export const RULE_FAMILIES = [
  "tls",
  "local-auth",
  "public-network",
  "network-rules",
  "encryption",
  "data-protection",
  "managed-identity",
  "diagnostics",
  "auditing",
  "literal-secret",
] as const;
export type RuleFamily = (typeof RULE_FAMILIES)[number];
/** Kept for callers of the first policy version: a rule family. */
export type RuleId = RuleFamily;

/** high: exploitable as deployed (open network, plain credentials, no encryption in transit); medium: defence in depth; low: hygiene. */
export type Severity = "high" | "medium" | "low";

export interface Finding {
  /** The rule family (what waivers in code name). */
  rule: RuleFamily;
  /** The rule: `storage.min-tls`, `sql.firewall-allow-all`, … (lib/policy/README.md). */
  id: string;
  severity: Severity;
  /** The Checkov checks (CKV_AZURE_*, CKV2_AZURE_*) and PSRule for Azure rules this rule matches. */
  checkov: string[];
  psrule: string[];
  stack: string;
  /** Terraform address: `azurerm_storage_account.lake_account_1A2B3C4D`, `output.x`, `var.y`. */
  address: string;
  /** The construct path cdktf records, when there is one (`stack/lake/account`). */
  constructPath?: string;
  /** The attribute at fault (`network_rules.ip_rules`), when there is one. */
  attribute?: string;
  /** Its value as written (absent: the attribute is not set). */
  value?: unknown;
  message: string;
  /** What to change. */
  fix: string;
  /** The setting is a Terraform expression whose value is only known at deploy. */
  cannotVerify?: boolean;
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
  /** Production rules apply (a production environment, or no known environment). */
  production: boolean;
}

/** What a rule reports; the engine adds the rule's metadata, the stack and waivers. */
export type Violation = Pick<Finding, "address" | "constructPath" | "attribute" | "value" | "message" | "fix" | "cannotVerify">;

export interface Rule {
  id: string;
  family: RuleFamily;
  severity: Severity;
  /** What it checks, one line (the README catalogue says the same). */
  title: string;
  checkov: string[];
  psrule: string[];
  /** The Terraform resource types it reads ("stack" rules read the backend, variables or outputs). */
  resourceTypes: string[];
  /** Only in production environments (and stacks of no known environment). */
  productionOnly?: boolean;
  check(context: RuleContext): Violation[];
}
