// Runs every rule over every stack and applies waivers.
import { literalSecretRule } from "./rules/literal-secret";
import { localAuthRule } from "./rules/local-auth";
import { managedIdentityRule } from "./rules/managed-identity";
import { publicNetworkRule } from "./rules/public-network";
import { tlsRule } from "./rules/tls";
import { StreamkitError } from "../core/errors";
import { NETWORK_EXPOSURES, STACK_EXPOSURE_PATH, type Finding, type NetworkExposure, type PolicyOptions, type Rule, type SynthesizedStack } from "./types";

export const RULES: readonly Rule[] = [tlsRule, localAuthRule, publicNetworkRule, literalSecretRule, managedIdentityRule];

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

/** The command line (or caller) first, then the stack's own declaration, then `restricted`. */
export function exposureFor(options: PolicyOptions, stack: SynthesizedStack): NetworkExposure {
  const setting = options.publicNetworkAccess;
  const given = typeof setting === "function" ? setting(stack.name) : setting;
  return given ?? declaredExposure(stack) ?? "restricted";
}

/** Waivers a stack's code attached to a resource (constructs/core/policy-waiver.ts). */
function waiversInCode(stack: SynthesizedStack, address: string): { rule: string; reason: string }[] {
  const [type, name] = address.split(".", 2);
  const body = stack.json.resource?.[type ?? ""]?.[name ?? ""] as { "//"?: { streamkit?: { waivers?: unknown } } } | undefined;
  const waivers = body?.["//"]?.streamkit?.waivers;
  return Array.isArray(waivers) ? waivers.filter((w): w is { rule: string; reason: string } => typeof w?.rule === "string" && typeof w?.reason === "string") : [];
}

/** Every finding, waived ones marked `waived: true`, in stack, address and rule order. */
export function checkStacks(stacks: SynthesizedStack[], options: PolicyOptions = {}): Finding[] {
  const waivers = (options.waivers ?? []).map((w) => ({ rule: w.rule, address: globToRegExp(w.address) }));
  const findings: Finding[] = [];
  for (const stack of stacks) {
    const context = { stack, exposure: exposureFor(options, stack) };
    for (const rule of RULES) {
      for (const found of rule.check(context)) {
        const finding: Finding = { rule: rule.id, stack: stack.name, address: found.address, constructPath: found.constructPath, message: found.message };
        const inCode = waiversInCode(stack, finding.address).find((w) => w.rule === rule.id || w.rule === "*");
        if (inCode) {
          finding.waived = true;
          finding.waiverReason = inCode.reason;
        } else if (waivers.some((w) => (w.rule === "*" || w.rule === rule.id) && (w.address.test(finding.address) || (finding.constructPath !== undefined && w.address.test(finding.constructPath))))) {
          finding.waived = true;
          finding.waiverReason = "waived on the command line";
        }
        findings.push(finding);
      }
    }
  }
  return findings;
}

/** `stack: address (construct path): [rule] message`. */
export function formatFinding(finding: Finding): string {
  const path = finding.constructPath ? ` (${finding.constructPath})` : "";
  return `${finding.stack}: ${finding.address}${path}: [${finding.rule}] ${finding.message}${finding.waived ? ` (waived: ${finding.waiverReason})` : ""}`;
}
