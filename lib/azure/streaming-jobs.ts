// Job lifecycle: status, start, stop — idempotent, bounded in time. The job is read with the
// typed SDK (API 2020-03-01); start/stop are posted through the same pipeline and their
// long-running operations followed by our poller, so progress and timeouts are ours.
import type { StreamingJob } from "@azure/arm-streamanalytics";
import type { ArmClient } from "./arm-client";
import { toArmError } from "./arm-client";
import { ArmError } from "./errors";
import { describeJob, jobPath, type JobRef } from "./job-ref";
import { waitForOperation, type LroProgress } from "./lro";
import type { OutputStartMode } from "./start-modes";

/** The API version of @azure/arm-streamanalytics 4.1.0. */
export const JOBS_API_VERSION = "2020-03-01";

export { OUTPUT_START_MODES, type OutputStartMode } from "./start-modes";

/** States in which the job processes events (Degraded: running with non-fatal errors). */
const RUNNING = new Set(["running", "degraded", "restarting", "scaling"]);
/** States in which the job processes nothing. */
const NOT_RUNNING = new Set(["created", "stopped", "failed"]);

export interface JobStatus {
  ref: JobRef;
  id?: string;
  location?: string;
  /** ASA's jobState: Created, Starting, Running, Stopping, Stopped, Deleting, Failed, Degraded, Restarting, Scaling. */
  state: string;
  provisioningState?: string;
  outputStartMode?: string;
  outputStartTime?: string;
  lastOutputEventTime?: string;
  createdDate?: string;
  streamingUnits?: number;
  compatibilityLevel?: string;
}

export interface WaitOptions {
  /** Absolute deadline (ms since epoch). */
  deadline: number;
  onProgress?: (text: string) => void;
  signal?: AbortSignal;
  /**
   * Called as soon as Azure has accepted the request (or the job shows it began anyway), before
   * waiting for the outcome: from then on the job's state is ours to restore, even if the wait
   * times out.
   */
  onAccepted?: () => void;
}

export interface LifecycleResult {
  /** False when the job already was where we wanted it. */
  changed: boolean;
  before: JobStatus;
  after: JobStatus;
}

function iso(value: Date | string | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

function toStatus(ref: JobRef, job: StreamingJob): JobStatus {
  return {
    ref,
    id: job.id,
    location: job.location,
    state: job.jobState ?? "Unknown",
    provisioningState: job.provisioningState,
    outputStartMode: job.outputStartMode,
    outputStartTime: iso(job.outputStartTime),
    lastOutputEventTime: iso(job.lastOutputEventTime),
    createdDate: iso(job.createdDate),
    streamingUnits: job.transformation?.streamingUnits,
    compatibilityLevel: job.compatibilityLevel,
  };
}

export function isRunningState(state: string): boolean {
  return RUNNING.has(state.toLowerCase());
}

export function isStoppedState(state: string): boolean {
  return NOT_RUNNING.has(state.toLowerCase());
}

export async function getJobStatus(client: ArmClient, ref: JobRef, signal?: AbortSignal): Promise<JobStatus> {
  try {
    const job = await client.sdk(ref.subscriptionId).streamingJobs.get(ref.resourceGroup, ref.name, {
      expand: "transformation",
      abortSignal: signal,
    });
    return toStatus(ref, job);
  } catch (error) {
    throw toArmError(error, describeJob(ref));
  }
}

/** Polls the job until `done(state)` or the deadline. */
async function waitForState(
  client: ArmClient,
  ref: JobRef,
  done: (state: string) => boolean,
  goal: string,
  options: WaitOptions,
): Promise<JobStatus> {
  const started = Date.now();
  for (;;) {
    const status = await getJobStatus(client, ref, options.signal);
    if (done(status.state)) return status;
    options.onProgress?.(`waiting for ${goal}: ${status.state} (${Math.round((Date.now() - started) / 1000)} s)`);
    const remaining = options.deadline - Date.now();
    if (remaining <= 0) {
      throw new ArmError(`${describeJob(ref)} is still ${status.state} after the timeout (waiting for ${goal})`, "timeout");
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(client.timings.pollIntervalMs, remaining)));
  }
}

/**
 * After a start/stop POST failed in a way that leaves its outcome unknown (no answer, a 5xx
 * after retries, or a 409 because an earlier attempt is already under way): did it begin?
 */
async function beganAnyway(client: ArmClient, ref: JobRef, error: unknown, began: (state: string) => boolean, options: WaitOptions): Promise<boolean> {
  if (!(error instanceof ArmError) || !["conflict", "timeout", "server"].includes(error.kind)) return false;
  try {
    return began((await getJobStatus(client, ref, options.signal)).state);
  } catch {
    return false;
  }
}

function lroProgress(verb: string, options: WaitOptions): (p: LroProgress) => void {
  return (p) => options.onProgress?.(`${verb}: ${p.status} (${p.elapsedSeconds} s)`);
}

export interface StartOptions extends WaitOptions {
  mode: OutputStartMode;
  /** ISO-8601; required with CustomTime. */
  startTime?: string;
}

export async function startJob(client: ArmClient, ref: JobRef, options: StartOptions): Promise<LifecycleResult> {
  const what = describeJob(ref);
  if (options.mode === "CustomTime" && !options.startTime) {
    throw new ArmError("start mode CustomTime needs a start time (--start-time, ISO-8601)", "bad-request");
  }
  if (options.mode !== "CustomTime" && options.startTime) {
    throw new ArmError(`--start-time applies to start mode CustomTime only, not ${options.mode}`, "bad-request");
  }
  let before = await getJobStatus(client, ref, options.signal);
  const state = before.state.toLowerCase();
  if (isRunningState(state)) return { changed: false, before, after: before };
  if (state === "deleting") throw new ArmError(`${what} is being deleted; it cannot be started`, "conflict");
  if (state === "starting") {
    const after = await waitForState(client, ref, (s) => s.toLowerCase() !== "starting", "the job to finish starting", options);
    return checkStarted(ref, before, after, false);
  }
  if (state === "stopping") {
    before = await waitForState(client, ref, (s) => s.toLowerCase() !== "stopping", "the job to finish stopping", options);
  }
  if (options.mode === "LastOutputEventTime" && !before.lastOutputEventTime) {
    throw new ArmError(
      `${what} has never produced output (no lastOutputEventTime), so it cannot start from LastOutputEventTime; use --mode JobStartTime or CustomTime`,
      "bad-request",
    );
  }
  const body: { outputStartMode: OutputStartMode; outputStartTime?: string } = { outputStartMode: options.mode };
  if (options.startTime) body.outputStartTime = options.startTime;
  let initial;
  try {
    initial = await client.send({
      method: "POST",
      path: `${jobPath(ref)}/start`,
      apiVersion: JOBS_API_VERSION,
      body,
      what: `starting ${what}`,
      signal: options.signal,
    });
  } catch (error) {
    // A lost answer, or a retry that finds the first attempt already under way: the job tells.
    if (!(await beganAnyway(client, ref, error, (s) => isRunningState(s) || s.toLowerCase() === "starting", options))) throw error;
    options.onAccepted?.();
    const after = await waitForState(client, ref, (s) => s.toLowerCase() !== "starting", "the job to finish starting", options);
    return checkStarted(ref, before, after, true);
  }
  options.onAccepted?.();
  await waitForOperation(client, initial, {
    what: `starting ${what}`,
    apiVersion: JOBS_API_VERSION,
    deadline: options.deadline,
    onProgress: lroProgress("starting", options),
    signal: options.signal,
  });
  const after = await getJobStatus(client, ref, options.signal);
  return checkStarted(ref, before, after, true);
}

function checkStarted(ref: JobRef, before: JobStatus, after: JobStatus, changed: boolean): LifecycleResult {
  if (!isRunningState(after.state)) {
    throw new ArmError(`${describeJob(ref)} did not start: it is ${after.state}; see its activity log in the Azure portal`, "operation-failed");
  }
  return { changed, before, after };
}

export async function stopJob(client: ArmClient, ref: JobRef, options: WaitOptions): Promise<LifecycleResult> {
  const what = describeJob(ref);
  const before = await getJobStatus(client, ref, options.signal);
  const state = before.state.toLowerCase();
  if (isStoppedState(state)) return { changed: false, before, after: before };
  if (state === "deleting") throw new ArmError(`${what} is being deleted`, "conflict");
  if (state === "stopping") {
    // Someone else's stop: it may still end anywhere but stopped (Failed counts as stopped, Running does not).
    const after = await waitForState(client, ref, (s) => s.toLowerCase() !== "stopping", "the job to finish stopping", options);
    return checkStopped(ref, before, after, false);
  }
  let initial;
  try {
    initial = await client.send({
      method: "POST",
      path: `${jobPath(ref)}/stop`,
      apiVersion: JOBS_API_VERSION,
      what: `stopping ${what}`,
      signal: options.signal,
    });
  } catch (error) {
    if (!(await beganAnyway(client, ref, error, (s) => isStoppedState(s) || s.toLowerCase() === "stopping", options))) throw error;
    options.onAccepted?.();
    const after = await waitForState(client, ref, (s) => s.toLowerCase() !== "stopping", "the job to finish stopping", options);
    return checkStopped(ref, before, after);
  }
  options.onAccepted?.();
  await waitForOperation(client, initial, {
    what: `stopping ${what}`,
    apiVersion: JOBS_API_VERSION,
    deadline: options.deadline,
    onProgress: lroProgress("stopping", options),
    signal: options.signal,
  });
  const after = await getJobStatus(client, ref, options.signal);
  return checkStopped(ref, before, after);
}

function checkStopped(ref: JobRef, before: JobStatus, after: JobStatus, changed = true): LifecycleResult {
  if (!isStoppedState(after.state)) {
    throw new ArmError(`${describeJob(ref)} did not stop: it is ${after.state}`, "operation-failed");
  }
  return { changed, before, after };
}
