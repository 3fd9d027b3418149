import type { Command } from "commander";
import { spawn } from "node:child_process";
import { describeJob, safeDeploy, statusLine, type SafeDeployReport } from "../../azure";
import { StreamkitError } from "../../core/errors";
import { CommandExit, EXIT_PROBLEMS } from "../program";
import { addJobTargetOptions, cliArmClient, resolveJobRefs, runArm, timeoutMs, type JobTargetOptions } from "./job";

export const DEFAULT_DEPLOY_COMMAND = "npx cdktf deploy {stack} --auto-approve";

/** Runs the deploy command in a shell, its output relayed to our stderr; resolves to its exit code. */
function runDeployCommand(template: string, stack: string): Promise<number> {
  // The stack name is quoted for the shell; only letters, digits, '-', '_' and '.' are accepted anyway.
  const command = template.split("{stack}").join(`'${stack}'`);
  return new Promise((resolveCode, reject) => {
    const child = spawn(command, { shell: true, stdio: ["inherit", "pipe", "pipe"] });
    child.stdout.on("data", (chunk) => process.stderr.write(chunk));
    child.stderr.on("data", (chunk) => process.stderr.write(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => resolveCode(code ?? (signal ? 128 : 1)));
  });
}

function formatReport(report: SafeDeployReport, stack: string): string {
  const lines: string[] = [];
  if (report.ok) lines.push(`deploy of stack '${stack}': done`);
  else lines.push(`deploy of stack '${stack}': FAILED at step '${report.failedStep}': ${report.error}`);
  for (const job of report.jobs) {
    lines.push(`  ${describeJob(job.ref)}: ${job.before} → ${job.after}${job.note ? ` (${job.note})` : ""}`);
  }
  return lines.join("\n") + "\n";
}

/** `streamkit deploy --stack <name>`: stop running jobs → cdktf deploy → start them from their last output. */
export function registerDeploy(program: Command): void {
  addJobTargetOptions(
    program
      .command("deploy")
      .description("redeploy a stack without losing events: stop its running jobs, deploy, start them from their last output event time")
      .requiredOption("--stack <name>", "the cdktf stack to deploy (and, with --from-outputs, whose outputs to read)"),
    { withStack: false },
  )
    .option("--deploy-command <command>", "the deploy command; {stack} is replaced by the stack name", DEFAULT_DEPLOY_COMMAND)
    .action(async (options: JobTargetOptions & { stack: string; deployCommand: string }) => {
      if (!/^[A-Za-z0-9._-]+$/.test(options.stack)) {
        throw new StreamkitError(`--stack '${options.stack}' is not a stack name (letters, digits, '.', '-', '_')`, undefined, "USAGE");
      }
      const refs = resolveJobRefs(options);
      const wait = timeoutMs(options);
      await runArm(async () => {
        const client = cliArmClient(options);
        const line = statusLine();
        const report = await safeDeploy({
          client,
          jobs: refs,
          stack: options.stack,
          runDeploy: () => runDeployCommand(options.deployCommand, options.stack),
          deadline: () => Date.now() + wait,
          log: (text) => {
            line.clear();
            process.stderr.write(`streamkit: ${text}\n`);
          },
          onProgress: (text) => line.update(text),
        });
        line.clear();
        process.stdout.write(formatReport(report, options.stack));
        if (!report.ok) throw new CommandExit(EXIT_PROBLEMS);
      });
    });
}
