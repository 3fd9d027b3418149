// Devices → IoT Hub → (route, the hub's identity) → an Event Hubs namespace's `telemetry` hub: the
// ingestion front both IoT stacks share. Consumers then read the event hub with their own managed
// identities (ASA cannot read IoT Hub without SAS keys).
import { EventHubsNamespace } from "../constructs/eventhubs/event-hubs-namespace";
import type { EventHub } from "../constructs/eventhubs/event-hub";
import type { PrivateEndpointSpec } from "../constructs/core/private-endpoint";
import { IotHub } from "../constructs/iothub/iot-hub";
import type { SolutionStack } from "./solution-stack";

export interface DeviceTelemetryProps {
  /** Event Hubs namespace name. */
  namespaceName: string;
  iotHubName: string;
  /** Consumer groups of the `telemetry` hub (one per reader), besides $Default. */
  consumerGroups?: string[];
  /** Where the namespace is reached privately (its public endpoint still takes IoT Hub's route). */
  privateEndpoint?: PrivateEndpointSpec;
}

export interface DeviceTelemetry {
  eventHubs: EventHubsNamespace;
  iotHub: IotHub;
  /** The event hub device messages land in. */
  telemetry: EventHub;
}

/** The namespace (construct id `event-hubs`) and IoT Hub (`iot-hub`) in `stack`, sized by its environment. */
export function addDeviceTelemetry(stack: SolutionStack, props: DeviceTelemetryProps): DeviceTelemetry {
  const env = stack.settings;
  const eventHubs = new EventHubsNamespace(stack, "event-hubs", {
    ...stack.common,
    name: props.namespaceName,
    sku: env.eventHubs.sku,
    capacity: env.eventHubs.capacity,
    hubs: [{ name: "telemetry", partitionCount: env.eventHubs.partitions, retentionDays: 1, consumerGroups: props.consumerGroups }],
    privateEndpoint: props.privateEndpoint,
  });
  const telemetry = eventHubs.hub("telemetry");
  // The hub routes every device message to the event hub with its own identity.
  const iotHub = new IotHub(stack, "iot-hub", {
    ...stack.common,
    name: props.iotHubName,
    sku: env.iotHub.sku,
    units: env.iotHub.units,
    // Default-deny IP filter: only the devices' ranges (cdktf.json) reach the hub.
    allowedIpRanges: env.iotHub.deviceIpRanges,
    routes: [{ name: "telemetry-to-event-hubs", eventHub: telemetry }],
    fallbackToBuiltInEndpoint: false,
  });
  return { eventHubs, iotHub, telemetry };
}
