// ARM failures as one-line, actionable errors. Azure answers with `{ error: { code, message } }`
// (the ARM common error body); we keep its code and message and say what to do next.
import { StreamkitError } from "../core/errors";

export type ArmErrorKind =
  | "auth" // 401/403, or no credential at all
  | "not-found" // 404
  | "conflict" // 409: the resource is busy or in the wrong state
  | "bad-request" // other 4xx: the request itself is wrong
  | "throttled" // 429 after every retry
  | "server" // 5xx after every retry
  | "timeout" // a request or a long-running operation took too long
  | "network" // no answer at all
  | "redirect" // a 3xx: ARM never redirects its API calls, so the endpoint or a proxy is wrong
  | "operation-failed"; // a long-running operation ended Failed or Canceled

export class ArmError extends StreamkitError {
  constructor(
    message: string,
    readonly kind: ArmErrorKind,
    readonly status?: number,
    readonly armCode?: string,
  ) {
    super(message, undefined, `ARM_${kind.toUpperCase().replace(/-/g, "_")}`);
    this.name = "ArmError";
  }
}

/** The `{ error: { code, message } }` body ARM returns on failure (or the flattened form some RPs use). */
export function armErrorBody(body: unknown): { code?: string; message?: string } {
  if (!body || typeof body !== "object") return {};
  const record = body as Record<string, unknown>;
  const inner = (record.error && typeof record.error === "object" ? record.error : record) as Record<string, unknown>;
  return {
    code: typeof inner.code === "string" ? inner.code : undefined,
    message: typeof inner.message === "string" ? inner.message : undefined,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Turns a failed ARM answer into an ArmError whose message fits on one line. */
export function armErrorFromResponse(status: number, body: unknown, what: string): ArmError {
  const { code, message } = armErrorBody(body);
  const detail = oneLine([code, message].filter(Boolean).join(": ")) || `HTTP ${status}`;
  if (status >= 300 && status < 400) {
    return new ArmError(
      `unexpected redirect from Azure on ${what} (HTTP ${status}, ${detail}); streamkit follows no redirect: check the ARM endpoint (--arm-endpoint, STREAMKIT_ARM_ENDPOINT) and any proxy`,
      "redirect",
      status,
      code,
    );
  }
  if (status === 401) {
    return new ArmError(
      `authentication failed for ${what} (HTTP 401, ${detail}); sign in again (az login) or refresh the credential`,
      "auth",
      status,
      code,
    );
  }
  if (status === 403) {
    return new ArmError(
      `access denied to ${what} (HTTP 403, ${detail}); the signed-in identity needs a role such as Contributor on it`,
      "auth",
      status,
      code,
    );
  }
  if (status === 404) return new ArmError(`not found: ${what} (HTTP 404, ${detail})`, "not-found", status, code);
  if (status === 409) return new ArmError(`conflict on ${what} (HTTP 409, ${detail})`, "conflict", status, code);
  if (status === 429) return new ArmError(`throttled by Azure on ${what} after every retry (HTTP 429, ${detail})`, "throttled", status, code);
  if (status >= 500) return new ArmError(`Azure failed on ${what} after every retry (HTTP ${status}, ${detail})`, "server", status, code);
  return new ArmError(`Azure rejected ${what} (HTTP ${status}, ${detail})`, "bad-request", status, code);
}
