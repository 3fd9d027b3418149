// Event Hubs and IoT Hub: the streams' front doors.
import { block } from "../resources";
import type { Rule } from "../types";
import { allowAllRule, allowedMasks, defaultActionFirewall, identityRule, localAuthRule, minTlsRule, publicNetworkRule } from "./common";

const NAMESPACE = "azurerm_eventhub_namespace";
const IOTHUB = "azurerm_iothub";

export const eventHubsRules: Rule[] = [
  minTlsRule({ id: "eventhubs.min-tls", type: NAMESPACE, attribute: "minimum_tls_version", secure: "1.2", defaultIsSecure: true, checkov: ["CKV_AZURE_223"], psrule: ["Azure.EventHub.MinTLS"] }),
  localAuthRule({ id: "eventhubs.local-auth", type: NAMESPACE, attribute: "local_authentication_enabled", on: true, what: "SAS keys and connection strings", psrule: ["Azure.EventHub.DisableLocalAuth"] }),
  publicNetworkRule({
    id: "eventhubs.public-network",
    type: NAMESPACE,
    publicByDefault: true,
    firewall: defaultActionFirewall("network_rulesets.default_action"),
    psrule: ["Azure.EventHub.Firewall"],
  }),
  allowAllRule({ id: "eventhubs.allow-all-ip", type: NAMESPACE, entries: (r) => [{ attribute: "network_rulesets.ip_rule", entries: allowedMasks(block(r.body, "network_rulesets"), "ip_rule", "ip_mask") }] }),
  identityRule({ id: "eventhubs.identity", type: NAMESPACE, why: "Capture and customer-managed keys use it" }),
];

export const iotHubRules: Rule[] = [
  minTlsRule({ id: "iothub.min-tls", type: IOTHUB, attribute: "min_tls_version", secure: "1.2", defaultIsSecure: false, psrule: ["Azure.IoTHub.MinTLS"] }),
  localAuthRule({ id: "iothub.local-auth", type: IOTHUB, attribute: "local_authentication_enabled", on: true, what: "hub-level shared access policies" }),
  publicNetworkRule({
    id: "iothub.public-network",
    type: IOTHUB,
    publicByDefault: true,
    firewall: defaultActionFirewall("network_rule_set.default_action"),
    checkov: ["CKV_AZURE_108"],
  }),
  allowAllRule({
    id: "iothub.allow-all-ip",
    type: IOTHUB,
    entries: (r) => [
      { attribute: "network_rule_set.ip_rule", entries: allowedMasks(block(r.body, "network_rule_set"), "ip_rule", "ip_mask") },
      { attribute: "ip_filter_rule", entries: allowedMasks(r.body, "ip_filter_rule", "ip_mask") },
    ],
  }),
  identityRule({ id: "iothub.identity", type: IOTHUB, why: "routes to Event Hubs and storage authenticate with it instead of connection strings" }),
];
