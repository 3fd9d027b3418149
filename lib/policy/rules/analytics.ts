// The engines beside Stream Analytics: Data Explorer, Databricks, HDInsight Kafka.
import { attributeAt, settingOf, show } from "../resources";
import { cannotVerify, equals, resourceRule, settingRule } from "../rule-kit";
import type { Rule } from "../types";
import { allowAllRule, identityRule, publicNetworkRule } from "./common";

const KUSTO = "azurerm_kusto_cluster";
const DATABRICKS = "azurerm_databricks_workspace";
const KAFKA = "azurerm_hdinsight_kafka_cluster";

export const dataExplorerRules: Rule[] = [
  settingRule({
    id: "adx.disk-encryption",
    family: "encryption",
    severity: "high",
    title: "disk_encryption_enabled = true",
    checkov: ["CKV_AZURE_74"],
    psrule: ["Azure.ADX.DiskEncryption"],
    types: [KUSTO],
    attribute: "disk_encryption_enabled",
    absent: "the cluster's disks (cache, temporary data) are not encrypted",
    ok: equals(true),
    problem: "the cluster's disks are not encrypted",
    fix: "set disk_encryption_enabled = true",
  }),
  settingRule({
    id: "adx.double-encryption",
    family: "encryption",
    severity: "medium",
    title: "double_encryption_enabled = true: infrastructure encryption under the service's; only at creation",
    checkov: ["CKV_AZURE_75"],
    psrule: [],
    types: [KUSTO],
    productionOnly: true,
    attribute: "double_encryption_enabled",
    absent: "data is encrypted once (it can only be turned on at creation)",
    ok: equals(true),
    problem: "data is encrypted once",
    fix: "set double_encryption_enabled = true (DataExplorer: doubleEncryption, on by default in production; forces a new cluster)",
  }),
  identityRule({ id: "adx.identity", type: KUSTO, why: "data connections read Event Hubs with it", checkov: ["CKV_AZURE_181"], psrule: ["Azure.ADX.ManagedIdentity"] }),
  publicNetworkRule({
    id: "adx.public-network",
    type: KUSTO,
    publicByDefault: true,
    // A non-empty allowed_ip_ranges is Data Explorer's firewall; empty admits every address.
    firewall: (resource, { stack }) => {
      const setting = settingOf(resource.body, "allowed_ip_ranges", stack);
      if (setting.kind === "expression") return { expression: true, attribute: "allowed_ip_ranges", value: setting.value };
      const ranges = setting.kind === "literal" && Array.isArray(setting.value) ? setting.value : [];
      return { denies: ranges.length > 0, attribute: "allowed_ip_ranges", value: setting.kind === "literal" ? setting.value : undefined, fix: "list the clients' networks in allowed_ip_ranges" };
    },
    psrule: ["Azure.ADX.PublicAccess"],
  }),
  allowAllRule({ id: "adx.allow-all-ip", type: KUSTO, entries: (r) => [{ attribute: "allowed_ip_ranges", entries: Array.isArray(r.body.allowed_ip_ranges) ? r.body.allowed_ip_ranges : [] }] }),
  resourceRule({
    id: "adx.trusted-tenants",
    family: "local-auth",
    severity: "high",
    title: 'trusted_external_tenants = ["MyTenantOnly"] or named tenants: not absent, empty or "*" (which trust every tenant)',
    checkov: [],
    psrule: [],
    types: [KUSTO],
    check(resource, { stack }) {
      const setting = settingOf(resource.body, "trusted_external_tenants", stack);
      const fix = 'set trusted_external_tenants = ["MyTenantOnly"] (or the tenant ids that need access)';
      if (setting.kind === "expression") return [cannotVerify("trusted_external_tenants", setting.value, fix)];
      const list = setting.kind === "literal" && Array.isArray(setting.value) ? setting.value : [];
      if (list.length > 0 && !list.includes("*")) return undefined;
      const why = list.includes("*") ? "every Entra tenant is trusted" : "unset or empty, the azurerm default trusts every other tenant";
      return [{ attribute: "trusted_external_tenants", value: setting.kind === "literal" ? setting.value : undefined, message: `trusted_external_tenants = ${show(setting.kind === "literal" ? setting.value : undefined)}: ${why}: principals of any organisation can be granted access`, fix }];
    },
  }),
];

export const databricksRules: Rule[] = [
  settingRule({
    id: "databricks.no-public-ip",
    family: "network-rules",
    severity: "high",
    title: "custom_parameters.no_public_ip = true: secure cluster connectivity, no public IPs on cluster nodes",
    checkov: [],
    psrule: ["Azure.Databricks.SecureConnectivity"],
    types: [DATABRICKS],
    attribute: "custom_parameters.no_public_ip",
    absent: "PSRule requires it explicitly (older providers gave cluster nodes public IPs)",
    ok: equals(true),
    problem: "cluster nodes get public IPs",
    fix: "set custom_parameters { no_public_ip = true }",
  }),
  publicNetworkRule({ id: "databricks.public-network", type: DATABRICKS, publicByDefault: true, checkov: ["CKV_AZURE_158"], psrule: ["Azure.Databricks.PublicAccess"] }),
];

export const hdinsightRules: Rule[] = [
  settingRule({
    id: "hdinsight.min-tls",
    family: "tls",
    severity: "high",
    title: 'tls_min_version = "1.2"',
    checkov: [],
    psrule: [],
    types: [KAFKA],
    attribute: "tls_min_version",
    absent: "the cluster's gateway accepts the service default (set 1.2 explicitly)",
    ok: equals("1.2", "1.3"),
    problem: "clients may use TLS versions older than 1.2",
    fix: 'set tls_min_version = "1.2"',
  }),
  settingRule({
    id: "hdinsight.encryption-in-transit",
    family: "encryption",
    severity: "high",
    title: "encryption_in_transit_enabled = true: traffic between cluster nodes encrypted (only at creation)",
    checkov: [],
    psrule: [],
    types: [KAFKA],
    attribute: "encryption_in_transit_enabled",
    absent: "traffic between brokers and nodes is not encrypted",
    ok: equals(true),
    problem: "traffic between brokers and nodes is not encrypted",
    fix: "set encryption_in_transit_enabled = true (forces a new cluster)",
  }),
  resourceRule({
    id: "hdinsight.storage-identity",
    family: "local-auth",
    severity: "medium",
    title: "storage through storage_account_gen2 with a managed identity, not storage_account with a key",
    checkov: [],
    psrule: [],
    types: [KAFKA],
    check(resource) {
      const keyed = attributeAt(resource.body, "storage_account.storage_account_key");
      if (keyed === undefined) return undefined;
      return [{ attribute: "storage_account.storage_account_key", value: typeof keyed === "string" && keyed.includes("${") ? keyed : "(a key)", message: "the cluster reaches its storage with the account key", fix: "use storage_account_gen2 { managed_identity_resource_id = <user-assigned identity> } (HdinsightKafka does)" }];
    },
  }),
];
