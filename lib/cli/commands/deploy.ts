import type { Command } from "commander";
import { spawn, type ChildProcess } from "node:child_process";
import { constants as osConstants } from "node:os";
import type { SafeDeployReport } from "../../azure";
import { describeJob } from "../../azure/job-ref";
import { preflightProblems, systemPreflightEnvironment } from "../../azure/preflight";
import { statusLine } from "../../azure/progress";
import { StreamkitError } from "../../core/errors";
import { CommandExit, EXIT_PROBLEMS } from "../program";
import { addJobTargetOptions, azure, cliArmClient, resolveJobRefs, runArm, timeoutMs, type JobTargetOptions } from "./job";

export const DEFAULT_DEPLOY_COMMAND = "npx cdktf deploy {stack} --auto-approve";

/** Runs the deploy command in a shell, its output relayed to our stderr; resolves to its exit code. */
function runDeployCommand(template: string, stack: string, started: (child: ChildProcess) => void): Promise<number> {
  // The stack name is quoted for the shell; only letters, digits, '-', '_' and '.' are accepted anyway.
  const command = template.split("{stack}").join(`'${stack}'`);
  return new Promise((resolveCode, reject) => {
    // Its own process group, so an interrupt reaches the whole command (shell and children).
    const child = spawn(command, { shell: true, stdio: ["ignore", "pipe", "pipe"], detached: true });
    started(child);
    child.stdout.on("data", (chunk) => process.stderr.write(chunk));
    child.stderr.on("data", (chunk) => process.stderr.write(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (signal) process.stderr.write(`streamkit: the deploy command was ended by ${signal}\n`);
      resolveCode(code ?? 128 + (signal ? osConstants.signals[signal] ?? 0 : 0));
    });
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
      if (options.deployCommand === DEFAULT_DEPLOY_COMMAND) {
        // Before any job is stopped: cdktf deploy without Terraform or a login would fail half-way.
        const problems = preflightProblems(systemPreflightEnvironment());
        if (problems.length > 0) throw new StreamkitError(`cannot deploy: ${problems.join("; ")}`, undefined, "USAGE");
      }
      const refs = resolveJobRefs(options);
      const wait = timeoutMs(options);
      // Ctrl-C must not leave a job stopped: the first one ends the deploy command and lets us
      // restart what we stopped; only a second one abandons, and says what may be left stopped.
      let interrupts = 0;
      let deployChild: ChildProcess | undefined;
      const onSignal = (signal: NodeJS.Signals) => {
        interrupts++;
        if (interrupts === 1) {
          process.stderr.write(`streamkit: ${signal}: finishing safely; jobs stopped by this deploy will be started again (repeat to abandon)\n`);
          if (deployChild?.pid !== undefined && deployChild.exitCode === null) {
            try {
              process.kill(-deployChild.pid, signal);
            } catch {
              deployChild.kill(signal);
            }
          }
          return;
        }
        process.stderr.write(
          `streamkit: abandoned; these jobs may be left STOPPED: ${refs.map((r) => r.name).join(", ")} — check with 'streamkit job status' and start them with --mode LastOutputEventTime\n`,
        );
        process.exit(130);
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      try {
        await runArm(async () => {
          const client = cliArmClient(options);
          const line = statusLine();
          const report = await azure().safeDeploy({
            client,
            jobs: refs,
            stack: options.stack,
            runDeploy: () => runDeployCommand(options.deployCommand, options.stack, (child) => (deployChild = child)),
            deadline: () => Date.now() + wait,
            log: (text) => {
              line.clear();
              process.stderr.write(`streamkit: ${text}\n`);
            },
            onProgress: (text) => line.update(text),
            interrupted: () => interrupts > 0,
          });
          line.clear();
          process.stdout.write(formatReport(report, options.stack));
          if (!report.ok) throw new CommandExit(EXIT_PROBLEMS);
        });
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    });
}
