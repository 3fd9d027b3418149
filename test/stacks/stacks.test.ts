// Every example stack, synthesized with its construct validations: a snapshot reviewed like
// code, the policy check, and the job's wiring (MSI, narrow grants, alert pack per environment).
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { Testing } from "cdktf";
import { checkStacks, formatFinding, loadStacks, readEnvironments } from "../../lib/policy";
import type { TerraformJson } from "../../lib/policy";
import { buildApp, exampleStacks, solutionStacks } from "../../stacks/app";

const PROJECT = resolve(__dirname, "../..");

describe("the example stacks", () => {
  const app = buildApp(PROJECT, Testing.app().outdir);
  afterAll(() => rmSync(app.outdir, { recursive: true, force: true }));
  const stacks = solutionStacks(app);
  const all = exampleStacks(app);
  // `true`: run construct validations, as `cdktf synth` does (query check included).
  const synthesized = new Map(all.map((s) => [s.node.id, Testing.synth(s, true)]));
  const json = (id: string) => JSON.parse(synthesized.get(id)!) as TerraformJson & { resource: Record<string, Record<string, Record<string, unknown>>> };

  it.each(all.map((s) => s.node.id))("%s matches its reviewed snapshot", (id) => {
    expect(json(id)).toMatchSnapshot();
  });

  it("passes the policy check on what cdktf writes (waivers in code, each with its reason)", () => {
    // app.synth() writes cdk.tf.json with its "//" blocks, where in-code waivers live
    // (Testing.synth leaves them out).
    app.synth();
    const loaded = loadStacks(app.outdir);
    expect(loaded.map((s) => s.name).sort()).toEqual(all.map((s) => s.node.id).sort());
    // Each stack held to its cdktf.json environment (prod: the production rules too).
    const findings = checkStacks(loaded, { environments: readEnvironments(join(PROJECT, "cdktf.json")) });
    const open = findings.filter((f) => !f.waived);
    expect(open.map(formatFinding)).toEqual([]);
    for (const f of findings) expect(f.waiverReason?.length).toBeGreaterThan(20);
  });

  it("reads and writes with the job's identity everywhere azurerm allows it", () => {
    for (const stack of stacks) {
      const resources = json(stack.node.id).resource;
      for (const [type, byName] of Object.entries(resources)) {
        if (!/^azurerm_stream_analytics_(stream_input|reference_input|output)_/.test(type)) continue;
        for (const body of Object.values(byName)) {
          if (type === "azurerm_stream_analytics_output_synapse") {
            expect(body.password).toMatch(/^\$\{var\.synapse_job_password\}$/);
          } else if (type !== "azurerm_stream_analytics_output_powerbi") {
            expect({ type, mode: body.authentication_mode }).toEqual({ type, mode: "Msi" });
          }
        }
      }
    }
  });

  it("names its job by reference in every input, output and function, so Terraform creates the job first", () => {
    for (const stack of stacks) {
      for (const [type, byName] of Object.entries(json(stack.node.id).resource)) {
        if (!type.startsWith("azurerm_stream_analytics_") || type === "azurerm_stream_analytics_job") continue;
        for (const body of Object.values(byName)) {
          const ref = String(body.stream_analytics_job_name ?? body.stream_analytics_job_id);
          expect({ type, ref }).toEqual({ type, ref: expect.stringMatching(/^\$\{azurerm_stream_analytics_job\.[^}]+\.(name|id)\}$/) });
        }
      }
    }
  });

  it("grants every role of a job at a hub, a container or the job's storage account", () => {
    for (const stack of stacks) {
      for (const grant of stack.pipeline.job.grants) {
        expect(grant.assignment.scopeInput).toBe(grant.scope);
        const body = Object.values(json(stack.node.id).resource.azurerm_role_assignment!).find((r) => r.description === `Stream Analytics job ${grant.direction} '${grant.alias}'`)!;
        expect(body.scope).toMatch(
          grant.scopeKind === "eventhub"
            ? /^\$\{azurerm_eventhub\.[^}]+\.id\}$/
            : grant.scopeKind === "container"
              ? /^\$\{azurerm_storage_account\.[^}]+\.id\}\/blobServices\/default\/containers\/[a-z0-9-]+$/
              : /^\$\{azurerm_storage_account\.[^}]+\.id\}$/,
        );
      }
    }
  });

  it("sizes jobs and alerts per environment (prod: more units, stricter severities, locks)", () => {
    const job = (id: string) => Object.values(json(id).resource.azurerm_stream_analytics_job!)[0]!;
    expect(job("iot-telemetry-dev").streaming_units).toBe(3);
    expect(job("iot-telemetry-prod").streaming_units).toBe(10);
    const severity = (id: string, metric: string) =>
      Object.values(json(id).resource.azurerm_monitor_metric_alert!).find((a) => (a.criteria as { metric_name: string }[])[0]!.metric_name === metric)!.severity;
    expect(severity("iot-telemetry-dev", "ResourceUtilization")).toBe(3);
    expect(severity("iot-telemetry-prod", "ResourceUtilization")).toBe(1);
    expect(Object.keys(json("iot-telemetry-dev").resource.azurerm_management_lock ?? {})).toHaveLength(0);
    expect(Object.keys(json("iot-telemetry-prod").resource.azurerm_management_lock ?? {}).length).toBeGreaterThan(0);
  });
});
