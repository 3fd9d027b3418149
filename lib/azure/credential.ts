// Who we are to ARM. DefaultAzureCredential in real use (az login, environment variables,
// workload or managed identity); a static token only for tests, and only on a loopback
// endpoint, so a token in the environment can never be sent to a real cloud by mistake.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential } from "@azure/identity";
import { ArmError } from "./errors";
import { isLoopbackUrl } from "./endpoint";

export const TEST_TOKEN_ENV = "STREAMKIT_ARM_TEST_TOKEN";

/** A fixed bearer token (tests against a local fake ARM). */
export class StaticTokenCredential implements TokenCredential {
  constructor(private readonly token: string) {}
  async getToken(): Promise<AccessToken> {
    return { token: this.token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
  }
}

/** Wraps a credential so that "no credential found" becomes one clear line. */
class ExplainedCredential implements TokenCredential {
  constructor(private readonly inner: TokenCredential) {}
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    try {
      const token = await this.inner.getToken(scopes, options);
      if (!token) throw new Error("the credential returned no token");
      return token;
    } catch (error) {
      const name = (error as Error)?.name ?? "";
      if (name === "CredentialUnavailableError" || name === "AggregateAuthenticationError") {
        throw new ArmError(
          "no Azure credential found: sign in with 'az login', or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or run where a managed identity is available",
          "auth",
        );
      }
      const first = String((error as Error)?.message ?? error).split("\n")[0];
      throw new ArmError(`could not get an Azure token: ${first}`, "auth");
    }
  }
}

/** The credential for an endpoint: the test token when allowed, DefaultAzureCredential otherwise. */
export function resolveCredential(endpoint: string, env: NodeJS.ProcessEnv = process.env): TokenCredential {
  const testToken = env[TEST_TOKEN_ENV];
  if (testToken !== undefined && testToken !== "") {
    if (!isLoopbackUrl(endpoint)) {
      throw new ArmError(
        `${TEST_TOKEN_ENV} is honoured only with a loopback ARM endpoint (tests); unset it to use your Azure sign-in for ${endpoint}`,
        "auth",
      );
    }
    return new StaticTokenCredential(testToken);
  }
  return new ExplainedCredential(new DefaultAzureCredential());
}

/** The OAuth scope for an ARM endpoint, e.g. https://management.azure.com/.default. */
export function armScope(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, "")}/.default`;
}
