// cdktf.json's publicNetworkAccess per environment: what each example solution does with it.
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { Testing } from "cdktf";
import { SOLUTIONS } from "../../stacks/app";
import { loadEnvironments, parseEnvironments, type EnvironmentSettings } from "../../stacks/environments";

const PROJECT = resolve(__dirname, "../..");
const outdirs: string[] = [];
afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function build(solution: keyof typeof SOLUTIONS, change: Partial<EnvironmentSettings>) {
  const app = Testing.app();
  outdirs.push(app.outdir);
  const settings = { ...loadEnvironments(PROJECT).prod!, ...change };
  return new SOLUTIONS[solution](app, `${solution}-prod`, { environment: "prod", settings, projectDir: PROJECT });
}

describe("publicNetworkAccess per environment", () => {
  it("defaults to restricted and accepts only the three modes, with the setting's path", () => {
    const [env] = Object.values(parseEnvironments({ dev: { location: "westeurope", namePrefix: "skdev" } }, "cdktf.json"));
    expect(env!.publicNetworkAccess).toBe("restricted");
    expect(() => parseEnvironments({ dev: { location: "westeurope", namePrefix: "skdev", publicNetworkAccess: "private" } }, "cdktf.json")).toThrow(
      expect.objectContaining({ location: expect.objectContaining({ jsonPath: "context.environments.dev.publicNetworkAccess" }) }),
    );
    expect(() => parseEnvironments({ dev: { location: "westeurope", namePrefix: "skdev", virtualNetwork: { addressSpace: "10.0.0.0" } } }, "cdktf.json")).toThrow(/IPv4 CIDR block/);
  });

  it.each(Object.keys(SOLUTIONS) as (keyof typeof SOLUTIONS)[])("%s refuses `disabled` with why and what to set, at the setting's path", (solution) => {
    let error: unknown;
    try {
      build(solution, { publicNetworkAccess: "disabled" });
    } catch (caught) {
      error = caught;
    }
    expect((error as Error).message).toMatch(/^environment 'prod' allows private endpoints only \(publicNetworkAccess: disabled\), but the .+ solution cannot run that way: .+\. Set publicNetworkAccess to 'restricted' for this environment/);
    expect((error as { location?: { jsonPath?: string } }).location?.jsonPath).toBe("context.environments.prod.publicNetworkAccess");
  });

  it("the Stream Analytics solutions keep their firewalls where the environment would allow more (`enabled`)", () => {
    const json = JSON.parse(Testing.synth(build("iot-telemetry", { publicNetworkAccess: "enabled" }), true)) as { resource: Record<string, Record<string, Record<string, any>>> };
    const namespace = Object.values(json.resource.azurerm_eventhub_namespace!)[0]!;
    expect(namespace.network_rulesets[0]).toMatchObject({ default_action: "Deny", trusted_service_access_enabled: true });
    const storage = Object.values(json.resource.azurerm_storage_account!)[0]!;
    expect(storage.network_rules).toMatchObject({ default_action: "Deny" });
  });
});
