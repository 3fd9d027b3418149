// Azure SQL and Synapse: Entra-only logins, firewalls that admit no more than they must,
// encryption at rest and auditing.
import { coverage, describeCoverage, parseRange, publicCoverage, ALLOW_ALL_THRESHOLD, type Ipv4Range } from "../ipv4";
import { refersTo, resourcesOf, settingOf } from "../resources";
import { cannotVerify, equals, resourceRule, settingRule, type RuleInfo } from "../rule-kit";
import type { ResourceView, Rule, RuleContext } from "../types";
import { identityRule, minTlsRule, publicNetworkRule } from "./common";

const SERVER = "azurerm_mssql_server";
const WORKSPACE = "azurerm_synapse_workspace";
const SQL_FIREWALL = "azurerm_mssql_firewall_rule";
const SYNAPSE_FIREWALL = "azurerm_synapse_firewall_rule";

/** A firewall rule and the range it admits (undefined when it is not literal IPv4). */
interface FirewallRule {
  resource: ResourceView;
  parent: string;
  range?: Ipv4Range;
  expression: boolean;
}

function firewallRules(context: RuleContext, type: string, parentKey: string): FirewallRule[] {
  return resourcesOf(context.stack, type).map((resource) => {
    const start = settingOf(resource.body, "start_ip_address", context.stack);
    const end = settingOf(resource.body, "end_ip_address", context.stack);
    const expression = start.kind === "expression" || end.kind === "expression";
    const range = start.kind === "literal" && end.kind === "literal" ? parseRange(`${String(start.value)}-${String(end.value)}`) : undefined;
    return { resource, parent: String(resource.body[parentKey] ?? ""), range, expression };
  });
}

/** The "Allow Azure services" rule: 0.0.0.0-0.0.0.0. */
const isAzureServices = (r: FirewallRule) => r.range?.first === 0 && r.range.last === 0;

/** Rules grouped by the server (or workspace) they belong to. */
function byParent(rules: FirewallRule[]): FirewallRule[][] {
  const groups = new Map<string, FirewallRule[]>();
  for (const r of rules) groups.set(r.parent, [...(groups.get(r.parent) ?? []), r]);
  return [...groups.values()];
}

function firewallAllowAll(o: { id: string; type: string; parentKey: string; checkov: string[]; psrule: string[] }): Rule {
  return {
    id: o.id,
    family: "network-rules",
    severity: "high",
    title: "no firewall rule, nor the server's rules together, admitting half of IPv4 or more (0.0.0.0-255.255.255.255, 0.0.0.1-255.255.255.255, two /1 ranges, …)",
    checkov: o.checkov,
    psrule: o.psrule,
    resourceTypes: [o.type],
    check(context) {
      const out = [];
      for (const group of byParent(firewallRules(context, o.type, o.parentKey))) {
        const ranges = group.flatMap((r) => (r.range ? [r.range] : []));
        const total = coverage(ranges);
        for (const rule of group) {
          const fix = "admit only the clients' networks (or use a private endpoint)";
          if (rule.expression) {
            out.push({ address: rule.resource.address, constructPath: rule.resource.constructPath, ...cannotVerify("start_ip_address/end_ip_address", [rule.resource.body.start_ip_address, rule.resource.body.end_ip_address], fix) });
          } else if (total >= ALLOW_ALL_THRESHOLD && rule.range && !isAzureServices(rule)) {
            const others = group.filter((g) => g !== rule && g.range && !isAzureServices(g)).map((g) => g.resource.address);
            out.push({
              address: rule.resource.address,
              constructPath: rule.resource.constructPath,
              attribute: "start_ip_address/end_ip_address",
              value: [rule.resource.body.start_ip_address, rule.resource.body.end_ip_address],
              message: `the rule admits ${describeCoverage(rule.range.last - rule.range.first + 1)}${others.length ? `; with ${others.join(", ")} the server admits ${describeCoverage(total)}` : ""}: the whole internet, in effect`,
              fix,
            });
          }
        }
      }
      return out;
    },
  };
}

function allowAzureServices(o: { id: string; type: string; checkov: string[]; psrule: string[] }): Rule {
  return resourceRule({
    id: o.id,
    family: "network-rules",
    severity: "medium",
    title: "no 0.0.0.0 rule (\"Allow Azure services\"): it admits every Azure tenant's services; waive it where a Stream Analytics job outside a virtual network must write",
    checkov: o.checkov,
    psrule: o.psrule,
    types: [o.type],
    check(resource) {
      const start = resource.body.start_ip_address;
      const end = resource.body.end_ip_address;
      if (start !== "0.0.0.0" || end !== "0.0.0.0") return undefined;
      return [{ attribute: "start_ip_address/end_ip_address", value: [start, end], message: "the rule admits the services of every Azure tenant, not only yours", fix: "use a private endpoint (or a Stream Analytics cluster with managed private endpoints); where the job needs it, waive with that reason" }];
    },
  });
}

function firewallIpRange(o: { id: string; type: string; parentKey: string; psrule: string[] }): Rule {
  return {
    id: o.id,
    family: "network-rules",
    severity: "medium",
    title: "the server's firewall rules admit at most 10 public IPv4 addresses in all",
    checkov: [],
    psrule: o.psrule,
    resourceTypes: [o.type],
    check(context) {
      const out = [];
      for (const group of byParent(firewallRules(context, o.type, o.parentKey))) {
        const ranges = group.flatMap((r) => (r.range ? [r.range] : []));
        const total = publicCoverage(ranges);
        if (total <= 10 || coverage(ranges) >= ALLOW_ALL_THRESHOLD) continue; // allow-all is its own, high, finding
        const widest = [...group].sort((a, b) => (b.range ? b.range.last - b.range.first : 0) - (a.range ? a.range.last - a.range.first : 0))[0]!;
        out.push({
          address: widest.resource.address,
          constructPath: widest.resource.constructPath,
          attribute: "start_ip_address/end_ip_address",
          value: group.map((g) => `${String(g.resource.body.start_ip_address)}-${String(g.resource.body.end_ip_address)}`),
          message: `the rules of ${widest.parent || "the server"} admit ${total.toLocaleString("en-US")} public addresses (more than 10)`,
          fix: "narrow the ranges to the clients that connect, or use a private endpoint",
        });
      }
      return out;
    },
  };
}

/** An auditing policy resource refers to the audited resource, is enabled, and sends to Azure Monitor or keeps ≥ 90 days. */
function auditingRule(info: RuleInfo & { type: string; policyType: string; parentKey: string; masterDiagnostics?: boolean }): Rule {
  const { type, policyType, parentKey, masterDiagnostics, ...rest } = info;
  return resourceRule({
    ...rest,
    types: [type],
    check(resource, context) {
      const policies = resourcesOf(context.stack, policyType).filter((p) => refersTo(p.body[parentKey], resource.address));
      const fix = `add ${policyType} { ${parentKey} = ${resource.address}.id, log_monitoring_enabled = true, retention_in_days = 90 }${masterDiagnostics ? " and a diagnostic setting on its master database (SQLSecurityAuditEvents)" : ""}`;
      if (policies.length === 0) return [{ attribute: policyType, message: "no auditing policy: nobody can tell who read or changed data", fix }];
      const problems = [];
      for (const p of policies) {
        if (p.body.enabled === false) problems.push({ attribute: `${p.address}.enabled`, value: false, message: "the auditing policy is disabled", fix });
        const retention = p.body.retention_in_days;
        if (typeof retention === "number" && retention > 0 && retention < 90) {
          problems.push({ attribute: `${p.address}.retention_in_days`, value: retention, message: `audit logs kept ${retention} days (fewer than 90)`, fix });
        }
        const toMonitor = p.body.log_monitoring_enabled !== false;
        if (!toMonitor && !p.body.storage_endpoint) problems.push({ attribute: `${p.address}.log_monitoring_enabled`, value: p.body.log_monitoring_enabled, message: "the audit has nowhere to go (no Azure Monitor, no storage endpoint)", fix });
        if (toMonitor && masterDiagnostics && !p.body.storage_endpoint) {
          const master = resourcesOf(context.stack, "azurerm_monitor_diagnostic_setting").some((d) => typeof d.body.target_resource_id === "string" && d.body.target_resource_id.startsWith(`\${${resource.address}.id}/databases/master`));
          if (!master) problems.push({ attribute: "azurerm_monitor_diagnostic_setting", message: "audit events go to Azure Monitor, but no diagnostic setting on the master database forwards them", fix });
        }
      }
      return problems;
    },
  });
}

export const sqlRules: Rule[] = [
  minTlsRule({ id: "sql.min-tls", type: SERVER, attribute: "minimum_tls_version", secure: "1.2", defaultIsSecure: true, checkov: ["CKV_AZURE_52"], psrule: ["Azure.SQL.MinTLS"] }),
  settingRule({
    id: "sql.entra-only",
    family: "local-auth",
    severity: "high",
    title: "azuread_administrator with azuread_authentication_only = true: no SQL logins, no password",
    checkov: ["CKV2_AZURE_27"],
    psrule: ["Azure.SQL.AAD", "Azure.SQL.AADOnly"],
    types: [SERVER],
    attribute: "azuread_administrator.azuread_authentication_only",
    absent: "SQL logins are allowed",
    ok: equals(true),
    problem: "SQL logins are allowed",
    fix: "set azuread_administrator { azuread_authentication_only = true } (AzureSql does)",
  }),
  publicNetworkRule({ id: "sql.public-network", type: SERVER, publicByDefault: true, firewall: () => ({ denies: true, attribute: "firewall rules", value: undefined }), checkov: ["CKV_AZURE_113", "CKV2_AZURE_45"] }),
  firewallAllowAll({ id: "sql.firewall-allow-all", type: SQL_FIREWALL, parentKey: "server_id", checkov: ["CKV_AZURE_11"], psrule: ["Azure.SQL.FirewallIPRange"] }),
  firewallIpRange({ id: "sql.firewall-ip-range", type: SQL_FIREWALL, parentKey: "server_id", psrule: ["Azure.SQL.FirewallIPRange"] }),
  allowAzureServices({ id: "sql.allow-azure-services", type: SQL_FIREWALL, checkov: ["CKV2_AZURE_34"], psrule: ["Azure.SQL.AllowAzureAccess"] }),
  identityRule({ id: "sql.identity", type: SERVER, why: "the server reads Entra ID and Key Vault with it" }),
  settingRule({
    id: "sql.tde",
    family: "encryption",
    severity: "high",
    title: "transparent_data_encryption_enabled is not false",
    checkov: ["CKV2_AZURE_25"],
    psrule: ["Azure.SQL.TDE"],
    types: ["azurerm_mssql_database"],
    attribute: "transparent_data_encryption_enabled",
    ok: equals(true),
    problem: "the database is not encrypted at rest",
    fix: "set transparent_data_encryption_enabled = true",
  }),
  auditingRule({
    id: "sql.auditing",
    family: "auditing",
    severity: "medium",
    title: "an enabled server auditing policy to Azure Monitor (with the master database's diagnostic setting) or storage, retention 0 (unlimited) or ≥ 90 days",
    checkov: ["CKV_AZURE_23", "CKV_AZURE_24"],
    psrule: ["Azure.SQL.Auditing"],
    productionOnly: true,
    type: SERVER,
    policyType: "azurerm_mssql_server_extended_auditing_policy",
    parentKey: "server_id",
    masterDiagnostics: true,
  }),
];

export const synapseRules: Rule[] = [
  settingRule({
    id: "synapse.entra-only",
    family: "local-auth",
    severity: "high",
    title: "azuread_authentication_only = true: no SQL logins (so no administrator password exists)",
    checkov: ["CKV_AZURE_239"],
    psrule: [],
    types: [WORKSPACE],
    attribute: "azuread_authentication_only",
    absent: "SQL logins are allowed",
    ok: equals(true),
    problem: "SQL logins are allowed",
    fix: "set azuread_authentication_only = true (Synapse without sqlAdministrator)",
  }),
  settingRule({
    id: "synapse.managed-vnet",
    family: "network-rules",
    severity: "medium",
    title: "managed_virtual_network_enabled = true: Spark and pipelines run isolated",
    checkov: ["CKV_AZURE_58"],
    psrule: [],
    types: [WORKSPACE],
    attribute: "managed_virtual_network_enabled",
    absent: "Spark and pipelines run without an isolated network (only settable at creation)",
    ok: equals(true),
    problem: "Spark and pipelines run without an isolated network",
    fix: "set managed_virtual_network_enabled = true (forces a new workspace)",
  }),
  settingRule({
    id: "synapse.exfiltration-protection",
    family: "network-rules",
    severity: "medium",
    title: "data_exfiltration_protection_enabled = true: outbound only to approved tenants",
    checkov: ["CKV_AZURE_157"],
    psrule: [],
    types: [WORKSPACE],
    productionOnly: true,
    attribute: "data_exfiltration_protection_enabled",
    absent: "code in the workspace can send data to any tenant",
    ok: equals(true),
    problem: "code in the workspace can send data to any tenant",
    fix: "set data_exfiltration_protection_enabled = true (Synapse: dataExfiltrationProtection, on by default in production; forces a new workspace)",
  }),
  publicNetworkRule({ id: "synapse.public-network", type: WORKSPACE, publicByDefault: true, firewall: () => ({ denies: true, attribute: "firewall rules", value: undefined }) }),
  firewallAllowAll({ id: "synapse.firewall-allow-all", type: SYNAPSE_FIREWALL, parentKey: "synapse_workspace_id", checkov: [], psrule: [] }),
  allowAzureServices({ id: "synapse.allow-azure-services", type: SYNAPSE_FIREWALL, checkov: [], psrule: [] }),
  identityRule({ id: "synapse.identity", type: WORKSPACE, why: "the workspace reaches its filesystem with it" }),
  auditingRule({
    id: "synapse.auditing",
    family: "auditing",
    severity: "medium",
    title: "an enabled workspace auditing policy (azurerm_synapse_workspace_extended_auditing_policy)",
    checkov: ["CKV2_AZURE_53"],
    psrule: [],
    productionOnly: true,
    type: WORKSPACE,
    policyType: "azurerm_synapse_workspace_extended_auditing_policy",
    parentKey: "synapse_workspace_id",
  }),
  settingRule({
    id: "synapse.sql-pool-encryption",
    family: "encryption",
    severity: "high",
    title: "data_encrypted = true on dedicated SQL pools (TDE)",
    checkov: ["CKV_AZURE_241"],
    psrule: [],
    types: ["azurerm_synapse_sql_pool"],
    attribute: "data_encrypted",
    absent: "the pool is not encrypted at rest",
    ok: equals(true),
    problem: "the pool is not encrypted at rest",
    fix: "set data_encrypted = true",
  }),
  auditingRule({
    id: "synapse.sql-pool-auditing",
    family: "auditing",
    severity: "medium",
    title: "an enabled SQL pool auditing policy sending to Azure Monitor (log_monitoring_enabled)",
    checkov: ["CKV2_AZURE_54"],
    psrule: [],
    productionOnly: true,
    type: "azurerm_synapse_sql_pool",
    policyType: "azurerm_synapse_sql_pool_extended_auditing_policy",
    parentKey: "sql_pool_id",
  }),
];
