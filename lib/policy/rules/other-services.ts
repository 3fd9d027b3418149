// Services the pipeline constructs can add (Service Bus, Cosmos DB) and others a stack may hold
// beside them (Key Vault, Event Grid, Redis): the same TLS, key, network and identity rules.
import { attributeAt, block } from "../resources";
import { equals, settingRule } from "../rule-kit";
import type { Rule } from "../types";
import { allowAllRule, defaultActionFirewall, localAuthRule, minTlsRule, publicNetworkRule } from "./common";

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : typeof value === "string" && value !== "" ? value.split(",") : []);

export const otherServiceRules: Rule[] = [
  minTlsRule({ id: "servicebus.min-tls", type: "azurerm_servicebus_namespace", attribute: "minimum_tls_version", secure: "1.2", defaultIsSecure: true, checkov: ["CKV_AZURE_205"], psrule: ["Azure.ServiceBus.MinTLS"] }),
  localAuthRule({ id: "servicebus.local-auth", type: "azurerm_servicebus_namespace", attribute: "local_auth_enabled", on: true, what: "SAS keys and connection strings", checkov: ["CKV_AZURE_203"], psrule: ["Azure.ServiceBus.DisableLocalAuth"] }),
  publicNetworkRule({ id: "servicebus.public-network", type: "azurerm_servicebus_namespace", publicByDefault: true, firewall: defaultActionFirewall("network_rule_set.default_action"), checkov: ["CKV_AZURE_204"] }),
  allowAllRule({ id: "servicebus.allow-all-ip", type: "azurerm_servicebus_namespace", entries: (r) => [{ attribute: "network_rule_set.ip_rules", entries: list(attributeAt(r.body, "network_rule_set.ip_rules")) }] }),
  minTlsRule({ id: "cosmos.min-tls", type: "azurerm_cosmosdb_account", attribute: "minimal_tls_version", secure: "Tls12", defaultIsSecure: true }),
  localAuthRule({ id: "cosmos.local-auth", type: "azurerm_cosmosdb_account", attribute: "local_authentication_disabled", on: false, what: "account keys", checkov: ["CKV_AZURE_140"] }),
  publicNetworkRule({
    id: "cosmos.public-network",
    type: "azurerm_cosmosdb_account",
    publicByDefault: true,
    firewall: (r) => ({
      denies: list(r.body.ip_range_filter).length > 0 || r.body.is_virtual_network_filter_enabled === true,
      attribute: "ip_range_filter",
      value: r.body.ip_range_filter,
      fix: "list the clients' networks in ip_range_filter, or set is_virtual_network_filter_enabled = true with virtual_network_rule blocks",
    }),
    checkov: ["CKV_AZURE_101", "CKV_AZURE_99"],
  }),
  allowAllRule({ id: "cosmos.allow-all-ip", type: "azurerm_cosmosdb_account", entries: (r) => [{ attribute: "ip_range_filter", entries: list(r.body.ip_range_filter) }] }),
  localAuthRule({ id: "eventgrid.local-auth", type: "azurerm_eventgrid_topic", attribute: "local_auth_enabled", on: true, what: "access keys", psrule: ["Azure.EventGrid.DisableLocalAuth"] }),
  minTlsRule({ id: "redis.min-tls", type: "azurerm_redis_cache", attribute: "minimum_tls_version", secure: "1.2", defaultIsSecure: true, psrule: ["Azure.Redis.MinTLS"] }),
  publicNetworkRule({ id: "keyvault.public-network", type: "azurerm_key_vault", publicByDefault: true, firewall: defaultActionFirewall("network_acls.default_action"), checkov: ["CKV_AZURE_189", "CKV_AZURE_109"], psrule: ["Azure.KeyVault.Firewall"] }),
  allowAllRule({ id: "keyvault.allow-all-ip", type: "azurerm_key_vault", entries: (r) => [{ attribute: "network_acls.ip_rules", entries: list(block(r.body, "network_acls")?.ip_rules) }] }),
  settingRule({
    id: "keyvault.purge-protection",
    family: "data-protection",
    severity: "medium",
    title: "purge_protection_enabled = true",
    checkov: ["CKV_AZURE_110", "CKV_AZURE_42"],
    psrule: ["Azure.KeyVault.PurgeProtect"],
    types: ["azurerm_key_vault"],
    attribute: "purge_protection_enabled",
    absent: "a deleted vault or secret can be purged before its retention ends",
    ok: equals(true),
    problem: "a deleted vault or secret can be purged before its retention ends",
    fix: "set purge_protection_enabled = true",
  }),
];
