import type { Command } from "commander";
import { StreamkitError } from "../../core/errors";
import { checkStacks, formatFinding, globToRegExp, loadStacks, RULES, type NetworkExposure, type RuleId } from "../../policy";
import { CommandExit, EXIT_PROBLEMS } from "../program";

interface PolicyCliOptions {
  publicNetworkAccess: string[];
  waive: string[];
  format: string;
}

const EXPOSURES: readonly NetworkExposure[] = ["disabled", "restricted", "enabled"];
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
  // No match: the stack's own declaration (from its environment), else restricted (lib/policy).
  return (name) => entries.filter((e) => e.pattern.test(name)).at(-1)?.mode;
}

function waiverOption(values: string[]): { rule: string; address: string }[] {
  const ids = RULES.map((r) => r.id as string);
  return values.map((value) => {
    const colon = value.indexOf(":");
    const rule = colon < 0 ? "" : value.slice(0, colon);
    const address = value.slice(colon + 1);
    if (colon < 0 || (rule !== "*" && !ids.includes(rule)) || address === "") {
      throw new StreamkitError(`--waive '${value}': write <rule>:<address glob>, rule one of ${ids.join(", ")} or *`);
    }
    return { rule: rule as RuleId | "*", address };
  });
}

/** `streamkit policy <cdktf.out | stack dir | stack.json>`: secure-default and no-secret rules. */
export function registerPolicy(program: Command): void {
  program
    .command("policy")
    .description(`check synthesized stacks against the security policy (${RULES.map((r) => r.id).join(", ")}); exit 1 on findings`)
    .argument("<path>", "a cdktf.out directory, one stack's directory, or a cdk.tf.json file")
    .option("--public-network-access <mode>", "what the environment allows: disabled, restricted or enabled; <stack glob>=<mode> for some stacks (e.g. '*-prod=disabled'); repeatable (default: what each stack declares from its environment, else restricted)", collect, [])
    .option("--waive <rule:address>", "accept a finding on purpose (address may use *); repeatable", collect, [])
    .option("--format <format>", "text or json", "text")
    .action((path: string, options: PolicyCliOptions) => {
      if (options.format !== "text" && options.format !== "json") throw new StreamkitError(`--format must be text or json, not '${options.format}'`);
      // Options first: a usage mistake is reported before any file is read.
      const policy = { publicNetworkAccess: exposureOption(options.publicNetworkAccess), waivers: waiverOption(options.waive) };
      const stacks = loadStacks(path);
      const findings = checkStacks(stacks, policy);
      const open = findings.filter((f) => !f.waived);
      if (options.format === "json") {
        process.stdout.write(`${JSON.stringify({ stacks: stacks.map((s) => s.name), findings }, null, 2)}\n`);
      } else {
        for (const finding of findings) process.stdout.write(`${formatFinding(finding)}\n`);
        const resources = stacks.reduce((n, s) => n + Object.values(s.json.resource ?? {}).reduce((m, byName) => m + Object.keys(byName).length, 0), 0);
        const waived = findings.length - open.length;
        process.stdout.write(
          `${open.length === 0 ? "policy: ok" : `policy: ${open.length} finding(s)`} in ${stacks.length} stack(s), ${resources} resource(s) checked${waived ? `, ${waived} waived` : ""}\n`,
        );
      }
      if (open.length > 0) throw new CommandExit(EXIT_PROBLEMS);
    });
}
