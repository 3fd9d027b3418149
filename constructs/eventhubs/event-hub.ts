// One event hub: partitions, retention, a consumer group per consumer, SAS rules only when
// asked, and optional Capture to ADLS Gen2 / Blob storage.
import { Construct } from "constructs";
import { Token } from "cdktf";
import { Eventhub } from "@cdktf/provider-azurerm/lib/eventhub";
import { DataAzurermEventhub } from "@cdktf/provider-azurerm/lib/data-azurerm-eventhub";
import { EventhubConsumerGroup } from "@cdktf/provider-azurerm/lib/eventhub-consumer-group";
import { EventhubAuthorizationRule } from "@cdktf/provider-azurerm/lib/eventhub-authorization-rule";
import { applyCommonShapes, CommonResources, RoleAssignmentSpec } from "../core/shapes";
import { NAMING_RULES, validateName } from "../core/naming";
import type { AuthorizationRuleSpec, EventHubsNamespace } from "./event-hubs-namespace";

/** Where Capture writes, and how it authenticates to the storage account. */
export interface CaptureSpec {
  /** The storage account (e.g. a `StreamkitStorage`). `sharedAccessKeyEnabled: false` is checked against `authentication`. */
  storageAccount: { id: string; name: string; sharedAccessKeyEnabled?: boolean };
  /** Container or ADLS Gen2 filesystem name. */
  container: string;
  /**
   * How Capture reaches storage. `namespaceIdentity` (the namespace's managed identity) is what
   * streamkit recommends, but azurerm 4.55 cannot set it (its `storage_authentication_type`
   * arrived in a later azurerm), so it raises a clear error; `storageSas` is Capture's
   * classic mode and needs shared keys enabled on the storage account.
   */
  authentication: "storageSas" | "namespaceIdentity";
  /** Default `Avro`. */
  encoding?: "Avro" | "AvroDeflate";
  /** 60-900, default 300. */
  intervalSeconds?: number;
  /** 10 MiB - 500 MiB, default 300 MiB. */
  sizeLimitBytes?: number;
  /** Default true: no empty files in quiet periods. */
  skipEmptyArchives?: boolean;
  /** Must contain every one of {Namespace} {EventHub} {PartitionId} {Year} {Month} {Day} {Hour} {Minute} {Second}. */
  archiveNameFormat?: string;
}

export interface EventHubSpec {
  name: string;
  /** 1-32 on Basic/Standard, up to 100 on Premium. Default 4. Cannot shrink after creation. */
  partitionCount?: number;
  /** Days: Basic 1, Standard up to 7, Premium up to 90. Default 1. */
  retentionDays?: number;
  /** One consumer group per consumer (a job, a Spark stream, ...): readers never share offsets. */
  consumerGroups?: string[];
  /** Hub-level SAS rules: only when asked, and only with local authentication on. */
  authorizationRules?: AuthorizationRuleSpec[];
  capture?: CaptureSpec;
  /** Grants at this hub's scope, e.g. a job's identity as "Azure Event Hubs Data Receiver". */
  roleAssignments?: RoleAssignmentSpec[];
}

/** What a reader or writer needs of a hub, whether created here or existing. */
export interface EventHubRef {
  readonly id: string;
  readonly name: string;
  readonly namespaceName: string;
  readonly resourceGroupName: string;
}

export const DEFAULT_ARCHIVE_NAME_FORMAT = "{Namespace}/{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}";
const ARCHIVE_TOKENS = ["{Namespace}", "{EventHub}", "{PartitionId}", "{Year}", "{Month}", "{Day}", "{Hour}", "{Minute}", "{Second}"];
const MAX_RETENTION = { Basic: 1, Standard: 7, Premium: 90 } as const;
const MAX_PARTITIONS = { Basic: 32, Standard: 32, Premium: 100 } as const;

export class EventHub extends Construct implements EventHubRef {
  readonly eventhub: Eventhub;
  readonly id: string;
  readonly name: string;
  readonly namespaceName: string;
  readonly resourceGroupName: string;
  readonly partitionCount: number;
  readonly consumerGroups: Record<string, EventhubConsumerGroup> = {};
  readonly authorizationRules: Record<string, EventhubAuthorizationRule> = {};
  readonly common: CommonResources;
  /** The namespace's name as a reference, so Terraform orders creation. */
  private readonly namespaceResourceName: string;

  /** Reuse a hub created elsewhere. */
  static fromExisting(scope: Construct, id: string, props: { name: string; namespaceName: string; resourceGroupName: string }): EventHubRef {
    const data = new DataAzurermEventhub(scope, id, props);
    return { id: data.id, ...props };
  }

  constructor(scope: Construct, id: string, props: EventHubSpec & { namespace: EventHubsNamespace }) {
    super(scope, id);
    const ns = props.namespace;
    validateName(this, NAMING_RULES.eventHub, props.name);
    this.partitionCount = props.partitionCount ?? 4;
    const retention = props.retentionDays ?? 1;
    this.node.addValidation({ validate: () => this.checkProps(props, ns, retention) });

    const capture = props.capture;
    this.eventhub = new Eventhub(this, "hub", {
      name: props.name,
      namespaceId: ns.namespace.id,
      partitionCount: this.partitionCount,
      messageRetention: retention,
      captureDescription: capture
        ? {
            enabled: true,
            encoding: capture.encoding ?? "Avro",
            intervalInSeconds: capture.intervalSeconds ?? 300,
            sizeLimitInBytes: capture.sizeLimitBytes ?? 314572800,
            skipEmptyArchives: capture.skipEmptyArchives ?? true,
            destination: {
              name: "EventHubArchive.AzureBlockBlob",
              archiveNameFormat: capture.archiveNameFormat ?? DEFAULT_ARCHIVE_NAME_FORMAT,
              blobContainerName: capture.container,
              storageAccountId: capture.storageAccount.id,
            },
          }
        : undefined,
    });
    this.id = this.eventhub.id;
    this.name = props.name;
    this.namespaceName = ns.name;
    this.namespaceResourceName = ns.namespace.name;
    this.resourceGroupName = ns.resourceGroupName;

    for (const group of props.consumerGroups ?? []) this.addConsumerGroup(group);
    for (const rule of props.authorizationRules ?? []) {
      validateName(this, NAMING_RULES.authorizationRule, rule.name);
      this.authorizationRules[rule.name] = new EventhubAuthorizationRule(this, `rule-${rule.name}`, {
        name: rule.name,
        eventhubName: this.eventhub.name,
        namespaceName: ns.namespace.name,
        resourceGroupName: ns.resourceGroupName,
        listen: rule.listen ?? false,
        send: rule.send ?? false,
        manage: rule.manage ?? false,
      });
    }
    this.common = applyCommonShapes(this, this.eventhub.id, { roleAssignments: props.roleAssignments });
  }

  /** A consumer group for one more consumer. `$Default` exists already and is not created. */
  addConsumerGroup(name: string): EventhubConsumerGroup | undefined {
    if (name === "$Default") return undefined;
    if (this.consumerGroups[name]) throw new Error(`consumer group '${name}' is declared twice on event hub '${this.name}'`);
    validateName(this, NAMING_RULES.consumerGroup, name);
    const group = new EventhubConsumerGroup(this, `cg-${name}`, {
      name,
      eventhubName: this.eventhub.name,
      namespaceName: this.namespaceResourceName,
      resourceGroupName: this.resourceGroupName,
    });
    this.consumerGroups[name] = group;
    return group;
  }

  private checkProps(props: EventHubSpec, ns: EventHubsNamespace, retention: number): string[] {
    const problems: string[] = [];
    const where = `event hub '${props.name}' in namespace '${ns.name}'`;
    const maxPartitions = MAX_PARTITIONS[ns.sku];
    if (!Token.isUnresolved(this.partitionCount) && (!Number.isInteger(this.partitionCount) || this.partitionCount < 1 || this.partitionCount > maxPartitions)) {
      problems.push(`${where}: partitionCount ${this.partitionCount} is out of range for ${ns.sku} (1-${maxPartitions})`);
    }
    if (!Token.isUnresolved(retention) && (!Number.isInteger(retention) || retention < 1 || retention > MAX_RETENTION[ns.sku])) {
      problems.push(`${where}: retentionDays ${retention} is out of range for ${ns.sku} (1-${MAX_RETENTION[ns.sku]})`);
    }
    const groups = props.consumerGroups ?? [];
    if (ns.sku === "Basic" && groups.some((g) => g !== "$Default")) {
      problems.push(`${where}: the Basic tier has only the $Default consumer group; use Standard for one consumer group per consumer`);
    }
    if ((props.authorizationRules?.length ?? 0) > 0 && !ns.localAuthenticationEnabled) {
      problems.push(`${where}: authorization (SAS) rules need localAuthenticationEnabled on the namespace; prefer role assignments`);
    }
    const capture = props.capture;
    if (capture) {
      if (ns.sku === "Basic") problems.push(`${where}: Capture needs the Standard or Premium tier`);
      if (capture.authentication === "namespaceIdentity") {
        problems.push(
          `${where}: Capture with the namespace's managed identity is not supported by azurerm 4.55 (@cdktf/provider-azurerm 14.23.1 has no capture storage_authentication_type); use authentication 'storageSas' on a storage account with shared keys enabled`,
        );
      }
      if (capture.authentication === "storageSas" && capture.storageAccount.sharedAccessKeyEnabled === false) {
        problems.push(`${where}: Capture with 'storageSas' needs shared keys on storage account '${capture.storageAccount.name}' (set sharedAccessKeyEnabled: true there)`);
      }
      const interval = capture.intervalSeconds ?? 300;
      if (interval < 60 || interval > 900) problems.push(`${where}: capture intervalSeconds must be 60-900, not ${interval}`);
      const size = capture.sizeLimitBytes ?? 314572800;
      if (size < 10485760 || size > 524288000) problems.push(`${where}: capture sizeLimitBytes must be 10485760-524288000, not ${size}`);
      const format = capture.archiveNameFormat ?? DEFAULT_ARCHIVE_NAME_FORMAT;
      const missing = ARCHIVE_TOKENS.filter((t) => !format.includes(t));
      if (missing.length > 0) problems.push(`${where}: capture archiveNameFormat lacks ${missing.join(", ")}`);
    }
    return problems;
  }
}
