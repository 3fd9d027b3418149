// A local stand-in for Azure Resource Manager, for the Stream Analytics operations streamkit
// uses: GET job (2020-03-01), POST start/stop (long-running: 202 + Azure-AsyncOperation +
// Location), POST compileQuery and testQuery (2021-10-01-preview, testQuery long-running with
// its result at Location), ARM error bodies `{ error: { code, message } }`, and injected
// faults (429 with Retry-After, 5xx, slow answers, expired tokens, failed jobs, not found).
//
// Runs as its own process (the CLI under test runs synchronously in the test process), on
// 127.0.0.1 and a random port; tests drive it through /_fake/* control routes.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeJob {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  jobState: string;
  provisioningState?: string;
  lastOutputEventTime?: string;
  outputStartMode?: string;
  outputStartTime?: string;
  /** Polls of the operation status before a start/stop completes. */
  startPolls?: number;
  stopPolls?: number;
  /** A stop that takes this long (wall-clock, from its request) whoever polls it. */
  stopTakesMs?: number;
  /** The start operation ends Failed with this error, and the job ends Failed. */
  failStart?: { code: string; message: string };
  /** Retry-After (seconds) put on the operation's 202 answers. */
  operationRetryAfter?: number;
  /** The next start is carried out but its answer is lost (HTTP 500): the client cannot know it began. */
  loseStartAnswer?: boolean;
  /** The start operation reports Succeeded, but the job ends in this state (Azure's answer and the job disagree). */
  startEndsIn?: string;
  /** The same for stop, and for a stop already under way when the job is set up Stopping. */
  stopEndsIn?: string;
}

export interface Fault {
  method?: string;
  /** Matches when the request path contains this text. */
  pathIncludes: string;
  status: number;
  /** How many requests it applies to. */
  times: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long before answering (a slow server). */
  delayMs?: number;
}

export interface TestQueryBehaviour {
  polls: number;
  result: { status: string; error?: { code: string; message: string } };
  /** What the SAS outputUri serves when status is Success. */
  outputPayload?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  apiVersion: string | null;
  authorization?: string;
  body?: unknown;
}

interface Operation {
  id: string;
  kind: "start" | "stop" | "test";
  job?: FakeJob;
  pollsLeft: number;
  /** Not done before this time (ms since epoch), however often polled. */
  doneAt?: number;
  retryAfter?: number;
  failure?: { code: string; message: string };
  test?: TestQueryBehaviour;
}

const JOBS_VERSIONS = new Set(["2020-03-01", "2021-10-01-preview"]);
const PREVIEW_VERSION = "2021-10-01-preview";
const VALID_TOKEN = "good-token";
const EXPIRED_TOKEN = "expired-token";

const state = {
  jobs: new Map<string, FakeJob>(),
  faults: [] as Fault[],
  log: [] as LoggedRequest[],
  operations: new Map<string, Operation>(),
  compileResult: undefined as unknown,
  testQuery: undefined as TestQueryBehaviour | undefined,
  blobs: new Map<string, string>(),
  nextId: 1,
};

let base = "";

function jobKey(sub: string, rg: string, name: string): string {
  return `${sub}/${rg}/${name}`.toLowerCase();
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { "Content-Type": "application/json; charset=utf-8" } : {}), "x-ms-request-id": `req-${state.nextId++}`, ...headers });
  res.end(text);
}

function armError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  send(res, status, { error: { code, message } }, headers);
}

function jobBody(job: FakeJob): unknown {
  const id = `/subscriptions/${job.subscriptionId}/resourceGroups/${job.resourceGroup}/providers/Microsoft.StreamAnalytics/streamingjobs/${job.name}`;
  return {
    id,
    name: job.name,
    type: "Microsoft.StreamAnalytics/streamingjobs",
    location: job.location,
    properties: {
      sku: { name: "Standard" },
      jobId: "3e0e8d4f-0000-4000-8000-000000000001",
      provisioningState: job.provisioningState ?? "Succeeded",
      jobState: job.jobState,
      outputStartMode: job.outputStartMode,
      outputStartTime: job.outputStartTime,
      lastOutputEventTime: job.lastOutputEventTime,
      eventsOutOfOrderPolicy: "Adjust",
      outputErrorPolicy: "Stop",
      compatibilityLevel: "1.2",
      createdDate: "2026-01-01T00:00:00Z",
      transformation: { id: `${id}/transformations/Transformation`, name: "Transformation", properties: { streamingUnits: 3, query: "SELECT * INTO [out] FROM [in]" } },
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = "";
  req.setEncoding("utf8");
  for await (const chunk of req) text += chunk as string;
  return text;
}

function startOperation(op: Omit<Operation, "id">): Operation {
  const id = `op-${state.nextId++}`;
  const operation = { ...op, id };
  state.operations.set(id, operation);
  return operation;
}

function operationHeaders(op: Operation, sub: string, location: string, resultPath: string): Record<string, string> {
  const headers: Record<string, string> = {
    "Azure-AsyncOperation": `${base}/subscriptions/${sub}/providers/Microsoft.StreamAnalytics/locations/${encodeURIComponent(location)}/operationsStatus/${op.id}?api-version=2020-03-01`,
    Location: `${base}${resultPath}/operationresults/${op.id}?api-version=2020-03-01`,
  };
  if (op.retryAfter !== undefined) headers["Retry-After"] = String(op.retryAfter);
  return headers;
}

/** One poll of an operation: advances it, and applies its effect on the job when it completes. */
function advance(op: Operation): "running" | "succeeded" | "failed" {
  if (op.doneAt !== undefined) {
    if (Date.now() < op.doneAt) return "running";
    op.doneAt = undefined; // done: its effect applies once, below
  }
  if (op.pollsLeft > 0) {
    op.pollsLeft--;
    if (op.pollsLeft > 0) return "running";
  }
  if (op.job && op.kind === "start") {
    if (op.failure) {
      op.job.jobState = "Failed";
      return "failed";
    }
    op.job.jobState = op.job.startEndsIn ?? "Running";
  }
  if (op.job && op.kind === "stop") {
    op.job.jobState = op.job.stopEndsIn ?? "Stopped";
    // A job that ran has written output up to now.
    op.job.lastOutputEventTime = new Date().toISOString();
  }
  return "succeeded";
}

function checkAuth(req: IncomingMessage, res: ServerResponse): boolean {
  const auth = req.headers.authorization;
  if (!auth || !auth.startsWith("Bearer ")) {
    armError(res, 401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", { "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"' });
    return false;
  }
  const token = auth.slice("Bearer ".length);
  if (token === EXPIRED_TOKEN) {
    armError(res, 401, "ExpiredAuthenticationToken", "The access token expiry UTC time '1/1/2026 1:00:00 AM' is earlier than current UTC time '1/1/2026 2:00:00 AM'.", {
      "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The access token has expired."',
    });
    return false;
  }
  if (token !== VALID_TOKEN) {
    armError(res, 401, "InvalidAuthenticationToken", "The access token is invalid.");
    return false;
  }
  return true;
}

function requireVersion(res: ServerResponse, version: string | null, allowed: Set<string>): boolean {
  if (version && allowed.has(version)) return true;
  armError(
    res,
    400,
    version ? "InvalidApiVersionParameter" : "MissingApiVersionParameter",
    version
      ? `The api-version '${version}' is invalid. The supported versions are '${[...allowed].join("', '")}'.`
      : "The api-version query parameter (?api-version=) is required for all requests.",
  );
  return false;
}

function validateCompileBody(body: unknown): string | undefined {
  const b = body as Record<string, unknown> | undefined;
  if (!b || typeof b.query !== "string") return "The 'query' property is required.";
  if (b.jobType !== "Cloud" && b.jobType !== "Edge") return "The 'jobType' property is required and must be Cloud or Edge.";
  for (const input of (b.inputs as unknown[]) ?? []) {
    const i = input as Record<string, unknown>;
    if (typeof i.name !== "string" || (i.type !== "Stream" && i.type !== "Reference")) return "Each input needs a name and a type (Stream or Reference).";
  }
  for (const fn of (b.functions as unknown[]) ?? []) {
    const f = fn as Record<string, unknown>;
    if (typeof f.name !== "string" || typeof f.type !== "string" || typeof f.bindingType !== "string" || !Array.isArray(f.inputs) || !f.output) {
      return "Each function needs name, type, bindingType, inputs and output.";
    }
  }
  return undefined;
}

function validateTestBody(body: unknown): string | undefined {
  const job = (body as { streamingJob?: { location?: string; properties?: Record<string, unknown> } } | undefined)?.streamingJob;
  if (!job?.properties) return "The 'streamingJob' property is required.";
  const props = job.properties;
  const query = (props.transformation as { properties?: { query?: unknown } } | undefined)?.properties?.query;
  if (typeof query !== "string") return "streamingJob.properties.transformation.properties.query is required.";
  for (const input of (props.inputs as { name?: string; properties?: { type?: string; datasource?: { type?: string; properties?: { payload?: unknown; payloadUri?: unknown } } } }[]) ?? []) {
    const ds = input.properties?.datasource;
    if (ds?.type !== "Raw") return `Input '${input.name}': only Raw datasources are supported in query testing.`;
    const payload = ds.properties?.payload;
    if ((payload === undefined) === (ds.properties?.payloadUri === undefined)) return `Input '${input.name}': either payload or payloadUri must be set, but not both.`;
    if (typeof payload === "string") {
      try {
        JSON.parse(payload);
      } catch {
        return `Input '${input.name}': payload is not JSON.`;
      }
    }
  }
  for (const output of (props.outputs as { name?: string; properties?: { datasource?: { type?: string } } }[]) ?? []) {
    if (output.properties?.datasource?.type !== "Raw") return `Output '${output.name}': only Raw datasources are supported in query testing.`;
  }
  return undefined;
}

async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  // The test process may sit blocked in a CLI run for longer than keep-alive lasts: never reuse.
  res.setHeader("Connection", "close");
  const body = req.method === "POST" ? JSON.parse((await readBody(req)) || "null") : undefined;
  switch (`${req.method} ${path}`) {
    case "POST /_fake/jobs": {
      const job = body as FakeJob;
      state.jobs.set(jobKey(job.subscriptionId, job.resourceGroup, job.name), job);
      // A job set up Stopping is in the middle of someone else's stop.
      if (job.jobState === "Stopping") startOperation({ kind: "stop", job, pollsLeft: job.stopPolls ?? 1 });
      return send(res, 204);
    }
    case "GET /_fake/jobs":
      return send(res, 200, [...state.jobs.values()]);
    case "POST /_fake/faults":
      state.faults.push(...(Array.isArray(body) ? body : [body]));
      return send(res, 204);
    case "POST /_fake/compile-result":
      state.compileResult = body;
      return send(res, 204);
    case "POST /_fake/test-query":
      state.testQuery = body as TestQueryBehaviour;
      return send(res, 204);
    case "GET /_fake/requests":
      return send(res, 200, state.log);
    case "POST /_fake/reset":
      state.jobs.clear();
      state.faults = [];
      state.log = [];
      state.operations.clear();
      state.compileResult = undefined;
      state.testQuery = undefined;
      state.blobs.clear();
      return send(res, 204);
    default:
      return send(res, 404, { error: { code: "NoSuchControl", message: `${req.method} ${path}` } });
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", base);
  const path = url.pathname;
  if (path.startsWith("/_fake/")) return handleControl(req, res, path);

  // SAS download of a test result: authorized by its signature, not by a bearer token.
  const blob = /^\/_blobs\/([^/]+)$/.exec(path);
  if (blob) {
    state.log.push({ method: req.method ?? "", path, apiVersion: null, authorization: req.headers.authorization });
    if (url.searchParams.get("sig") !== "fake-signature") return send(res, 403, "<Error><Code>AuthenticationFailed</Code></Error>");
    const payload = state.blobs.get(blob[1]!);
    return payload === undefined ? send(res, 404) : send(res, 200, payload);
  }

  const text = await readBody(req);
  const body = text ? JSON.parse(text) : undefined;
  const apiVersion = url.searchParams.get("api-version");
  state.log.push({ method: req.method ?? "", path, apiVersion, authorization: req.headers.authorization, body });

  const fault = state.faults.find((f) => f.times > 0 && path.includes(f.pathIncludes) && (!f.method || f.method === req.method));
  if (fault) {
    fault.times--;
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.status > 0) return send(res, fault.status, fault.body ?? { error: { code: fault.status === 429 ? "TooManyRequests" : "InternalServerError", message: `injected HTTP ${fault.status}` } }, fault.headers);
  }

  if (!checkAuth(req, res)) return;

  const opStatus = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.StreamAnalytics\/locations\/([^/]+)\/operationsStatus\/([^/]+)$/i.exec(path);
  if (opStatus && req.method === "GET") {
    const op = state.operations.get(opStatus[3]!);
    if (!op) return armError(res, 404, "OperationNotFound", `Operation ${opStatus[3]} was not found.`);
    const outcome = advance(op);
    const headers: Record<string, string> = op.retryAfter !== undefined && outcome === "running" ? { "Retry-After": String(op.retryAfter) } : {};
    if (outcome === "running") return send(res, 200, { id: op.id, name: op.id, status: "InProgress" }, headers);
    if (outcome === "failed") return send(res, 200, { id: op.id, name: op.id, status: "Failed", error: op.failure });
    return send(res, 200, { id: op.id, name: op.id, status: "Succeeded" });
  }

  const opResult = /\/operationresults\/([^/]+)$/i.exec(path);
  if (opResult && req.method === "GET") {
    const op = state.operations.get(opResult[1]!);
    if (!op) return armError(res, 404, "OperationNotFound", `Operation ${opResult[1]} was not found.`);
    if (op.kind === "test") {
      if (advance(op) === "running") return send(res, 202, undefined, { Location: `${base}${path}${url.search}` });
      const behaviour = op.test!;
      const result: Record<string, unknown> = { status: behaviour.result.status };
      if (behaviour.result.error) result.error = behaviour.result.error;
      if (behaviour.result.status === "Success") {
        state.blobs.set(op.id, behaviour.outputPayload ?? "");
        result.outputUri = `${base}/_blobs/${op.id}?sv=2021-08-06&sr=b&sig=fake-signature`;
      }
      return send(res, 200, result);
    }
    const outcome = op.pollsLeft > 0 ? advance(op) : op.failure ? "failed" : "succeeded";
    if (outcome === "running") return send(res, 202, undefined, { Location: `${base}${path}${url.search}` });
    if (outcome === "failed") return armError(res, 400, op.failure!.code, op.failure!.message);
    return send(res, 200);
  }

  const jobMatch = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.StreamAnalytics\/streamingjobs\/([^/]+)(\/start|\/stop)?$/i.exec(path);
  if (jobMatch) {
    if (!requireVersion(res, apiVersion, JOBS_VERSIONS)) return;
    const [, sub, rg, name, action] = jobMatch as unknown as [string, string, string, string, string | undefined];
    const job = state.jobs.get(jobKey(sub, rg, name));
    if (!job) {
      return armError(res, 404, "ResourceNotFound", `The Resource 'Microsoft.StreamAnalytics/streamingjobs/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
    }
    if (!action && req.method === "GET") {
      // Time passes for the job's pending operations even when nobody polls them.
      for (const op of state.operations.values()) if (op.job === job && (op.pollsLeft > 0 || op.doneAt !== undefined)) advance(op);
      return send(res, 200, jobBody(job));
    }
    if (action === "/start" && req.method === "POST") {
      if (["Running", "Starting", "Degraded", "Restarting", "Scaling"].includes(job.jobState)) {
        return armError(res, 409, "Conflict", `The streaming job '${name}' is ${job.jobState}; it cannot be started.`);
      }
      const mode = (body as { outputStartMode?: string } | undefined)?.outputStartMode ?? "JobStartTime";
      const time = (body as { outputStartTime?: string } | undefined)?.outputStartTime;
      if (!["JobStartTime", "CustomTime", "LastOutputEventTime"].includes(mode)) return armError(res, 400, "BadRequest", `Invalid outputStartMode '${mode}'.`);
      if (mode === "CustomTime" && !time) return armError(res, 400, "BadRequest", "outputStartTime must have a value if outputStartMode is set to CustomTime.");
      if (mode === "LastOutputEventTime" && !job.lastOutputEventTime) return armError(res, 400, "BadRequest", "The job has no last output event time; it cannot start from LastOutputEventTime.");
      job.jobState = "Starting";
      job.outputStartMode = mode;
      job.outputStartTime = mode === "CustomTime" ? time : mode === "LastOutputEventTime" ? job.lastOutputEventTime : new Date().toISOString();
      const op = startOperation({ kind: "start", job, pollsLeft: job.startPolls ?? 1, failure: job.failStart, retryAfter: job.operationRetryAfter });
      if (job.loseStartAnswer) {
        job.loseStartAnswer = false;
        return armError(res, 500, "InternalServerError", "The request timed out in the gateway.");
      }
      return send(res, 202, undefined, operationHeaders(op, sub, job.location, path.replace(/\/start$/i, "")));
    }
    if (action === "/stop" && req.method === "POST") {
      if (["Stopped", "Created", "Failed"].includes(job.jobState)) return send(res, 200);
      job.jobState = "Stopping";
      const op = startOperation({ kind: "stop", job, pollsLeft: job.stopPolls ?? 1, retryAfter: job.operationRetryAfter });
      if (job.stopTakesMs !== undefined) op.doneAt = Date.now() + job.stopTakesMs;
      return send(res, 202, undefined, operationHeaders(op, sub, job.location, path.replace(/\/stop$/i, "")));
    }
    return armError(res, 405, "MethodNotAllowed", `${req.method} is not allowed on ${path}`);
  }

  const locationOp = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.StreamAnalytics\/locations\/([^/]+)\/(compileQuery|testQuery)$/i.exec(path);
  if (locationOp && req.method === "POST") {
    if (!requireVersion(res, apiVersion, new Set([PREVIEW_VERSION]))) return;
    const [, sub, location, operation] = locationOp as unknown as [string, string, string, string];
    if (operation === "compileQuery") {
      const problem = validateCompileBody(body);
      if (problem) return armError(res, 400, "BadRequest", problem);
      return send(res, 200, state.compileResult ?? { errors: [], warnings: [], inputs: [], outputs: [], functions: [] });
    }
    const problem = validateTestBody(body);
    if (problem) return armError(res, 400, "BadRequest", problem);
    const behaviour = state.testQuery ?? { polls: 1, result: { status: "Success" }, outputPayload: "" };
    const op = startOperation({ kind: "test", pollsLeft: behaviour.polls, test: behaviour });
    return send(res, 202, undefined, { Location: `${base}/subscriptions/${sub}/providers/Microsoft.StreamAnalytics/locations/${location}/operationresults/${op.id}?api-version=${PREVIEW_VERSION}` });
  }

  return armError(res, 404, "NotFound", `No route for ${req.method} ${path}`);
}

if (require.main === module) {
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) send(res, 500, { error: { code: "FakeArmBug", message: String((error as Error)?.stack ?? error) } });
    });
  });
  server.listen(0, "127.0.0.1", () => {
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.stdout.write(`listening ${base}\n`);
  });
  // Ends with the test process that started it.
  process.stdin.on("end", () => server.close(() => process.exit(0)));
  process.stdin.resume();
}
