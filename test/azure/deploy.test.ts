// `streamkit deploy --stack …`: stop → deploy → start from the last output, against the fake
// ARM, with a fake deploy command that records what the jobs' states were while it ran.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawn } from "node:child_process";
import { runCli, STREAMKIT_BIN } from "../cli/cli-process";
import { startFakeArm, SUBSCRIPTION, type FakeArm } from "./fake-arm/fake-arm";

const FAKE_DEPLOY = `"${process.execPath}" "${resolve(__dirname, "fake-arm/fake-deploy.js")}" {stack}`;
const jobId = (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-stream/providers/Microsoft.StreamAnalytics/streamingjobs/${name}`;

let arm: FakeArm;
let dir: string;
let deployLog: string;
let outputs: string;

beforeAll(async () => {
  arm = await startFakeArm();
  dir = mkdtempSync(join(tmpdir(), "streamkit-deploy-"));
  outputs = join(dir, "outputs.json");
  writeFileSync(outputs, JSON.stringify({ "telemetry-dev": { telemetryJobId: jobId("asa-telemetry"), alertsJobId: jobId("asa-alerts") } }));
});
afterAll(async () => {
  await arm.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await arm.reset();
  deployLog = join(dir, `deploy-${Date.now()}.log`);
});

function deploy(extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  return runCli(["deploy", "--stack", "telemetry-dev", "--from-outputs", outputs, "--deploy-command", FAKE_DEPLOY, ...extra], {
    env: arm.env({ FAKE_DEPLOY_LOG: deployLog, ...env }),
  });
}

function deployRuns(): { stack: string; states: Record<string, string> }[] {
  if (!existsSync(deployLog)) return [];
  return readFileSync(deployLog, "utf8").trim().split("\n").map((line) => JSON.parse(line));
}

async function postsInOrder(): Promise<string[]> {
  return (await arm.requests()).filter((r) => r.method === "POST").map((r) => `${r.path.split("/streamingjobs/")[1]} ${JSON.stringify(r.body ?? {})}`);
}

describe("deploy", () => {
  it("stops the running jobs, deploys while they are stopped, and starts them from their last output event time", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running", lastOutputEventTime: "2026-01-01T00:00:00Z" });
    await arm.setJob({ name: "asa-alerts", jobState: "Running", lastOutputEventTime: "2026-01-01T00:00:00Z" });
    const result = deploy();
    expect(result.code).toBe(0);
    expect(deployRuns()).toEqual([{ stack: "telemetry-dev", states: { "asa-telemetry": "Stopped", "asa-alerts": "Stopped" } }]);
    expect(await postsInOrder()).toEqual([
      "asa-telemetry/stop {}",
      "asa-alerts/stop {}",
      'asa-telemetry/start {"outputStartMode":"LastOutputEventTime"}',
      'asa-alerts/start {"outputStartMode":"LastOutputEventTime"}',
    ]);
    expect(result.stdout).toContain("deploy of stack 'telemetry-dev': done");
    expect(result.stdout).toMatch(/streaming job 'asa-telemetry' in resource group 'rg-stream': Running → Running \(restarted from its last output event time \(/);
    expect(result.stderr).toContain("fake deploy of telemetry-dev");
    expect((await arm.jobs()).map((j) => j.jobState)).toEqual(["Running", "Running"]);
  });

  it("leaves a stopped job stopped and a new job unstarted, and says so", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Stopped", lastOutputEventTime: "2026-01-01T00:00:00Z" });
    const result = deploy();
    expect(result.code).toBe(0);
    expect(await postsInOrder()).toEqual([]);
    expect(deployRuns()).toHaveLength(1);
    expect(result.stdout).toContain("'asa-telemetry' in resource group 'rg-stream': Stopped → Stopped (was Stopped before the deploy; left as it was)");
    expect(result.stdout).toContain("'asa-alerts' in resource group 'rg-stream': absent → absent (created by this deploy; not started");
  });

  it("restarts the jobs it stopped when the deploy fails, and names the failed step", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running", lastOutputEventTime: "2026-01-01T00:00:00Z" });
    await arm.setJob({ name: "asa-alerts", jobState: "Stopped" });
    const result = deploy([], { FAKE_DEPLOY_EXIT: "3" });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "deploy of stack 'telemetry-dev': FAILED at step 'deploy': the deploy command exited with code 3 — the stack may be partly deployed; asa-telemetry restarted",
    );
    expect(result.stdout).toContain("'asa-telemetry' in resource group 'rg-stream': Running → Running (restarted from its last output event time");
    expect(await postsInOrder()).toEqual(["asa-telemetry/stop {}", 'asa-telemetry/start {"outputStartMode":"LastOutputEventTime"}']);
  });

  it("says loudly when a job it stopped cannot be restarted after a failed deploy", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running", lastOutputEventTime: "2026-01-01T00:00:00Z" });
    await arm.setJob({ name: "asa-alerts", jobState: "Stopped" });
    await arm.addFaults({ method: "POST", pathIncludes: "asa-telemetry/start", status: 500, times: 10 });
    const result = deploy([], { FAKE_DEPLOY_EXIT: "1", STREAMKIT_ARM_MAX_RETRIES: "1" });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("FAILED at step 'deploy'");
    expect(result.stdout).toContain("asa-telemetry could NOT be restarted");
    expect(result.stdout).toMatch(/'asa-telemetry' in resource group 'rg-stream': Running → Stopped \(could NOT be restarted \(.*HTTP 500.*\); it is Stopped: start it with 'streamkit job start --subscription 00000000-1111-2222-3333-444444444444 --resource-group rg-stream --name asa-telemetry --mode LastOutputEventTime'\)/);
  });

  it("a stop that times out still leaves the job ours to restart: no deploy, and the exact command when the restart cannot be done", async () => {
    // The stop is accepted, then never finishes within --timeout.
    await arm.setJob({ name: "asa-telemetry", jobState: "Running", lastOutputEventTime: "2026-01-01T00:00:00Z", stopPolls: 100000 });
    await arm.setJob({ name: "asa-alerts", jobState: "Stopped" });
    const result = deploy(["--timeout", "0.5"]);
    expect(result.code).toBe(1);
    expect(deployRuns()).toEqual([]);
    expect(result.stdout).toContain("FAILED at step 'stop streaming job 'asa-telemetry' in resource group 'rg-stream''");
    expect(result.stdout).toContain("asa-telemetry could NOT be restarted");
    expect(result.stdout).toContain(
      `it is Stopping: start it with 'streamkit job start --subscription ${SUBSCRIPTION} --resource-group rg-stream --name asa-telemetry --mode LastOutputEventTime'`,
    );
  });

  it("a stop that times out and then finishes: the job is restarted", async () => {
    // The stop outlasts its 1 s wait, then ends (at 1.6 s) while the restart waits up to 1 s for it.
    await arm.setJob({ name: "asa-telemetry", jobState: "Running", lastOutputEventTime: "2026-01-01T00:00:00Z", stopTakesMs: 1600 });
    await arm.setJob({ name: "asa-alerts", jobState: "Stopped" });
    const result = deploy(["--timeout", "1"]);
    expect(result.code).toBe(1);
    expect(deployRuns()).toEqual([]);
    expect(result.stdout).toContain("nothing was deployed; asa-telemetry restarted");
    expect((await arm.jobs()).find((j) => j.name === "asa-telemetry")!.jobState).toBe("Running");
  });

  it("does not deploy when a job cannot be stopped, and restarts the ones already stopped", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running", lastOutputEventTime: "2026-01-01T00:00:00Z" });
    await arm.setJob({ name: "asa-alerts", jobState: "Running", lastOutputEventTime: "2026-01-01T00:00:00Z" });
    await arm.addFaults({ method: "POST", pathIncludes: "asa-alerts/stop", status: 409, times: 1, body: { error: { code: "Conflict", message: "Another operation is in progress." } } });
    const result = deploy();
    expect(result.code).toBe(1);
    expect(deployRuns()).toEqual([]);
    expect(result.stdout).toContain("FAILED at step 'stop streaming job 'asa-alerts' in resource group 'rg-stream'': conflict on stopping streaming job 'asa-alerts'");
    expect(result.stdout).toContain("nothing was deployed; asa-telemetry restarted");
    expect(result.stdout).toContain("'asa-alerts' in resource group 'rg-stream': Running → Running");
  });

  it("reports a job that fails to start after the deploy, and still restarts the others", async () => {
    await arm.setJob({
      name: "asa-telemetry",
      jobState: "Running",
      lastOutputEventTime: "2026-01-01T00:00:00Z",
      failStart: { code: "JobFailed", message: "Output 'archive' rejects the new schema." },
    });
    await arm.setJob({ name: "asa-alerts", jobState: "Running", lastOutputEventTime: "2026-01-01T00:00:00Z" });
    const result = deploy();
    expect(result.code).toBe(1);
    expect(deployRuns()).toHaveLength(1);
    expect(result.stdout).toContain("FAILED at step 'start streaming job 'asa-telemetry' in resource group 'rg-stream'': starting streaming job 'asa-telemetry' in resource group 'rg-stream' ended Failed (JobFailed: Output 'archive' rejects the new schema.) — the deployment was applied");
    expect(result.stdout).toContain("'asa-telemetry' in resource group 'rg-stream': Running → Failed (could NOT be restarted");
    expect(result.stdout).toContain("'asa-alerts' in resource group 'rg-stream': Running → Running (restarted from its last output event time");
  });

  it("starts a job that never produced output from the moment it was stopped", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running" });
    await arm.setJob({ name: "asa-alerts", jobState: "Stopped" });
    const before = Date.now();
    const result = deploy();
    expect(result.code).toBe(0);
    const start = (await arm.requests()).find((r) => r.path.endsWith("asa-telemetry/start"))!;
    const body = start.body as { outputStartMode: string; outputStartTime: string };
    expect(body.outputStartMode).toBe("CustomTime");
    expect(Date.parse(body.outputStartTime)).toBeGreaterThanOrEqual(before - 1000);
    expect(result.stdout).toContain("restarted from the time it was stopped");
  });

  it("stops before the deploy on expired credentials, changing nothing", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running" });
    const result = deploy([], { STREAMKIT_ARM_TEST_TOKEN: "expired-token" });
    expect(result.code).toBe(1);
    expect(deployRuns()).toEqual([]);
    expect(result.stdout).toContain("FAILED at step 'read the state of streaming job 'asa-telemetry' in resource group 'rg-stream'': authentication failed");
    expect(result.stdout).toContain("nothing was changed");
  });

  it("on Ctrl-C, ends the deploy command and starts again the jobs it stopped", async () => {
    await arm.setJob({ name: "asa-telemetry", jobState: "Running", lastOutputEventTime: "2026-01-01T00:00:00Z" });
    await arm.setJob({ name: "asa-alerts", jobState: "Stopped" });
    const child = spawn(
      process.execPath,
      [STREAMKIT_BIN, "deploy", "--stack", "telemetry-dev", "--from-outputs", outputs, "--deploy-command", FAKE_DEPLOY],
      { env: { ...process.env, NO_COLOR: "1", ...arm.env({ FAKE_DEPLOY_LOG: deployLog, FAKE_DEPLOY_SLEEP_MS: "30000" }) } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
    try {
      // Interrupt once the deploy command is running (it logs before it sleeps).
      const began = Date.now();
      while (deployRuns().length === 0 && Date.now() - began < 20_000) await new Promise((r) => setTimeout(r, 50));
      expect(deployRuns()).toEqual([{ stack: "telemetry-dev", states: { "asa-telemetry": "Stopped", "asa-alerts": "Stopped" } }]);
      const interruptedAt = Date.now();
      child.kill("SIGINT");
      expect(await exited).toBe(1);
      expect(Date.now() - interruptedAt).toBeLessThan(15_000);
    } finally {
      // A red run ends here rather than waiting on the child.
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    expect(stderr).toContain("SIGINT: finishing safely");
    expect(stderr).toContain("the deploy command was ended by SIGINT");
    expect(stdout).toContain("FAILED at step 'deploy': the deploy command exited with code 130");
    expect(stdout).toContain("'asa-telemetry' in resource group 'rg-stream': Running → Running (restarted from its last output event time");
    expect((await arm.jobs()).find((j) => j.name === "asa-telemetry")!.jobState).toBe("Running");
  });
});
