// An IoT hub for device telemetry, and how its messages reach a stream processor:
// - routed to an Event Hub through an identity-based endpoint (the hub's managed identity
//   sends; the job reads the Event Hub with its own identity: no key anywhere), or
// - read from the built-in Event Hub-compatible endpoint with a consumer group per reader
//   (Stream Analytics reads it only with a shared access policy, so local auth must be on).
import { Construct } from "constructs";
import { Token } from "cdktf";
import { Iothub } from "@cdktf/provider-azurerm/lib/iothub";
import { IothubConsumerGroup } from "@cdktf/provider-azurerm/lib/iothub-consumer-group";
import { IothubEndpointEventhub } from "@cdktf/provider-azurerm/lib/iothub-endpoint-eventhub";
import { IothubRouteA } from "@cdktf/provider-azurerm/lib/iothub-route";
import { IothubFallbackRouteA } from "@cdktf/provider-azurerm/lib/iothub-fallback-route";
import { IothubSharedAccessPolicyA } from "@cdktf/provider-azurerm/lib/iothub-shared-access-policy";
import { DataAzurermIothub } from "@cdktf/provider-azurerm/lib/data-azurerm-iothub";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { applyCommonShapes, CommonProps, CommonResources, identityBlock, ManagedIdentitiesSpec, withDefaultTags } from "../core/shapes";
import { NAMING_RULES, validateName } from "../core/naming";
import { addPrivateEndpoint, PrivateEndpointSpec } from "../core/private-endpoint";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import type { PublicNetworkAccess } from "../eventhubs/event-hubs-namespace";
import { refuseAllowAll } from "../core/allowed-networks";
import type { EventHubRef } from "../eventhubs/event-hub";

export type IotHubSku = "F1" | "B1" | "B2" | "B3" | "S1" | "S2" | "S3";

/** Device-to-cloud messages matching `condition` go to an Event Hub. */
export interface EventHubRouteSpec {
  name: string;
  eventHub: EventHubRef;
  /** IoT Hub routing query; default `true` (every message). */
  condition?: string;
  /** Default `DeviceMessages`. */
  source?: "DeviceMessages" | "TwinChangeEvents" | "DeviceLifecycleEvents" | "DeviceConnectionStateEvents" | "DigitalTwinChangeEvents";
  /**
   * The identity that sends: default the hub's system identity. A user-assigned identity's
   * resource id must be one of the hub's `managedIdentities.userAssignedIds`.
   */
  userAssignedIdentityId?: string;
}

/** A shared access policy: only when a reader cannot use Entra ID (Stream Analytics' IoT Hub input). */
export interface IotHubSharedAccessPolicySpec {
  name: string;
  registryRead?: boolean;
  registryWrite?: boolean;
  serviceConnect?: boolean;
  deviceConnect?: boolean;
}

export interface IotHubProps extends CommonProps {
  name: string;
  /** Default `S1` (Basic tiers have no cloud-to-device messaging or device twins; F1 is a free trial). */
  sku?: IotHubSku;
  /** Units of the SKU. Default 1 (F1: exactly 1; S1/S2 and B1/B2 up to 200; S3/B3 up to 10). */
  units?: number;
  builtInEndpoint?: {
    /** Default 4. 2-128 (F1: 2). Cannot change after creation. */
    partitionCount?: number;
    /** Days, 1-7. Default 1. */
    retentionDays?: number;
    /** One per reader of the built-in endpoint. `$Default` exists already. */
    consumerGroups?: string[];
  };
  routes?: EventHubRouteSpec[];
  /** Default true: messages matching no route still reach the built-in endpoint. */
  fallbackToBuiltInEndpoint?: boolean;
  /** Default false: hub-level shared access policies are off (device keys and X.509 still work). */
  localAuthenticationEnabled?: boolean;
  sharedAccessPolicies?: IotHubSharedAccessPolicySpec[];
  /**
   * Default `restricted`: default-deny IP filter (also on the built-in endpoint); list your
   * devices' and readers' ranges in `allowedIpRanges`, or choose `enabled` for devices anywhere.
   */
  publicNetworkAccess?: PublicNetworkAccess;
  allowedIpRanges?: string[];
  /** A private endpoint (`iotHub` sub-resource) for devices and readers inside a network. */
  privateEndpoint?: PrivateEndpointSpec;
  /** Default: a system-assigned identity (routing endpoints authenticate with it). */
  managedIdentities?: ManagedIdentitiesSpec;
}

export interface IotHubRef {
  readonly id: string;
  readonly name: string;
  readonly resourceGroupName: string;
  readonly hostname: string;
}

const MAX_UNITS: Record<IotHubSku, number> = { F1: 1, B1: 200, B2: 200, B3: 10, S1: 200, S2: 200, S3: 10 };

export class IotHub extends Construct implements IotHubRef {
  readonly iothub: Iothub;
  readonly id: string;
  readonly name: string;
  readonly resourceGroupName: string;
  readonly hostname: string;
  readonly principalId?: string;
  readonly consumerGroups: Record<string, IothubConsumerGroup> = {};
  readonly endpoints: Record<string, IothubEndpointEventhub> = {};
  readonly routes: Record<string, IothubRouteA> = {};
  readonly sendRoles: Record<string, RoleAssignment> = {};
  readonly sharedAccessPolicies: Record<string, IothubSharedAccessPolicyA> = {};
  readonly fallbackRoute?: IothubFallbackRouteA;
  readonly privateEndpoint?: PrivateEndpoint;
  readonly common: CommonResources;

  static fromExisting(scope: Construct, id: string, props: { name: string; resourceGroupName: string }): IotHubRef {
    const data = new DataAzurermIothub(scope, id, props);
    return { id: data.id, ...props, hostname: data.hostname };
  }

  constructor(scope: Construct, id: string, props: IotHubProps) {
    super(scope, id);
    validateName(this, NAMING_RULES.iotHub, props.name);
    const sku = props.sku ?? "S1";
    const units = props.units ?? 1;
    const access = props.publicNetworkAccess ?? "restricted";
    const partitions = props.builtInEndpoint?.partitionCount ?? (sku === "F1" ? 2 : 4);
    const retention = props.builtInEndpoint?.retentionDays ?? 1;
    refuseAllowAll(`IoT hub '${props.name}'`, "allowedIpRanges", props.allowedIpRanges);
    this.node.addValidation({ validate: () => this.checkProps(props, sku, units, partitions, retention) });

    const identity = identityBlock(props.managedIdentities, true);
    this.iothub = new Iothub(this, "hub", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: { name: sku, capacity: units },
      eventHubPartitionCount: partitions,
      eventHubRetentionInDays: retention,
      localAuthenticationEnabled: props.localAuthenticationEnabled ?? false,
      minTlsVersion: "1.2",
      publicNetworkAccessEnabled: access !== "disabled",
      networkRuleSet:
        access === "restricted"
          ? [
              {
                defaultAction: "Deny",
                applyToBuiltinEventhubEndpoint: true,
                ipRule: (props.allowedIpRanges ?? []).map((ipMask, i) => ({ name: `allowed-${i + 1}`, ipMask, action: "Allow" })),
              },
            ]
          : undefined,
      identity,
      tags: withDefaultTags(props.tags),
    });
    this.id = this.iothub.id;
    this.name = props.name;
    this.resourceGroupName = props.resourceGroupName;
    this.hostname = this.iothub.hostname;
    this.principalId = identity?.type.includes("SystemAssigned") ? this.iothub.identity.principalId : undefined;

    for (const group of props.builtInEndpoint?.consumerGroups ?? []) {
      if (group === "$Default") continue;
      validateName(this, NAMING_RULES.consumerGroup, group);
      this.consumerGroups[group] = new IothubConsumerGroup(this, `cg-${group}`, {
        name: group,
        iothubName: this.iothub.name,
        eventhubEndpointName: "events",
        resourceGroupName: props.resourceGroupName,
      });
    }
    for (const route of props.routes ?? []) this.addEventHubRoute(route, identity?.type.includes("SystemAssigned") ?? false);
    if ((props.routes?.length ?? 0) > 0) {
      const enabled = props.fallbackToBuiltInEndpoint ?? true;
      this.fallbackRoute = new IothubFallbackRouteA(this, "fallback-route", {
        iothubName: this.iothub.name,
        resourceGroupName: props.resourceGroupName,
        enabled,
        source: "DeviceMessages",
        condition: "true",
        endpointNames: ["events"],
      });
    }
    if (props.privateEndpoint) {
      this.privateEndpoint = addPrivateEndpoint(this, "private-endpoint", { ...props, tags: withDefaultTags(props.tags) }, { resourceId: this.iothub.id, resourceName: props.name, subresource: "iotHub" }, props.privateEndpoint);
    }
    for (const policy of props.sharedAccessPolicies ?? []) {
      this.sharedAccessPolicies[policy.name] = new IothubSharedAccessPolicyA(this, `policy-${policy.name}`, {
        name: policy.name,
        iothubName: this.iothub.name,
        resourceGroupName: props.resourceGroupName,
        registryRead: policy.registryRead ?? false,
        registryWrite: policy.registryWrite ?? false,
        serviceConnect: policy.serviceConnect ?? false,
        deviceConnect: policy.deviceConnect ?? false,
      });
    }
    this.common = applyCommonShapes(this, this.iothub.id, props);
  }

  private addEventHubRoute(route: EventHubRouteSpec, hasSystemIdentity: boolean): void {
    if (this.routes[route.name]) throw new Error(`route '${route.name}' is declared twice on IoT hub '${this.name}'`);
    validateName(this, NAMING_RULES.iotHubRouteOrEndpoint, route.name);
    // The hub's identity may send to this one event hub only.
    const principalId = route.userAssignedIdentityId ? undefined : hasSystemIdentity ? this.iothub.identity.principalId : undefined;
    const role = principalId
      ? new RoleAssignment(this, `route-${route.name}-sender`, {
          scope: route.eventHub.id,
          roleDefinitionName: "Azure Event Hubs Data Sender",
          principalId,
          principalType: "ServicePrincipal",
        })
      : undefined;
    if (role) this.sendRoles[route.name] = role;
    const endpoint = new IothubEndpointEventhub(this, `endpoint-${route.name}`, {
      name: route.name,
      iothubId: this.iothub.id,
      resourceGroupName: this.resourceGroupName,
      authenticationType: "identityBased",
      identityId: route.userAssignedIdentityId,
      endpointUri: `sb://${route.eventHub.namespaceName}.servicebus.windows.net`,
      entityPath: route.eventHub.name,
      dependsOn: role ? [role] : undefined,
    });
    this.endpoints[route.name] = endpoint;
    this.routes[route.name] = new IothubRouteA(this, `route-${route.name}`, {
      name: route.name,
      iothubName: this.iothub.name,
      resourceGroupName: this.resourceGroupName,
      source: route.source ?? "DeviceMessages",
      condition: route.condition ?? "true",
      endpointNames: [endpoint.name],
      enabled: true,
    });
  }

  private checkProps(props: IotHubProps, sku: IotHubSku, units: number, partitions: number, retention: number): string[] {
    const problems: string[] = [];
    const where = `IoT hub '${props.name}'`;
    if (!Token.isUnresolved(units) && (!Number.isInteger(units) || units < 1 || units > MAX_UNITS[sku])) {
      problems.push(`${where}: units ${units} is out of range for ${sku} (1-${MAX_UNITS[sku]})`);
    }
    if (sku === "F1" ? partitions !== 2 : partitions < 2 || partitions > 128) {
      problems.push(`${where}: builtInEndpoint.partitionCount ${partitions} is out of range (${sku === "F1" ? "F1 has exactly 2" : "2-128"})`);
    }
    if (retention < 1 || retention > 7) problems.push(`${where}: builtInEndpoint.retentionDays must be 1-7, not ${retention}`);
    if (props.privateEndpoint && (sku === "F1" || sku.startsWith("B"))) problems.push(`${where}: private endpoints need a Standard tier (S1-S3), not ${sku}`);
    if ((props.sharedAccessPolicies?.length ?? 0) > 0 && !props.localAuthenticationEnabled) {
      problems.push(`${where}: shared access policies need localAuthenticationEnabled: true; prefer routing to an Event Hub read with a managed identity`);
    }
    const userIds = props.managedIdentities?.userAssignedIds ?? [];
    const hasSystem = props.managedIdentities?.systemAssigned ?? true;
    for (const route of props.routes ?? []) {
      if (route.userAssignedIdentityId && !userIds.includes(route.userAssignedIdentityId)) {
        problems.push(`${where}: route '${route.name}' uses identity '${route.userAssignedIdentityId}', which is not in managedIdentities.userAssignedIds`);
      }
      if (!route.userAssignedIdentityId && !hasSystem) problems.push(`${where}: route '${route.name}' needs the system identity or a userAssignedIdentityId`);
    }
    if ((props.allowedIpRanges?.length ?? 0) > 0 && (props.publicNetworkAccess ?? "restricted") !== "restricted") {
      problems.push(`${where}: allowedIpRanges apply only when publicNetworkAccess is 'restricted'`);
    }
    return problems;
  }
}
