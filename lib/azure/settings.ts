// Timing knobs for ARM calls. Defaults suit real Azure; tests shrink them through the
// environment so that a retry or a poll costs milliseconds, not seconds.
import { StreamkitError } from "../core/errors";
import type { RetrySettings } from "./retry-policy";

export interface ArmTimings extends RetrySettings {
  /** Wait between polls of a long-running operation when Azure gives no Retry-After. */
  pollIntervalMs: number;
}

export const DEFAULT_TIMINGS: ArmTimings = {
  maxRetries: 4,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  requestTimeoutMs: 60_000,
  pollIntervalMs: 5000,
};

const ENV: Record<keyof ArmTimings, string> = {
  maxRetries: "STREAMKIT_ARM_MAX_RETRIES",
  baseDelayMs: "STREAMKIT_ARM_RETRY_BASE_MS",
  maxDelayMs: "STREAMKIT_ARM_RETRY_MAX_MS",
  requestTimeoutMs: "STREAMKIT_ARM_REQUEST_TIMEOUT_MS",
  pollIntervalMs: "STREAMKIT_ARM_POLL_MS",
};

/** Defaults, overridden by the environment, overridden by explicit values. */
export function resolveTimings(overrides: Partial<ArmTimings> = {}, env: NodeJS.ProcessEnv = process.env): ArmTimings {
  const timings: ArmTimings = { ...DEFAULT_TIMINGS };
  for (const key of Object.keys(ENV) as (keyof ArmTimings)[]) {
    const raw = env[ENV[key]];
    if (raw !== undefined && raw !== "") {
      const value = Number(raw);
      if (!Number.isInteger(value) || value < 0) {
        throw new StreamkitError(`${ENV[key]} must be a whole number ≥ 0, not '${raw}'`, undefined, "ARM_SETTINGS");
      }
      timings[key] = value;
    }
    if (overrides[key] !== undefined) timings[key] = overrides[key]!;
  }
  return timings;
}
