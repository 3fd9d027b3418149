// The IoT telemetry solution with Spark in place of Stream Analytics, as a real stack per
// environment: every engine reads the hub under its own consumer group with a managed identity,
// Databricks follows the environment's publicNetworkAccess, and the stack passes the policy as
// its environment declares it.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { App, Testing } from "cdktf";
import { checkStacks, formatFinding, loadStacks, type TerraformJson } from "../../lib/policy";
import { buildApp } from "../../stacks/app";
import { loadEnvironments, type EnvironmentSettings } from "../../stacks/environments";
import { ADX_SCRIPTS, IotSparkStack, SPARK_CONSUMER_GROUPS, SPARK_JOB_CODE } from "../../stacks/iot-spark-stack";

const PROJECT = resolve(__dirname, "../..");
const outdirs: string[] = [];
afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newApp(): App {
  const outdir = mkdtempSync(join(tmpdir(), "streamkit-spark-"));
  outdirs.push(outdir);
  return new App({ outdir });
}

type Json = TerraformJson & { resource: Record<string, Record<string, Record<string, any>>> };
const values = (json: Json, type: string) => Object.values(json.resource[type] ?? {});

/** One IoT Spark stack for an environment of cdktf.json, with some settings changed. */
function sparkStack(environment: string, change: Partial<EnvironmentSettings> = {}): { app: App; stack: IotSparkStack; json: Json } {
  const app = newApp();
  const settings = { ...loadEnvironments(PROJECT)[environment]!, ...change };
  const stack = new IotSparkStack(app, `iot-spark-${environment}`, { environment, settings, projectDir: PROJECT });
  return { app, stack, json: JSON.parse(Testing.synth(stack, true)) as Json };
}

describe("the IoT Spark example stacks", () => {
  const app = buildApp(PROJECT, newApp().outdir);
  const ids = app.node.children.map((c) => c.node.id).filter((id) => id.startsWith("iot-spark-"));
  const synthesized = new Map(ids.map((id) => [id, JSON.parse(Testing.synth(app.node.findChild(id) as IotSparkStack, true)) as Json]));

  it("has one stack per environment of cdktf.json", () => {
    expect(ids.sort()).toEqual(Object.keys(loadEnvironments(PROJECT)).map((e) => `iot-spark-${e}`).sort());
  });

  it.each(["iot-spark-dev", "iot-spark-prod"])("%s: every engine reads the hub under its own consumer group, with a Data Receiver grant on the hub alone", (id) => {
    const json = synthesized.get(id)!;
    expect(values(json, "azurerm_eventhub_consumer_group").map((g) => g.name).sort()).toEqual(Object.values(SPARK_CONSUMER_GROUPS).sort());
    const receivers = values(json, "azurerm_role_assignment").filter((r) => r.role_definition_name === "Azure Event Hubs Data Receiver");
    // Databricks' access connector, the Synapse workspace (its Spark pools), Data Explorer.
    expect(receivers).toHaveLength(3);
    for (const r of receivers) expect(r.scope).toMatch(/^\$\{azurerm_eventhub\.[^}]+\.id\}$/);
    const connection = values(json, "azurerm_kusto_eventhub_data_connection")[0]!;
    expect(connection.consumer_group).toBe(SPARK_CONSUMER_GROUPS.dataExplorer);
    // Spark writes Delta to the lake: Databricks to bronze/silver/checkpoints, Synapse reads silver
    // (and owns its workspace filesystem, `synapse`).
    const lakeRoles = values(json, "azurerm_role_assignment")
      .filter((r) => /\/containers\//.test(String(r.scope)))
      .map((r) => `${String(r.scope).split("/containers/")[1]}:${r.role_definition_name}`)
      .sort();
    expect(lakeRoles).toEqual(["bronze:Storage Blob Data Contributor", "checkpoints:Storage Blob Data Contributor", "silver:Storage Blob Data Contributor", "silver:Storage Blob Data Reader", "synapse:Storage Blob Data Contributor"]);
  });

  it("restricted environments close the Databricks workspace: VNet injection, private endpoints with private DNS for the workspaces, Event Hubs and the lake", () => {
    for (const [id, json] of synthesized) {
      const net = id.endsWith("-prod") ? "10.41" : "10.40";
      const workspace = values(json, "azurerm_databricks_workspace")[0]!;
      expect(workspace.public_network_access_enabled).toBe(false);
      expect(workspace.network_security_group_rules_required).toBe("NoAzureDatabricksRules");
      expect(workspace.custom_parameters).toMatchObject({ no_public_ip: true, virtual_network_id: expect.stringMatching(/^\$\{azurerm_virtual_network\./) });
      const endpoints = values(json, "azurerm_private_endpoint").map((pe) => pe.private_service_connection.subresource_names[0]).sort();
      expect(endpoints).toEqual(["Dev", "SqlOnDemand", "blob", "databricks_ui_api", "dfs", "namespace"]);
      for (const pe of values(json, "azurerm_private_endpoint")) {
        expect(pe.subnet_id).toMatch(/^\$\{azurerm_subnet\.network_private-endpoints_[^}]+\.id\}$/);
        expect(pe.private_dns_zone_group.private_dns_zone_ids).toEqual([expect.stringMatching(/^\$\{azurerm_private_dns_zone\./)]);
      }
      expect(values(json, "azurerm_private_dns_zone").map((z) => z.name).sort()).toEqual([
        "privatelink.azuredatabricks.net",
        "privatelink.blob.core.windows.net",
        "privatelink.dev.azuresynapse.net",
        "privatelink.dfs.core.windows.net",
        "privatelink.servicebus.windows.net",
        "privatelink.sql.azuresynapse.net",
      ]);
      expect(values(json, "azurerm_private_dns_zone_virtual_network_link")).toHaveLength(6);
      const subnets = Object.fromEntries(values(json, "azurerm_subnet").map((s) => [s.name, s.address_prefixes]));
      expect(subnets).toEqual({ "databricks-host": [`${net}.0.0/22`], "databricks-container": [`${net}.4.0/22`], "private-endpoints": [`${net}.8.0/24`] });
    }
  });

  it("sizes per environment: prod is zone-redundant, locked, with a production Data Explorer SKU", () => {
    const dev = synthesized.get("iot-spark-dev")!;
    const prod = synthesized.get("iot-spark-prod")!;
    expect(values(dev, "azurerm_storage_account")[0]!.account_replication_type).toBe("LRS");
    expect(values(prod, "azurerm_storage_account")[0]!.account_replication_type).toBe("ZRS");
    expect(values(dev, "azurerm_management_lock")).toHaveLength(0);
    expect(values(prod, "azurerm_management_lock").length).toBeGreaterThan(0);
    expect(values(dev, "azurerm_kusto_cluster")[0]!.sku).toEqual({ name: "Dev(No SLA)_Standard_E2a_v4", capacity: 1 });
    expect(values(prod, "azurerm_kusto_cluster")[0]!.sku).toEqual({ name: "Standard_E2ads_v5", capacity: 2 });
    expect(values(prod, "azurerm_synapse_spark_pool")[0]!).toMatchObject({ node_size: "Medium", auto_scale: { min_node_count: 3, max_node_count: 10 } });
  });

  it("publishes the Kafka client properties Spark reads the hub with, without a secret", () => {
    const output = synthesized.get("iot-spark-prod")!.output!.databricks_kafka_properties!;
    expect(output.value).toMatch(/^bootstrap\.servers=evhns-skprod-spark\.servicebus\.windows\.net:9093\n/);
    expect(output.value).toContain("group.id=databricks");
    expect(output.value).not.toMatch(/password|SharedAccessKey/i);
  });

  it.each(["dev", "prod"])("iot-spark-%s processes the stream: a Databricks job Event Hubs → bronze → silver, on its environment's runtime and bounds, as its own identity", (environment) => {
    const json = synthesized.get(`iot-spark-${environment}`)!;
    const env = loadEnvironments(PROJECT)[environment]!;
    const job = values(json, "databricks_job")[0]!;
    expect(job.name).toBe("iot-telemetry-bronze-silver");
    expect(job.continuous).toMatchObject({ pause_status: "UNPAUSED" });
    expect(job.email_notifications.on_failure).toEqual(env.alerts.emailReceivers);
    const cluster = job.job_cluster[0].new_cluster;
    expect(cluster).toMatchObject({ spark_version: env.databricks.sparkVersion, node_type_id: env.databricks.nodeType, autoscale: { min_workers: env.databricks.minWorkers, max_workers: env.databricks.maxWorkers }, data_security_mode: "SINGLE_USER" });
    expect(cluster.policy_id).toMatch(/^\$\{databricks_cluster_policy\./);
    expect(job.run_as.service_principal_name).toMatch(/^\$\{databricks_service_principal\.[^}]+\.application_id\}$/);
    const prefix = env.namePrefix;
    expect(job.task[0].spark_python_task.parameters).toEqual([
      `--telemetry_bootstrap_servers=evhns-${prefix}-spark.servicebus.windows.net:9093`,
      "--telemetry_topic=telemetry",
      "--telemetry_consumer_group=databricks",
      `--telemetry_service_credential=dbw_${prefix}_spark_connector_service`,
      `--bronze_path=abfss://bronze@st${prefix}sparklake.dfs.core.windows.net/telemetry/`,
      `--silver_path=abfss://silver@st${prefix}sparklake.dfs.core.windows.net/telemetry/`,
      `--checkpoint_location=abfss://checkpoints@st${prefix}sparklake.dfs.core.windows.net/iot-telemetry-bronze-silver/`,
      "--trigger=continuous",
    ]);
    expect(Buffer.from(values(json, "databricks_workspace_file")[0]!.content_base64, "base64").toString()).toBe(readFileSync(join(PROJECT, SPARK_JOB_CODE), "utf8"));
    expect(values(json, "databricks_external_location").map((l) => l.url).sort()).toEqual(
      ["bronze/telemetry/", "checkpoints/iot-telemetry-bronze-silver/", "silver/telemetry/"].map((p) => `abfss://${p.split("/")[0]}@st${prefix}sparklake.dfs.core.windows.net/${p.split("/").slice(1).join("/")}`),
    );
    // The workspace's provider is this workspace's.
    expect(((json as any).provider.databricks[0].azure_workspace_resource_id as string)).toMatch(/^\$\{azurerm_databricks_workspace\./);
  });

  it.each(["dev", "prod"])("iot-spark-%s: Data Explorer ingests raw messages and types them with an update policy into per-device minute aggregates", (environment) => {
    const json = synthesized.get(`iot-spark-${environment}`)!;
    const scripts = values(json, "azurerm_kusto_script");
    const content = (name: string) => scripts.find((s) => s.name === name)!.script_content as string;
    expect(scripts.map((s) => s.name).sort()).toEqual(["create-rawtelemetry", ...ADX_SCRIPTS.map((f) => `script-${f.split("/").pop()!.replace(".kql", "")}`)].sort());
    expect(content("create-rawtelemetry")).toContain(".create-merge table ['RawTelemetry'] (['payload']:dynamic)");
    expect(content("script-30-update-policy")).toMatch(/\.alter table Telemetry policy update @'\[\{"IsEnabled": true, "Source": "RawTelemetry", "Query": "ParseTelemetry\(\)", "IsTransactional": true/);
    expect(content("script-40-device-minute-view")).toContain("materialized-view with (docString = \"Per-device minute aggregates\", folder = \"streamkit\") TelemetryPerDeviceMinute on table Telemetry");
    const connection = values(json, "azurerm_kusto_eventhub_data_connection")[0]!;
    expect(connection).toMatchObject({ table_name: "RawTelemetry", mapping_rule_name: "RawTelemetry_json" });
    expect(connection.identity_id).toMatch(/^\$\{azurerm_kusto_cluster\./);
  });

  it("an environment that allows public endpoints keeps the Databricks workspace public, without a network", () => {
    const { app: open, json } = sparkStack("dev", { publicNetworkAccess: "enabled" });
    expect(values(json, "azurerm_databricks_workspace")[0]!.public_network_access_enabled).toBe(true);
    expect(values(json, "azurerm_virtual_network")).toHaveLength(0);
    expect(values(json, "azurerm_private_endpoint")).toHaveLength(0);
    // Checked against its environment (enabled): green.
    open.synth();
    const stacks = loadStacks(open.outdir);
    expect(checkStacks(stacks, { environments: { dev: { publicNetworkAccess: "enabled" } } }).filter((f) => !f.waived).map(formatFinding)).toEqual([]);
    // The same stack held to `restricted` is caught: Databricks has no firewall of its own. The
    // stack's own declaration (enabled) does not count: a stack cannot open itself up.
    for (const options of [{ environments: { dev: { publicNetworkAccess: "restricted" as const } } }, { environments: { dev: {} } }]) {
      expect(checkStacks(stacks, options).map(formatFinding)).toEqual([
        expect.stringMatching(/^iot-spark-dev: azurerm_databricks_workspace\.databricks_workspace_\w+ \(iot-spark-dev\/databricks\/workspace\): \[databricks\.public-network\] public_network_access_enabled = true and this service has no default-deny firewall/),
      ]);
    }
  });

});
