// Runs every rule over every stack, each held to its environment, and applies waivers.
import { StreamkitError } from "../core/errors";
import { storageRules } from "./rules/storage";
import { eventHubsRules, iotHubRules } from "./rules/messaging";
import { sqlRules, synapseRules } from "./rules/databases";
import { databricksRules, dataExplorerRules, hdinsightRules } from "./rules/analytics";
import { databricksJobRules } from "./rules/databricks-jobs";
import { logAnalyticsRules, streamAnalyticsRules } from "./rules/stream-analytics";
import { otherServiceRules } from "./rules/other-services";
import { platformRules } from "./rules/platform";
import { secretRules } from "./rules/secrets";
import { NETWORK_EXPOSURES, RULE_FAMILIES, STACK_EXPOSURE_PATH, type Finding, type NetworkExposure, type PolicyEnvironment, type PolicyOptions, type Rule, type SynthesizedStack } from "./types";

/** Every rule, by service. Adding a service: a file under rules/ exporting its Rule[], listed here. */
export const RULES: readonly Rule[] = [
  ...storageRules,
  ...eventHubsRules,
  ...iotHubRules,
  ...sqlRules,
  ...synapseRules,
  ...dataExplorerRules,
  ...databricksRules,
  ...databricksJobRules,
  ...hdinsightRules,
  ...streamAnalyticsRules,
  ...logAnalyticsRules,
  ...otherServiceRules,
  ...platformRules,
  ...secretRules,
];

/** `*` matches any run of characters; everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

/** What the stack says its environment allows; undefined when it says nothing. */
export function declaredExposure(stack: SynthesizedStack): NetworkExposure | undefined {
  let value: unknown = stack.json;
  for (const key of STACK_EXPOSURE_PATH) value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  if (value === undefined) return undefined;
  if (!NETWORK_EXPOSURES.includes(value as NetworkExposure)) {
    throw new StreamkitError(`stack '${stack.name}' declares publicNetworkAccess ${JSON.stringify(value)} ("//".streamkit.publicNetworkAccess): expected one of ${NETWORK_EXPOSURES.join(", ")}`, { file: stack.file }, "POLICY_INPUT");
  }
  return value as NetworkExposure;
}

/** The environment of a stack named `<solution>-<environment>` (the longest matching name), if any. */
export function environmentOf(options: PolicyOptions, stackName: string): { name: string; settings: PolicyEnvironment } | undefined {
  const names = Object.keys(options.environments ?? {}).filter((env) => stackName === env || stackName.endsWith(`-${env}`));
  const name = names.sort((a, b) => b.length - a.length)[0];
  return name === undefined ? undefined : { name, settings: options.environments![name]! };
}

const strictest = (a: NetworkExposure, b: NetworkExposure | undefined): NetworkExposure =>
  b !== undefined && NETWORK_EXPOSURES.indexOf(b) < NETWORK_EXPOSURES.indexOf(a) ? b : a;

/**
 * The command line (or caller) first; else the stack's environment (cdktf.json), else
 * `restricted`. A stack's own declaration only counts where it is stricter: a stack cannot
 * open itself up.
 */
export function exposureFor(options: PolicyOptions, stack: SynthesizedStack): NetworkExposure {
  const setting = options.publicNetworkAccess;
  const given = typeof setting === "function" ? setting(stack.name) : setting;
  const base = given ?? environmentOf(options, stack.name)?.settings.publicNetworkAccess ?? "restricted";
  return strictest(base, declaredExposure(stack));
}

/** Production rules apply to production environments and to stacks of no known environment. */
export function productionFor(options: PolicyOptions, stack: SynthesizedStack): boolean {
  const environment = environmentOf(options, stack.name);
  return environment === undefined || environment.settings.production === true;
}

/** Waivers a stack's code attached to a resource (constructs/core/policy-waiver.ts). */
function waiversInCode(stack: SynthesizedStack, address: string): { rule: string; reason: string }[] {
  const [type, name] = address.split(".", 2);
  const body = stack.json.resource?.[type ?? ""]?.[name ?? ""] as { "//"?: { streamkit?: { waivers?: unknown } } } | undefined;
  const waivers = body?.["//"]?.streamkit?.waivers;
  return Array.isArray(waivers) ? waivers.filter((w): w is { rule: string; reason: string } => typeof w?.rule === "string" && typeof w?.reason === "string") : [];
}

/** A waiver names a rule family, a rule id, or `*`. */
const waiverMatches = (waiverRule: string, finding: Finding) => waiverRule === "*" || waiverRule === finding.rule || waiverRule === finding.id;

/** Is the name a rule family or a rule id (what waivers may name)? */
export function isRuleName(name: string): boolean {
  return name === "*" || (RULE_FAMILIES as readonly string[]).includes(name) || RULES.some((r) => r.id === name);
}

/** Every finding, waived ones marked `waived: true`, in stack, rule and address order. */
export function checkStacks(stacks: SynthesizedStack[], options: PolicyOptions = {}): Finding[] {
  const waivers = (options.waivers ?? []).map((w) => ({ rule: w.rule, address: globToRegExp(w.address) }));
  const findings: Finding[] = [];
  for (const stack of stacks) {
    const context = { stack, exposure: exposureFor(options, stack), production: productionFor(options, stack) };
    for (const rule of RULES) {
      if (rule.productionOnly && !context.production) continue;
      for (const found of rule.check(context)) {
        const finding: Finding = { rule: rule.family, id: rule.id, severity: rule.severity, checkov: rule.checkov, psrule: rule.psrule, stack: stack.name, ...found };
        const inCode = waiversInCode(stack, finding.address).find((w) => waiverMatches(w.rule, finding));
        if (inCode) {
          finding.waived = true;
          finding.waiverReason = inCode.reason;
        } else if (waivers.some((w) => waiverMatches(w.rule, finding) && (w.address.test(finding.address) || (finding.constructPath !== undefined && w.address.test(finding.constructPath))))) {
          finding.waived = true;
          finding.waiverReason = "waived on the command line";
        }
        findings.push(finding);
      }
    }
  }
  return findings;
}

/** `stack: address (construct path): [rule id] message; fix: … (severity, family; Checkov …; PSRule …)`. */
export function formatFinding(finding: Finding): string {
  const path = finding.constructPath ? ` (${finding.constructPath})` : "";
  const refs = [`${finding.severity}, ${finding.rule}`];
  if (finding.checkov.length) refs.push(`Checkov ${finding.checkov.join(", ")}`);
  if (finding.psrule.length) refs.push(`PSRule ${finding.psrule.join(", ")}`);
  const waived = finding.waived ? ` (waived: ${finding.waiverReason})` : "";
  return `${finding.stack}: ${finding.address}${path}: [${finding.id}] ${finding.message}; fix: ${finding.fix} (${refs.join("; ")})${waived}`;
}
