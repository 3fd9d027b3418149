// Azure's naming rules for the resources streamkit creates, checked at synth time so a bad
// name fails on the laptop with a clear message, not minutes into `terraform apply`.
// Source: "Naming rules and restrictions for Azure resources" (azure-resource-manager docs).
import { Construct } from "constructs";
import { Token } from "cdktf";

export interface NamingRule {
  /** What the name is for, as printed in errors ("Event Hubs namespace"). */
  kind: string;
  min: number;
  max: number;
  pattern: RegExp;
  /** The allowed characters in words, for the error message. */
  allowed: string;
  /** Part of a DNS name: must be unique across Azure, not only in the subscription. */
  globallyUnique?: boolean;
  /** Extra rule beyond the pattern: returns a problem or undefined. */
  extra?: (name: string) => string | undefined;
}

const noConsecutiveHyphens = (name: string) => (name.includes("--") ? "it must not contain consecutive hyphens" : undefined);

export const NAMING_RULES = {
  resourceGroup: { kind: "resource group", min: 1, max: 90, pattern: /^[-\w.()]*[-\w()]$/u, allowed: "letters, digits, '_', '-', '.', '(' and ')', not ending with '.'" },
  eventHubsNamespace: {
    kind: "Event Hubs namespace",
    min: 6,
    max: 50,
    pattern: /^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/,
    allowed: "letters, digits and hyphens, starting with a letter and ending with a letter or digit",
    globallyUnique: true,
    extra: (name: string) => (/-(sb|mgmt)$/i.test(name) ? "it must not end with '-sb' or '-mgmt'" : undefined),
  },
  eventHub: { kind: "event hub", min: 1, max: 256, pattern: /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/, allowed: "letters, digits, '.', '_' and '-', starting and ending with a letter or digit" },
  consumerGroup: { kind: "consumer group", min: 1, max: 50, pattern: /^[A-Za-z0-9$](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/, allowed: "letters, digits, '.', '_' and '-', starting and ending with a letter or digit" },
  authorizationRule: { kind: "authorization rule", min: 1, max: 256, pattern: /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/, allowed: "letters, digits, '.', '_' and '-', starting and ending with a letter or digit" },
  storageAccount: { kind: "storage account", min: 3, max: 24, pattern: /^[a-z0-9]+$/, allowed: "lowercase letters and digits only", globallyUnique: true },
  container: {
    kind: "container / filesystem",
    min: 3,
    max: 63,
    pattern: /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    allowed: "lowercase letters, digits and hyphens, starting and ending with a letter or digit",
    extra: noConsecutiveHyphens,
  },
  sqlServer: { kind: "SQL logical server", min: 1, max: 63, pattern: /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, allowed: "lowercase letters, digits and hyphens, not starting or ending with a hyphen", globallyUnique: true },
  sqlDatabase: {
    kind: "SQL database",
    min: 1,
    max: 128,
    pattern: /^[^<>*%&:\\/?]*[^<>*%&:\\/?. ]$/,
    allowed: "any characters but < > * % & : \\ / ?, not ending with '.' or a space",
  },
  sqlIdentifier: { kind: "SQL table or column", min: 1, max: 128, pattern: /^[A-Za-z_][A-Za-z0-9_@$#]*$/, allowed: "letters, digits, '_', '@', '$' and '#', starting with a letter or '_'" },
  iotHub: { kind: "IoT hub", min: 3, max: 50, pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, allowed: "letters, digits and hyphens, not ending with a hyphen", globallyUnique: true },
  iotHubRouteOrEndpoint: { kind: "IoT Hub route or endpoint", min: 1, max: 64, pattern: /^[A-Za-z0-9_.-]+$/, allowed: "letters, digits, '.', '_' and '-'", extra: (n: string) => (/^(events|operationsMonitoringEvents|fileNotifications|\$default)$/i.test(n) ? "it is a reserved IoT Hub name" : undefined) },
  synapseWorkspace: {
    kind: "Synapse workspace",
    min: 1,
    max: 50,
    pattern: /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    allowed: "lowercase letters, digits and hyphens, starting and ending with a letter or digit",
    globallyUnique: true,
    extra: (n: string) => (n.includes("-ondemand") ? "it must not contain '-ondemand'" : undefined),
  },
  synapseSqlPool: { kind: "Synapse dedicated SQL pool", min: 1, max: 60, pattern: /^[A-Za-z0-9_]+$/, allowed: "letters, digits and '_'" },
  databricksWorkspace: { kind: "Databricks workspace", min: 3, max: 64, pattern: /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/, allowed: "letters, digits, '_' and '-', starting and ending with a letter or digit" },
  synapseSparkPool: { kind: "Synapse Spark pool", min: 1, max: 15, pattern: /^[A-Za-z][A-Za-z0-9]*$/, allowed: "letters and digits, starting with a letter" },
  kustoCluster: { kind: "Data Explorer cluster", min: 4, max: 22, pattern: /^[a-z][a-z0-9]*$/, allowed: "lowercase letters and digits, starting with a letter", globallyUnique: true },
  kustoDatabase: { kind: "Data Explorer database", min: 1, max: 260, pattern: /^[A-Za-z0-9 ._-]+$/, allowed: "letters, digits, spaces, '.', '_' and '-'" },
  kustoTable: { kind: "Data Explorer table or column", min: 1, max: 1024, pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, allowed: "letters, digits and '_', starting with a letter or '_'" },
  hdinsightCluster: { kind: "HDInsight cluster", min: 3, max: 59, pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, allowed: "letters, digits and hyphens, starting and ending with a letter or digit", globallyUnique: true },
  userAssignedIdentity: { kind: "user-assigned identity", min: 3, max: 128, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/, allowed: "letters, digits, '-' and '_', starting with a letter or digit" },
} satisfies Record<string, NamingRule>;

/** The problem with a name, or undefined when it is valid. Unresolved tokens are not checked. */
export function namingProblem(rule: NamingRule, name: string): string | undefined {
  if (Token.isUnresolved(name)) return undefined;
  const hint = rule.globallyUnique ? " (it is part of a DNS name, so it must also be unique across all of Azure: add your environment's name prefix)" : "";
  if (name.length < rule.min || name.length > rule.max) {
    return `${rule.kind} name '${name}' has ${name.length} characters; Azure allows ${rule.min} to ${rule.max}${hint}`;
  }
  if (!rule.pattern.test(name)) return `${rule.kind} name '${name}' is invalid: Azure allows ${rule.allowed}`;
  const extra = rule.extra?.(name);
  if (extra) return `${rule.kind} name '${name}' is invalid: ${extra}`;
  return undefined;
}

/** Registers a synth-time validation of a name on a construct. */
export function validateName(scope: Construct, rule: NamingRule, name: string): void {
  scope.node.addValidation({
    validate: () => {
      const problem = namingProblem(rule, name);
      return problem ? [problem] : [];
    },
  });
}
