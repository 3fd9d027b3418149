// The ARM client's pieces in-process: retry policy, timeouts, token handling, the LRO poller,
// job references, compile-result mapping and sample reading.
import { spawnSync } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHttpHeaders } from "@azure/core-rest-pipeline";
import {
  ArmClient,
  ArmError,
  armErrorFromResponse,
  compileQueryBody,
  isLoopbackUrl,
  jobRefsFromOutputs,
  parseJobId,
  readJsonEvents,
  resolveArmEndpoint,
  resolveCredential,
  resolveTimings,
  StaticTokenCredential,
  statusLine,
  toDiagnostics,
  waitForOperation,
} from "../../lib/azure";
import { backoffMs, isRetryableStatus, retryAfterMs, type RetryNotice } from "../../lib/azure/retry-policy";
import { defineJob } from "../../lib/job";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; server: Server; hits: { method: string; url: string; auth?: string }[] }> {
  const hits: { method: string; url: string; auth?: string }[] = [];
  const server = createServer((req, res) => {
    hits.push({ method: req.method ?? "", url: req.url ?? "", auth: req.headers.authorization });
    handler(req, res);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits };
}

const close = (server: Server) => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); });

function client(endpoint: string, extra: { onRetry?: (n: RetryNotice) => void; requestTimeoutMs?: number; maxRetries?: number } = {}) {
  return new ArmClient({
    endpoint,
    credential: new StaticTokenCredential("t0ken"),
    timings: { baseDelayMs: 5, pollIntervalMs: 5, maxRetries: extra.maxRetries ?? 2, requestTimeoutMs: extra.requestTimeoutMs ?? 5000 },
    onRetry: extra.onRetry,
    env: {},
  });
}

describe("retry policy", () => {
  it("reads Retry-After as seconds, an HTTP date, or milliseconds", () => {
    const headers = (h: Record<string, string>) => ({ headers: createHttpHeaders(h) });
    expect(retryAfterMs(headers({ "Retry-After": "3" }))).toBe(3000);
    expect(retryAfterMs(headers({ "Retry-After": new Date(10_000 + 4000).toUTCString() }), 10_000)).toBeGreaterThan(2000);
    expect(retryAfterMs(headers({ "retry-after-ms": "250" }))).toBe(250);
    expect(retryAfterMs(headers({ "x-ms-retry-after-ms": "40", "Retry-After": "9" }))).toBe(40);
    expect(retryAfterMs(headers({ "Retry-After": "soon" }))).toBeUndefined();
    expect(retryAfterMs(headers({}))).toBeUndefined();
  });

  it("retries 429 and 5xx but not 4xx, 501 or 505", () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 501, 505].some(isRetryableStatus)).toBe(false);
  });

  it("backs off exponentially with jitter, never past the ceiling", () => {
    const settings = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 500, requestTimeoutMs: 1000 };
    expect(backoffMs(1, settings, () => 0.5)).toBe(100);
    expect(backoffMs(2, settings, () => 0.5)).toBe(200);
    expect(backoffMs(3, settings, () => 0)).toBe(320);
    expect(backoffMs(6, settings, () => 1)).toBe(500);
  });

  it("waits what Retry-After asks, then succeeds; each retry is announced", async () => {
    let calls = 0;
    const { url, server } = await serve((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { "retry-after-ms": "120", "Content-Type": "application/json" });
        res.end('{"error":{"code":"TooManyRequests","message":"slow down"}}');
      } else {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end('{"ok":true}');
      }
    });
    const notices: RetryNotice[] = [];
    const began = Date.now();
    const response = await client(url, { onRetry: (n) => notices.push(n) }).send({ method: "GET", path: "/x", what: "x" });
    expect(response.body).toEqual({ ok: true });
    expect(Date.now() - began).toBeGreaterThanOrEqual(110);
    expect(notices).toEqual([expect.objectContaining({ attempt: 1, maxRetries: 2, delayMs: 120, reason: "HTTP 429", method: "GET" })]);
    await close(server);
  });

  it("repeats a GET that times out, but never a POST whose outcome is unknown", async () => {
    const { url, server, hits } = await serve(() => {
      /* never answers */
    });
    const slow = client(url, { requestTimeoutMs: 100, maxRetries: 2 });
    await expect(slow.send({ method: "POST", path: "/start", body: {}, what: "starting x" })).rejects.toMatchObject({ kind: "timeout" });
    expect(hits.filter((h) => h.method === "POST")).toHaveLength(1);
    await expect(slow.send({ method: "GET", path: "/job", what: "x" })).rejects.toThrow("no answer from Azure within 100 ms (GET /job)");
    expect(hits.filter((h) => h.method === "GET")).toHaveLength(3);
    await close(server);
  });

  it("reports an endpoint that refuses connections as a network error, after retrying", async () => {
    const { url, server } = await serve(() => undefined);
    await close(server);
    const error = await client(url, { maxRetries: 1 }).send({ method: "GET", path: "/x", what: "x" }).catch((e) => e);
    expect(error).toBeInstanceOf(ArmError);
    expect(error.kind).toBe("network");
    expect(error.message).toContain("cannot reach Azure at 127.0.0.1");
  });
});

describe("tokens", () => {
  it("sends the token to the endpoint only, and none with a SAS download", async () => {
    const { url, server, hits } = await serve((req, res) => {
      res.statusCode = req.url?.startsWith("/expired") ? 403 : 200;
      res.end();
    });
    const other = await serve((_req, res) => res.end());
    const arm = client(url);
    await arm.send({ method: "GET", path: "/a", what: "a" });
    await arm.send({ method: "GET", path: `${url}/b?sig=x`, what: "b", noAuth: true });
    await expect(arm.send({ method: "GET", path: `${other.url}/c`, what: "c" })).rejects.toThrow(/refusing to send an Azure token to http:\/\/127\.0\.0\.1:\d+/);
    await expect(arm.send({ method: "GET", path: `${url}/expired?sig=x`, what: "downloading y", noAuth: true })).rejects.toThrow(
      "downloading y was refused (HTTP 403): the pre-signed URL may have expired",
    );
    expect(hits.map((h) => h.auth)).toEqual(["Bearer t0ken", undefined, undefined]);
    expect(other.hits).toEqual([]);
    await close(server);
    await close(other.server);
  });

  it("words each ARM failure as one actionable line", () => {
    const body = (code: string, message: string) => ({ error: { code, message } });
    expect(armErrorFromResponse(401, body("InvalidAuthenticationToken", "bad"), "job x").message).toBe(
      "authentication failed for job x (HTTP 401, InvalidAuthenticationToken: bad); sign in again (az login) or refresh the credential",
    );
    expect(armErrorFromResponse(403, body("AuthorizationFailed", "The client does not have authorization\n to perform action."), "job x")).toMatchObject({
      kind: "auth",
      message: "access denied to job x (HTTP 403, AuthorizationFailed: The client does not have authorization to perform action.); the signed-in identity needs a role such as Contributor on it",
    });
    expect(armErrorFromResponse(404, body("ResourceGroupNotFound", "Resource group 'rg' could not be found."), "job x").kind).toBe("not-found");
    expect(armErrorFromResponse(409, undefined, "job x").message).toBe("conflict on job x (HTTP 409, HTTP 409)");
    expect(armErrorFromResponse(429, "<html>", "job x").kind).toBe("throttled");
    expect(armErrorFromResponse(502, { code: "BadGateway", message: "flat body" }, "job x").message).toBe("Azure failed on job x after every retry (HTTP 502, BadGateway: flat body)");
    expect(armErrorFromResponse(400, body("BadRequest", "nope"), "job x")).toMatchObject({ kind: "bad-request", armCode: "BadRequest" });
  });

  it("honours the test token only on loopback, and accepts http only there", () => {
    expect(() => resolveCredential("https://management.azure.com", { STREAMKIT_ARM_TEST_TOKEN: "x" })).toThrow("honoured only with a loopback ARM endpoint");
    expect(resolveCredential("http://127.0.0.1:9", { STREAMKIT_ARM_TEST_TOKEN: "x" })).toBeInstanceOf(StaticTokenCredential);
    expect(() => resolveArmEndpoint("http://example.com")).toThrow("must use https");
    expect(resolveArmEndpoint(undefined, { STREAMKIT_ARM_ENDPOINT: "https://management.usgovcloudapi.net/" })).toBe("https://management.usgovcloudapi.net");
    expect(resolveArmEndpoint(undefined, {})).toBe("https://management.azure.com");
    expect(resolveArmEndpoint(undefined, { STREAMKIT_ARM_ENDPOINT: "" })).toBe("https://management.azure.com");
    expect(["http://localhost:1", "http://127.0.0.2", "http://[::1]:3"].every((u) => isLoopbackUrl(u))).toBe(true);
    expect(isLoopbackUrl("http://127.example.com")).toBe(false);
  });

  it("rejects malformed timing settings", () => {
    expect(resolveTimings({}, { STREAMKIT_ARM_POLL_MS: "7" }).pollIntervalMs).toBe(7);
    expect(() => resolveTimings({}, { STREAMKIT_ARM_MAX_RETRIES: "-1" })).toThrow("STREAMKIT_ARM_MAX_RETRIES must be a whole number");
  });
});

describe("long-running operations", () => {
  it("polls Location until it stops answering 202, and returns the final body", async () => {
    let polls = 0;
    const { url, server } = await serve((_req, res) => {
      polls++;
      res.writeHead(polls < 3 ? 202 : 200, { "Content-Type": "application/json" });
      res.end(polls < 3 ? "" : '{"status":"Success","outputUri":"u"}');
    });
    const arm = client(url);
    const initial = { status: 202, headers: createHttpHeaders({ Location: `${url}/op/1` }), body: undefined, text: "" };
    const progress: string[] = [];
    const final = await waitForOperation(arm, initial, { what: "op", apiVersion: "v", deadline: Date.now() + 5000, onProgress: (p) => progress.push(p.status) });
    expect(final).toEqual({ status: "Success", outputUri: "u" });
    expect(polls).toBe(3);
    expect(progress.at(-1)).toBe("Succeeded");
    await close(server);
  });

  it("fails with the operation's error when Azure-AsyncOperation ends Failed", async () => {
    const { url, server } = await serve((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"status":"Failed","error":{"code":"JobFailed","message":"boom"}}');
    });
    const initial = { status: 202, headers: createHttpHeaders({ "Azure-AsyncOperation": `${url}/status/1` }), body: undefined, text: "" };
    await expect(waitForOperation(client(url), initial, { what: "starting x", apiVersion: "v", deadline: Date.now() + 5000 })).rejects.toMatchObject({
      kind: "operation-failed",
      armCode: "JobFailed",
      message: "starting x ended Failed (JobFailed: boom)",
    });
    await close(server);
  });

  it("polls one last time at the deadline even when Retry-After reaches past it", async () => {
    let polls = 0;
    const { url, server } = await serve((_req, res) => {
      polls++;
      res.writeHead(200, { "Content-Type": "application/json", "Retry-After": "60" });
      res.end('{"status":"InProgress"}');
    });
    const initial = { status: 202, headers: createHttpHeaders({ "Azure-AsyncOperation": `${url}/s`, "Retry-After": "60" }), body: undefined, text: "" };
    const began = Date.now();
    await expect(waitForOperation(client(url), initial, { what: "op", apiVersion: "v", deadline: Date.now() + 300 })).rejects.toThrow(
      "op did not finish within the timeout (last status: InProgress",
    );
    expect(polls).toBe(1);
    expect(Date.now() - began).toBeLessThan(3000);
    await close(server);
  });

  it("returns at once for an operation that completed synchronously", async () => {
    const arm = client("http://127.0.0.1:9");
    const initial = { status: 200, headers: createHttpHeaders({}), body: { done: true }, text: "" };
    await expect(waitForOperation(arm, initial, { what: "op", apiVersion: "v", deadline: Date.now() })).resolves.toEqual({ done: true });
  });
});

describe("job references", () => {
  const id = "/subscriptions/s-1/resourceGroups/rg-a/providers/Microsoft.StreamAnalytics/streamingjobs/job-a";

  it("parses a streaming job ID and nothing else", () => {
    expect(parseJobId(id)).toEqual({ subscriptionId: "s-1", resourceGroup: "rg-a", name: "job-a" });
    expect(parseJobId(id.toLowerCase())).toEqual({ subscriptionId: "s-1", resourceGroup: "rg-a", name: "job-a" });
    expect(parseJobId(`${id}/inputs/in`)).toBeUndefined();
    expect(parseJobId("/subscriptions/s/resourceGroups/r/providers/Microsoft.EventHub/namespaces/n")).toBeUndefined();
  });

  it("finds each job once in an outputs file, scoped to a stack when asked", () => {
    const dir = mkdtempSync(join(tmpdir(), "streamkit-refs-"));
    try {
      const file = join(dir, "o.json");
      const other = id.replace("job-a", "job-b");
      writeFileSync(file, JSON.stringify({ dev: { a: id, again: { value: id } }, prod: { b: other } }));
      expect(jobRefsFromOutputs(file).map((r) => r.name)).toEqual(["job-a", "job-b"]);
      expect(jobRefsFromOutputs(file, "prod").map((r) => r.name)).toEqual(["job-b"]);
      expect(() => jobRefsFromOutputs(file, "test")).toThrow("stack 'test' is not in the outputs file (it has: dev, prod)");
      writeFileSync(file, JSON.stringify({ job_id: { value: id, type: "string", sensitive: false } }));
      expect(jobRefsFromOutputs(file, "any-stack").map((r) => r.name)).toEqual(["job-a"]);
      writeFileSync(file, "{ nope");
      expect(() => jobRefsFromOutputs(file)).toThrow("outputs file is not valid JSON");
      expect(() => jobRefsFromOutputs(join(dir, "missing.json"))).toThrow("outputs file not found");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("compile results and samples", () => {
  it("maps Azure's compile errors and warnings onto Diagnostics", () => {
    expect(
      toDiagnostics({
        errors: [
          { message: " Bad column. ", startLine: 3, startColumn: 5, endLine: 3, endColumn: 9, isGlobal: false },
          { message: "Query failed to compile.", isGlobal: true },
          { message: "No position." },
        ],
        warnings: ["Unused input."],
      }),
    ).toEqual([
      { severity: "error", message: "Bad column.", startLine: 3, startColumn: 5, endLine: 3, endColumn: 9, isGlobal: false, code: "ASA_COMPILE" },
      { severity: "error", message: "Query failed to compile.", startLine: 0, startColumn: 0, endLine: 0, endColumn: 0, isGlobal: true, code: "ASA_COMPILE" },
      { severity: "error", message: "No position.", startLine: 0, startColumn: 0, endLine: 0, endColumn: 0, isGlobal: true, code: "ASA_COMPILE" },
      { severity: "warning", message: "Unused input.", startLine: 0, startColumn: 0, endLine: 0, endColumn: 0, isGlobal: true, code: "ASA_COMPILE_WARNING" },
    ]);
  });

  it("builds the compile request from a job: reference inputs, UDAs as aggregates", () => {
    const job = defineJob({
      name: "job1",
      query: { text: "SELECT 1" },
      compatibilityLevel: "1.1",
      inputs: [{ alias: "ref", type: "reference", kind: "sql" }],
      functions: [{ name: "agg", kind: "javascript-uda", file: "agg.js", inputs: [{ type: "bigint" }] }],
    });
    expect(compileQueryBody("SELECT 1", job)).toEqual({
      query: "SELECT 1",
      inputs: [{ name: "ref", type: "Reference" }],
      functions: [{ name: "agg", type: "Aggregate", bindingType: "Microsoft.StreamAnalytics/JavascriptUdf", inputs: [{ dataType: "bigint" }], output: { dataType: "any" } }],
      jobType: "Cloud",
      compatibilityLevel: "1.1",
    });
    expect(compileQueryBody("q", undefined, ["a"])).toMatchObject({ inputs: [{ name: "a", type: "Stream" }], compatibilityLevel: "1.2" });
  });

  it("reads JSON samples as an array or as lines, naming the line of a mistake", () => {
    const dir = mkdtempSync(join(tmpdir(), "streamkit-samples-"));
    try {
      writeFileSync(join(dir, "a.json"), '[\n {"a": 1},\n {"a": }\n]');
      expect(() => readJsonEvents(join(dir, "a.json"))).toThrow(expect.objectContaining({ location: expect.objectContaining({ line: 3 }) }));
      writeFileSync(join(dir, "c.json"), '[{"a": "x,]y\\"}"},\n {"b": [1, {"c": 2}]},\n\n {"d": tru}]');
      expect(() => readJsonEvents(join(dir, "c.json"))).toThrow(expect.objectContaining({ location: expect.objectContaining({ line: 4 }) }));
      writeFileSync(join(dir, "b.json"), '\uFEFF{"a":1}\n\n{"a":2}\n');
      expect(JSON.parse(readJsonEvents(join(dir, "b.json")))).toEqual([{ a: 1 }, { a: 2 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("status line", () => {
  it("rewrites one line on a terminal and prints nothing elsewhere", () => {
    const written: string[] = [];
    const tty = { isTTY: true, columns: 30, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const line = statusLine(tty);
    line.update("starting: InProgress (3 s) and a long tail of text");
    line.clear();
    expect(written[0]).toMatch(/^\r\x1b\[2Kstarting: InProgress \(3 s\) a…$/);
    expect(written[1]).toBe("\r\x1b[2K");
    const piped: string[] = [];
    const pipe = statusLine({ isTTY: false, write: (s: string) => piped.push(s) } as unknown as NodeJS.WriteStream);
    pipe.update("x");
    pipe.clear();
    expect(piped).toEqual([]);
  });
});

describe("startup cost", () => {
  it("the CLI loads the Azure SDK and identity only when an Azure command runs", () => {
    const probe = [
      'require("tsx/cjs");',
      'require("./lib/cli/program.ts").buildProgram();',
      'const loaded = Object.keys(require.cache);',
      'console.log(JSON.stringify(["@azure/identity", "@azure/arm-streamanalytics", "@azure/core-rest-pipeline"].filter((m) => loaded.some((k) => k.includes("/node_modules/" + m + "/")))));',
    ].join("\n");
    const result = spawnSync(process.execPath, ["-e", probe], { cwd: join(__dirname, "../.."), encoding: "utf8", timeout: 60_000 });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});
