// Which ARM endpoint to talk to. Public Azure by default; `--arm-endpoint` or
// STREAMKIT_ARM_ENDPOINT point elsewhere (a sovereign cloud, or a local fake in tests).
import { StreamkitError } from "../core/errors";

export const PUBLIC_ARM_ENDPOINT = "https://management.azure.com";
export const ARM_ENDPOINT_ENV = "STREAMKIT_ARM_ENDPOINT";

/** The endpoint without a trailing slash, validated. */
export function resolveArmEndpoint(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  const raw = option || env[ARM_ENDPOINT_ENV] || PUBLIC_ARM_ENDPOINT;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new StreamkitError(`the ARM endpoint '${raw}' is not a URL`, undefined, "ARM_ENDPOINT");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackUrl(url))) {
    throw new StreamkitError(
      `the ARM endpoint '${raw}' must use https (plain http is allowed only on a loopback address, for tests)`,
      undefined,
      "ARM_ENDPOINT",
    );
  }
  return url.toString().replace(/\/+$/, "");
}

/** 127.0.0.0/8, ::1 and localhost: addresses that never leave this machine. */
export function isLoopbackUrl(url: string | URL): boolean {
  const host = (typeof url === "string" ? new URL(url) : url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}
