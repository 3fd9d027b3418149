import type { Command } from "commander";
import { preflightProblems, systemPreflightEnvironment } from "../../azure/preflight";
import { CommandExit, EXIT_USAGE } from "../program";

/** `streamkit preflight`: one line per missing piece before `cdktf diff` / `cdktf deploy`. */
export function registerPreflight(program: Command): void {
  program
    .command("preflight")
    .description("check what cdktf diff and cdktf deploy need (Terraform on PATH, an Azure login): one line per missing piece, exit 2")
    .action(() => {
      const problems = preflightProblems(systemPreflightEnvironment());
      for (const problem of problems) process.stderr.write(`streamkit: ${problem}\n`);
      if (problems.length > 0) throw new CommandExit(EXIT_USAGE);
      process.stdout.write("preflight: ok (terraform on PATH, an Azure login)\n");
    });
}
