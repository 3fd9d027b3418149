import { Testing } from "cdktf";
import { IotHub, IotHubProps } from "../../../constructs/iothub/iot-hub";
import { EventHubsNamespace } from "../../../constructs/eventhubs/event-hubs-namespace";
import { cleanupOutdirs, newStack, PLACEMENT, resourcesOf, synth, synthJson, tf } from "../harness";

afterAll(cleanupOutdirs);

const BASE: IotHubProps = { ...PLACEMENT, name: "iot-skdev-devices" };

describe("IotHub defaults", () => {
  const stack = newStack();
  new IotHub(stack, "iot", BASE);
  const json = synth(stack);

  it("matches the snapshot", () => expect(json).toMatchSnapshot());

  it("is S1 x1, 4 partitions, 1 day, local auth off, TLS 1.2, system identity, default-deny IP filter", () => {
    expect(json).toHaveResourceWithProperties(tf("azurerm_iothub"), {
      name: "iot-skdev-devices",
      sku: { name: "S1", capacity: 1 },
      event_hub_partition_count: 4,
      event_hub_retention_in_days: 1,
      local_authentication_enabled: false,
      min_tls_version: "1.2",
      public_network_access_enabled: true,
      identity: { type: "SystemAssigned" },
    });
    const [hub] = resourcesOf(stack, "azurerm_iothub");
    expect(hub.network_rule_set).toMatchObject([{ default_action: "Deny", apply_to_builtin_eventhub_endpoint: true, ip_rule: [] }]);
    expect(hub.route).toBeUndefined();
    expect(hub.endpoint).toBeUndefined();
  });
});

describe("IotHub options", () => {
  it("routes device messages to an Event Hub with the hub's identity, granted Data Sender on that hub only", () => {
    const stack = newStack();
    const events = new EventHubsNamespace(stack, "events", { ...PLACEMENT, name: "evhns-skdev-iot", hubs: [{ name: "telemetry", consumerGroups: ["asa"] }] });
    new IotHub(stack, "iot", { ...BASE, routes: [{ name: "telemetry-to-eventhub", eventHub: events.hub("telemetry"), condition: "$body.kind = 'telemetry'" }] });
    const json = synth(stack);
    expect(json).toMatchSnapshot();
    const [endpoint] = resourcesOf(stack, "azurerm_iothub_endpoint_eventhub");
    expect(endpoint).toMatchObject({
      name: "telemetry-to-eventhub",
      authentication_type: "identityBased",
      endpoint_uri: "sb://evhns-skdev-iot.servicebus.windows.net",
      entity_path: "telemetry",
    });
    expect(endpoint.connection_string).toBeUndefined();
    expect(endpoint.depends_on[0]).toMatch(/azurerm_role_assignment\..*route-telemetry-to-eventhub-sender/);
    const [role] = resourcesOf(stack, "azurerm_role_assignment");
    expect(role).toMatchObject({ role_definition_name: "Azure Event Hubs Data Sender", principal_type: "ServicePrincipal" });
    expect(role.scope).toMatch(/azurerm_eventhub\.events_hub-telemetry_hub_\w+\.id/);
    expect(role.principal_id).toMatch(/azurerm_iothub\..*identity\[0\]\.principal_id|azurerm_iothub\..*identity\.0\.principal_id/);
    expect(resourcesOf(stack, "azurerm_iothub_route")[0]).toMatchObject({ source: "DeviceMessages", condition: "$body.kind = 'telemetry'", enabled: true });
    expect(resourcesOf(stack, "azurerm_iothub_route")[0].endpoint_names).toEqual([expect.stringMatching(/^\$\{azurerm_iothub_endpoint_eventhub\.iot_endpoint-telemetry-to-eventhub_\w+\.name\}$/)]);
    expect(resourcesOf(stack, "azurerm_iothub_fallback_route")[0]).toMatchObject({ enabled: true, endpoint_names: ["events"] });
  });

  it("routes with a user-assigned identity (no role created: the caller grants it)", () => {
    const stack = newStack();
    const hub = { id: "/eh/id", name: "telemetry", namespaceName: "evhns-shared", resourceGroupName: "rg" };
    new IotHub(stack, "iot", { ...BASE, managedIdentities: { systemAssigned: false, userAssignedIds: ["/uai/iot"] }, routes: [{ name: "r1", eventHub: hub, userAssignedIdentityId: "/uai/iot" }], fallbackToBuiltInEndpoint: false });
    expect(resourcesOf(stack, "azurerm_iothub_endpoint_eventhub")[0]).toMatchObject({ identity_id: "/uai/iot", endpoint_uri: "sb://evhns-shared.servicebus.windows.net" });
    expect(resourcesOf(stack, "azurerm_role_assignment")).toEqual([]);
    expect(resourcesOf(stack, "azurerm_iothub_fallback_route")[0].enabled).toBe(false);
  });

  it("serves the built-in endpoint with consumer groups, and a shared access policy only when asked", () => {
    const stack = newStack();
    new IotHub(stack, "iot", {
      ...BASE,
      sku: "S2",
      units: 3,
      builtInEndpoint: { partitionCount: 8, retentionDays: 7, consumerGroups: ["asa-telemetry", "$Default"] },
      localAuthenticationEnabled: true,
      sharedAccessPolicies: [{ name: "asa-reader", serviceConnect: true }],
      publicNetworkAccess: "enabled",
    });
    const [hub] = resourcesOf(stack, "azurerm_iothub");
    expect(hub).toMatchObject({ sku: { name: "S2", capacity: 3 }, event_hub_partition_count: 8, event_hub_retention_in_days: 7, local_authentication_enabled: true });
    expect(hub.network_rule_set).toBeUndefined();
    expect(resourcesOf(stack, "azurerm_iothub_consumer_group").map((g) => [g.name, g.eventhub_endpoint_name])).toEqual([["asa-telemetry", "events"]]);
    expect(resourcesOf(stack, "azurerm_iothub_shared_access_policy")[0]).toMatchObject({ name: "asa-reader", service_connect: true, registry_read: false, device_connect: false });
  });

  it("lists allowed IP ranges, and reuses an existing hub", () => {
    const stack = newStack();
    new IotHub(stack, "iot", { ...BASE, allowedIpRanges: ["198.51.100.0/24"] });
    const existing = IotHub.fromExisting(stack, "shared", { name: "iot-shared", resourceGroupName: "rg-shared" });
    expect(resourcesOf(stack, "azurerm_iothub")[0].network_rule_set[0].ip_rule).toEqual([{ name: "allowed-1", ip_mask: "198.51.100.0/24", action: "Allow" }]);
    expect(synthJson(stack).data?.azurerm_iothub?.shared).toEqual({ name: "iot-shared", resource_group_name: "rg-shared" });
    expect(existing.name).toBe("iot-shared");
  });
});

describe("IotHub checks at synth", () => {
  const failsWith = (props: Partial<IotHubProps>, message: RegExp) => {
    const stack = newStack();
    new IotHub(stack, "iot", { ...BASE, ...props });
    expect(() => Testing.synth(stack, true)).toThrow(message);
  };
  const hub = { id: "/eh", name: "h", namespaceName: "ns", resourceGroupName: "rg" };

  it("rejects bad names, units, partitions, retention, policies without local auth and identity mix-ups", () => {
    failsWith({ name: "iot-" }, /IoT hub name 'iot-' is invalid/);
    failsWith({ name: "io" }, /3 to 50.*unique across all of Azure/);
    failsWith({ sku: "S3", units: 11 }, /units 11 is out of range for S3 \(1-10\)/);
    failsWith({ sku: "F1", builtInEndpoint: { partitionCount: 4 } }, /F1 has exactly 2/);
    failsWith({ builtInEndpoint: { retentionDays: 8 } }, /retentionDays must be 1-7/);
    failsWith({ sharedAccessPolicies: [{ name: "p", serviceConnect: true }] }, /need localAuthenticationEnabled: true/);
    failsWith({ routes: [{ name: "r", eventHub: hub, userAssignedIdentityId: "/uai/x" }] }, /not in managedIdentities.userAssignedIds/);
    failsWith({ managedIdentities: { systemAssigned: false }, routes: [{ name: "r", eventHub: hub }] }, /needs the system identity or a userAssignedIdentityId/);
    failsWith({ routes: [{ name: "events", eventHub: hub }] }, /reserved IoT Hub name/);
    expect(() => new IotHub(newStack(), "iot", { ...BASE, routes: [{ name: "r", eventHub: hub }, { name: "r", eventHub: hub }] })).toThrow(/route 'r' is declared twice/);
  });
});
