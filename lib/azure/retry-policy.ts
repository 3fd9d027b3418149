// Retries what ARM asks us to retry: 429 and 5xx (honouring Retry-After), requests that
// time out and connections that fail. Every attempt has its own timeout. Replaces the SDK's
// default retry policy so that the backoff is ours, bounded, and visible on stderr.
import type { AbortSignalLike } from "@azure/abort-controller";
import type { PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";
import { ArmError } from "./errors";

export const ARM_RETRY_POLICY_NAME = "streamkitArmRetryPolicy";

export interface RetrySettings {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff; doubles per retry (with jitter) when the server gives no Retry-After. */
  baseDelayMs: number;
  /** Ceiling for any single wait, Retry-After included. */
  maxDelayMs: number;
  /** Timeout of one HTTP attempt. */
  requestTimeoutMs: number;
}

export interface RetryNotice {
  attempt: number;
  maxRetries: number;
  delayMs: number;
  reason: string;
  method: string;
  url: string;
}

/** 501 (not implemented) and 505 (version not supported) will not get better by waiting. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Retry-After in milliseconds: `retry-after-ms`, `x-ms-retry-after-ms`, or `Retry-After` (seconds or an HTTP date). */
export function retryAfterMs(response: Pick<PipelineResponse, "headers">, now = Date.now()): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = response.headers.get(name);
    if (value !== undefined && value.trim() !== "" && Number.isFinite(Number(value))) return Math.max(0, Number(value));
  }
  const header = response.headers.get("retry-after");
  if (header === undefined || header.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with ±20 % jitter, so parallel clients do not retry in step. */
export function backoffMs(retry: number, settings: RetrySettings, random = Math.random): number {
  const exponential = settings.baseDelayMs * 2 ** (retry - 1);
  const jittered = exponential * (0.8 + 0.4 * random());
  return Math.min(settings.maxDelayMs, Math.round(jittered));
}

function sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ArmError("the operation was cancelled", "timeout"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ArmError("the operation was cancelled", "timeout"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

function networkCode(error: unknown): string | undefined {
  const e = error as { code?: string; cause?: { code?: string } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return code && NETWORK_CODES.has(code) ? code : undefined;
}

export function armRetryPolicy(settings: RetrySettings, onRetry?: (notice: RetryNotice) => void): PipelinePolicy {
  return {
    name: ARM_RETRY_POLICY_NAME,
    async sendRequest(request, next) {
      const where = `${request.method} ${new URL(request.url).pathname}`;
      // Only requests that change nothing are safe to repeat after an unknown outcome.
      const safeToRepeat = request.method === "GET" || request.method === "HEAD";
      for (let attempt = 0; ; attempt++) {
        const callerSignal = request.abortSignal;
        request.timeout = settings.requestTimeoutMs;
        let response: PipelineResponse | undefined;
        let reason: string;
        let serverDelay: number | undefined;
        try {
          response = await next(request);
          if (!isRetryableStatus(response.status)) return response;
          reason = `HTTP ${response.status}`;
          serverDelay = retryAfterMs(response);
        } catch (error) {
          if (error instanceof ArmError) throw error;
          const isAbort = (error as Error)?.name === "AbortError";
          if (isAbort && callerSignal?.aborted) throw new ArmError("the operation was cancelled", "timeout");
          const code = networkCode(error);
          if (isAbort) {
            if (!safeToRepeat || attempt >= settings.maxRetries) {
              throw new ArmError(`no answer from Azure within ${settings.requestTimeoutMs} ms (${where})`, "timeout");
            }
            reason = `no answer within ${settings.requestTimeoutMs} ms`;
          } else if (code) {
            // A refused connection never reached the server, so even a POST may be repeated.
            if ((!safeToRepeat && code !== "ECONNREFUSED") || attempt >= settings.maxRetries) {
              throw new ArmError(`cannot reach Azure at ${new URL(request.url).host} (${code}) for ${where}`, "network");
            }
            reason = code;
          } else {
            throw error;
          }
        }
        if (attempt >= settings.maxRetries) return response!;
        const delayMs = Math.min(settings.maxDelayMs, serverDelay ?? backoffMs(attempt + 1, settings));
        onRetry?.({ attempt: attempt + 1, maxRetries: settings.maxRetries, delayMs, reason, method: request.method, url: request.url });
        await sleep(delayMs, callerSignal);
      }
    },
  };
}
