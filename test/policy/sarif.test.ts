// `streamkit policy --format sarif` as GitHub code scanning and Azure DevOps read it: valid
// against the SARIF 2.1.0 JSON schema (the schemastore schema that @microsoft/jest-sarif ships,
// draft-04, checked with ajv), one result per finding located in the stack's file, waivers as
// suppressions. And `--format json` carries every field of a finding.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import type { Log } from "sarif";
import { RULES } from "../../lib/policy";
import { runCli } from "../cli/cli-process";

const SCHEMA = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
// The schema's language pattern is not a valid unicode-mode regular expression: compile patterns without the u flag.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(SCHEMA);

const dir = mkdtempSync(join(tmpdir(), "streamkit-sarif-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stack with a finding of each kind: plain, waived in code, cannot verify, and one in a variable. */
const STACK = {
  resource: {
    azurerm_storage_account: {
      lake: {
        "//": { metadata: { path: "app-prod/lake/account" }, streamkit: { waivers: [{ rule: "storage.shared-key", reason: "a consumer that only takes a connection string" }] } },
        min_tls_version: "${var.tls}",
        shared_access_key_enabled: true,
        sas_policy: { expiration_period: "01.00:00:00" },
        local_user_enabled: false,
        allow_nested_items_to_be_public: false,
        public_network_access_enabled: true,
        network_rules: { default_action: "Deny", bypass: ["AzureServices"], ip_rules: ["0.0.0.0/1", "128.0.0.0/1"] },
        infrastructure_encryption_enabled: true,
        blob_properties: { delete_retention_policy: { days: 7 }, container_delete_retention_policy: { days: 7 } },
      },
    },
    azurerm_monitor_diagnostic_setting: {
      account: { target_resource_id: "${azurerm_storage_account.lake.id}" },
      blob: { target_resource_id: "${azurerm_storage_account.lake.id}/blobServices/default" },
    },
  },
  variable: { api_key: { type: "string" } },
};

function sarifOf(): { log: Log; code: number } {
  const out = join(dir, "cdktf.out");
  mkdirSync(join(out, "stacks", "app-prod"), { recursive: true });
  writeFileSync(join(out, "stacks", "app-prod", "cdk.tf.json"), JSON.stringify(STACK, null, 2));
  const result = runCli(["policy", out, "--format", "sarif"], { cwd: dir });
  return { log: JSON.parse(result.stdout) as Log, code: result.code };
}

describe("streamkit policy --format sarif", () => {
  const { log, code } = sarifOf();

  it("is valid SARIF 2.1.0", () => {
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(log.version).toBe("2.1.0");
    expect(code).toBe(1);
  });

  it("describes every rule with its severity and its Checkov and PSRule equivalents", () => {
    const rules = log.runs[0]!.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(rules.find((r) => r.id === "storage.min-tls")).toMatchObject({
      defaultConfiguration: { level: "error" },
      properties: { "security-severity": "8.0", checkov: ["CKV_AZURE_44"], psrule: ["Azure.Storage.MinTLS"], tags: expect.arrayContaining(["security", "tls"]) },
    });
  });

  it("has one result per finding, located in the stack's file, waivers as suppressions", () => {
    const results = log.runs[0]!.results!;
    const byRule = Object.fromEntries(results.map((r) => [r.ruleId, r]));
    expect(Object.keys(byRule).sort()).toEqual(["secrets.variable-sensitive", "storage.allow-all-ip", "storage.min-tls", "storage.shared-key"]);
    const allowAll = byRule["storage.allow-all-ip"]!;
    expect(allowAll).toMatchObject({
      level: "error",
      ruleIndex: RULES.findIndex((r) => r.id === "storage.allow-all-ip"),
      message: { text: expect.stringMatching(/^azurerm_storage_account\.lake \(app-prod\/lake\/account\): network_rules\.ip_rules admit 4,294,967,296 addresses, 100% of IPv4.*\. Fix: /) },
      properties: { stack: "app-prod", family: "network-rules", attribute: "network_rules.ip_rules", value: ["0.0.0.0/1", "128.0.0.0/1"], checkov: [], psrule: [] },
    });
    const location = allowAll.locations![0]!;
    expect(location.physicalLocation!.artifactLocation!.uri).toBe("cdktf.out/stacks/app-prod/cdk.tf.json");
    // The line of the resource in the file as written.
    const lines = JSON.stringify(STACK, null, 2).split("\n");
    expect(lines[location.physicalLocation!.region!.startLine! - 1]).toMatch(/^\s+"lake": \{$/);
    expect(location.logicalLocations).toEqual([
      { fullyQualifiedName: "azurerm_storage_account.lake", kind: "resource" },
      { fullyQualifiedName: "app-prod/lake/account", kind: "module" },
    ]);
    expect(byRule["storage.min-tls"]!.properties).toMatchObject({ cannotVerify: true, value: "${var.tls}" });
    expect(byRule["storage.shared-key"]!.suppressions).toEqual([{ kind: "inSource", status: "accepted", justification: "a consumer that only takes a connection string" }]);
    expect(byRule["secrets.variable-sensitive"]!.locations![0]!.physicalLocation!.region!.startLine).toBe(lines.findIndex((l) => /"api_key"/.test(l)) + 1);
    expect(new Set(results.map((r) => r.partialFingerprints!["streamkitFinding/v1"])).size).toBe(results.length);
  });

  it("is caught by the schema when broken (the validation can fail)", () => {
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    broken.runs[0]!.results[0]!.level = "fatal";
    expect(validate(broken)).toBe(false);
  });
});

describe("streamkit policy --format json", () => {
  it("carries rule id, family, severity, Checkov and PSRule ids, address, construct path, attribute, value and fix", () => {
    const file = join(dir, "stack.tf.json");
    writeFileSync(file, JSON.stringify(STACK));
    const report = JSON.parse(runCli(["policy", file, "--format", "json"], { cwd: dir }).stdout);
    expect(report.summary).toEqual({ stacks: 1, resources: 3, findings: 3, waived: 1, cannotVerify: 1 });
    expect(report.findings.find((f: { id: string }) => f.id === "storage.allow-all-ip")).toEqual({
      rule: "network-rules",
      id: "storage.allow-all-ip",
      severity: "high",
      checkov: [],
      psrule: [],
      stack: "stack",
      address: "azurerm_storage_account.lake",
      constructPath: "app-prod/lake/account",
      attribute: "network_rules.ip_rules",
      value: ["0.0.0.0/1", "128.0.0.0/1"],
      message: "network_rules.ip_rules admit 4,294,967,296 addresses, 100% of IPv4: the whole internet, in effect",
      fix: "list only the networks that need access in network_rules.ip_rules",
    });
  });
});
