import type { Command } from "commander";
import { ancestorCommandLines, cdktfCommandNeedingAzure, preflightProblems, systemPreflightEnvironment } from "../../azure/preflight";
import { CommandExit, EXIT_USAGE } from "../program";

/** `streamkit preflight`: one line per missing piece before `cdktf diff` / `cdktf deploy`. */
export function registerPreflight(program: Command): void {
  program
    .command("preflight")
    .description("check what cdktf diff and cdktf deploy need (Terraform on PATH, an Azure login): one line per missing piece, exit 2")
    .option(
      "--cdktf-app",
      "as the first step of cdktf.json's app command: check only when cdktf-cli runs diff, deploy, destroy, watch or output, and say in one line what is missing; silent otherwise",
    )
    .action((options: { cdktfApp?: boolean }) => {
      if (options.cdktfApp) return preflightUnderCdktf();
      const problems = preflightProblems(systemPreflightEnvironment());
      for (const problem of problems) process.stderr.write(`streamkit: ${problem}\n`);
      if (problems.length > 0) throw new CommandExit(EXIT_USAGE);
      process.stdout.write("preflight: ok (terraform on PATH, an Azure login)\n");
    });
}

/**
 * Run by cdktf-cli before it synthesizes: a bare `npx cdktf diff` would otherwise go on to
 * `terraform init` and stop there with Terraform's multi-line failure; here it stops at synth
 * with one line (cdktf-cli prints the app's stderr as it comes, then its own summary of the failure).
 */
function preflightUnderCdktf(): void {
  const command = cdktfCommandNeedingAzure(ancestorCommandLines());
  if (command === undefined) return;
  const problems = preflightProblems(systemPreflightEnvironment());
  if (problems.length === 0) return;
  process.stderr.write(`streamkit: cdktf ${command} cannot start: ${problems.join("; ")}\n`);
  throw new CommandExit(EXIT_USAGE);
}
