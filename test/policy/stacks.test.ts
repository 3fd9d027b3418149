// The policy over real synthesized stacks: every example stack, a stack of every streamkit
// construct at its defaults (secure by default), and deliberately insecure stacks (caught),
// including overrides through cdktf's escape hatch and waivers declared in code.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { App, TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { buildApp } from "../../stacks/app";
import { checkStacks, formatFinding, loadStacks, readEnvironments, type Finding } from "../../lib/policy";
import { addAzureProvider } from "../../constructs/core/azure-provider";
import { waivePolicy } from "../../constructs/core/policy-waiver";
import { EventHubsNamespace } from "../../constructs/eventhubs/event-hubs-namespace";
import { StreamkitStorage } from "../../constructs/storage/storage-account";
import { AzureSql } from "../../constructs/sql/azure-sql";
import { IotHub } from "../../constructs/iothub/iot-hub";
import { Synapse } from "../../constructs/synapse/synapse";
import { PowerBiOutput } from "../../constructs/powerbi/power-bi-output";
import { Databricks } from "../../constructs/databricks/databricks";
import { DataExplorer } from "../../constructs/dataexplorer/data-explorer";
import { HdinsightKafka } from "../../constructs/hdinsight/hdinsight-kafka";
import { SynapseSparkPool } from "../../constructs/synapse/spark-pool";

const PROJECT = resolve(__dirname, "../..");
/** Placement, and logs to a workspace, as a pipeline wires every construct. */
const PLACEMENT = { resourceGroupName: "rg-skdev-streaming", location: "westeurope", diagnosticSettings: { logAnalyticsWorkspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log" } };
const ADMIN = { loginUsername: "sql-admins", objectId: "44444444-4444-4444-4444-444444444444" };
const outdirs: string[] = [];
afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newApp(): App {
  const outdir = mkdtempSync(join(tmpdir(), "streamkit-policy-"));
  outdirs.push(outdir);
  return new App({ outdir });
}

/** Synthesizes the app as `cdktf synth` does, then checks what it wrote (a stack of no known environment gets the production rules). */
function policyOf(app: App, exposure: "disabled" | "restricted" | "enabled" = "restricted"): Finding[] {
  app.synth();
  return checkStacks(loadStacks(app.outdir), { publicNetworkAccess: exposure });
}

const open = (findings: Finding[]) => findings.filter((f) => !f.waived).map(formatFinding);

/** Every streamkit service construct at its defaults, wired as a pipeline would be. */
function defaultsStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, "defaults");
  addAzureProvider(stack);
  const lake = new StreamkitStorage(stack, "lake", { ...PLACEMENT, name: "stskdevlake", containers: ["raw", "synapse"] });
  const events = new EventHubsNamespace(stack, "events", { ...PLACEMENT, name: "evhns-skdev-events", hubs: [{ name: "telemetry", consumerGroups: ["asa"] }] });
  new IotHub(stack, "iot", { ...PLACEMENT, name: "iot-skdev-devices", routes: [{ name: "to-events", eventHub: events.hub("telemetry") }] });
  new AzureSql(stack, "sql", { ...PLACEMENT, serverName: "sql-skdev-streaming", databaseName: "telemetry", entraAdmin: ADMIN, tables: [{ name: "t", columns: [{ name: "a", sqlType: "int", nullable: true }] }] });
  new Synapse(stack, "synapse", { ...PLACEMENT, name: "syn-skdev-streaming", filesystem: { storageAccount: lake, name: "synapse" }, entraAdmin: ADMIN, sqlPool: { name: "pool" } });
  new PowerBiOutput(stack, "powerbi", { workspaceId: "7d3c2a10-1b2c-4d5e-8f90-123456789abc", workspaceName: "Streaming", dataset: "d", table: "t" });
  return stack;
}

describe("the policy over synthesized stacks", () => {
  it("finds nothing in any example stack (npm run synth's stacks)", () => {
    const app = buildApp(PROJECT, newApp().outdir);
    app.synth();
    // Each stack held to its cdktf.json environment: dev without, prod with the production rules.
    const findings = checkStacks(loadStacks(app.outdir), { environments: readEnvironments(join(PROJECT, "cdktf.json")) });
    expect(loadStacks(app.outdir).length).toBeGreaterThanOrEqual(2);
    expect(open(findings)).toEqual([]);
  });

  it("finds nothing in every construct at its defaults, where the environment allows restricted access", () => {
    const app = newApp();
    defaultsStack(app);
    expect(open(policyOf(app))).toEqual([]);
  });

  it("reports the default-deny public endpoints when the environment allows private endpoints only", () => {
    const app = newApp();
    defaultsStack(app);
    const findings = policyOf(app, "disabled").filter((f) => !f.waived);
    expect(findings.every((f) => f.rule === "public-network")).toBe(true);
    expect(findings.map((f) => f.address.split(".")[0]).sort()).toEqual([
      "azurerm_eventhub_namespace",
      "azurerm_iothub",
      "azurerm_mssql_server",
      "azurerm_storage_account",
      "azurerm_synapse_workspace",
    ]);
  });

  it("finds nothing in the Spark, Kafka and Data Explorer constructs, except a public Databricks workspace where the environment forbids it", () => {
    const app = newApp();
    const stack = new TerraformStack(app, "engines");
    addAzureProvider(stack);
    const lake = new StreamkitStorage(stack, "lake", { ...PLACEMENT, name: "stskdevlake", containers: ["delta", "synapse", "kafka"] });
    const events = new EventHubsNamespace(stack, "events", { ...PLACEMENT, name: "evhns-skdev-events", hubs: [{ name: "telemetry", consumerGroups: ["spark", "adx"] }] });
    const hub = events.hub("telemetry");
    new Databricks(stack, "dbx", { ...PLACEMENT, name: "dbw-skdev", publicNetworkAccess: "enabled", lakeAccess: [{ storageAccount: lake, container: "delta", access: "read" }], eventHubAccess: [{ hub, access: "receive" }] });
    const synapse = new Synapse(stack, "synapse", { ...PLACEMENT, name: "syn-skdev-streaming", filesystem: { storageAccount: lake, name: "synapse" }, entraAdmin: ADMIN });
    new SynapseSparkPool(stack, "spark", { workspace: synapse, name: "stream", eventHubAccess: [{ hub, access: "receive" }], diagnosticSettings: PLACEMENT.diagnosticSettings });
    new DataExplorer(stack, "adx", { ...PLACEMENT, clusterName: "adxskdev", databaseName: "telemetry", tables: [{ name: "T", columns: [{ name: "a", type: "string" }] }], eventHubConnections: [{ name: "in", hub, consumerGroup: "adx", table: "T" }] });
    const password = new TerraformVariable(stack, "kafka_gateway_password", { type: "string", sensitive: true });
    new HdinsightKafka(stack, "kafka", { ...PLACEMENT, name: "hdi-skdev-kafka", storage: { storageAccount: lake, filesystem: "kafka" }, identity: { id: "/uai", principalId: "p" }, gateway: { username: "kafkaadmin", password }, ssh: { username: "kafkauser", publicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample"] } });
    const restricted = policyOf(app);
    expect(open(restricted)).toEqual([expect.stringMatching(/^engines: azurerm_databricks_workspace\.dbx_workspace_\w+ \(engines\/dbx\/workspace\): \[databricks\.public-network\] public_network_access_enabled = true and this service has no default-deny firewall; fix: turn public access off/)]);
    expect(open(checkStacks(loadStacks(app.outdir), { publicNetworkAccess: "enabled" }))).toEqual([]);
  });

  it("catches insecure options and escape-hatch overrides, with each resource's address and construct path", () => {
    const app = newApp();
    const stack = new TerraformStack(app, "insecure");
    addAzureProvider(stack);
    new StreamkitStorage(stack, "lake", { ...PLACEMENT, name: "stskdevlake", sharedAccessKeyEnabled: true, publicNetworkAccess: "enabled" });
    const events = new EventHubsNamespace(stack, "events", { ...PLACEMENT, name: "evhns-skdev-a", localAuthenticationEnabled: true, managedIdentities: { systemAssigned: false } });
    events.namespace.addOverride("minimum_tls_version", "1.0");
    new IotHub(stack, "iot", { ...PLACEMENT, name: "iot-skdev-devices", localAuthenticationEnabled: true, publicNetworkAccess: "enabled" });
    const sql = new AzureSql(stack, "sql", { ...PLACEMENT, serverName: "sql-skdev-a", databaseName: "db", entraAdmin: ADMIN });
    sql.server.addOverride("azuread_administrator.azuread_authentication_only", false);
    sql.server.addOverride("administrator_login_password", "P@ssw0rd-in-code");
    const password = new TerraformVariable(stack, "sql_password", { type: "string", sensitive: true, default: "hunter2hunter2" });
    new TerraformOutput(stack, "events_connection", { value: events.namespace.defaultPrimaryConnectionString });
    new TerraformOutput(stack, "pw_length", { value: password.stringValue, sensitive: true });

    const findings = policyOf(app).filter((f) => !f.waived);
    const lines = findings.map((f) => `[${f.rule}] ${f.address.replace(/_[0-9A-F]{8}$/, "")} (${f.constructPath ?? "-"})`);
    expect(lines.sort()).toEqual([
      "[literal-secret] azurerm_mssql_server.sql_server (insecure/sql/server)",
      "[literal-secret] output.events_connection (-)",
      "[literal-secret] var.sql_password (-)",
      "[local-auth] azurerm_eventhub_namespace.events_namespace (insecure/events/namespace)",
      "[local-auth] azurerm_iothub.iot_hub (insecure/iot/hub)",
      "[local-auth] azurerm_mssql_server.sql_server (insecure/sql/server)",
      "[local-auth] azurerm_storage_account.lake_account (insecure/lake/account)",
      "[local-auth] azurerm_storage_account.lake_account (insecure/lake/account)",
      "[managed-identity] azurerm_eventhub_namespace.events_namespace (insecure/events/namespace)",
      "[public-network] azurerm_iothub.iot_hub (insecure/iot/hub)",
      "[public-network] azurerm_storage_account.lake_account (insecure/lake/account)",
      "[tls] azurerm_eventhub_namespace.events_namespace (insecure/events/namespace)",
    ]);
    expect(findings.find((f) => f.rule === "tls")!.message).toBe('minimum_tls_version = "1.0": clients may use TLS versions older than 1.2');
    expect(findings.filter((f) => f.rule === "local-auth" && f.address.startsWith("azurerm_storage_account")).map((f) => f.id)).toEqual(["storage.shared-key", "storage.sas-expiration"]);
  });

  it("lets a stack waive a finding in code with a reason: still printed, no longer failing", () => {
    const app = newApp();
    const stack = new TerraformStack(app, "waived");
    addAzureProvider(stack);
    const lake = new StreamkitStorage(stack, "capture", { ...PLACEMENT, name: "stskdevcapture", sharedAccessKeyEnabled: true });
    waivePolicy(lake.account, "local-auth", "Event Hubs Capture in azurerm 4.55 writes with the storage account key");
    const findings = policyOf(app);
    expect(open(findings)).toEqual([]);
    expect(findings.map(formatFinding)).toEqual([
      expect.stringMatching(/^waived: azurerm_storage_account\.capture_account_\w+ \(waived\/capture\/account\): \[storage\.shared-key\] shared_access_key_enabled = true: .* \(waived: Event Hubs Capture in azurerm 4.55 writes with the storage account key\)$/),
      expect.stringMatching(/^waived: azurerm_storage_account\.capture_account_\w+ \(waived\/capture\/account\): \[storage\.sas-expiration\] sas_policy\.expiration_period is not set: .* \(waived: Event Hubs Capture in azurerm 4.55 writes with the storage account key\)$/),
    ]);
    expect(() => waivePolicy(lake.account, "tls", "because")).toThrow(/needs a reason/);
    expect(() => waivePolicy(new TerraformStack(Testing.app(), "empty"), "tls", "a long enough reason")).toThrow(/holds no Terraform resource/);
  });
});
