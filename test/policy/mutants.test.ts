// Evidence that every rule catches what it claims, on real synthesized stacks: the example
// stacks pass clean, then each mutant changes one stack (as an escape-hatch override or a
// hand edit would) to break exactly one rule, and the policy must report that rule, and only
// that rule. Rules on services the examples do not use get a secure resource added first.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildApp } from "../../stacks/app";
import { checkStacks, formatFinding, loadStacks, readEnvironments, RULES, type Finding, type SynthesizedStack } from "../../lib/policy";

const PROJECT = resolve(__dirname, "../..");
const ENVIRONMENTS = readEnvironments(join(PROJECT, "cdktf.json"));
const out = mkdtempSync(join(tmpdir(), "streamkit-mutants-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));
buildApp(PROJECT, out).synth();
const STACKS = new Map(loadStacks(out).map((s) => [s.name, s]));

type Json = Record<string, any>;
/** The body of the (first) resource of a type. */
const first = (json: Json, type: string): Json => {
  const body = Object.values(json.resource[type] ?? {})[0] as Json | undefined;
  if (!body) throw new Error(`the stack has no ${type}`);
  return body;
};
const addressOf = (json: Json, type: string) => `${type}.${Object.keys(json.resource[type])[0]}`;
/** A block as written by cdktf: an object or a one-element list. */
const blockOf = (body: Json, key: string): Json => (Array.isArray(body[key]) ? body[key][0] : body[key]);
const add = (json: Json, type: string, name: string, body: Json) => ((json.resource[type] ??= {})[name] = body);
const withLogs = (json: Json, type: string, name: string) => add(json, "azurerm_monitor_diagnostic_setting", `${name}_logs`, { target_resource_id: `\${${type}.${name}.id}` });
/** Public access off on every resource but one type's, so a `disabled` environment finds that one only. */
const privateExcept = (json: Json, keep: string) => {
  json["//"].streamkit.publicNetworkAccess = "disabled";
  for (const [type, byName] of Object.entries(json.resource as Record<string, Record<string, Json>>)) {
    if (type === keep) continue;
    for (const body of Object.values(byName)) if ("public_network_access_enabled" in body) body.public_network_access_enabled = false;
  }
};
const unwaive = (body: Json) => delete body["//"].streamkit;

const SECURE_ADDITIONS = {
  kafka: (json: Json) => add(json, "azurerm_hdinsight_kafka_cluster", "kafka", { tls_min_version: "1.2", encryption_in_transit_enabled: true, storage_account_gen2: { managed_identity_resource_id: "/uai", is_default: true } }),
  serviceBus: (json: Json) => {
    add(json, "azurerm_servicebus_namespace", "bus", { minimum_tls_version: "1.2", local_auth_enabled: false, public_network_access_enabled: false });
    withLogs(json, "azurerm_servicebus_namespace", "bus");
  },
  cosmos: (json: Json) => {
    add(json, "azurerm_cosmosdb_account", "cosmos", { minimal_tls_version: "Tls12", local_authentication_disabled: true, public_network_access_enabled: false });
    withLogs(json, "azurerm_cosmosdb_account", "cosmos");
  },
  keyVault: (json: Json) => {
    add(json, "azurerm_key_vault", "vault", { public_network_access_enabled: false, purge_protection_enabled: true, network_acls: { default_action: "Deny", bypass: "AzureServices" } });
    withLogs(json, "azurerm_key_vault", "vault");
  },
};

interface Mutant {
  rule: string;
  what: string;
  stack: "iot-telemetry-prod" | "clickstream-prod" | "iot-spark-prod" | "iot-telemetry-dev";
  mutate(json: Json): void;
  /** The finding is "cannot verify" (a Terraform expression). */
  cannotVerify?: boolean;
}

const T = "iot-telemetry-prod";
const C = "clickstream-prod";
const S = "iot-spark-prod";
const storage = (json: Json) => first(json, "azurerm_storage_account");
const namespace = (json: Json) => first(json, "azurerm_eventhub_namespace");
const hub = (json: Json) => first(json, "azurerm_iothub");
const workspace = (json: Json) => first(json, "azurerm_synapse_workspace");
const kusto = (json: Json) => first(json, "azurerm_kusto_cluster");
const sqlFirewall = (json: Json, name: string, start: string, end: string) =>
  add(json, "azurerm_mssql_firewall_rule", name, { name, server_id: `\${${addressOf(json, "azurerm_mssql_server")}.id}`, start_ip_address: start, end_ip_address: end });

const MUTANTS: Mutant[] = [
  // Storage
  { rule: "storage.min-tls", what: "TLS 1.0", stack: T, mutate: (j) => (storage(j).min_tls_version = "TLS1_0") },
  { rule: "storage.min-tls", what: "TLS from a variable", stack: T, mutate: (j) => (storage(j).min_tls_version = "${var.tls}"), cannotVerify: true },
  { rule: "storage.https-only", what: "plain HTTP", stack: T, mutate: (j) => (storage(j).https_traffic_only_enabled = false) },
  { rule: "storage.shared-key", what: "shared keys on (with a SAS expiry)", stack: T, mutate: (j) => Object.assign(storage(j), { shared_access_key_enabled: true, sas_policy: { expiration_period: "01.00:00:00" } }) },
  {
    rule: "storage.sas-expiration",
    what: "shared keys on (waived), no SAS expiry",
    stack: T,
    mutate: (j) => Object.assign(storage(j), { shared_access_key_enabled: true, "//": { ...storage(j)["//"], streamkit: { waivers: [{ rule: "storage.shared-key", reason: "a consumer that only takes a connection string" }] } } }),
  },
  { rule: "storage.local-users", what: "SFTP local users", stack: T, mutate: (j) => (storage(j).local_user_enabled = true) },
  { rule: "storage.blob-public-access", what: "public blobs allowed", stack: T, mutate: (j) => (storage(j).allow_nested_items_to_be_public = true) },
  { rule: "storage.container-private", what: "a public container", stack: T, mutate: (j) => (first(j, "azurerm_storage_container").container_access_type = "container") },
  { rule: "storage.public-network", what: "firewall default Allow", stack: T, mutate: (j) => (blockOf(storage(j), "network_rules").default_action = "Allow") },
  { rule: "storage.public-network", what: "public access from a variable", stack: T, mutate: (j) => (storage(j).public_network_access_enabled = "${var.open}"), cannotVerify: true },
  { rule: "storage.public-network", what: "public access in a private environment", stack: T, mutate: (j) => privateExcept(j, "azurerm_storage_account") },
  { rule: "storage.allow-all-ip", what: "0.0.0.0/0 in ip_rules", stack: T, mutate: (j) => (blockOf(storage(j), "network_rules").ip_rules = ["0.0.0.0/0"]) },
  { rule: "storage.allow-all-ip", what: "two /1 ranges", stack: T, mutate: (j) => (blockOf(storage(j), "network_rules").ip_rules = ["0.0.0.0/1", "128.0.0.0/1"]) },
  { rule: "storage.allow-all-ip", what: "an IP from a variable", stack: T, mutate: (j) => (blockOf(storage(j), "network_rules").ip_rules = ["${var.office}"]), cannotVerify: true },
  { rule: "storage.trusted-services", what: "no AzureServices bypass", stack: T, mutate: (j) => (blockOf(storage(j), "network_rules").bypass = ["Logging", "Metrics"]) },
  { rule: "storage.soft-delete", what: "blob soft delete off", stack: T, mutate: (j) => delete blockOf(storage(j), "blob_properties").delete_retention_policy },
  { rule: "storage.container-soft-delete", what: "container soft delete off", stack: T, mutate: (j) => delete blockOf(storage(j), "blob_properties").container_delete_retention_policy },
  { rule: "storage.infrastructure-encryption", what: "single encryption in production", stack: T, mutate: (j) => (storage(j).infrastructure_encryption_enabled = false) },
  // Event Hubs
  { rule: "eventhubs.min-tls", what: "TLS 1.1", stack: T, mutate: (j) => (namespace(j).minimum_tls_version = "1.1") },
  { rule: "eventhubs.local-auth", what: "SAS keys on", stack: T, mutate: (j) => (namespace(j).local_authentication_enabled = true) },
  { rule: "eventhubs.public-network", what: "ruleset default Allow", stack: T, mutate: (j) => (blockOf(namespace(j), "network_rulesets").default_action = "Allow") },
  { rule: "eventhubs.allow-all-ip", what: "0.0.0.0/0 allowed", stack: T, mutate: (j) => (blockOf(namespace(j), "network_rulesets").ip_rule = [{ ip_mask: "0.0.0.0/0", action: "Allow" }]) },
  { rule: "eventhubs.identity", what: "no identity", stack: T, mutate: (j) => delete namespace(j).identity },
  // IoT Hub
  { rule: "iothub.min-tls", what: "no minimum TLS", stack: T, mutate: (j) => delete hub(j).min_tls_version },
  { rule: "iothub.local-auth", what: "shared access policies on", stack: T, mutate: (j) => (hub(j).local_authentication_enabled = true) },
  { rule: "iothub.public-network", what: "IP filter default Allow", stack: T, mutate: (j) => (blockOf(hub(j), "network_rule_set").default_action = "Allow") },
  {
    rule: "iothub.allow-all-ip",
    what: "device ranges covering everything",
    stack: T,
    mutate: (j) => blockOf(hub(j), "network_rule_set").ip_rule.push({ name: "a", ip_mask: "0.0.0.0/1", action: "Allow" }, { name: "b", ip_mask: "128.0.0.0/1", action: "Allow" }),
  },
  { rule: "iothub.identity", what: "no identity", stack: T, mutate: (j) => delete hub(j).identity },
  // SQL
  { rule: "sql.min-tls", what: "TLS 1.0", stack: T, mutate: (j) => (first(j, "azurerm_mssql_server").minimum_tls_version = "1.0") },
  { rule: "sql.entra-only", what: "SQL logins on", stack: T, mutate: (j) => (blockOf(first(j, "azurerm_mssql_server"), "azuread_administrator").azuread_authentication_only = false) },
  { rule: "sql.public-network", what: "public access in a private environment", stack: T, mutate: (j) => privateExcept(j, "azurerm_mssql_server") },
  { rule: "sql.firewall-allow-all", what: "0.0.0.0-255.255.255.255", stack: T, mutate: (j) => sqlFirewall(j, "world", "0.0.0.0", "255.255.255.255") },
  { rule: "sql.firewall-allow-all", what: "0.0.0.1-255.255.255.255", stack: T, mutate: (j) => sqlFirewall(j, "almost", "0.0.0.1", "255.255.255.255") },
  {
    rule: "sql.firewall-allow-all",
    what: "two halves",
    stack: T,
    mutate: (j) => {
      sqlFirewall(j, "low", "0.0.0.0", "127.255.255.255");
      sqlFirewall(j, "high", "128.0.0.0", "255.255.255.255");
    },
  },
  { rule: "sql.firewall-allow-all", what: "a start address from a variable", stack: T, mutate: (j) => sqlFirewall(j, "office", "${var.office_start}", "203.0.113.255"), cannotVerify: true },
  { rule: "sql.firewall-ip-range", what: "256 public addresses", stack: T, mutate: (j) => sqlFirewall(j, "office", "203.0.113.0", "203.0.113.255") },
  { rule: "sql.allow-azure-services", what: "the 0.0.0.0 rule without its waiver", stack: T, mutate: (j) => unwaive(first(j, "azurerm_mssql_firewall_rule")) },
  { rule: "sql.identity", what: "no identity", stack: T, mutate: (j) => delete first(j, "azurerm_mssql_server").identity },
  { rule: "sql.tde", what: "TDE off", stack: T, mutate: (j) => (first(j, "azurerm_mssql_database").transparent_data_encryption_enabled = false) },
  { rule: "sql.auditing", what: "no auditing policy in production", stack: T, mutate: (j) => delete j.resource.azurerm_mssql_server_extended_auditing_policy },
  { rule: "sql.auditing", what: "audit events not forwarded from master", stack: T, mutate: (j) => (first(j, "azurerm_mssql_server_extended_auditing_policy").server_id = "${azurerm_mssql_server.other.id}") },
  // Synapse
  { rule: "synapse.entra-only", what: "SQL logins without the waiver", stack: C, mutate: (j) => unwaive(workspace(j)) },
  { rule: "synapse.managed-vnet", what: "no managed network", stack: C, mutate: (j) => (workspace(j).managed_virtual_network_enabled = false) },
  { rule: "synapse.exfiltration-protection", what: "exfiltration protection off in production", stack: C, mutate: (j) => (workspace(j).data_exfiltration_protection_enabled = false) },
  { rule: "synapse.public-network", what: "public access in a private environment", stack: C, mutate: (j) => privateExcept(j, "azurerm_synapse_workspace") },
  {
    rule: "synapse.firewall-allow-all",
    what: "0.0.0.0-255.255.255.255",
    stack: C,
    mutate: (j) => add(j, "azurerm_synapse_firewall_rule", "world", { name: "world", synapse_workspace_id: `\${${addressOf(j, "azurerm_synapse_workspace")}.id}`, start_ip_address: "0.0.0.0", end_ip_address: "255.255.255.255" }),
  },
  { rule: "synapse.allow-azure-services", what: "the 0.0.0.0 rule without its waiver", stack: C, mutate: (j) => unwaive(first(j, "azurerm_synapse_firewall_rule")) },
  { rule: "synapse.identity", what: "no identity", stack: C, mutate: (j) => delete workspace(j).identity },
  { rule: "synapse.auditing", what: "no workspace auditing in production", stack: C, mutate: (j) => delete j.resource.azurerm_synapse_workspace_extended_auditing_policy },
  { rule: "synapse.sql-pool-encryption", what: "pool not encrypted", stack: C, mutate: (j) => (first(j, "azurerm_synapse_sql_pool").data_encrypted = false) },
  { rule: "synapse.sql-pool-auditing", what: "pool auditing off", stack: C, mutate: (j) => (first(j, "azurerm_synapse_sql_pool_extended_auditing_policy").enabled = false) },
  // Data Explorer
  { rule: "adx.disk-encryption", what: "disks not encrypted", stack: S, mutate: (j) => (kusto(j).disk_encryption_enabled = false) },
  { rule: "adx.double-encryption", what: "single encryption in production", stack: S, mutate: (j) => delete kusto(j).double_encryption_enabled },
  { rule: "adx.identity", what: "no identity", stack: S, mutate: (j) => delete kusto(j).identity },
  { rule: "adx.public-network", what: "public, no allowed ranges", stack: S, mutate: (j) => (kusto(j).public_network_access_enabled = true) },
  { rule: "adx.allow-all-ip", what: "allowed ranges covering everything", stack: S, mutate: (j) => Object.assign(kusto(j), { public_network_access_enabled: true, allowed_ip_ranges: ["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/2"] }) },
  { rule: "adx.trusted-tenants", what: "every tenant trusted", stack: S, mutate: (j) => (kusto(j).trusted_external_tenants = ["*"]) },
  { rule: "adx.trusted-tenants", what: "an empty list (the azurerm default)", stack: S, mutate: (j) => (kusto(j).trusted_external_tenants = []) },
  // Databricks
  { rule: "databricks.no-public-ip", what: "cluster nodes with public IPs", stack: S, mutate: (j) => (first(j, "azurerm_databricks_workspace").custom_parameters.no_public_ip = false) },
  { rule: "databricks.public-network", what: "a public workspace in a restricted environment", stack: S, mutate: (j) => (first(j, "azurerm_databricks_workspace").public_network_access_enabled = true) },
  { rule: "databricks.job-cluster", what: "the streaming job moved to an all-purpose cluster", stack: S, mutate: (j) => (first(j, "databricks_job").task[0].existing_cluster_id = "0101-120000-abcd1234") },
  { rule: "databricks.job-cluster", what: "the job cluster without its policy", stack: S, mutate: (j) => delete first(j, "databricks_job").job_cluster[0].new_cluster.policy_id },
  {
    rule: "databricks.job-cluster",
    what: "the job's workspace in another stack",
    stack: S,
    cannotVerify: true,
    mutate: (j) => (blockOf(j.provider, "databricks").azure_workspace_resource_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/shared"),
  },
  {
    rule: "databricks.job-secret-parameters",
    what: "a Key Vault secret handed to the code",
    stack: S,
    mutate: (j) => first(j, "databricks_job").task[0].spark_python_task.parameters.push("--eventhub_key=${data.azurerm_key_vault_secret.hub.value}"),
  },
  {
    rule: "databricks.job-secret-parameters",
    what: "a namespace key handed as a separate flag value",
    stack: S,
    mutate: (j) => first(j, "databricks_job").task[0].spark_python_task.parameters.push("--sas", `\${${addressOf(j, "azurerm_eventhub_namespace")}.default_primary_key}`),
  },
  {
    rule: "databricks.job-secret-parameters",
    what: "a sensitive variable as a client secret",
    stack: S,
    mutate: (j) => {
      j.variable = { ...j.variable, sp_secret: { type: "string", sensitive: true } };
      first(j, "databricks_job").task[0].spark_python_task.parameters.push("--client_secret=${var.sp_secret}");
    },
  },
  // HDInsight Kafka
  { rule: "hdinsight.min-tls", what: "TLS 1.0", stack: S, mutate: (j) => (SECURE_ADDITIONS.kafka(j), (first(j, "azurerm_hdinsight_kafka_cluster").tls_min_version = "1.0")) },
  { rule: "hdinsight.encryption-in-transit", what: "plain traffic between brokers", stack: S, mutate: (j) => (SECURE_ADDITIONS.kafka(j), delete first(j, "azurerm_hdinsight_kafka_cluster").encryption_in_transit_enabled) },
  {
    rule: "hdinsight.storage-identity",
    what: "storage by account key",
    stack: S,
    mutate: (j) => (SECURE_ADDITIONS.kafka(j), (first(j, "azurerm_hdinsight_kafka_cluster").storage_account = { storage_account_key: "${var.kafka_storage_key}", is_default: false })),
  },
  // Stream Analytics and Log Analytics
  { rule: "asa.identity", what: "a job without identity", stack: T, mutate: (j) => delete first(j, "azurerm_stream_analytics_job").identity },
  { rule: "asa.msi", what: "an output by connection string", stack: T, mutate: (j) => (first(j, "azurerm_stream_analytics_output_blob").authentication_mode = "ConnectionString") },
  { rule: "asa.msi", what: "an input whose mode is a variable", stack: C, mutate: (j) => (first(j, "azurerm_stream_analytics_stream_input_eventhub_v2").authentication_mode = "${var.mode}"), cannotVerify: true },
  { rule: "asa.job-storage-msi", what: "job storage by key", stack: T, mutate: (j) => delete first(j, "azurerm_stream_analytics_job_storage_account").authentication_mode },
  { rule: "loganalytics.local-auth", what: "workspace keys on", stack: T, mutate: (j) => (first(j, "azurerm_log_analytics_workspace").local_authentication_enabled = true) },
  // Other services a stack may hold
  { rule: "servicebus.min-tls", what: "TLS 1.0", stack: T, mutate: (j) => (SECURE_ADDITIONS.serviceBus(j), (first(j, "azurerm_servicebus_namespace").minimum_tls_version = "1.0")) },
  { rule: "servicebus.local-auth", what: "SAS keys on", stack: T, mutate: (j) => (SECURE_ADDITIONS.serviceBus(j), delete first(j, "azurerm_servicebus_namespace").local_auth_enabled) },
  { rule: "servicebus.public-network", what: "public without a firewall", stack: T, mutate: (j) => (SECURE_ADDITIONS.serviceBus(j), (first(j, "azurerm_servicebus_namespace").public_network_access_enabled = true)) },
  { rule: "servicebus.allow-all-ip", what: "0.0.0.0/0", stack: T, mutate: (j) => (SECURE_ADDITIONS.serviceBus(j), (first(j, "azurerm_servicebus_namespace").network_rule_set = { default_action: "Deny", ip_rules: ["0.0.0.0/0"] })) },
  { rule: "cosmos.min-tls", what: "TLS 1.1", stack: T, mutate: (j) => (SECURE_ADDITIONS.cosmos(j), (first(j, "azurerm_cosmosdb_account").minimal_tls_version = "Tls11")) },
  { rule: "cosmos.local-auth", what: "account keys on", stack: T, mutate: (j) => (SECURE_ADDITIONS.cosmos(j), (first(j, "azurerm_cosmosdb_account").local_authentication_disabled = false)) },
  { rule: "cosmos.public-network", what: "public without a filter", stack: T, mutate: (j) => (SECURE_ADDITIONS.cosmos(j), (first(j, "azurerm_cosmosdb_account").public_network_access_enabled = true)) },
  { rule: "cosmos.allow-all-ip", what: "a filter admitting everything", stack: T, mutate: (j) => (SECURE_ADDITIONS.cosmos(j), (first(j, "azurerm_cosmosdb_account").ip_range_filter = ["0.0.0.0/1", "128.0.0.0/1"])) },
  { rule: "eventgrid.local-auth", what: "access keys on", stack: T, mutate: (j) => add(j, "azurerm_eventgrid_topic", "topic", { local_auth_enabled: true }) },
  { rule: "redis.min-tls", what: "TLS 1.0", stack: T, mutate: (j) => add(j, "azurerm_redis_cache", "cache", { minimum_tls_version: "1.0" }) },
  { rule: "keyvault.public-network", what: "public without ACLs", stack: T, mutate: (j) => (SECURE_ADDITIONS.keyVault(j), Object.assign(first(j, "azurerm_key_vault"), { public_network_access_enabled: true, network_acls: { default_action: "Allow" } })) },
  { rule: "keyvault.allow-all-ip", what: "0.0.0.0/0 in the ACLs", stack: T, mutate: (j) => (SECURE_ADDITIONS.keyVault(j), (first(j, "azurerm_key_vault").network_acls.ip_rules = ["0.0.0.0/0"])) },
  { rule: "keyvault.purge-protection", what: "no purge protection", stack: T, mutate: (j) => (SECURE_ADDITIONS.keyVault(j), delete first(j, "azurerm_key_vault").purge_protection_enabled) },
  // Backend, diagnostics, secrets
  { rule: "backend.entra-auth", what: "state read with the account key", stack: T, mutate: (j) => delete j.terraform.backend.azurerm.use_azuread_auth },
  {
    rule: "diagnostics.settings",
    what: "the namespace's diagnostic setting removed",
    stack: T,
    mutate: (j) => {
      const settings = j.resource.azurerm_monitor_diagnostic_setting as Record<string, Json>;
      for (const [name, body] of Object.entries(settings)) if (String(body.target_resource_id).startsWith("${azurerm_eventhub_namespace.")) delete settings[name];
    },
  },
  {
    rule: "diagnostics.settings",
    what: "the Databricks security group's diagnostic setting removed",
    stack: S,
    mutate: (j) => {
      const settings = j.resource.azurerm_monitor_diagnostic_setting as Record<string, Json>;
      for (const [name, body] of Object.entries(settings)) if (String(body.target_resource_id).startsWith("${azurerm_network_security_group.")) delete settings[name];
    },
  },
  { rule: "secrets.literal", what: "a client secret in the provider", stack: T, mutate: (j) => (blockOf(j.provider, "azurerm").client_secret = "s3cr3t-value-in-code") },
  { rule: "secrets.output", what: "a connection string output", stack: T, mutate: (j) => (j.output = { ...j.output, events: { value: `\${${addressOf(j, "azurerm_eventhub_namespace")}.default_primary_connection_string}` } }) },
  { rule: "secrets.variable-sensitive", what: "a password variable not sensitive", stack: C, mutate: (j) => (j.variable.synapse_job_password.sensitive = false) },
  {
    rule: "secrets.variable-sensitive",
    what: "an innocent-looking variable flowing through a local into the admin password",
    stack: C,
    mutate: (j) => {
      j.variable.initial_value = { type: "string" };
      j.locals = { ...j.locals, admin: "${var.initial_value}" };
      workspace(j).sql_administrator_login_password = "${local.admin}";
    },
  },
];

const stackCopy = (name: string): SynthesizedStack => {
  const stack = STACKS.get(name)!;
  return { ...stack, json: structuredClone(stack.json) };
};
const openOf = (findings: Finding[]) => findings.filter((f) => !f.waived);

describe("mutants of the synthesized example stacks", () => {
  it("start clean: every example stack passes, each against its environment", () => {
    expect(STACKS.size).toBe(6);
    expect(openOf(checkStacks([...STACKS.values()], { environments: ENVIRONMENTS })).map(formatFinding)).toEqual([]);
  });

  it(`number ${MUTANTS.length}, at least one per rule`, () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(40);
    expect(RULES.map((r) => r.id).filter((id) => !MUTANTS.some((m) => m.rule === id))).toEqual([]);
    for (const m of MUTANTS) expect(RULES.some((r) => r.id === m.rule)).toBe(true);
  });

  it.each(MUTANTS.map((m) => [m.rule, m.what, m] as const))("%s catches %s, and nothing else fires", (_rule, _what, mutant) => {
    const stack = stackCopy(mutant.stack);
    mutant.mutate(stack.json as Json);
    const found = openOf(checkStacks([stack], { environments: ENVIRONMENTS }));
    expect([...new Set(found.map((f) => f.id))]).toEqual([mutant.rule]);
    const rule = RULES.find((r) => r.id === mutant.rule)!;
    for (const f of found) {
      expect(f).toMatchObject({ stack: mutant.stack, severity: rule.severity, checkov: rule.checkov, psrule: rule.psrule, rule: rule.family });
      expect(f.address).toMatch(/^((azurerm|databricks)_\w+\.[\w-]+|var\.\w+|output\.\w+|provider\.\w+|terraform\.backend\.azurerm)$/);
      expect(f.fix.length).toBeGreaterThan(10);
      expect(Boolean(f.cannotVerify)).toBe(Boolean(mutant.cannotVerify));
    }
  });
});
