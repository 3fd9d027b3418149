// An Event Hubs namespace with its hubs, consumer groups and (only when asked) SAS rules.
// Secure by default: Entra ID only (local/SAS auth off), TLS 1.2, a system identity, and a
// firewall that denies everything but trusted Microsoft services (Stream Analytics with a
// managed identity is one) unless the props open or close it further.
import { Construct } from "constructs";
import { Token } from "cdktf";
import { EventhubNamespace } from "@cdktf/provider-azurerm/lib/eventhub-namespace";
import { DataAzurermEventhubNamespace } from "@cdktf/provider-azurerm/lib/data-azurerm-eventhub-namespace";
import { EventhubNamespaceAuthorizationRule } from "@cdktf/provider-azurerm/lib/eventhub-namespace-authorization-rule";
import { applyCommonShapes, CommonProps, CommonResources, identityBlock, ManagedIdentitiesSpec, withDefaultTags } from "../core/shapes";
import { NAMING_RULES, validateName } from "../core/naming";
import { refuseAllowAll } from "../core/allowed-networks";
import { addPrivateEndpoint, PrivateEndpointSpec } from "../core/private-endpoint";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { EventHub, EventHubSpec } from "./event-hub";
import { kafkaClientConfig, KafkaClientOptions } from "./kafka-client";

export type EventHubsSku = "Basic" | "Standard" | "Premium";

/** Authorization (SAS) rule rights. Created only when asked: prefer managed identities and RBAC. */
export interface AuthorizationRuleSpec {
  name: string;
  listen?: boolean;
  send?: boolean;
  manage?: boolean;
}

/**
 * Network exposure of a service endpoint, shared by the constructs:
 * - `disabled`: private endpoints only;
 * - `restricted` (default): public endpoint on, firewall default-deny, trusted Microsoft services and listed IP ranges allowed;
 * - `enabled`: open to every network (reported by the policy check unless the environment allows it).
 */
export type PublicNetworkAccess = "disabled" | "restricted" | "enabled";

export interface EventHubsNamespaceProps extends CommonProps {
  name: string;
  /** Default `Standard`: Basic has no Kafka surface, no Capture and 1-day retention. */
  sku?: EventHubsSku;
  /** Throughput units (Basic/Standard, 1-40) or processing units (Premium: 1, 2, 4, 8, 16). Default 1. */
  capacity?: number;
  /** Standard only: let Azure raise throughput units up to this maximum (1-40). */
  autoInflateMaximumThroughputUnits?: number;
  /** Default `restricted`. */
  publicNetworkAccess?: PublicNetworkAccess;
  /** CIDR ranges let through the firewall when access is `restricted`. */
  allowedIpRanges?: string[];
  /** Default false: SAS keys and connection strings disabled, Entra ID only. */
  localAuthenticationEnabled?: boolean;
  /** Default: a system-assigned identity (Capture and customer-managed keys use it). */
  managedIdentities?: ManagedIdentitiesSpec;
  hubs?: EventHubSpec[];
  /** A private endpoint (`namespace` sub-resource): how clients reach a namespace whose public access is disabled. */
  privateEndpoint?: PrivateEndpointSpec;
  /** Namespace-level SAS rules: only when a client cannot use Entra ID. Needs `localAuthenticationEnabled`. */
  authorizationRules?: AuthorizationRuleSpec[];
}

/** What other constructs need to use a namespace, whether created here or existing. */
export interface EventHubsNamespaceRef {
  readonly id: string;
  readonly name: string;
  readonly resourceGroupName: string;
  /** `<name>.servicebus.windows.net:9093`, the Kafka endpoint (Standard and above). */
  readonly kafkaBootstrapServers: string;
}

const MAX_CAPACITY: Record<EventHubsSku, number> = { Basic: 40, Standard: 40, Premium: 16 };

export class EventHubsNamespace extends Construct implements EventHubsNamespaceRef {
  readonly namespace: EventhubNamespace;
  readonly id: string;
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly sku: EventHubsSku;
  readonly kafkaBootstrapServers: string;
  /** The namespace's system identity principal id (undefined without one). */
  readonly principalId?: string;
  readonly hubs: Record<string, EventHub> = {};
  readonly authorizationRules: Record<string, EventhubNamespaceAuthorizationRule> = {};
  readonly common: CommonResources;
  readonly localAuthenticationEnabled: boolean;
  readonly privateEndpoint?: PrivateEndpoint;

  /** Reuse a namespace created elsewhere (read through a data source). */
  static fromExisting(scope: Construct, id: string, props: { name: string; resourceGroupName: string }): EventHubsNamespaceRef {
    const data = new DataAzurermEventhubNamespace(scope, id, { name: props.name, resourceGroupName: props.resourceGroupName });
    return { id: data.id, name: props.name, resourceGroupName: props.resourceGroupName, kafkaBootstrapServers: `${props.name}.servicebus.windows.net:9093` };
  }

  constructor(scope: Construct, id: string, props: EventHubsNamespaceProps) {
    super(scope, id);
    validateName(this, NAMING_RULES.eventHubsNamespace, props.name);
    this.sku = props.sku ?? "Standard";
    const capacity = props.capacity ?? 1;
    const access = props.publicNetworkAccess ?? "restricted";
    this.localAuthenticationEnabled = props.localAuthenticationEnabled ?? false;
    refuseAllowAll(`Event Hubs namespace '${props.name}'`, "allowedIpRanges", props.allowedIpRanges);
    this.node.addValidation({ validate: () => this.checkProps(props, capacity) });

    const identity = identityBlock(props.managedIdentities, true);
    this.namespace = new EventhubNamespace(this, "namespace", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: this.sku,
      capacity,
      autoInflateEnabled: props.autoInflateMaximumThroughputUnits !== undefined,
      maximumThroughputUnits: props.autoInflateMaximumThroughputUnits,
      localAuthenticationEnabled: this.localAuthenticationEnabled,
      minimumTlsVersion: "1.2",
      publicNetworkAccessEnabled: access !== "disabled",
      // Basic has no network rule sets; Standard and Premium get a default-deny firewall.
      networkRulesets:
        access === "restricted" && this.sku !== "Basic"
          ? [
              {
                defaultAction: "Deny",
                publicNetworkAccessEnabled: true,
                trustedServiceAccessEnabled: true,
                ipRule: props.allowedIpRanges?.length ? props.allowedIpRanges.map((ipMask) => ({ ipMask, action: "Allow" })) : undefined,
              },
            ]
          : undefined,
      identity,
      tags: withDefaultTags(props.tags),
    });
    this.id = this.namespace.id;
    this.name = props.name;
    this.resourceGroupName = props.resourceGroupName;
    this.location = props.location;
    this.kafkaBootstrapServers = `${props.name}.servicebus.windows.net:9093`;
    this.principalId = identity?.type.includes("SystemAssigned") ? this.namespace.identity.principalId : undefined;

    if (props.privateEndpoint) {
      this.privateEndpoint = addPrivateEndpoint(this, "private-endpoint", { ...props, tags: withDefaultTags(props.tags) }, { resourceId: this.namespace.id, resourceName: props.name, subresource: "namespace" }, props.privateEndpoint);
    }
    for (const rule of props.authorizationRules ?? []) {
      validateName(this, NAMING_RULES.authorizationRule, rule.name);
      this.authorizationRules[rule.name] = new EventhubNamespaceAuthorizationRule(this, `rule-${rule.name}`, {
        name: rule.name,
        namespaceName: this.namespace.name,
        resourceGroupName: props.resourceGroupName,
        listen: rule.listen ?? false,
        send: rule.send ?? false,
        manage: rule.manage ?? false,
      });
    }
    for (const hub of props.hubs ?? []) this.addHub(hub);
    this.common = applyCommonShapes(this, this.namespace.id, props);
  }

  /** Adds an event hub (with its consumer groups) to this namespace. */
  addHub(spec: EventHubSpec): EventHub {
    if (this.hubs[spec.name]) throw new Error(`event hub '${spec.name}' is declared twice in namespace '${this.name}'`);
    const hub = new EventHub(this, `hub-${spec.name}`, { ...spec, namespace: this });
    this.hubs[spec.name] = hub;
    return hub;
  }

  /** A declared hub by name, with a clear error naming the hubs that exist. */
  hub(name: string): EventHub {
    const hub = this.hubs[name];
    if (!hub) throw new Error(`namespace '${this.name}' has no event hub '${name}' (declared: ${Object.keys(this.hubs).join(", ") || "none"})`);
    return hub;
  }

  /** The Kafka endpoint; a clear error on Basic, which has none. */
  requireKafka(): string {
    if (this.sku === "Basic") throw new Error(`Event Hubs namespace '${this.name}': the Kafka endpoint needs the Standard or Premium tier (this one is Basic)`);
    return this.kafkaBootstrapServers;
  }

  /**
   * A Kafka client's configuration for one of this namespace's hubs (topic = hub), with Entra ID
   * authentication and no secret in it. Grant the client's identity "Azure Event Hubs Data
   * Sender" / "Receiver" on the hub (e.g. through the hub's `roleAssignments`).
   */
  kafkaClientConfig(options: Omit<KafkaClientOptions, "hub"> & { hub: string }): Record<string, string> {
    const hub = this.hub(options.hub);
    if (options.consumerGroup && options.consumerGroup !== "$Default" && !hub.consumerGroups[options.consumerGroup]) {
      throw new Error(`event hub '${hub.name}' has no consumer group '${options.consumerGroup}' (declared: ${Object.keys(hub.consumerGroups).join(", ") || "none"})`);
    }
    return kafkaClientConfig(this.requireKafka(), { ...options, hub });
  }

  private checkProps(props: EventHubsNamespaceProps, capacity: number): string[] {
    const problems: string[] = [];
    const where = `Event Hubs namespace '${props.name}'`;
    if (!Token.isUnresolved(capacity)) {
      if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY[this.sku]) {
        problems.push(`${where}: capacity ${capacity} is out of range for ${this.sku} (1-${MAX_CAPACITY[this.sku]})`);
      } else if (this.sku === "Premium" && ![1, 2, 4, 8, 16].includes(capacity)) {
        problems.push(`${where}: Premium capacity (processing units) is 1, 2, 4, 8 or 16, not ${capacity}`);
      }
    }
    const max = props.autoInflateMaximumThroughputUnits;
    if (max !== undefined) {
      if (this.sku !== "Standard") problems.push(`${where}: auto-inflate exists only on the Standard tier (this one is ${this.sku})`);
      else if (!Number.isInteger(max) || max < capacity || max > 40) {
        problems.push(`${where}: autoInflateMaximumThroughputUnits must be between capacity (${capacity}) and 40, not ${max}`);
      }
    }
    if ((props.allowedIpRanges?.length ?? 0) > 0 && (props.publicNetworkAccess ?? "restricted") !== "restricted") {
      problems.push(`${where}: allowedIpRanges apply only when publicNetworkAccess is 'restricted'`);
    }
    if (this.sku === "Basic" && (props.publicNetworkAccess ?? "restricted") === "restricted") {
      problems.push(`${where}: the Basic tier has no IP firewall; choose publicNetworkAccess 'disabled' (private endpoints) or 'enabled', or the Standard tier`);
    }
    if (props.privateEndpoint && this.sku === "Basic") problems.push(`${where}: private endpoints need the Standard or Premium tier`);
    if ((props.authorizationRules?.length ?? 0) > 0 && !this.localAuthenticationEnabled) {
      problems.push(`${where}: authorization (SAS) rules need localAuthenticationEnabled: true; prefer role assignments to managed identities`);
    }
    return problems;
  }
}
