// The Stream Analytics job, its inputs, outputs and job storage, and the Log Analytics
// workspace the solution's diagnostics go to.
import { equals, settingRule } from "../rule-kit";
import type { Rule } from "../types";
import { identityRule, localAuthRule } from "./common";

/** Stream Analytics inputs and outputs that can use the job's managed identity (authentication_mode = Msi). */
export const ASA_WITH_MSI = [
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
];

export const streamAnalyticsRules: Rule[] = [
  identityRule({ id: "asa.identity", type: "azurerm_stream_analytics_job", why: "the job authenticates to its inputs and outputs with it instead of keys" }),
  settingRule({
    id: "asa.msi",
    family: "local-auth",
    severity: "medium",
    title: "inputs and outputs that can use the job's identity do (authentication_mode = Msi)",
    checkov: [],
    psrule: [],
    types: ASA_WITH_MSI,
    attribute: "authentication_mode",
    absent: "the default is ConnectionString (a key in the job)",
    ok: equals("Msi"),
    problem: "the job holds a key or connection string",
    fix: 'set authentication_mode = "Msi" and grant the job\'s identity a data role on the target',
  }),
  settingRule({
    id: "asa.job-storage-msi",
    family: "local-auth",
    severity: "medium",
    title: "the job's storage account (checkpoints, reference snapshots) reached with the job's identity (authentication_mode = Msi)",
    checkov: [],
    psrule: [],
    types: ["azurerm_stream_analytics_job_storage_account"],
    attribute: "authentication_mode",
    absent: "the default is ConnectionString: the job holds the storage account key",
    ok: equals("Msi"),
    problem: "the job holds the storage account key",
    fix: 'set authentication_mode = "Msi" (the job grants itself Storage Blob Data Contributor)',
  }),
];

export const logAnalyticsRules: Rule[] = [
  localAuthRule({ id: "loganalytics.local-auth", type: "azurerm_log_analytics_workspace", attribute: "local_authentication_enabled", on: true, what: "workspace keys (agents and API calls with a shared key)" }),
];
