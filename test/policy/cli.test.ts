// `streamkit policy` as a user runs it: over a cdktf.out directory, one stack, or a JSON file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../cli/cli-process";

const dir = mkdtempSync(join(tmpdir(), "streamkit-policy-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LAKE = {
  min_tls_version: "TLS1_2",
  shared_access_key_enabled: false,
  local_user_enabled: false,
  allow_nested_items_to_be_public: false,
  public_network_access_enabled: false,
  infrastructure_encryption_enabled: true,
  blob_properties: { delete_retention_policy: { days: 7 }, container_delete_retention_policy: { days: 7 } },
};
/** Logs of the account and its blob service (diagnostics.settings). */
const DIAGNOSTICS = {
  account: { target_resource_id: "${azurerm_storage_account.lake.id}" },
  blob: { target_resource_id: "${azurerm_storage_account.lake.id}/blobServices/default" },
};
const SECURE = { resource: { azurerm_storage_account: { lake: LAKE }, azurerm_monitor_diagnostic_setting: DIAGNOSTICS } };
const INSECURE = {
  resource: {
    azurerm_storage_account: { lake: { ...LAKE, shared_access_key_enabled: true, sas_policy: { expiration_period: "01.00:00:00" }, "//": { metadata: { path: "prod/lake/account" } } } },
    azurerm_monitor_diagnostic_setting: { ...DIAGNOSTICS, job: { target_resource_id: "${azurerm_stream_analytics_job.job.id}" } },
    azurerm_stream_analytics_job: { job: { name: "asa" } },
  },
};

function cdktfOut(name: string, stacks: Record<string, object>): string {
  const out = join(dir, name);
  for (const [stack, json] of Object.entries(stacks)) {
    mkdirSync(join(out, "stacks", stack), { recursive: true });
    writeFileSync(join(out, "stacks", stack, "cdk.tf.json"), JSON.stringify(json));
  }
  return out;
}

describe("streamkit policy", () => {
  it("exits 0 and says so when every stack passes", () => {
    const out = cdktfOut("ok", { "app-dev": SECURE, "app-prod": SECURE });
    const result = runCli(["policy", out]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("policy: ok in 2 stack(s), 6 resource(s) checked\n");
    expect(result.code).toBe(0);
  });

  it("prints each finding with stack, address and construct path, and exits 1", () => {
    const out = cdktfOut("bad", { "app-dev": SECURE, "app-prod": INSECURE });
    const result = runCli(["policy", out]);
    expect(result.stdout.split("\n")).toEqual([
      "app-prod: azurerm_storage_account.lake (prod/lake/account): [storage.shared-key] shared_access_key_enabled = true: shared keys and SAS tokens are allowed; fix: set shared_access_key_enabled = false and grant Entra ID identities RBAC roles (medium, local-auth; Checkov CKV2_AZURE_40)",
      "app-prod: azurerm_stream_analytics_job.job: [asa.identity] no managed identity; fix: add identity { type = \"SystemAssigned\" } (the job authenticates to its inputs and outputs with it instead of keys) (medium, managed-identity)",
      "policy: 2 finding(s) in 2 stack(s), 8 resource(s) checked",
      "",
    ]);
    expect(result.code).toBe(1);
  });

  it("reads one stack directory or one JSON file, and writes JSON on request", () => {
    const out = cdktfOut("single", { "app-prod": INSECURE });
    expect(runCli(["policy", join(out, "stacks", "app-prod")]).stdout).toMatch(/^app-prod: azurerm_storage_account\.lake/);
    const file = join(dir, "plain.tf.json");
    writeFileSync(file, JSON.stringify(INSECURE));
    const result = runCli(["policy", file, "--format", "json"]);
    const report = JSON.parse(result.stdout);
    expect(report.stacks).toEqual(["plain"]);
    expect(report.findings.map((f: { id: string; rule: string }) => `${f.rule} ${f.id}`)).toEqual(["local-auth storage.shared-key", "managed-identity asa.identity"]);
    expect(report.findings[0]).toMatchObject({ severity: "medium", checkov: ["CKV2_AZURE_40"], psrule: [], stack: "plain", address: "azurerm_storage_account.lake", constructPath: "prod/lake/account", attribute: "shared_access_key_enabled", value: true, fix: expect.stringMatching(/^set shared_access_key_enabled = false/) });
    expect(report.summary).toEqual({ stacks: 1, resources: 5, findings: 2, waived: 0, cannotVerify: 0 });
    expect(result.code).toBe(1);
  });

  it("applies the environment's exposure per stack, and command-line waivers", () => {
    const open = { resource: { ...SECURE.resource, azurerm_storage_account: { lake: { ...LAKE, public_network_access_enabled: true } } } };
    const out = cdktfOut("exposure", { "app-dev": open, "app-prod": open });
    const strict = runCli(["policy", out]);
    expect(strict.stdout).toMatch(/app-dev: .*\[storage\.public-network\][\s\S]*app-prod: .*\[storage\.public-network\]/);
    const perStack = runCli(["policy", out, "--public-network-access", "*-dev=enabled", "--waive", "public-network:azurerm_storage_account.*"]);
    expect(perStack.stdout).toMatch(/^app-prod: azurerm_storage_account\.lake: \[storage\.public-network\] .* \(waived: waived on the command line\)\npolicy: ok in 2 stack\(s\), 6 resource\(s\) checked, 1 waived\n$/);
    expect(perStack.code).toBe(0);
  });

  it("exits 2 with a clear message on a bad path, bad JSON or bad options", () => {
    const missing = runCli(["policy", join(dir, "nope")]);
    expect(missing.stderr).toMatch(/nope: no such file or directory/);
    expect(missing.code).toBe(2);
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ not json");
    expect(runCli(["policy", broken]).stderr).toMatch(/broken\.json: cannot read Terraform JSON/);
    const empty = join(dir, "empty");
    mkdirSync(empty);
    expect(runCli(["policy", empty]).stderr).toMatch(/no synthesized stack found/);
    expect(runCli(["policy", broken, "--public-network-access", "open"]).stderr).toMatch(/the mode is one of disabled, restricted, enabled/);
    const waive = runCli(["policy", broken, "--waive", "nosuchrule:x"]);
    expect(waive.stderr).toMatch(/--waive 'nosuchrule:x': write <rule>:<address glob>, rule a family \(tls, local-auth, /);
    expect(runCli(["policy", broken, "--format", "xml"]).stderr).toMatch(/--format must be one of text, json, sarif, not 'xml'/);
    expect(waive.code).toBe(2);
  });
});
