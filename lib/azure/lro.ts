// Waits for an ARM long-running operation, as the ARM async-operation protocol defines it:
// 200/204 at once → done; 201/202 with Azure-AsyncOperation → poll it until its `status` is
// Succeeded, Failed or Canceled; with only Location → poll it until it stops answering 202.
// Retry-After sets the pace when given; a deadline bounds the whole wait.
import type { ArmClient, ArmResponse } from "./arm-client";
import { ArmError, armErrorBody } from "./errors";

export interface LroProgress {
  /** Seconds since the operation began. */
  elapsedSeconds: number;
  /** The operation's own status when Azure reports one (InProgress, …). */
  status: string;
  polls: number;
}

export interface LroOptions {
  what: string;
  apiVersion: string;
  /** Absolute time (ms since epoch) after which we stop waiting. */
  deadline: number;
  onProgress?: (progress: LroProgress) => void;
  /** For operations whose result is read from Location once the operation succeeds. */
  finalStateVia?: "location" | "azure-async-operation";
  signal?: AbortSignal;
}

const TERMINAL = new Set(["succeeded", "failed", "canceled", "cancelled"]);

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

function pollDelayMs(response: ArmResponse, fallbackMs: number): number {
  const header = response.headers.get("retry-after");
  if (header && /^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  return fallbackMs;
}

/** Waits until the operation started by `initial` ends; resolves to the final response body. */
export async function waitForOperation(client: ArmClient, initial: ArmResponse, options: LroOptions): Promise<unknown> {
  if (initial.status !== 201 && initial.status !== 202) return initial.body;
  const asyncUrl = initial.headers.get("azure-asyncoperation");
  const locationUrl = initial.headers.get("location");
  if (!asyncUrl && !locationUrl) return initial.body;
  const started = Date.now();
  let last = initial;
  let polls = 0;
  const report = (status: string) =>
    options.onProgress?.({ elapsedSeconds: Math.round((Date.now() - started) / 1000), status, polls });

  // Waits before the next poll; at the deadline, one last poll has already been made.
  const waitOrTimeOut = async (status: string) => {
    const remaining = options.deadline - Date.now();
    if (remaining <= 0) {
      throw new ArmError(
        `${options.what} did not finish within the timeout (last status: ${status}, after ${Math.round((Date.now() - started) / 1000)} s); it may still finish in Azure`,
        "timeout",
      );
    }
    await delay(Math.min(pollDelayMs(last, client.timings.pollIntervalMs), remaining), options.signal);
    if (options.signal?.aborted) throw new ArmError(`${options.what} was cancelled while waiting`, "timeout");
  };

  if (asyncUrl) {
    report("InProgress");
    for (;;) {
      await waitOrTimeOut(statusOf(last.body) ?? "InProgress");
      last = await client.send({ method: "GET", path: asyncUrl, what: `${options.what} (operation status)`, signal: options.signal });
      polls++;
      const status = statusOf(last.body) ?? "InProgress";
      report(status);
      if (!TERMINAL.has(status.toLowerCase())) continue;
      if (status.toLowerCase() !== "succeeded") {
        const { code, message } = armErrorBody(last.body);
        const detail = [code, message].filter(Boolean).join(": ").replace(/\s+/g, " ");
        throw new ArmError(`${options.what} ended ${status}${detail ? ` (${detail})` : ""}`, "operation-failed", undefined, code);
      }
      if (options.finalStateVia === "location" && locationUrl) {
        const final = await client.send({ method: "GET", path: locationUrl, what: options.what, signal: options.signal });
        return final.body;
      }
      return last.body;
    }
  }

  report("InProgress");
  for (;;) {
    await waitOrTimeOut("InProgress");
    last = await client.send({ method: "GET", path: locationUrl!, what: options.what, signal: options.signal });
    polls++;
    if (last.status !== 202) {
      report("Succeeded");
      return last.body;
    }
    report(statusOf(last.body) ?? "InProgress");
  }
}

function statusOf(body: unknown): string | undefined {
  if (body && typeof body === "object" && typeof (body as { status?: unknown }).status === "string") {
    return (body as { status: string }).status;
  }
  return undefined;
}
