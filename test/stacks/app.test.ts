import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Testing } from "cdktf";
import { parseJobSpec } from "../../lib/job";
import { buildApp, exampleStacks, jobFileOf, solutionStacks, SOLUTIONS, STREAM_ANALYTICS_SOLUTIONS } from "../../stacks/app";
import { loadEnvironments, parseEnvironments } from "../../stacks/environments";

const PROJECT = resolve(__dirname, "../..");

describe("the example app", () => {
  const outdirs: string[] = [];
  afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const app = buildApp(PROJECT, Testing.app().outdir);
  outdirs.push(app.outdir);
  const environments = Object.keys(loadEnvironments(PROJECT));

  it("builds one stack per solution and environment of cdktf.json", () => {
    const ids = app.node.children.map((c) => c.node.id).sort();
    const expected = Object.keys(SOLUTIONS).flatMap((s) => environments.map((e) => `${s}-${e}`)).sort();
    expect(ids).toEqual(expected);
    expect(environments).toEqual(expect.arrayContaining(["dev", "prod"]));
  });

  it("gives every stack its own state in its environment's backend", () => {
    for (const stack of exampleStacks(app)) {
      const json = JSON.parse(Testing.synth(stack)) as { terraform: { backend?: { azurerm?: Record<string, string> } } };
      const backend = stack.settings.backend!;
      expect(json.terraform.backend?.azurerm).toEqual({
        key: `${stack.node.id}.tfstate`,
        resource_group_name: backend.resourceGroupName,
        storage_account_name: backend.storageAccountName,
        container_name: backend.containerName,
        // State is read with Entra ID, so the state account can keep shared keys off.
        use_azuread_auth: true,
      });
    }
  });

  it("commits each solution's job file exactly as the construct derives it (npm run synth rewrites it)", () => {
    for (const solution of Object.keys(STREAM_ANALYTICS_SOLUTIONS)) {
      const stack = solutionStacks(app).find((s) => s.node.id === `${solution}-${environments[0]}`)!;
      const file = join(PROJECT, jobFileOf(solution));
      const committed = parseJobSpec(JSON.parse(readFileSync(file, "utf8")), file);
      expect(committed).toEqual(stack.pipeline.job.specFor(join(PROJECT, "queries", solution)));
    }
  });

  it("refuses zone redundancy with a SQL SKU that has none", () => {
    expect(() => parseEnvironments({ prod: { location: "westeurope", namePrefix: "skprod", zoneRedundant: true, sql: { sku: "S2" } } }, "cdktf.json")).toThrow(/SQL SKU 'S2' cannot be zone redundant/);
    expect(() => parseEnvironments({ prod: { location: "westeurope", namePrefix: "skprod", zoneRedundant: true, sql: { sku: "GP_Gen5_2" } } }, "cdktf.json")).not.toThrow();
  });

  it("fails synth of the example app on a broken query, with the query's file:line:col", () => {
    // A copy of the project's configuration, queries, pipelines and scripts, with one mistake in the IoT query.
    const copy = mkdtempSync(join(tmpdir(), "streamkit-app-"));
    outdirs.push(copy);
    cpSync(join(PROJECT, "cdktf.json"), join(copy, "cdktf.json"));
    for (const folder of ["queries", "pipelines", "kql"]) cpSync(join(PROJECT, folder), join(copy, folder), { recursive: true });
    const query = join(copy, "queries", "iot-telemetry", "query.asaql");
    writeFileSync(query, readFileSync(query, "utf8").replace("INTO aggregates", "INTO aggregatez"));
    const broken = buildApp(copy, join(copy, "cdktf.out"));
    expect(() => broken.synth()).toThrow(/queries\/iot-telemetry\/query\.asaql:\d+:6: .*aggregatez/);
  });

  it("rejects a malformed environment with its path", () => {
    expect(() => parseEnvironments({ dev: { location: "westeurope", namePrefix: "Bad Prefix" } }, "cdktf.json")).toThrow(/name prefix/);
    try {
      parseEnvironments({ dev: { location: "westeurope", namePrefix: "skdev", job: { sku: "Premium" } } }, "cdktf.json");
      throw new Error("accepted");
    } catch (error) {
      expect((error as { location?: { jsonPath?: string } }).location?.jsonPath).toBe("context.environments.dev.job.sku");
    }
  });
});
