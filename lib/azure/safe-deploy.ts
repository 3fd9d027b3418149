// A redeploy that loses no events: stop each running job → run the deploy command → start
// the jobs again from their last output event time. Every step is reported; on failure the
// report names the step and the state each job is left in, and a job stopped by us is never
// left stopped silently: if the deploy fails, we try to start it again.
import type { ArmClient } from "./arm-client";
import { ArmError } from "./errors";
import { describeJob, type JobRef } from "./job-ref";
import { getJobStatus, isRunningState, startJob, stopJob, type JobStatus, type StartOptions } from "./streaming-jobs";

export interface SafeDeployOptions {
  client: ArmClient;
  jobs: JobRef[];
  stack: string;
  /** Runs the deploy command; resolves to its exit code. */
  runDeploy: () => Promise<number>;
  /** A fresh deadline for one wait (the per-operation --timeout). */
  deadline: () => number;
  /** Narration (stderr). */
  log: (line: string) => void;
  onProgress?: (text: string) => void;
  /** True once the user asked to stop (Ctrl-C): no deploy starts after that, and stopped jobs are restarted. */
  interrupted?: () => boolean;
}

export interface JobOutcome {
  ref: JobRef;
  /** State before the deploy ("absent" when the job did not exist yet). */
  before: string;
  /** State when we finished, as last read ("unknown" when it could not be read). */
  after: string;
  note: string;
}

export interface SafeDeployReport {
  ok: boolean;
  /** The step that failed, e.g. "stop streaming job 'x' …", "deploy", "start …". */
  failedStep?: string;
  error?: string;
  deployed: boolean;
  jobs: JobOutcome[];
}

interface Tracked {
  ref: JobRef;
  before?: JobStatus;
  stoppedByUs: boolean;
  /** When we asked it to stop: the CustomTime fallback for a job that never produced output. */
  stopRequestedAt?: string;
  outcome: JobOutcome;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function currentState(client: ArmClient, ref: JobRef): Promise<string> {
  try {
    return (await getJobStatus(client, ref)).state;
  } catch {
    return "unknown";
  }
}

export async function safeDeploy(options: SafeDeployOptions): Promise<SafeDeployReport> {
  const { client, log } = options;
  const tracked: Tracked[] = options.jobs.map((ref) => ({
    ref,
    stoppedByUs: false,
    outcome: { ref, before: "unknown", after: "unknown", note: "" },
  }));
  const report: SafeDeployReport = { ok: false, deployed: false, jobs: tracked.map((t) => t.outcome) };

  // Step 1: read each job's state. Nothing has changed yet if this fails.
  for (const job of tracked) {
    try {
      job.before = await getJobStatus(client, job.ref);
      job.outcome.before = job.outcome.after = job.before.state;
    } catch (error) {
      if (error instanceof ArmError && error.kind === "not-found") {
        job.outcome.before = job.outcome.after = "absent";
        job.outcome.note = "does not exist yet; the deploy creates it";
        continue;
      }
      return fail(report, `read the state of ${describeJob(job.ref)}`, error, "nothing was changed");
    }
  }

  // Step 2: stop the running jobs, so the deploy never updates a job under load.
  for (const job of tracked) {
    if (!job.before || (!isRunningState(job.before.state) && job.before.state.toLowerCase() !== "starting")) continue;
    log(`stopping ${describeJob(job.ref)} (${job.before.state}) before the deploy`);
    job.stopRequestedAt = new Date().toISOString();
    try {
      // Stopped by us from the moment Azure accepts the stop: a stop that then times out still leaves a job to restart.
      const accepted = () => (job.stoppedByUs = true);
      const result = await stopJob(client, job.ref, { deadline: options.deadline(), onProgress: options.onProgress, onAccepted: accepted });
      job.stoppedByUs = true;
      job.outcome.after = result.after.state;
    } catch (error) {
      job.outcome.after = await currentState(client, job.ref);
      const restartNote = await restartStopped(options, tracked);
      return fail(report, `stop ${describeJob(job.ref)}`, error, `nothing was deployed${restartNote}`);
    }
  }

  // Step 3: the deploy itself — unless the user interrupted us while the jobs were stopping.
  if (options.interrupted?.()) {
    const restartNote = await restartStopped(options, tracked);
    return fail(report, "deploy", new Error("interrupted before the deploy began"), `nothing was deployed${restartNote}`);
  }
  log(`deploying stack '${options.stack}'`);
  let code: number;
  try {
    code = await options.runDeploy();
  } catch (error) {
    code = -1;
    log(`the deploy command could not run: ${message(error)}`);
  }
  if (code !== 0) {
    const restartNote = await restartStopped(options, tracked);
    return fail(report, "deploy", new Error(`the deploy command exited with code ${code}`), `the stack may be partly deployed${restartNote}`);
  }
  report.deployed = true;

  // Step 4: start again what we stopped, from where its output left off. One job failing
  // to start must not leave the others stopped: try every one, then report.
  let firstFailure: { step: string; error: unknown } | undefined;
  for (const job of tracked) {
    if (!job.stoppedByUs) {
      if (job.outcome.before !== "absent") job.outcome.note ||= `was ${job.outcome.before} before the deploy; left as it was`;
      else job.outcome.note = "created by this deploy; not started (start it with 'streamkit job start')";
      continue;
    }
    try {
      const result = await startJob(client, job.ref, { ...restartMode(job), deadline: options.deadline(), onProgress: options.onProgress });
      job.stoppedByUs = false;
      job.outcome.after = result.after.state;
      job.outcome.note = `restarted from ${describeStart(job)}`;
    } catch (error) {
      job.outcome.after = await currentState(client, job.ref);
      job.outcome.note = `could NOT be restarted (${message(error)}); it is ${job.outcome.after}: start it with '${restartCommand(job)}'`;
      firstFailure ??= { step: `start ${describeJob(job.ref)}`, error };
    }
  }
  if (firstFailure) return fail(report, firstFailure.step, firstFailure.error, "the deployment was applied");
  report.ok = true;
  return report;
}

/** LastOutputEventTime when the job has output; else the moment we stopped it, so no event is skipped. */
function restartMode(job: { before?: JobStatus; stopRequestedAt?: string }): Pick<StartOptions, "mode" | "startTime"> {
  if (job.before?.lastOutputEventTime) return { mode: "LastOutputEventTime" };
  return { mode: "CustomTime", startTime: job.stopRequestedAt };
}

/** The exact command that starts a job we stopped, from where this deploy would have started it. */
export function restartCommand(job: { ref: JobRef; before?: JobStatus; stopRequestedAt?: string }): string {
  const { mode, startTime } = restartMode(job);
  const { subscriptionId, resourceGroup, name } = job.ref;
  return ["streamkit job start", `--subscription ${subscriptionId}`, `--resource-group ${resourceGroup}`, `--name ${name}`, `--mode ${mode}`, ...(startTime ? [`--start-time ${startTime}`] : [])].join(" ");
}

function describeStart(job: Tracked): string {
  const mode = restartMode(job);
  return mode.mode === "LastOutputEventTime" ? `its last output event time (${job.before?.lastOutputEventTime})` : `the time it was stopped (${mode.startTime}; it had produced no output yet)`;
}

/** After a failed step: start again every job we stopped; says what happened. */
async function restartStopped(options: SafeDeployOptions, tracked: Tracked[]): Promise<string> {
  const notes: string[] = [];
  for (const job of tracked.filter((t) => t.stoppedByUs)) {
    options.log(`restarting ${describeJob(job.ref)}, which this deploy stopped`);
    try {
      const result = await startJob(options.client, job.ref, { ...restartMode(job), deadline: options.deadline(), onProgress: options.onProgress });
      job.stoppedByUs = false;
      job.outcome.after = result.after.state;
      job.outcome.note = `restarted from ${describeStart(job)} after the failure`;
      notes.push(`${job.ref.name} restarted`);
    } catch (error) {
      job.outcome.after = await currentState(options.client, job.ref);
      job.outcome.note = `could NOT be restarted (${message(error)}); it is ${job.outcome.after}: start it with '${restartCommand(job)}'`;
      notes.push(`${job.ref.name} could NOT be restarted`);
    }
  }
  return notes.length ? `; ${notes.join(", ")}` : "";
}

function fail(report: SafeDeployReport, step: string, error: unknown, consequence: string): SafeDeployReport {
  report.ok = false;
  report.failedStep = step;
  report.error = `${message(error)} — ${consequence}`;
  return report;
}
