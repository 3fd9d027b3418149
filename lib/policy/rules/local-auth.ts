// Keys, SAS tokens and SQL logins off wherever the service works with Microsoft Entra ID,
// and Stream Analytics inputs/outputs that authenticate with the job's identity.
import { block, resourcesOf } from "../resources";
import type { Rule } from "../types";

/** `on` is the value that means "local auth allowed"; absent means the azurerm default, which allows it. */
const LOCAL_AUTH: Record<string, { attribute: string; on: boolean; what: string }> = {
  azurerm_eventhub_namespace: { attribute: "local_authentication_enabled", on: true, what: "SAS keys and connection strings" },
  azurerm_servicebus_namespace: { attribute: "local_auth_enabled", on: true, what: "SAS keys and connection strings" },
  azurerm_storage_account: { attribute: "shared_access_key_enabled", on: true, what: "shared keys and SAS tokens" },
  azurerm_iothub: { attribute: "local_authentication_enabled", on: true, what: "hub-level shared access policies" },
  azurerm_cosmosdb_account: { attribute: "local_authentication_disabled", on: false, what: "account keys" },
  azurerm_eventgrid_topic: { attribute: "local_auth_enabled", on: true, what: "access keys" },
  azurerm_synapse_workspace: { attribute: "azuread_authentication_only", on: false, what: "SQL logins" },
};

/** Stream Analytics inputs and outputs that can use the job's managed identity (authentication_mode = Msi). */
const ASA_WITH_MSI = new Set([
  "azurerm_stream_analytics_stream_input_eventhub",
  "azurerm_stream_analytics_stream_input_eventhub_v2",
  "azurerm_stream_analytics_stream_input_blob",
  "azurerm_stream_analytics_reference_input_blob",
  "azurerm_stream_analytics_output_eventhub",
  "azurerm_stream_analytics_output_blob",
  "azurerm_stream_analytics_output_mssql",
  "azurerm_stream_analytics_output_servicebus_queue",
  "azurerm_stream_analytics_output_servicebus_topic",
  "azurerm_stream_analytics_output_cosmosdb",
]);

export const localAuthRule: Rule = {
  id: "local-auth",
  description: "local, key and shared-key authentication off where the service allows Entra ID",
  check({ stack }) {
    const findings = [];
    for (const resource of resourcesOf(stack)) {
      const setting = LOCAL_AUTH[resource.type];
      if (setting) {
        const value = resource.body[setting.attribute];
        if (value === undefined || value === null) {
          findings.push({ ...resource, message: `${setting.attribute} is not set: the default allows ${setting.what}; set it to ${!setting.on}` });
        } else if (value === setting.on) {
          findings.push({ ...resource, message: `${setting.attribute} = ${value}: ${setting.what} are allowed` });
        }
      }
      if (resource.type === "azurerm_mssql_server") {
        const admin = block(resource.body, "azuread_administrator");
        if (admin?.azuread_authentication_only !== true) {
          findings.push({ ...resource, message: "SQL logins are allowed: set azuread_administrator with azuread_authentication_only = true" });
        }
      }
      if (ASA_WITH_MSI.has(resource.type)) {
        const mode = resource.body.authentication_mode;
        if (mode !== "Msi" && !(typeof mode === "string" && mode.includes("${"))) {
          findings.push({ ...resource, message: `authentication_mode is ${mode === undefined ? "not set (default ConnectionString)" : `'${String(mode)}'`}: use Msi, the job's managed identity` });
        }
      }
    }
    return findings;
  },
};
