// Storage accounts (the lake, the job's storage) and their containers.
import { attributeAt, block, settingOf, show } from "../resources";
import { cannotVerify, equals, resourceRule, settingRule } from "../rule-kit";
import type { Rule } from "../types";
import { allowAllRule, defaultActionFirewall, localAuthRule, minTlsRule, publicNetworkRule } from "./common";

const ACCOUNT = "azurerm_storage_account";
const keysOn = (body: Record<string, unknown>) => body.shared_access_key_enabled !== false;

export const storageRules: Rule[] = [
  minTlsRule({ id: "storage.min-tls", type: ACCOUNT, attribute: "min_tls_version", secure: "TLS1_2", defaultIsSecure: true, checkov: ["CKV_AZURE_44"], psrule: ["Azure.Storage.MinTLS"] }),
  settingRule({
    id: "storage.https-only",
    family: "tls",
    severity: "high",
    title: "https_traffic_only_enabled is not false: no plain HTTP",
    checkov: ["CKV_AZURE_3"],
    psrule: ["Azure.Storage.SecureTransfer"],
    types: [ACCOUNT],
    attribute: "https_traffic_only_enabled",
    ok: equals(true),
    problem: "plain HTTP is accepted",
    fix: "set https_traffic_only_enabled = true",
  }),
  localAuthRule({ id: "storage.shared-key", type: ACCOUNT, attribute: "shared_access_key_enabled", on: true, what: "shared keys and SAS tokens", checkov: ["CKV2_AZURE_40"] }),
  localAuthRule({ id: "storage.local-users", type: ACCOUNT, attribute: "local_user_enabled", on: true, what: "SFTP/local users with passwords or SSH keys", checkov: ["CKV_AZURE_244"] }),
  settingRule({
    id: "storage.sas-expiration",
    family: "local-auth",
    severity: "medium",
    title: "where shared keys stay on, a SAS expiration policy (sas_policy)",
    checkov: ["CKV2_AZURE_41"],
    psrule: [],
    types: [ACCOUNT],
    when: (r) => keysOn(r.body),
    attribute: "sas_policy.expiration_period",
    absent: "SAS tokens signed with the account key never expire by policy",
    ok: (v) => typeof v === "string" && v !== "",
    problem: "not a duration",
    fix: 'add sas_policy { expiration_period = "01.00:00:00" } (or turn shared keys off)',
  }),
  settingRule({
    id: "storage.blob-public-access",
    family: "public-network",
    severity: "high",
    title: "allow_nested_items_to_be_public = false: no anonymous blob access, in every environment",
    checkov: ["CKV_AZURE_190", "CKV2_AZURE_47"],
    psrule: ["Azure.Storage.BlobPublicAccess"],
    types: [ACCOUNT],
    attribute: "allow_nested_items_to_be_public",
    absent: "containers could be made publicly readable (the default allows it)",
    ok: equals(false),
    problem: "containers could be made publicly readable",
    fix: "set allow_nested_items_to_be_public = false",
  }),
  settingRule({
    id: "storage.container-private",
    family: "public-network",
    severity: "high",
    title: "container_access_type = private, in every environment",
    checkov: ["CKV_AZURE_34"],
    psrule: ["Azure.Storage.BlobAccessType"],
    types: ["azurerm_storage_container"],
    attribute: "container_access_type",
    ok: equals("private"),
    problem: "anyone on the internet can read it",
    fix: 'set container_access_type = "private"',
  }),
  publicNetworkRule({
    id: "storage.public-network",
    type: ACCOUNT,
    publicByDefault: true,
    firewall: defaultActionFirewall("network_rules.default_action"),
    checkov: ["CKV_AZURE_59", "CKV_AZURE_35", "CKV2_AZURE_33"],
    psrule: ["Azure.Storage.Firewall"],
  }),
  allowAllRule({ id: "storage.allow-all-ip", type: ACCOUNT, entries: (r) => [{ attribute: "network_rules.ip_rules", entries: asList(attributeAt(r.body, "network_rules.ip_rules")) }] }),
  resourceRule({
    id: "storage.trusted-services",
    family: "network-rules",
    severity: "medium",
    title: "a default-deny firewall lets trusted Azure services through (bypass AzureServices): Stream Analytics, Event Hubs and Synapse reach the account as trusted services",
    checkov: ["CKV_AZURE_36"],
    psrule: [],
    types: [ACCOUNT],
    check(resource, { stack }) {
      if (block(resource.body, "network_rules")?.default_action !== "Deny") return undefined;
      const setting = settingOf(resource.body, "network_rules.bypass", stack);
      const fix = 'add "AzureServices" to network_rules.bypass';
      if (setting.kind === "expression") return [cannotVerify("network_rules.bypass", setting.value, fix)];
      const bypass = setting.kind === "literal" && Array.isArray(setting.value) ? setting.value : [];
      return bypass.includes("AzureServices") ? undefined : [{ attribute: "network_rules.bypass", value: setting.kind === "literal" ? setting.value : undefined, message: `network_rules.bypass = ${show(setting.kind === "literal" ? setting.value : undefined)}: trusted Azure services are blocked`, fix }];
    },
  }),
  settingRule({
    id: "storage.soft-delete",
    family: "data-protection",
    severity: "medium",
    title: "blob soft delete on (blob_properties.delete_retention_policy)",
    checkov: ["CKV2_AZURE_38"],
    psrule: ["Azure.Storage.SoftDelete"],
    types: [ACCOUNT],
    when: (r) => r.body.account_kind !== "FileStorage",
    attribute: "blob_properties.delete_retention_policy.days",
    absent: "a deleted or overwritten blob cannot be recovered",
    ok: (v) => typeof v === "number" && v > 0,
    problem: "blob soft delete is off",
    fix: "add blob_properties { delete_retention_policy { days = 7 } }",
  }),
  settingRule({
    id: "storage.container-soft-delete",
    family: "data-protection",
    severity: "medium",
    title: "container soft delete on (blob_properties.container_delete_retention_policy)",
    checkov: [],
    psrule: ["Azure.Storage.ContainerSoftDelete"],
    types: [ACCOUNT],
    when: (r) => r.body.account_kind !== "FileStorage",
    attribute: "blob_properties.container_delete_retention_policy.days",
    absent: "a deleted container cannot be recovered",
    ok: (v) => typeof v === "number" && v > 0,
    problem: "container soft delete is off",
    fix: "add blob_properties { container_delete_retention_policy { days = 7 } }",
  }),
  settingRule({
    id: "storage.infrastructure-encryption",
    family: "encryption",
    severity: "medium",
    title: "infrastructure (double) encryption on: a second AES-256 layer; only at creation",
    checkov: [],
    psrule: [],
    types: [ACCOUNT],
    productionOnly: true,
    attribute: "infrastructure_encryption_enabled",
    absent: "data is encrypted once (service-level only); it can only be turned on at creation",
    ok: equals(true),
    problem: "data is encrypted once (service-level only)",
    fix: "set infrastructure_encryption_enabled = true (StreamkitStorage: infrastructureEncryption, on by default in production); it forces a new account",
  }),
];

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}
