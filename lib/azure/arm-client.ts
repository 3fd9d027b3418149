// One way to talk to ARM: an endpoint, a credential and a pipeline (our retry and auth
// policies). Raw REST calls (start/stop, and the 2021-10-01-preview compile/test operations
// the 4.1.0 SDK lacks) and the typed SDK client share the same policies.
import type { TokenCredential } from "@azure/core-auth";
import {
  bearerTokenAuthenticationPolicyName,
  createDefaultHttpClient,
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  isRestError,
  redirectPolicyName,
  type HttpClient,
  type HttpHeaders,
  type Pipeline,
  type PipelinePolicy,
} from "@azure/core-rest-pipeline";
import { StreamAnalyticsManagementClient } from "@azure/arm-streamanalytics";
import { armAuthPolicy } from "./auth-policy";
import { armScope, resolveCredential } from "./credential";
import { resolveArmEndpoint } from "./endpoint";
import { ArmError, armErrorFromResponse } from "./errors";
import { armRetryPolicy, type RetryNotice } from "./retry-policy";
import { resolveTimings, type ArmTimings } from "./settings";
import { streamkitVersion } from "../core/package-info";

const USER_AGENT = `streamkit/${streamkitVersion()}`;

export interface ArmClientOptions {
  /** ARM endpoint (default: STREAMKIT_ARM_ENDPOINT, then public Azure). */
  endpoint?: string;
  /** Default: the test token on loopback, otherwise DefaultAzureCredential. */
  credential?: TokenCredential;
  timings?: Partial<ArmTimings>;
  /** Told about each retry (the CLI prints it on stderr). */
  onRetry?: (notice: RetryNotice) => void;
  env?: NodeJS.ProcessEnv;
}

export interface ArmResponse {
  status: number;
  headers: HttpHeaders;
  /** Parsed JSON when the body is JSON, the text otherwise, undefined when empty. */
  body: unknown;
  text: string;
}

export interface ArmRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** A path below the endpoint (`/subscriptions/...`) or an absolute URL (an operation to poll). */
  path: string;
  apiVersion?: string;
  body?: unknown;
  /** What this call is about, for error messages ("streaming job 'x' in resource group 'rg'"). */
  what: string;
  signal?: AbortSignal;
  /** A pre-signed (SAS) URL: send no bearer token. */
  noAuth?: boolean;
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class ArmClient {
  readonly endpoint: string;
  readonly timings: ArmTimings;
  readonly credential: TokenCredential;
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;
  private readonly policies: { auth: PipelinePolicy; retry: PipelinePolicy };

  constructor(options: ArmClientOptions = {}) {
    const env = options.env ?? process.env;
    this.endpoint = resolveArmEndpoint(options.endpoint, env);
    this.timings = resolveTimings(options.timings, env);
    this.credential = options.credential ?? resolveCredential(this.endpoint, env);
    this.policies = {
      auth: armAuthPolicy(this.credential, armScope(this.endpoint), this.endpoint),
      retry: armRetryPolicy(this.timings, options.onRetry),
    };
    this.pipeline = createEmptyPipeline();
    this.pipeline.addPolicy(this.policies.retry, { phase: "Retry" });
    this.pipeline.addPolicy(this.policies.auth, { phase: "Sign" });
    this.httpClient = createDefaultHttpClient();
  }

  /** Sends one request (retried by policy); throws an ArmError for any 3xx/4xx/5xx answer. */
  async send(request: ArmRequest): Promise<ArmResponse> {
    const url = new URL(/^https?:\/\//.test(request.path) ? request.path : `${this.endpoint}${request.path}`);
    if (request.apiVersion && !url.searchParams.has("api-version")) url.searchParams.set("api-version", request.apiVersion);
    const headers = createHttpHeaders({ Accept: "application/json", "User-Agent": USER_AGENT });
    if (request.body !== undefined) headers.set("Content-Type", "application/json; charset=utf-8");
    if (request.noAuth) headers.set("x-streamkit-no-auth", "1");
    const pipelineRequest = createPipelineRequest({
      url: url.toString(),
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      abortSignal: request.signal,
      allowInsecureConnection: url.protocol === "http:",
    });
    let response;
    try {
      response = await this.pipeline.sendRequest(this.httpClient, pipelineRequest);
    } catch (error) {
      throw toArmError(error, request.what);
    }
    const text = response.bodyAsText ?? "";
    const body = parseBody(text);
    // A 3xx is no success: nothing was done, and following it could send the token elsewhere.
    if (response.status >= 300) {
      if (request.noAuth && (response.status === 401 || response.status === 403)) {
        // A pre-signed URL: signing in again would not help.
        throw new ArmError(`${request.what} was refused (HTTP ${response.status}): the pre-signed URL may have expired`, "auth", response.status);
      }
      throw armErrorFromResponse(response.status, body, request.what);
    }
    return { status: response.status, headers: response.headers, body, text };
  }

  private readonly sdkClients = new Map<string, StreamAnalyticsManagementClient>();

  /** The typed 2020-03-01 SDK client, wired to this endpoint and these policies (one per subscription). */
  sdk(subscriptionId: string): StreamAnalyticsManagementClient {
    const cached = this.sdkClients.get(subscriptionId);
    if (cached) return cached;
    const client = new StreamAnalyticsManagementClient(this.credential, subscriptionId, {
      endpoint: this.endpoint,
      $host: this.endpoint,
      userAgentOptions: { userAgentPrefix: USER_AGENT },
      allowInsecureConnection: new URL(this.endpoint).protocol === "http:",
    });
    // Its bearer policy refuses http (even on loopback) and its retry policy is not ours.
    client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
    client.pipeline.removePolicy({ name: "defaultRetryPolicy" });
    // Nor does it follow a redirect: a 3xx becomes an error like any other unexpected answer.
    client.pipeline.removePolicy({ name: redirectPolicyName });
    client.pipeline.addPolicy(this.policies.retry, { phase: "Retry" });
    client.pipeline.addPolicy(this.policies.auth, { phase: "Sign" });
    this.sdkClients.set(subscriptionId, client);
    return client;
  }
}

/** Any failure of an SDK or pipeline call, as an ArmError. */
export function toArmError(error: unknown, what: string): ArmError {
  if (error instanceof ArmError) return error;
  if (isRestError(error) && error.statusCode !== undefined) {
    const text = error.response?.bodyAsText ?? "";
    return armErrorFromResponse(error.statusCode, parseBody(text) ?? { error: { code: error.code, message: error.message } }, what);
  }
  const message = String((error as Error)?.message ?? error).split("\n")[0];
  return new ArmError(`${what}: ${message}`, "network");
}
