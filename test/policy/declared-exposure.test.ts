// Each stack says what its environment allows (cdktf.json `publicNetworkAccess`, written into
// cdk.tf.json by the example stacks); `streamkit policy cdktf.out` checks it so without flags,
// and a flag still decides for the stacks it names.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { declaredExposure, exposureFor, type SynthesizedStack } from "../../lib/policy";
import { buildApp } from "../../stacks/app";
import { runCli } from "../cli/cli-process";

const PROJECT = resolve(__dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "streamkit-exposure-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stackOf = (json: object, name = "s"): SynthesizedStack => ({ name, file: `${name}.json`, json: json as SynthesizedStack["json"] });

describe("the exposure a stack declares", () => {
  it("is read from the stack's \"//\".streamkit block; the caller's setting comes first, restricted last", () => {
    const disabled = stackOf({ "//": { streamkit: { publicNetworkAccess: "disabled" } } });
    expect(declaredExposure(disabled)).toBe("disabled");
    expect(declaredExposure(stackOf({}))).toBeUndefined();
    expect(exposureFor({}, disabled)).toBe("disabled");
    expect(exposureFor({}, stackOf({}))).toBe("restricted");
    expect(exposureFor({ publicNetworkAccess: "enabled" }, disabled)).toBe("enabled");
    expect(exposureFor({ publicNetworkAccess: () => undefined }, disabled)).toBe("disabled");
    expect(exposureFor({ publicNetworkAccess: (name) => (name === "s" ? "restricted" : undefined) }, disabled)).toBe("restricted");
  });

  it("must be one of the three modes", () => {
    expect(() => declaredExposure(stackOf({ "//": { streamkit: { publicNetworkAccess: "private" } } }, "app-prod"))).toThrow(
      /stack 'app-prod' declares publicNetworkAccess "private" .*expected one of disabled, restricted, enabled/,
    );
  });
});

describe("streamkit policy over the example stacks, without flags", () => {
  const out = join(dir, "cdktf.out");
  buildApp(PROJECT, out).synth();
  const stackFile = (name: string) => join(out, "stacks", name, "cdk.tf.json");
  const declare = (name: string, value: unknown) => {
    const json = JSON.parse(readFileSync(stackFile(name), "utf8"));
    json["//"].streamkit.publicNetworkAccess = value;
    writeFileSync(stackFile(name), JSON.stringify(json));
  };

  it("writes cdktf.json's publicNetworkAccess into every stack, and the policy passes", () => {
    for (const name of ["iot-telemetry-dev", "clickstream-prod", "iot-spark-prod"]) {
      expect(JSON.parse(readFileSync(stackFile(name), "utf8"))["//"].streamkit).toEqual({ publicNetworkAccess: "restricted" });
    }
    expect(runCli(["policy", out])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^policy: ok in 6 stack\(s\)/m) });
  });

  it("holds a stack whose environment declares `disabled` to private endpoints only, and only that stack", () => {
    declare("iot-telemetry-prod", "disabled");
    const result = runCli(["policy", out]);
    expect(result.code).toBe(1);
    const findings = result.stdout.split("\n").filter((line) => line.includes("[public-network]"));
    expect(findings.length).toBeGreaterThan(0);
    for (const line of findings) {
      expect(line).toMatch(/^iot-telemetry-prod: .*allows private endpoints only: set public_network_access_enabled = false$/);
    }
    // A flag decides for the stacks it names.
    expect(runCli(["policy", out, "--public-network-access", "*-prod=restricted"]).code).toBe(0);
    expect(runCli(["policy", out, "--public-network-access", "iot-telemetry-dev=restricted"]).code).toBe(1);
    declare("iot-telemetry-prod", "restricted");
  });

  it("stops with exit 2 on a declaration that is not a mode", () => {
    declare("clickstream-dev", "private");
    const result = runCli(["policy", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/clickstream-dev\/cdk\.tf\.json.*stack 'clickstream-dev' declares publicNetworkAccess "private"/);
    declare("clickstream-dev", "restricted");
  });
});
