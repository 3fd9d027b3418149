// Puts a bearer token on every ARM request. Replaces core-rest-pipeline's bearer policy,
// which refuses plain http outright: we allow http on loopback only (a local fake ARM).
import type { TokenCredential } from "@azure/core-auth";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { ArmError } from "./errors";
import { isLoopbackUrl } from "./endpoint";

export const ARM_AUTH_POLICY_NAME = "streamkitArmAuthPolicy";

/** Refreshes the token this long before it expires. */
const REFRESH_MARGIN_MS = 2 * 60 * 1000;

/** `allowedOrigin`: the ARM endpoint; the token goes nowhere else (ARM's operation URLs share its host). */
export function armAuthPolicy(credential: TokenCredential, scope: string, allowedOrigin: string): PipelinePolicy {
  const origin = new URL(allowedOrigin).origin;
  let cached: { token: string; expiresOnTimestamp: number } | undefined;
  return {
    name: ARM_AUTH_POLICY_NAME,
    async sendRequest(request, next) {
      // SAS URLs (test-query results) carry their own authorization: never send them our token.
      if (request.headers.get("x-streamkit-no-auth") === "1") {
        request.headers.delete("x-streamkit-no-auth");
        return next(request);
      }
      const url = new URL(request.url);
      if (url.protocol !== "https:" && !isLoopbackUrl(url)) {
        throw new ArmError(`refusing to send an Azure token over plain http to ${url.host}`, "auth");
      }
      if (url.origin !== origin) {
        throw new ArmError(`refusing to send an Azure token to ${url.origin} (the ARM endpoint is ${origin})`, "auth");
      }
      if (!cached || cached.expiresOnTimestamp - REFRESH_MARGIN_MS <= Date.now()) {
        const token = await credential.getToken(scope, { abortSignal: request.abortSignal });
        if (!token) throw new ArmError("the Azure credential returned no token", "auth");
        cached = token;
      }
      request.headers.set("Authorization", `Bearer ${cached.token}`);
      return next(request);
    },
  };
}
