// Service endpoints exposed no more than the environment allows:
// - `disabled`: public network access off (private endpoints only);
// - `restricted`: public access off, or on behind a firewall that denies by default;
// - `enabled`: anything goes.
// Public blob access is reported in every environment: it bypasses authentication altogether.
import { block, resourcesOf } from "../resources";
import type { Finding, NetworkExposure, ResourceView, Rule } from "../types";

/** Resources whose public endpoint is on unless `public_network_access_enabled = false`. */
const PUBLIC_BY_DEFAULT = new Set([
  "azurerm_storage_account",
  "azurerm_eventhub_namespace",
  "azurerm_servicebus_namespace",
  "azurerm_iothub",
  "azurerm_mssql_server",
  "azurerm_synapse_workspace",
  "azurerm_cosmosdb_account",
  "azurerm_kusto_cluster",
  "azurerm_databricks_workspace",
  "azurerm_key_vault",
]);

/** Does the resource's own firewall deny by default? undefined: it has no such firewall. */
function firewallDenies(resource: ResourceView): boolean | undefined {
  const b = resource.body;
  switch (resource.type) {
    case "azurerm_storage_account":
      return block(b, "network_rules")?.default_action === "Deny";
    case "azurerm_eventhub_namespace":
    case "azurerm_servicebus_namespace":
      return block(b, "network_rulesets")?.default_action === "Deny" || block(b, "network_rule_set")?.default_action === "Deny";
    case "azurerm_iothub":
      return block(b, "network_rule_set")?.default_action === "Deny";
    case "azurerm_key_vault":
      return block(b, "network_acls")?.default_action === "Deny";
    case "azurerm_cosmosdb_account":
      return (Array.isArray(b.ip_range_filter) && b.ip_range_filter.length > 0) || b.is_virtual_network_filter_enabled === true;
    // A non-empty allowed_ip_ranges is Data Explorer's firewall; empty admits every address.
    case "azurerm_kusto_cluster":
      return Array.isArray(b.allowed_ip_ranges) && b.allowed_ip_ranges.length > 0;
    // A logical SQL server or Synapse workspace admits nobody until a firewall rule says so.
    case "azurerm_mssql_server":
    case "azurerm_synapse_workspace":
      return true;
    default:
      return undefined;
  }
}

function exposureFindings(resource: ResourceView, exposure: NetworkExposure): string[] {
  if (exposure === "enabled") return [];
  const value = resource.body.public_network_access_enabled;
  if (typeof value === "string" && value.includes("${")) return [];
  const publicOn = value === true || ((value === undefined || value === null) && PUBLIC_BY_DEFAULT.has(resource.type));
  if (!publicOn) return [];
  const how = value === true ? "public_network_access_enabled = true" : "public network access is on (the default)";
  if (exposure === "disabled") return [`${how}, but this environment allows private endpoints only: set public_network_access_enabled = false`];
  const denies = firewallDenies(resource);
  if (denies === true) return [];
  return [
    denies === false
      ? `${how} with no default-deny firewall: set the network rules' default action to Deny (allowing trusted services / listed ranges) or turn public access off`
      : `${how} and this service has no default-deny firewall: turn public access off in this environment`,
  ];
}

const WHOLE_INTERNET = (start: unknown, end: unknown) => start === "0.0.0.0" && end === "255.255.255.255";

export const publicNetworkRule: Rule = {
  id: "public-network",
  description: "public network access as the environment allows; no anonymous blob access",
  check({ stack, exposure }) {
    const findings: Omit<Finding, "rule" | "stack">[] = [];
    for (const resource of resourcesOf(stack)) {
      for (const message of exposureFindings(resource, exposure)) findings.push({ ...resource, message });
      const b = resource.body;
      if (resource.type === "azurerm_storage_account" && b.allow_nested_items_to_be_public !== false) {
        findings.push({ ...resource, message: "allow_nested_items_to_be_public is not false: containers could be made publicly readable" });
      }
      if (resource.type === "azurerm_storage_container" && (b.container_access_type === "blob" || b.container_access_type === "container")) {
        findings.push({ ...resource, message: `container_access_type = '${String(b.container_access_type)}': anyone on the internet can read it` });
      }
      if ((resource.type === "azurerm_mssql_firewall_rule" || resource.type === "azurerm_synapse_firewall_rule") && exposure !== "enabled" && WHOLE_INTERNET(b.start_ip_address, b.end_ip_address)) {
        findings.push({ ...resource, message: "the rule admits every IPv4 address (0.0.0.0-255.255.255.255)" });
      }
    }
    return findings;
  },
};
