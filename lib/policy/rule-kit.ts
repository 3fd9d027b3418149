// Builders for rules, so a rule is its data (id, severity, Checkov/PSRule equivalents) and one
// condition. A setting given as a Terraform expression is reported as "cannot verify", never
// passed: its value is only known at deploy.
import { resourcesOf, settingOf, show, type Setting } from "./resources";
import type { ResourceView, Rule, RuleContext, Violation } from "./types";

export type RuleInfo = Omit<Rule, "check" | "resourceTypes">;

/** A rule over each resource of some types. */
export function resourceRule(
  info: RuleInfo & { types: string[]; check(resource: ResourceView, context: RuleContext): Omit<Violation, "address" | "constructPath">[] | undefined },
): Rule {
  const { types, check, ...rest } = info;
  return {
    ...rest,
    resourceTypes: types,
    check(context) {
      const out: Violation[] = [];
      for (const resource of resourcesOf(context.stack)) {
        if (!types.includes(resource.type)) continue;
        for (const v of check(resource, context) ?? []) out.push({ address: resource.address, constructPath: resource.constructPath, ...v });
      }
      return out;
    },
  };
}

export interface SettingSpec {
  attribute: string;
  /** The value is acceptable. */
  ok(value: unknown): boolean;
  /** When the attribute is absent: undefined = the provider default is acceptable; a string = why it is not. */
  absent?: string;
  /** Why a bad literal is bad (the value is prefixed: `min_tls_version = "TLS1_0": …`). */
  problem: string;
  fix: string;
  /** Only resources this returns true for (e.g. only when shared keys are on). */
  when?(resource: ResourceView, context: RuleContext): boolean;
}

/** One attribute must have an acceptable value. */
export function settingRule(info: RuleInfo & { types: string[] } & SettingSpec): Rule {
  const { attribute, ok, absent, problem, fix, when, ...rest } = info;
  return resourceRule({
    ...rest,
    check(resource, context) {
      if (when && !when(resource, context)) return undefined;
      const setting = settingOf(resource.body, attribute, context.stack);
      const v = judge(setting, { attribute, ok, absent, problem, fix });
      return v ? [v] : undefined;
    },
  });
}

/** The violation a setting makes, if any: absent and not defaulted safely, an expression, or a bad literal. */
export function judge(setting: Setting, spec: Pick<SettingSpec, "attribute" | "ok" | "absent" | "problem" | "fix">): Omit<Violation, "address" | "constructPath"> | undefined {
  const { attribute, fix } = spec;
  if (setting.kind === "absent") return spec.absent === undefined ? undefined : { attribute, message: `${attribute} is not set: ${spec.absent}`, fix };
  if (setting.kind === "expression") return cannotVerify(attribute, setting.value, fix);
  return spec.ok(setting.value) ? undefined : { attribute, value: setting.value, message: `${attribute} = ${show(setting.value)}: ${spec.problem}`, fix };
}

export function cannotVerify(attribute: string, value: unknown, fix: string): Omit<Violation, "address" | "constructPath"> {
  return {
    attribute,
    value,
    cannotVerify: true,
    message: `cannot verify: ${attribute} = ${show(value)} is a Terraform expression, known only at deploy`,
    fix: `write a literal (or a local that is one) so the policy can check it, or waive this rule in code with the reason the value is safe; the safe value: ${fix}`,
  };
}

export const equals =
  (...accepted: unknown[]) =>
  (value: unknown): boolean =>
    accepted.includes(value);
