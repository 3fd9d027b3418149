// A stack is held to its environment in cdktf.json (`publicNetworkAccess`, `production`), read
// by `streamkit policy` itself (or from --environments): what a synthesized stack says about
// itself can make it stricter, never more open. A flag still decides for the stacks it names.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { declaredExposure, exposureFor, productionFor, type SynthesizedStack } from "../../lib/policy";
import { buildApp } from "../../stacks/app";
import { runCli } from "../cli/cli-process";

const PROJECT = resolve(__dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "streamkit-exposure-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stackOf = (json: object, name = "s"): SynthesizedStack => ({ name, file: `${name}.json`, json: json as SynthesizedStack["json"] });
const ENVIRONMENTS = { dev: { publicNetworkAccess: "enabled" as const }, prod: { publicNetworkAccess: "restricted" as const, production: true }, "prod-eu": { publicNetworkAccess: "disabled" as const, production: true } };

describe("the exposure and profile a stack is held to", () => {
  it("come from the environment the stack's name ends with (the longest), else restricted and production", () => {
    const plain = stackOf({}, "app-dev");
    expect(exposureFor({ environments: ENVIRONMENTS }, plain)).toBe("enabled");
    expect(productionFor({ environments: ENVIRONMENTS }, plain)).toBe(false);
    expect(exposureFor({ environments: ENVIRONMENTS }, stackOf({}, "app-prod"))).toBe("restricted");
    expect(exposureFor({ environments: ENVIRONMENTS }, stackOf({}, "app-prod-eu"))).toBe("disabled");
    expect(productionFor({ environments: ENVIRONMENTS }, stackOf({}, "app-prod-eu"))).toBe(true);
    expect(exposureFor({ environments: ENVIRONMENTS }, stackOf({}, "app-test"))).toBe("restricted");
    expect(productionFor({ environments: ENVIRONMENTS }, stackOf({}, "app-test"))).toBe(true);
    expect(exposureFor({}, stackOf({}))).toBe("restricted");
  });

  it("can be tightened by the stack's own declaration, never loosened", () => {
    const says = (value: string, name: string) => stackOf({ "//": { streamkit: { publicNetworkAccess: value } } }, name);
    expect(declaredExposure(says("disabled", "s"))).toBe("disabled");
    expect(declaredExposure(stackOf({}))).toBeUndefined();
    expect(exposureFor({ environments: ENVIRONMENTS }, says("disabled", "app-dev"))).toBe("disabled");
    expect(exposureFor({ environments: ENVIRONMENTS }, says("enabled", "app-prod"))).toBe("restricted");
    expect(exposureFor({}, says("enabled", "s"))).toBe("restricted");
    // The caller (--public-network-access) decides, still never below the stack's own word.
    expect(exposureFor({ publicNetworkAccess: "enabled", environments: ENVIRONMENTS }, stackOf({}, "app-prod"))).toBe("enabled");
    expect(exposureFor({ publicNetworkAccess: () => undefined, environments: ENVIRONMENTS }, stackOf({}, "app-prod"))).toBe("restricted");
    expect(exposureFor({ publicNetworkAccess: "enabled" }, says("disabled", "s"))).toBe("disabled");
  });

  it("rejects a declaration that is not a mode", () => {
    expect(() => declaredExposure(stackOf({ "//": { streamkit: { publicNetworkAccess: "private" } } }, "app-prod"))).toThrow(
      /stack 'app-prod' declares publicNetworkAccess "private" .*expected one of disabled, restricted, enabled/,
    );
  });
});

describe("streamkit policy over the example stacks", () => {
  const out = join(dir, "cdktf.out");
  buildApp(PROJECT, out).synth();
  const stackFile = (name: string) => join(out, "stacks", name, "cdk.tf.json");
  const edit = (name: string, change: (json: Record<string, any>) => void) => {
    const json = JSON.parse(readFileSync(stackFile(name), "utf8"));
    change(json);
    writeFileSync(stackFile(name), JSON.stringify(json));
  };
  const environmentsFile = (environments: object) => {
    const file = join(dir, `environments-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ context: { environments } }));
    return file;
  };

  it("passes, each stack against its environment from the project's cdktf.json", () => {
    expect(runCli(["policy", out], { cwd: PROJECT })).toMatchObject({ code: 0, stdout: expect.stringMatching(/^policy: ok in 6 stack\(s\)/m) });
    const report = JSON.parse(runCli(["policy", out, "--format", "json"], { cwd: PROJECT }).stdout);
    expect(report.environments).toEqual({ "clickstream-dev": "dev", "clickstream-prod": "prod", "iot-spark-dev": "dev", "iot-spark-prod": "prod", "iot-telemetry-dev": "dev", "iot-telemetry-prod": "prod" });
  });

  it("holds a stack whose environment allows private endpoints only to that, and only that stack", () => {
    const file = environmentsFile({ dev: { publicNetworkAccess: "restricted" }, prod: { publicNetworkAccess: "disabled", production: true } });
    const result = runCli(["policy", out, "--environments", file]);
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\n").filter((line) => line.includes("public-network"));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\w[\w-]*-prod: .*, but this environment allows private endpoints only; fix: set public_network_access_enabled = false/);
    // A flag decides for the stacks it names.
    expect(runCli(["policy", out, "--environments", file, "--public-network-access", "*-prod=restricted"]).code).toBe(0);
    expect(runCli(["policy", out, "--environments", file, "--public-network-access", "iot-telemetry-dev=restricted"]).code).toBe(1);
  });

  it("applies the production rules to production environments only", () => {
    const file = environmentsFile({ dev: { production: true }, prod: { production: true } });
    const result = runCli(["policy", out, "--environments", file]);
    expect(result.code).toBe(1);
    const open = result.stdout.split("\n").filter((line) => !line.includes("(waived: "));
    const ids = new Set(open.flatMap((line) => /^\S+-dev: .*?\[([\w.-]+)\]/.exec(line)?.[1] ?? []));
    expect([...ids].sort()).toEqual(["adx.double-encryption", "sql.auditing", "storage.infrastructure-encryption", "synapse.auditing", "synapse.exfiltration-protection", "synapse.sql-pool-auditing"]);
    expect(open.filter((line) => /^\S+-prod: /.test(line))).toEqual([]);
  });

  it("does not let a stack open itself up by declaring a wider exposure", () => {
    edit("iot-telemetry-prod", (json) => {
      json["//"].streamkit.publicNetworkAccess = "enabled";
      const [name] = Object.keys(json.resource.azurerm_storage_account);
      delete json.resource.azurerm_storage_account[name].network_rules;
    });
    const result = runCli(["policy", out], { cwd: PROJECT });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^iot-telemetry-prod: azurerm_storage_account\.\w+ \(iot-telemetry-prod\/lake\/account\): \[storage\.public-network\] public_network_access_enabled = true with no default-deny firewall/m);
  });

  it("stops with exit 2 on a declaration that is not a mode, or environments it cannot read", () => {
    edit("clickstream-dev", (json) => (json["//"].streamkit.publicNetworkAccess = "private"));
    const result = runCli(["policy", out], { cwd: PROJECT });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/clickstream-dev\/cdk\.tf\.json.*stack 'clickstream-dev' declares publicNetworkAccess "private"/);
    const bad = environmentsFile({ prod: { publicNetworkAccess: "open" } });
    expect(runCli(["policy", out, "--environments", bad])).toMatchObject({ code: 2, stderr: expect.stringMatching(/environments-\w+\.json: .*publicNetworkAccess/) });
    expect(runCli(["policy", out, "--environments", join(dir, "missing.json")])).toMatchObject({ code: 2, stderr: expect.stringMatching(/missing\.json: cannot read the environments/) });
  });
});
