// What surrounds the resources: the state backend and the diagnostic settings.
import { resourcesOf } from "../resources";
import type { Rule, Violation } from "../types";

const backendRule: Rule = {
  id: "backend.entra-auth",
  family: "local-auth",
  severity: "high",
  title: "an azurerm state backend authenticates with Entra ID (use_azuread_auth = true), not the storage account key: the state holds every secret of the stack",
  checkov: [],
  psrule: [],
  resourceTypes: ["terraform.backend.azurerm"],
  check({ stack }) {
    const backend = (stack.json.terraform as { backend?: { azurerm?: Record<string, unknown> } } | undefined)?.backend?.azurerm;
    if (!backend || backend.use_azuread_auth === true) return [];
    const keyed = ["access_key", "sas_token"].filter((k) => backend[k] !== undefined);
    return [
      {
        address: "terraform.backend.azurerm",
        attribute: "use_azuread_auth",
        value: backend.use_azuread_auth,
        message: `use_azuread_auth is ${backend.use_azuread_auth === undefined ? "not set" : JSON.stringify(backend.use_azuread_auth)}: the state is read with ${keyed.length ? keyed.join("/") : "the storage account key"}`,
        fix: "set use_azuread_auth = true and grant the deploying identity Storage Blob Data Contributor on the state container (AzurermBackend({ useAzureadAuth: true }))",
      },
    ];
  },
};

/**
 * Resource types that have diagnostic categories (logs or metrics) and so need a diagnostic
 * setting; the target is the resource (`${type.name.id}`) or, for storage, its blob service too.
 */
export const DIAGNOSTIC_TARGETS: Record<string, string[]> = {
  azurerm_storage_account: ["", "/blobServices/default"],
  azurerm_eventhub_namespace: [""],
  azurerm_iothub: [""],
  azurerm_mssql_database: [""],
  azurerm_synapse_workspace: [""],
  azurerm_synapse_sql_pool: [""],
  azurerm_synapse_spark_pool: [""],
  azurerm_kusto_cluster: [""],
  azurerm_databricks_workspace: [""],
  azurerm_stream_analytics_job: [""],
  azurerm_log_analytics_workspace: [""],
  azurerm_key_vault: [""],
  azurerm_servicebus_namespace: [""],
  azurerm_cosmosdb_account: [""],
  azurerm_virtual_network: [""],
  azurerm_network_security_group: [""],
};

const diagnosticsRule: Rule = {
  id: "diagnostics.settings",
  family: "diagnostics",
  severity: "medium",
  title: "every resource that has diagnostic categories has a diagnostic setting (storage: the account and its blob service)",
  checkov: ["CKV2_AZURE_21"],
  psrule: ["Azure.KeyVault.Logs", "Azure.ServiceBus.AuditLogs"],
  resourceTypes: Object.keys(DIAGNOSTIC_TARGETS),
  check({ stack }) {
    const targets = resourcesOf(stack, "azurerm_monitor_diagnostic_setting").map((d) => d.body.target_resource_id);
    const found: Violation[] = [];
    for (const resource of resourcesOf(stack)) {
      for (const suffix of DIAGNOSTIC_TARGETS[resource.type] ?? []) {
        const wanted = `\${${resource.address}.id}${suffix}`;
        if (targets.includes(wanted)) continue;
        found.push({
          address: resource.address,
          constructPath: resource.constructPath,
          attribute: `azurerm_monitor_diagnostic_setting.target_resource_id`,
          value: wanted,
          message: `no diagnostic setting for ${suffix ? `its ${suffix.slice(1)}` : "the resource"}: its logs and metrics are kept nowhere`,
          fix: `add an azurerm_monitor_diagnostic_setting with target_resource_id = "${wanted}" sending all logs and metrics to Log Analytics (the constructs' diagnosticSettings prop)`,
        });
      }
    }
    return found;
  },
};

export const platformRules: Rule[] = [backendRule, diagnosticsRule];
