// `streamkit job status|start|stop` driven as a process against the local fake ARM.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { runCli, STREAMKIT_BIN } from "../cli/cli-process";
import { runCliInProcess } from "../cli/cli-in-process";
import { EXPIRED_TOKEN, startFakeArm, SUBSCRIPTION, type FakeArm } from "./fake-arm/fake-arm";

const TARGET = ["--subscription", SUBSCRIPTION, "--resource-group", "rg-stream", "--name", "asa-telemetry"];
const JOB_PATH = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-stream/providers/Microsoft.StreamAnalytics/streamingjobs/asa-telemetry`;

let arm: FakeArm;
let dir: string;

beforeAll(async () => {
  arm = await startFakeArm();
  dir = mkdtempSync(join(tmpdir(), "streamkit-azure-"));
});
afterAll(async () => {
  await arm.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => arm.reset());

// In-process: these tests are about what the commands do against ARM, not about the process.
const job = (args: string[], env: NodeJS.ProcessEnv = {}) => runCliInProcess(["job", ...args], arm.env(env));

describe("job status", () => {
  it("prints the state, start mode and last output time of a job", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running", outputStartMode: "JobStartTime", outputStartTime: "2026-01-02T03:04:05Z", lastOutputEventTime: "2026-01-02T04:00:00Z" });
    const result = await job(["status", ...TARGET]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("streaming job 'asa-telemetry' in resource group 'rg-stream': Running");
    expect(result.stdout).toContain("output start mode: JobStartTime (2026-01-02T03:04:05.000Z)");
    expect(result.stdout).toContain("last output event time: 2026-01-02T04:00:00.000Z");
    const [get] = await arm.requests();
    expect(get).toMatchObject({ method: "GET", apiVersion: "2020-03-01", authorization: "Bearer good-token" });
    expect(get!.path.toLowerCase()).toBe(JOB_PATH.toLowerCase());
  });

  it("prints JSON with --format json", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopped" });
    const result = await job(["status", ...TARGET, "--format", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([expect.objectContaining({ state: "Stopped", ref: { subscriptionId: SUBSCRIPTION, resourceGroup: "rg-stream", name: "asa-telemetry" } })]);
  });

  it("exits 1 for a job in the Failed state", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Failed" });
    const result = await job(["status", ...TARGET]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(": Failed");
  });

  it("reports a job that does not exist in one line", async () => {
    const result = await job(["status", ...TARGET]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^streamkit: error: not found: streaming job 'asa-telemetry' in resource group 'rg-stream' \(HTTP 404, ResourceNotFound: /);
  });

  it("reports an expired token in one line", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running" });
    const result = await job(["status", ...TARGET], { STREAMKIT_ARM_TEST_TOKEN: EXPIRED_TOKEN });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("authentication failed for streaming job 'asa-telemetry'");
    expect(result.stderr).toContain("ExpiredAuthenticationToken");
    expect(result.stderr).toContain("az login");
  });

  it("reads the job from a cdktf outputs file, or from terraform output -json", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running" });
    const cdktfOutputs = join(dir, "cdktf-outputs.json");
    writeFileSync(cdktfOutputs, JSON.stringify({ "telemetry-dev": { job: { id: JOB_PATH, name: "asa-telemetry" }, hub: "/subscriptions/x/resourceGroups/y/providers/Microsoft.EventHub/namespaces/z" } }));
    const fromCdktf = await job(["status", "--from-outputs", cdktfOutputs, "--stack", "telemetry-dev"]);
    expect(fromCdktf).toMatchObject({ code: 0, stdout: expect.stringContaining("'asa-telemetry' in resource group 'rg-stream': Running") });
    const tfOutputs = join(dir, "tf-outputs.json");
    writeFileSync(tfOutputs, JSON.stringify({ job_id: { sensitive: false, type: "string", value: JOB_PATH } }));
    expect((await job(["status", "--from-outputs", tfOutputs])).code).toBe(0);
    const none = join(dir, "no-job.json");
    writeFileSync(none, JSON.stringify({ rg: { value: "rg-stream" } }));
    const missing = await job(["status", "--from-outputs", none]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no streaming job ID");
  });

  it("takes the endpoint from --arm-endpoint as well as from the environment", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running" });
    const result = runCli(["job", "status", ...TARGET, "--arm-endpoint", arm.url], { env: arm.env({ STREAMKIT_ARM_ENDPOINT: "" }) });
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining(": Running") });
    const plain = runCli(["job", "status", ...TARGET, "--arm-endpoint", "http://example.com"], { env: arm.env() });
    expect(plain).toMatchObject({ code: 2, stderr: expect.stringContaining("must use https (plain http is allowed only on a loopback address") });
  });

  it("asks for the job's coordinates when they are missing", async () => {
    const result = await job(["status", "--resource-group", "rg-stream"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--resource-group and --name");
  });
});

describe("job start and stop", () => {
  it("starts a stopped job with JobStartTime and waits on the long-running operation", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopped", startPolls: 3 });
    const result = await job(["start", ...TARGET]);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining("started (Stopped → Running), output from JobStartTime") });
    const requests = await arm.requests();
    const start = requests.find((r) => r.path.endsWith("/start"))!;
    expect(start).toMatchObject({ method: "POST", apiVersion: "2020-03-01", body: { outputStartMode: "JobStartTime" } });
    expect(requests.filter((r) => r.path.includes("/operationsStatus/"))).toHaveLength(3);
    // Not a TTY: no progress line on stderr.
    expect(result.stderr).toBe("");
  });

  // Needs util-linux `script` for a pseudo-terminal; skipped (and so reported) where it is missing.
  const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
  (hasScript ? it : it.skip)("shows progress on a terminal while it waits", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopped", startPolls: 4 });
    // `script` gives the CLI a pseudo-terminal, as a person at a shell would have.
    const command = [process.execPath, STREAMKIT_BIN, "job", "start", ...TARGET].map((a) => `'${a}'`).join(" ");
    const result = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", env: { ...process.env, ...arm.env({ STREAMKIT_ARM_POLL_MS: "50" }) }, timeout: 60_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\r\x1b\[2Kasa-telemetry: starting: InProgress \(\d+ s\)/);
    expect(result.stdout).toContain("started (Stopped → Running)");
  });

  it("is idempotent: starting a running job and stopping a stopped one change nothing", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running" });
    expect(await job(["start", ...TARGET])).toMatchObject({ code: 0, stdout: expect.stringContaining("already Running; nothing to do") });
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopped" });
    expect(await job(["stop", ...TARGET])).toMatchObject({ code: 0, stdout: expect.stringContaining("already Stopped; nothing to do") });
    const posts = (await arm.requests()).filter((r) => r.method === "POST");
    expect(posts).toEqual([]);
  });

  it("stops a running job, then starts it again from its last output event time", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running", stopPolls: 2 });
    expect(await job(["stop", ...TARGET])).toMatchObject({ code: 0, stdout: expect.stringContaining("stopped (Running → Stopped)") });
    const [stopped] = await arm.jobs();
    expect(stopped!.lastOutputEventTime).toBeDefined();
    const start = await job(["start", ...TARGET, "--mode", "LastOutputEventTime"]);
    expect(start).toMatchObject({ code: 0, stdout: expect.stringContaining("output from LastOutputEventTime") });
    const body = (await arm.requests()).find((r) => r.path.endsWith("/start"))!.body;
    expect(body).toEqual({ outputStartMode: "LastOutputEventTime" });
  });

  it("starts at a custom time, which --mode CustomTime requires", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopped" });
    const missing = await job(["start", ...TARGET, "--mode", "CustomTime"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("start mode CustomTime needs a start time (--start-time");
    const result = await job(["start", ...TARGET, "--mode", "CustomTime", "--start-time", "2026-03-01T10:00:00Z"]);
    expect(result.code).toBe(0);
    const body = (await arm.requests()).find((r) => r.path.endsWith("/start"))!.body;
    expect(body).toEqual({ outputStartMode: "CustomTime", outputStartTime: "2026-03-01T10:00:00.000Z" });
    expect((await job(["start", ...TARGET, "--mode", "CustomTime", "--start-time", "yesterday"])).code).toBe(2);
  });

  it("refuses LastOutputEventTime for a job that never produced output, before calling start", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Created" });
    const result = await job(["start", ...TARGET, "--mode", "LastOutputEventTime"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("has never produced output (no lastOutputEventTime)");
    expect((await arm.requests()).some((r) => r.method === "POST")).toBe(false);
  });

  it("reports a start that ends with the job Failed, with Azure's error", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopped", failStart: { code: "JobFailed", message: "Input 'telemetry' cannot be reached: the Event Hubs namespace denies access." } });
    const result = await job(["start", ...TARGET]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("starting streaming job 'asa-telemetry' in resource group 'rg-stream' ended Failed (JobFailed: Input 'telemetry' cannot be reached");
    expect((await job(["status", ...TARGET])).code).toBe(1);
  });

  it("notices a start whose answer was lost, instead of failing on the retry's conflict", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopped", startPolls: 2, loseStartAnswer: true });
    const result = await job(["start", ...TARGET]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("started (Stopped → Running)");
    // The retried POST met the start already under way (409); the job's own state settled it.
    const starts = (await arm.requests()).filter((r) => r.path.endsWith("/start"));
    expect(starts).toHaveLength(2);
  });

  it("gives up on a slow operation at --timeout and says it may still finish", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopped", startPolls: 1000 });
    const began = Date.now();
    const result = await job(["start", ...TARGET, "--timeout", "0.5"], { STREAMKIT_ARM_POLL_MS: "50" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/starting streaming job 'asa-telemetry' .* did not finish within the timeout \(last status: InProgress, after \d+ s\); it may still finish in Azure/);
    expect(Date.now() - began).toBeLessThan(10_000);
  });

  it("honours Retry-After on the operation status", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopped", startPolls: 2, operationRetryAfter: 1 });
    const began = Date.now();
    expect((await job(["start", ...TARGET])).code).toBe(0);
    // Two waits of Retry-After: 1 s each before the operation completes.
    expect(Date.now() - began).toBeGreaterThanOrEqual(2000);
  });

  it("stops a job that is still Starting", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Starting" });
    expect(await job(["stop", ...TARGET])).toMatchObject({ code: 0, stdout: expect.stringContaining("stopped (Starting → Stopped)") });
  });
});

describe("the job's own state has the last word", () => {
  it("a start Azure calls Succeeded while the job did not start fails", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopped", startEndsIn: "Stopped" });
    const result = await job(["start", ...TARGET, "--mode", "JobStartTime"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("streaming job 'asa-telemetry' in resource group 'rg-stream' did not start: it is Stopped");
  });

  it("a stop Azure calls Succeeded while the job still runs fails", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running", stopEndsIn: "Running" });
    const result = await job(["stop", ...TARGET]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("streaming job 'asa-telemetry' in resource group 'rg-stream' did not stop: it is Running");
  });

  it("stopping a job already Stopping checks where that stop ends", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopping", stopPolls: 2, stopEndsIn: "Running" });
    const failed = await job(["stop", ...TARGET]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("did not stop: it is Running");
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopping", stopPolls: 2 });
    const stopped = await job(["stop", ...TARGET]);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain("Stopped");
  });

  it("a redirect (3xx) from ARM is an error, on a read and on a start", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopped" });
    // Where it points would answer: following it would make the redirect look like success.
    await arm.addFaults({ method: "GET", pathIncludes: "asa-telemetry", status: 302, times: 1, headers: { Location: `${arm.url}${JOB_PATH}?api-version=2020-03-01` }, body: "" });
    const status = await job(["status", ...TARGET]);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain("unexpected redirect from Azure on streaming job 'asa-telemetry' in resource group 'rg-stream' (HTTP 302");
    await arm.addFaults({ method: "POST", pathIncludes: "asa-telemetry/start", status: 307, times: 1, headers: { Location: `${arm.url}${JOB_PATH}/start?api-version=2020-03-01` }, body: "" });
    const start = await job(["start", ...TARGET, "--mode", "JobStartTime"]);
    expect(start.code).toBe(1);
    expect(start.stderr).toContain("unexpected redirect from Azure on starting streaming job 'asa-telemetry'");
    expect((await arm.jobs())[0].jobState).toBe("Stopped");
  });
});

describe("retries, timeouts and credentials", () => {
  it("retries 429 after the time Retry-After asks for, and says so on stderr", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running" });
    await arm.addFaults({ method: "GET", pathIncludes: "/streamingjobs/asa-telemetry", status: 429, times: 1, headers: { "Retry-After": "1" } });
    const began = Date.now();
    const result = await job(["status", ...TARGET]);
    expect(result.code).toBe(0);
    expect(Date.now() - began).toBeGreaterThanOrEqual(1000);
    expect(result.stderr).toMatch(/streamkit: GET \/subscriptions\/.*\/asa-telemetry: HTTP 429; retrying in 1\.0 s \(1\/3\)/);
    expect(await arm.requests()).toHaveLength(2);
  });

  it("retries 500 and 503 with backoff, then succeeds", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopped" });
    await arm.addFaults(
      { method: "POST", pathIncludes: "/start", status: 500, times: 1 },
      { method: "GET", pathIncludes: "/operationsStatus/", status: 503, times: 1 },
    );
    const result = await job(["start", ...TARGET]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/POST \S+\/start: HTTP 500; retrying/);
    expect(result.stderr).toMatch(/GET \S+\/operationsStatus\/\S+: HTTP 503; retrying/);
  });

  it("stops retrying after the configured number and reports the last answer in one line", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running" });
    await arm.addFaults({ pathIncludes: "/streamingjobs/asa-telemetry", status: 500, times: 10 });
    const result = await job(["status", ...TARGET], { STREAMKIT_ARM_MAX_RETRIES: "2" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("streamkit: error: Azure failed on streaming job 'asa-telemetry' in resource group 'rg-stream' after every retry (HTTP 500, InternalServerError: injected HTTP 500)");
    expect(await arm.requests()).toHaveLength(3);
  });

  it("times out a request that gets no answer, and retries it", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running" });
    await arm.addFaults({ method: "GET", pathIncludes: "/streamingjobs/asa-telemetry", status: 0, times: 1, delayMs: 1500 });
    const result = await job(["status", ...TARGET], { STREAMKIT_ARM_REQUEST_TIMEOUT_MS: "300" });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/asa-telemetry: no answer within 300 ms; retrying/);
  });

  it("honours the test token only on a loopback endpoint", async () => {
    const result = await job(["status", ...TARGET], { STREAMKIT_ARM_ENDPOINT: "https://management.azure.com" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("STREAMKIT_ARM_TEST_TOKEN is honoured only with a loopback ARM endpoint");
  });

  it("says clearly when no Azure credential can be found", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running" });
    // Developer credentials only (az, azd, PowerShell), none of which is installed or signed in here.
    const result = await job(["status", ...TARGET], {
      STREAMKIT_ARM_TEST_TOKEN: "",
      AZURE_TOKEN_CREDENTIALS: "dev",
      PATH: "/nonexistent",
      HOME: dir,
      AZURE_CLIENT_ID: "",
      AZURE_TENANT_ID: "",
      AZURE_CLIENT_SECRET: "",
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("no Azure credential found: sign in with 'az login'");
    expect(await arm.requests()).toEqual([]);
  });
});
