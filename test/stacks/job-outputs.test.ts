// The job construct's Terraform outputs are what `streamkit job … --from-outputs` reads: the
// example stacks are synthesized, their outputs resolved as Terraform would after an apply, and
// written as `cdktf deploy --outputs-file` and `terraform output -json` write them; then
// `streamkit job status` runs as a process against the fake ARM.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadStacks, type TerraformJson } from "../../lib/policy";
import { buildApp } from "../../stacks/app";
import { runCli } from "../cli/cli-process";
import { startFakeArm, SUBSCRIPTION, type FakeArm } from "../azure/fake-arm/fake-arm";

const PROJECT = resolve(__dirname, "../..");
const STACK = "iot-telemetry-dev";

/** The ARM ID Azure gives each resource type this test needs (others resolve to their config). */
function armId(type: string, body: Record<string, unknown>, resolveValue: (v: unknown) => unknown): string | undefined {
  const rg = resolveValue(body.resource_group_name);
  const name = resolveValue(body.name);
  if (type === "azurerm_resource_group") return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${String(name)}`;
  if (type === "azurerm_stream_analytics_job") return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${String(rg)}/providers/Microsoft.StreamAnalytics/streamingjobs/${String(name)}`;
  return undefined;
}

/**
 * An output's value after `terraform apply`, for the expressions the job construct writes:
 * `${<type>.<name>.<attribute>}` and `${element(split("/", <type>.<name>.id), N)}`. Anything else
 * fails the test, so a new kind of expression is noticed here rather than silently mis-resolved.
 */
function applied(json: TerraformJson, value: unknown): unknown {
  if (typeof value !== "string" || !value.includes("${")) return value;
  const whole = /^\$\{(.+)\}$/.exec(value);
  if (!whole) throw new Error(`interpolated string not supported by this test: ${value}`);
  const expression = whole[1]!;
  const reference = (ref: string): unknown => {
    const [type, name, attribute] = ref.split(".");
    const body = json.resource?.[type!]?.[name!];
    if (!body || !attribute) throw new Error(`unknown reference ${ref}`);
    if (attribute === "id") return armId(type!, body, (v) => applied(json, v)) ?? (() => { throw new Error(`no ARM id for ${type}`); })();
    return applied(json, body[attribute]);
  };
  const element = /^element\(split\("\/", ([\w.-]+)\), (\d+)\)$/.exec(expression);
  if (element) return String(reference(element[1]!)).split("/")[Number(element[2])];
  if (/^[\w-]+\.[\w-]+\.\w+$/.test(expression)) return reference(expression);
  throw new Error(`expression not supported by this test: ${expression}`);
}

/** `cdktf deploy --outputs-file`: outputs nested by construct path under the stack name ("//".outputs). */
function cdktfOutputsFile(stack: string, json: TerraformJson): unknown {
  const nest = (node: unknown): unknown =>
    typeof node === "string" ? applied(json, json.output![node]!.value) : Object.fromEntries(Object.entries(node as object).map(([k, v]) => [k, nest(v)]));
  const paths = (json as { "//"?: { outputs?: Record<string, unknown> } })["//"]!.outputs!;
  return { [stack]: nest(paths[stack]) };
}

/** `terraform output -json`: flat, by Terraform output name. */
function terraformOutputJson(json: TerraformJson): unknown {
  return Object.fromEntries(Object.entries(json.output ?? {}).map(([name, o]) => [name, { sensitive: false, type: "string", value: applied(json, o.value) }]));
}

describe("the job's Terraform outputs drive streamkit job --from-outputs", () => {
  let arm: FakeArm;
  const dir = mkdtempSync(join(tmpdir(), "streamkit-outputs-"));
  const app = buildApp(PROJECT, join(dir, "cdktf.out"));
  app.synth();
  const stacks = loadStacks(app.outdir);
  const json = stacks.find((s) => s.name === STACK)!.json;

  beforeAll(async () => {
    arm = await startFakeArm();
  });
  afterAll(async () => {
    await arm.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("names each job's id, name, resource group and subscription, nested under the job's construct path", () => {
    const withJobs = stacks.filter((s) => s.json.resource?.azurerm_stream_analytics_job);
    expect(withJobs.map((s) => s.name).sort()).toEqual(["clickstream-dev", "clickstream-prod", "iot-telemetry-dev", "iot-telemetry-prod"]);
    for (const stack of withJobs) {
      const outputs = cdktfOutputsFile(stack.name, stack.json) as Record<string, { pipeline: { job: Record<string, string> } }>;
      const job = outputs[stack.name]!.pipeline.job;
      const body = Object.values(stack.json.resource!.azurerm_stream_analytics_job!)[0]!;
      const rg = applied(stack.json, body.resource_group_name);
      expect(job).toMatchObject({
        id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.StreamAnalytics/streamingjobs/${body.name}`,
        name: body.name,
        "resource-group-name": rg,
        "subscription-id": SUBSCRIPTION,
      });
    }
  });

  it("streamkit job status --from-outputs <cdktf outputs file> --stack finds the deployed job", async () => {
    const file = join(dir, "outputs.json");
    // Every stack in one file, as `cdktf deploy '*' --outputs-file` writes it: --stack picks one.
    writeFileSync(file, JSON.stringify(Object.assign({}, ...stacks.map((s) => cdktfOutputsFile(s.name, s.json)))));
    await arm.setJob({ name: "asa-skdev-iot-telemetry", resourceGroup: "rg-skdev-iot", jobState: "Running" });
    const result = runCli(["job", "status", "--from-outputs", file, "--stack", STACK], { env: arm.env() });
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining("streaming job 'asa-skdev-iot-telemetry' in resource group 'rg-skdev-iot': Running") });
    const [get] = await arm.requests();
    expect(get!.path.toLowerCase()).toBe(`/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-skdev-iot/providers/microsoft.streamanalytics/streamingjobs/asa-skdev-iot-telemetry`);
  });

  it("streamkit job status --from-outputs <terraform output -json> finds it too", async () => {
    const file = join(dir, "terraform-output.json");
    writeFileSync(file, JSON.stringify(terraformOutputJson(json)));
    await arm.setJob({ name: "asa-skdev-iot-telemetry", resourceGroup: "rg-skdev-iot", jobState: "Stopped" });
    const result = runCli(["job", "status", "--from-outputs", file, "--format", "json"], { env: arm.env() });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([expect.objectContaining({ state: "Stopped", ref: { subscriptionId: SUBSCRIPTION, resourceGroup: "rg-skdev-iot", name: "asa-skdev-iot-telemetry" } })]);
  });

});
