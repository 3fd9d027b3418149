// `streamkit deploy --stack <name>` with no other flag: the jobs come from the synthesized stack
// (cdktf.out/stacks/<name>/cdk.tf.json), as cdktf writes it — the job's name a literal, its
// resource group a reference to the resource group's name, the subscription on the provider.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { jobRefsFromSynth } from "../../lib/azure/synth-job-refs";
import { runCli } from "../cli/cli-process";
import { startFakeArm, SUBSCRIPTION, type FakeArm } from "./fake-arm/fake-arm";

const FAKE_DEPLOY = `"${process.execPath}" "${resolve(__dirname, "fake-arm/fake-deploy.js")}" {stack}`;

function synthesizedStack(provider: Record<string, unknown>, jobName: unknown = "asa-telemetry") {
  return {
    provider: { azurerm: [{ features: [{}], ...provider }] },
    resource: {
      azurerm_resource_group: { rg_1429A41A: { name: "rg-stream", location: "westeurope" } },
      azurerm_stream_analytics_job: {
        pipeline_job_1BC61C73: { name: jobName, resource_group_name: "${azurerm_resource_group.rg_1429A41A.name}", location: "westeurope" },
      },
    },
  };
}

let dir: string;
function writeStack(stack: string, document: unknown): void {
  mkdirSync(join(dir, "cdktf.out/stacks", stack), { recursive: true });
  writeFileSync(join(dir, "cdktf.out/stacks", stack, "cdk.tf.json"), JSON.stringify(document));
}
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "streamkit-deploy-synth-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the jobs of a synthesized stack", () => {
  it("follow the resource group reference to its name; the subscription is the provider's, else --subscription or ARM_SUBSCRIPTION_ID", () => {
    writeStack("a", synthesizedStack({ subscription_id: SUBSCRIPTION }));
    expect(jobRefsFromSynth(join(dir, "cdktf.out"), "a", undefined, {})).toEqual([{ subscriptionId: SUBSCRIPTION, resourceGroup: "rg-stream", name: "asa-telemetry" }]);
    expect(jobRefsFromSynth(join(dir, "cdktf.out"), "a", "other-sub", {})[0]!.subscriptionId).toBe("other-sub");

    writeStack("b", synthesizedStack({}));
    expect(jobRefsFromSynth(join(dir, "cdktf.out"), "b", undefined, { ARM_SUBSCRIPTION_ID: "from-env" })[0]!.subscriptionId).toBe("from-env");
    expect(() => jobRefsFromSynth(join(dir, "cdktf.out"), "b", undefined, {})).toThrow(/names no subscription .*set ARM_SUBSCRIPTION_ID, or give --subscription/);
  });

  it("says what to do when the stack is not synthesized, has no job, or names its job only after apply", () => {
    expect(() => jobRefsFromSynth(join(dir, "cdktf.out"), "missing", undefined, {})).toThrow(/stack 'missing' is not synthesized .*run 'npx cdktf synth' first/);
    writeStack("empty", { resource: {} });
    expect(() => jobRefsFromSynth(join(dir, "cdktf.out"), "empty", undefined, {})).toThrow("stack 'empty' has no Stream Analytics job");
    writeStack("late", synthesizedStack({ subscription_id: SUBSCRIPTION }, "${random_pet.name.id}"));
    expect(() => jobRefsFromSynth(join(dir, "cdktf.out"), "late", undefined, {})).toThrow(/only known after apply: name the job with --from-outputs/);
  });
});

describe("streamkit deploy --stack, nothing else", () => {
  let arm: FakeArm;
  beforeAll(async () => (arm = await startFakeArm()));
  afterAll(async () => arm.stop());
  beforeEach(async () => arm.reset());

  it("stops the stack's job, deploys, and starts it from its last output event time", async () => {
    writeStack("telemetry-dev", synthesizedStack({ subscription_id: SUBSCRIPTION }));
    await arm.setJob({ name: "asa-telemetry", jobState: "Running", lastOutputEventTime: "2026-01-01T00:00:00Z" });
    const log = join(dir, "deploy.log");
    const result = runCli(["deploy", "--stack", "telemetry-dev", "--deploy-command", FAKE_DEPLOY], { cwd: dir, env: arm.env({ FAKE_DEPLOY_LOG: log }) });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(existsSync(log) && readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l))).toEqual([{ stack: "telemetry-dev", states: { "asa-telemetry": "Stopped" } }]);
    const posts = (await arm.requests()).filter((r) => r.method === "POST").map((r) => `${r.path.split("/streamingjobs/")[1]} ${JSON.stringify(r.body ?? {})}`);
    expect(posts).toEqual(["asa-telemetry/stop {}", 'asa-telemetry/start {"outputStartMode":"LastOutputEventTime"}']);
  });

  it("a stack not synthesized: one line saying so, exit 2, nothing deployed", () => {
    const result = runCli(["deploy", "--stack", "telemetry-dev", "--deploy-command", FAKE_DEPLOY], { cwd: dir, env: arm.env({}) });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^streamkit: .*stack 'telemetry-dev' is not synthesized .*run 'npx cdktf synth' first/)]);
  });
});
