import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { StreamkitError } from "../../core/errors";
import { checkStacks, environmentOf, formatFinding, globToRegExp, isRuleName, loadStacks, readEnvironments, RULES, RULE_FAMILIES, type Finding, type NetworkExposure, type PolicyOptions, type SynthesizedStack } from "../../policy";
import { toSarif } from "../../policy/sarif";
import { CommandExit, EXIT_PROBLEMS } from "../program";

interface PolicyCliOptions {
  publicNetworkAccess: string[];
  waive: string[];
  format: string;
  environments?: string;
}

const EXPOSURES: readonly NetworkExposure[] = ["disabled", "restricted", "enabled"];
const FORMATS = ["text", "json", "sarif"] as const;
const collect = (value: string, previous: string[]) => [...previous, value];

/** `disabled` for every stack, or `*-prod=disabled` for the stacks a glob matches (the last match wins). */
function exposureOption(values: string[]): (stack: string) => NetworkExposure | undefined {
  const entries = values.map((value) => {
    const [stack, mode] = value.includes("=") ? (value.split("=", 2) as [string, string]) : ["*", value];
    if (!EXPOSURES.includes(mode as NetworkExposure)) {
      throw new StreamkitError(`--public-network-access '${value}': the mode is one of ${EXPOSURES.join(", ")} (optionally as <stack>=<mode>)`);
    }
    return { pattern: globToRegExp(stack), mode: mode as NetworkExposure };
  });
  // No match: the stack's environment (cdktf.json), else restricted (lib/policy).
  return (name) => entries.filter((e) => e.pattern.test(name)).at(-1)?.mode;
}

function waiverOption(values: string[]): { rule: string; address: string }[] {
  return values.map((value) => {
    const colon = value.indexOf(":");
    const rule = colon < 0 ? "" : value.slice(0, colon);
    const address = value.slice(colon + 1);
    if (colon < 0 || !isRuleName(rule) || address === "") {
      throw new StreamkitError(`--waive '${value}': write <rule>:<address glob>, rule a family (${RULE_FAMILIES.join(", ")}), a rule id (lib/policy/README.md) or *`);
    }
    return { rule, address };
  });
}

/** `--environments <file>`, else the project's cdktf.json in the current directory, else none. */
function environmentsOption(file: string | undefined): PolicyOptions["environments"] {
  if (file !== undefined) return readEnvironments(file);
  const project = resolve("cdktf.json");
  return existsSync(project) ? readEnvironments(project) : undefined;
}

function summaryOf(stacks: SynthesizedStack[], findings: Finding[]) {
  const resources = stacks.reduce((n, s) => n + Object.values(s.json.resource ?? {}).reduce((m, byName) => m + Object.keys(byName).length, 0), 0);
  const open = findings.filter((f) => !f.waived);
  return { stacks: stacks.length, resources, findings: open.length, waived: findings.length - open.length, cannotVerify: open.filter((f) => f.cannotVerify).length };
}

/** `streamkit policy <cdktf.out | stack dir | stack.json>`: the security policy over synthesized stacks. */
export function registerPolicy(program: Command): void {
  program
    .command("policy")
    .description(`check synthesized stacks against the security policy (${RULES.length} rules in ${RULE_FAMILIES.length} families: ${RULE_FAMILIES.join(", ")}); exit 1 on findings`)
    .argument("<path>", "a cdktf.out directory, one stack's directory, or a cdk.tf.json file")
    .option("--environments <file>", "the environments stacks are held to (cdktf.json's context.environments: publicNetworkAccess, production); a stack <solution>-<env> gets environment <env> (default: ./cdktf.json when present)")
    .option("--public-network-access <mode>", "override the environment: disabled, restricted or enabled; <stack glob>=<mode> for some stacks (e.g. '*-prod=disabled'); repeatable", collect, [])
    .option("--waive <rule:address>", "accept a finding on purpose: a rule family or id, and an address or construct path (may use *); repeatable", collect, [])
    .option("--format <format>", `${FORMATS.join(", ")} (SARIF 2.1.0 for GitHub code scanning and Azure DevOps)`, "text")
    .action((path: string, options: PolicyCliOptions) => {
      if (!(FORMATS as readonly string[]).includes(options.format)) throw new StreamkitError(`--format must be one of ${FORMATS.join(", ")}, not '${options.format}'`);
      // Options first: a usage mistake is reported before any stack is read.
      const policy: PolicyOptions = { publicNetworkAccess: exposureOption(options.publicNetworkAccess), waivers: waiverOption(options.waive), environments: environmentsOption(options.environments) };
      const stacks = loadStacks(path);
      const findings = checkStacks(stacks, policy);
      const summary = summaryOf(stacks, findings);
      if (options.format === "sarif") {
        process.stdout.write(`${JSON.stringify(toSarif(stacks, findings, RULES), null, 2)}\n`);
      } else if (options.format === "json") {
        const environments = Object.fromEntries(stacks.map((s) => [s.name, environmentOf(policy, s.name)?.name ?? null]));
        process.stdout.write(`${JSON.stringify({ stacks: stacks.map((s) => s.name), environments, summary, findings }, null, 2)}\n`);
      } else {
        for (const finding of findings) process.stdout.write(`${formatFinding(finding)}\n`);
        const extra = [summary.waived ? `${summary.waived} waived` : "", summary.cannotVerify ? `${summary.cannotVerify} cannot be verified` : ""].filter(Boolean);
        process.stdout.write(
          `${summary.findings === 0 ? "policy: ok" : `policy: ${summary.findings} finding(s)`} in ${summary.stacks} stack(s), ${summary.resources} resource(s) checked${extra.length ? `, ${extra.join(", ")}` : ""}\n`,
        );
      }
      if (summary.findings > 0) throw new CommandExit(EXIT_PROBLEMS);
    });
}
