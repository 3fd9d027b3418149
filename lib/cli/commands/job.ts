import { Command, Option } from "commander";
import { readFileSync, existsSync } from "node:fs";
import { relative, resolve } from "node:path";
// Only light modules at load time: the Azure SDK and identity (~0.5 s) load when an Azure
// command runs (see azure()), so other commands such as `check` start fast.
import type { ArmClient, JobStatus } from "../../azure";
import { ArmError } from "../../azure/errors";
import { describeJob, jobRefsFromOutputs, type JobRef } from "../../azure/job-ref";
import { jobRefsFromSynth } from "../../azure/synth-job-refs";
import { statusLine } from "../../azure/progress";
import { OUTPUT_START_MODES, type OutputStartMode } from "../../azure/start-modes";
import { writeFileAtomic } from "../../core/atomic-write";
import { StreamkitError } from "../../core/errors";
import { loadJobFile, resolveFrom, type LoadedJob } from "../../job";
import type { Diagnostic } from "../../saql";
import { CommandExit, EXIT_PROBLEMS } from "../program";
import { renderDiagnostics, wantsColor } from "../render-diagnostics";

/** lib/azure, loaded on first use. */
export function azure(): typeof import("../../azure") {
  return require("../../azure") as typeof import("../../azure");
}

/** Options every Azure command takes. */
export interface ArmCliOptions {
  armEndpoint?: string;
  timeout: string;
}

export interface JobTargetOptions extends ArmCliOptions {
  subscription?: string;
  resourceGroup?: string;
  name?: string;
  fromOutputs?: string;
  stack?: string;
}

export function addArmOptions(command: Command): Command {
  return command
    .option("--arm-endpoint <url>", "ARM endpoint (default: $STREAMKIT_ARM_ENDPOINT or https://management.azure.com)")
    .option("--timeout <seconds>", "longest wait for one Azure operation", "600");
}

/** `withStack: false` for commands that declare their own --stack (deploy). */
export function addJobTargetOptions(command: Command, { withStack = true } = {}): Command {
  command
    .option("--subscription <id>", "subscription ID (default: $AZURE_SUBSCRIPTION_ID)")
    .option("--resource-group <name>", "resource group of the job")
    .option("--name <job>", "streaming job name (with --from-outputs: pick this job among several)")
    .option("--from-outputs <file>", "read the job ID from a stack's Terraform outputs JSON (cdktf --outputs-file or terraform output -json)");
  if (withStack) command.option("--stack <name>", "the stack whose synthesized jobs to act on (cdktf.out/stacks/<name>), or with --from-outputs whose outputs to read");
  return addArmOptions(command);
}

export function timeoutMs(options: ArmCliOptions): number {
  const seconds = Number(options.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new StreamkitError(`--timeout must be a number of seconds > 0, not '${options.timeout}'`, undefined, "USAGE");
  }
  return seconds * 1000;
}

function subscriptionOf(options: { subscription?: string }): string {
  const subscription = options.subscription || process.env.AZURE_SUBSCRIPTION_ID;
  if (!subscription) throw new StreamkitError("give --subscription (or set AZURE_SUBSCRIPTION_ID)", undefined, "USAGE");
  return subscription;
}

/** The jobs a command acts on: from the outputs file, a synthesized stack, or --subscription/--resource-group/--name. */
export function resolveJobRefs(options: JobTargetOptions): JobRef[] {
  const fromFile = options.fromOutputs
    ? jobRefsFromOutputs(resolve(options.fromOutputs), options.stack)
    : options.stack && !options.resourceGroup
      ? jobRefsFromSynth(resolve("cdktf.out"), options.stack, options.subscription)
      : undefined;
  if (fromFile) {
    let refs = fromFile;
    if (options.name) {
      refs = refs.filter((ref) => ref.name.toLowerCase() === options.name!.toLowerCase());
      if (refs.length === 0) throw new StreamkitError(`no streaming job named '${options.name}' in ${options.fromOutputs ?? `stack '${options.stack}'`}`, undefined, "USAGE");
    }
    return refs;
  }
  if (!options.resourceGroup || !options.name) {
    throw new StreamkitError("name the job: --stack <name> (a synthesized stack), --resource-group and --name (with --subscription), or --from-outputs <file>", undefined, "USAGE");
  }
  return [{ subscriptionId: subscriptionOf(options), resourceGroup: options.resourceGroup, name: options.name }];
}

/** An ARM client for the CLI: retries are announced on stderr. */
export function cliArmClient(options: ArmCliOptions): ArmClient {
  return new (azure().ArmClient)({
    endpoint: options.armEndpoint,
    onRetry: (notice) =>
      process.stderr.write(
        `streamkit: ${notice.method} ${new URL(notice.url).pathname}: ${notice.reason}; retrying in ${(notice.delayMs / 1000).toFixed(1)} s (${notice.attempt}/${notice.maxRetries})\n`,
      ),
  });
}

/** Runs an Azure action: an ArmError becomes one line on stderr and exit 1. */
export async function runArm(action: () => Promise<number | void>): Promise<void> {
  try {
    const code = await action();
    if (code) throw new CommandExit(code);
  } catch (error) {
    if (error instanceof ArmError) {
      process.stderr.write(`streamkit: error: ${error.message}\n`);
      throw new CommandExit(EXIT_PROBLEMS);
    }
    throw error;
  }
}

function formatStatus(status: JobStatus): string {
  const lines = [`${describeJob(status.ref)}: ${status.state}`];
  if (status.location) lines.push(`  location: ${status.location}`);
  if (status.provisioningState) lines.push(`  provisioning state: ${status.provisioningState}`);
  if (status.outputStartMode) lines.push(`  output start mode: ${status.outputStartMode}${status.outputStartTime ? ` (${status.outputStartTime})` : ""}`);
  lines.push(`  last output event time: ${status.lastOutputEventTime ?? "none yet"}`);
  if (status.streamingUnits !== undefined) lines.push(`  streaming units: ${status.streamingUnits}`);
  return lines.join("\n") + "\n";
}

function registerStatus(job: Command): void {
  addJobTargetOptions(job.command("status").description("show a streaming job's state (exit 1 when it is Failed)"))
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (options: JobTargetOptions & { format: string }) => {
      const refs = resolveJobRefs(options);
      await runArm(async () => {
        const client = cliArmClient(options);
        const statuses: JobStatus[] = [];
        for (const ref of refs) statuses.push(await azure().getJobStatus(client, ref));
        if (options.format === "json") process.stdout.write(JSON.stringify(statuses, null, 2) + "\n");
        else for (const status of statuses) process.stdout.write(formatStatus(status));
        return statuses.some((s) => s.state.toLowerCase() === "failed") ? EXIT_PROBLEMS : 0;
      });
    });
}

function registerStart(job: Command): void {
  addJobTargetOptions(job.command("start").description("start a streaming job and wait until it runs (already running: nothing to do)"))
    .addOption(new Option("--mode <mode>", "where output starts").choices([...OUTPUT_START_MODES]).default("JobStartTime"))
    .option("--start-time <iso>", "with --mode CustomTime: ISO-8601 time output starts from")
    .action(async (options: JobTargetOptions & { mode: OutputStartMode; startTime?: string }) => {
      const refs = resolveJobRefs(options);
      const wait = timeoutMs(options);
      if (options.startTime !== undefined && Number.isNaN(Date.parse(options.startTime))) {
        throw new StreamkitError(`--start-time '${options.startTime}' is not an ISO-8601 time`, undefined, "USAGE");
      }
      const startTime = options.startTime === undefined ? undefined : new Date(options.startTime).toISOString();
      await runArm(async () => {
        const client = cliArmClient(options);
        const line = statusLine();
        try {
          for (const ref of refs) {
            const result = await azure().startJob(client, ref, {
              mode: options.mode,
              startTime,
              deadline: Date.now() + wait,
              onProgress: (text) => line.update(`${ref.name}: ${text}`),
            });
            line.clear();
            process.stdout.write(
              result.changed
                ? `${describeJob(ref)}: started (${result.before.state} → ${result.after.state}), output from ${options.mode}${startTime ? ` ${startTime}` : ""}\n`
                : `${describeJob(ref)}: already ${result.after.state}; nothing to do\n`,
            );
          }
        } finally {
          line.clear();
        }
      });
    });
}

function registerStop(job: Command): void {
  addJobTargetOptions(job.command("stop").description("stop a streaming job and wait until it stops (already stopped: nothing to do)")).action(
    async (options: JobTargetOptions) => {
      const refs = resolveJobRefs(options);
      const wait = timeoutMs(options);
      await runArm(async () => {
        const client = cliArmClient(options);
        const line = statusLine();
        try {
          for (const ref of refs) {
            const result = await azure().stopJob(client, ref, { deadline: Date.now() + wait, onProgress: (text) => line.update(`${ref.name}: ${text}`) });
            line.clear();
            process.stdout.write(
              result.changed
                ? `${describeJob(ref)}: stopped (${result.before.state} → ${result.after.state})\n`
                : `${describeJob(ref)}: already ${result.after.state}; nothing to do\n`,
            );
          }
        } finally {
          line.clear();
        }
      });
    },
  );
}

/** Paths under the working directory print relative, as `streamkit check` prints them. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}

function printDiagnostics(diagnostics: Diagnostic[], file: string, text: string): void {
  process.stdout.write(renderDiagnostics(diagnostics, text, { file, color: wantsColor(process.stdout) }));
}

interface LoadedTarget {
  job?: LoadedJob;
  /** Sample file per input alias (lower case) the job or project declares. */
  samples: Map<string, string>;
  file: string;
  text: string;
}

/** The query (a file, or the job's) and the job: from --job, or from an ASA project (--project). */
function loadQueryAndJob(queryFile: string | undefined, options: { job?: string; project?: string }): LoadedTarget {
  if (options.job && options.project) throw new StreamkitError("give --job or --project, not both", undefined, "USAGE");
  const samples = new Map<string, string>();
  let job: LoadedJob | undefined;
  if (options.job) {
    job = loadJobFile(options.job);
    for (const input of job.spec.inputs) {
      // Capture folders are replays for local runs, not samples for Azure's test.
      if (input.local?.path && input.local.kind !== "capture") samples.set(input.alias.toLowerCase(), resolveFrom(job.file, input.local.path));
    }
  } else if (options.project) {
    const { loadAsaProject } = require("../../asa-project") as typeof import("../../asa-project");
    const project = loadAsaProject(options.project);
    job = project.job;
    for (const local of project.localInputs) samples.set(local.alias.toLowerCase(), local.path);
  }
  if (queryFile) {
    const path = resolve(queryFile);
    if (!existsSync(path)) throw new StreamkitError(`query file not found: ${path}`, { file: path }, "QUERY_FILE");
    return { job, samples, file: displayPath(path), text: readFileSync(path, "utf8") };
  }
  if (!job) throw new StreamkitError("give a query file, --job or --project", undefined, "USAGE");
  return { job, samples, file: job.queryFile ? displayPath(job.queryFile) : "<query>", text: job.queryText };
}

interface RemoteOptions extends ArmCliOptions {
  subscription?: string;
  location?: string;
  job?: string;
  project?: string;
}

function locationOf(options: RemoteOptions): string {
  const location = options.location || process.env.STREAMKIT_AZURE_LOCATION;
  if (!location) throw new StreamkitError("give --location (the Azure region that compiles the query, e.g. westeurope)", undefined, "USAGE");
  return location;
}

function addRemoteOptions(command: Command): Command {
  return addArmOptions(
    command
      .option("--job <job.json>", "the job whose inputs, outputs and functions the query uses")
      .option("--project <asaproj.json>", "or an ASA VS Code project (asaproj.json or its folder)")
      .option("--subscription <id>", "subscription ID (default: $AZURE_SUBSCRIPTION_ID)")
      .option("--location <region>", "Azure region to run the operation in (default: $STREAMKIT_AZURE_LOCATION)"),
  );
}

function registerCompile(job: Command): void {
  addRemoteOptions(job.command("compile").description("compile a query with Azure's own compiler and print its diagnostics like 'streamkit check'"))
    .argument("[query.asaql]", "the query (default: the job's query)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (queryFile: string | undefined, options: RemoteOptions & { format: string }) => {
      const { job, file, text } = loadQueryAndJob(queryFile, options);
      const target = { subscriptionId: subscriptionOf(options), location: locationOf(options) };
      await runArm(async () => {
        const client = cliArmClient(options);
        // Without a job, declare to Azure the inputs the query reads (as the local checker finds them).
        const inputNames = job ? [] : (require("../../saql") as typeof import("../../saql")).checkQuery(text).inputs;
        const result = await azure().compileRemotely(client, target, azure().compileQueryBody(text, job?.spec, inputNames));
        const errors = result.diagnostics.filter((d) => d.severity === "error").length;
        if (options.format === "json") {
          process.stdout.write(JSON.stringify({ file, ...result }, null, 2) + "\n");
        } else {
          printDiagnostics(result.diagnostics, file, text);
          const list = (names: string[]) => (names.length ? names.join(", ") : "none");
          process.stdout.write(
            `${file}: ${errors ? "does not compile" : "ok"} in Azure (${target.location}); inputs: ${list(result.inputs)}; outputs: ${list(result.outputs)}; functions: ${list(result.functions)}\n`,
          );
          if (!job) {
            process.stderr.write(
              `streamkit: note: no --job or --project given: declared the inputs the query reads (${inputNames.join(", ") || "none"}) as stream inputs; give --job or --project to compile against the job's own inputs and functions\n`,
            );
          }
        }
        return errors > 0 ? EXIT_PROBLEMS : 0;
      });
    });
}

function registerTestRemote(job: Command): void {
  addRemoteOptions(job.command("test-remote").description("run the query in Azure's query test on local sample events and print (or save) its output"))
    .option("--query <query.asaql>", "the query (default: the job's query)")
    .option("--input <alias=file>", "sample events (JSON) for an input; repeatable (default: the job's inputs[].local.path)", (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option("--out <file>", "write the output payload here instead of stdout")
    .action(async (options: RemoteOptions & { query?: string; input: string[]; out?: string }) => {
      if (!options.job && !options.project) {
        throw new StreamkitError("test-remote needs --job or --project (their inputs, outputs and policies travel with the query)", undefined, "USAGE");
      }
      const { job, file, text, samples } = loadQueryAndJob(options.query, options);
      for (const pair of options.input) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new StreamkitError(`--input takes alias=file, not '${pair}'`, undefined, "USAGE");
        const alias = pair.slice(0, eq);
        if (!job!.spec.inputs.some((i) => i.alias.toLowerCase() === alias.toLowerCase())) {
          throw new StreamkitError(`--input ${alias}: the job has no input '${alias}'`, undefined, "USAGE");
        }
        samples.set(alias.toLowerCase(), resolve(pair.slice(eq + 1)));
      }
      const location = locationOf(options);
      const target = { subscriptionId: subscriptionOf(options), location };
      const body = azure().testQueryBody({ job: job!.spec, jobFile: job!.file, queryText: text, location, samples });
      const wait = timeoutMs(options);
      await runArm(async () => {
        const client = cliArmClient(options);
        const line = statusLine();
        let outcome;
        try {
          outcome = await azure().testRemotely(client, target, body, {
            deadline: Date.now() + wait,
            onProgress: (p) => line.update(`testing the query in ${location}: ${p.status} (${p.elapsedSeconds} s)`),
          });
        } finally {
          line.clear();
        }
        const { result, payload } = outcome;
        if (result.status === "CompilerError") {
          const message = [result.error?.code, result.error?.message].filter(Boolean).join(": ") || "the query failed to compile";
          printDiagnostics([{ severity: "error", message, startLine: 0, startColumn: 0, endLine: 0, endColumn: 0, isGlobal: true, code: "ASA_COMPILE" }], file, text);
          return EXIT_PROBLEMS;
        }
        if (result.status !== "Success") {
          const detail = [result.error?.code, result.error?.message].filter(Boolean).join(": ");
          throw new ArmError(`the query test in Azure ended ${result.status}${detail ? ` (${detail})` : ""}`, "operation-failed");
        }
        if (options.out) {
          writeFileAtomic(resolve(options.out), payload ?? "");
          process.stderr.write(`streamkit: query test succeeded; output (${Buffer.byteLength(payload ?? "")} bytes) written to ${options.out}\n`);
        } else {
          process.stdout.write(payload ?? "");
          if (payload && !payload.endsWith("\n")) process.stdout.write("\n");
        }
        return 0;
      });
    });
}

/** `streamkit job status|start|stop|compile|test-remote`: operate deployed jobs, and ask Azure about a query. */
export function registerJob(program: Command): void {
  const job = program.command("job").description("operate a deployed Stream Analytics job, or compile/test a query in Azure");
  registerStatus(job);
  registerStart(job);
  registerStop(job);
  registerCompile(job);
  registerTestRemote(job);
}
