import { TerraformOutput, Testing } from "cdktf";
import { EventHubsNamespace } from "../../../constructs/eventhubs/event-hubs-namespace";
import { EventHub } from "../../../constructs/eventhubs/event-hub";
import { cleanupOutdirs, newStack, PLACEMENT, resourcesOf, synth, synthJson, tf, WORKSPACE_ID } from "../harness";

afterAll(cleanupOutdirs);

const STORAGE = { id: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stskdevarchive", name: "stskdevarchive" };

describe("EventHubsNamespace defaults", () => {
  const stack = newStack();
  new EventHubsNamespace(stack, "events", {
    ...PLACEMENT,
    name: "evhns-skdev-telemetry",
    hubs: [{ name: "telemetry", consumerGroups: ["asa-telemetry", "$Default"] }],
  });
  const json = synth(stack);

  it("matches the snapshot", () => expect(json).toMatchSnapshot());

  it("is Standard, one TU, Entra-only, TLS 1.2, system identity, default-deny firewall", () => {
    expect(json).toHaveResourceWithProperties(tf("azurerm_eventhub_namespace"), {
      name: "evhns-skdev-telemetry",
      sku: "Standard",
      capacity: 1,
      auto_inflate_enabled: false,
      local_authentication_enabled: false,
      minimum_tls_version: "1.2",
      public_network_access_enabled: true,
      identity: { type: "SystemAssigned" },
      tags: { "managed-by": "streamkit" },
    });
    const [ns] = Object.values(JSON.parse(json).resource.azurerm_eventhub_namespace) as any[];
    expect(ns.network_rulesets).toMatchObject([{ default_action: "Deny", trusted_service_access_enabled: true, public_network_access_enabled: true }]);
  });

  it("creates the hub with 4 partitions and 1 day, and one consumer group (not $Default)", () => {
    expect(json).toHaveResourceWithProperties(tf("azurerm_eventhub"), { name: "telemetry", partition_count: 4, message_retention: 1 });
    const groups = Object.values(JSON.parse(json).resource.azurerm_eventhub_consumer_group) as any[];
    expect(groups.map((g) => g.name)).toEqual(["asa-telemetry"]);
  });

  it("creates no SAS rule, role assignment, diagnostic setting or lock unless asked", () => {
    const types = Object.keys(JSON.parse(json).resource);
    for (const t of ["azurerm_eventhub_namespace_authorization_rule", "azurerm_eventhub_authorization_rule", "azurerm_role_assignment", "azurerm_monitor_diagnostic_setting", "azurerm_management_lock"]) {
      expect(types).not.toContain(t);
    }
  });
});

describe("EventHubsNamespace options", () => {
  it("sets Premium capacity, auto-inflate on Standard, disabled or open network access", () => {
    const stack = newStack();
    new EventHubsNamespace(stack, "a", { ...PLACEMENT, name: "evhns-skdev-a", sku: "Premium", capacity: 2, publicNetworkAccess: "disabled" });
    new EventHubsNamespace(stack, "b", { ...PLACEMENT, name: "evhns-skdev-b", capacity: 2, autoInflateMaximumThroughputUnits: 10, publicNetworkAccess: "enabled" });
    new EventHubsNamespace(stack, "c", { ...PLACEMENT, name: "evhns-skdev-c", allowedIpRanges: ["203.0.113.0/24"] });
    const [a, b, c] = resourcesOf(stack, "azurerm_eventhub_namespace");
    expect(a).toMatchObject({ sku: "Premium", capacity: 2, public_network_access_enabled: false });
    expect(a.network_rulesets).toBeUndefined();
    expect(b).toMatchObject({ capacity: 2, auto_inflate_enabled: true, maximum_throughput_units: 10, public_network_access_enabled: true });
    expect(b.network_rulesets).toBeUndefined();
    expect(c.network_rulesets[0].ip_rule).toEqual([{ ip_mask: "203.0.113.0/24", action: "Allow" }]);
  });

  it("adds user-assigned identities next to the system one, or instead of it", () => {
    const stack = newStack();
    new EventHubsNamespace(stack, "a", { ...PLACEMENT, name: "evhns-skdev-a", managedIdentities: { userAssignedIds: ["/id/uai-1"] } });
    new EventHubsNamespace(stack, "b", { ...PLACEMENT, name: "evhns-skdev-b", managedIdentities: { systemAssigned: false, userAssignedIds: ["/id/uai-1"] } });
    const [a, b] = resourcesOf(stack, "azurerm_eventhub_namespace");
    expect(a.identity).toEqual({ type: "SystemAssigned, UserAssigned", identity_ids: ["/id/uai-1"] });
    expect(b.identity).toEqual({ type: "UserAssigned", identity_ids: ["/id/uai-1"] });
  });

  it("applies role assignments, diagnostics to Log Analytics (all logs and metrics) and a lock", () => {
    const stack = newStack();
    new EventHubsNamespace(stack, "ns", {
      ...PLACEMENT,
      name: "evhns-skdev-a",
      tags: { environment: "dev" },
      roleAssignments: [
        { principalId: "11111111-1111-1111-1111-111111111111", role: "Azure Event Hubs Data Receiver", principalType: "ServicePrincipal" },
        { principalId: "22222222-2222-2222-2222-222222222222", role: "/providers/Microsoft.Authorization/roleDefinitions/2b629674-e913-4c01-ae53-ef4638d8f975" },
      ],
      diagnosticSettings: { logAnalyticsWorkspaceId: WORKSPACE_ID },
      lock: { level: "CanNotDelete" },
    });
    const json = synth(stack);
    expect(json).toMatchSnapshot();
    const roles = resourcesOf(stack, "azurerm_role_assignment");
    expect(roles[0]).toMatchObject({ role_definition_name: "Azure Event Hubs Data Receiver", principal_type: "ServicePrincipal", scope: expect.stringMatching(/^\$\{azurerm_eventhub_namespace\.ns_namespace_\w+\.id\}$/) });
    expect(roles[1].role_definition_id).toMatch(/roleDefinitions/);
    expect(roles[1].role_definition_name).toBeUndefined();
    const [diag] = resourcesOf(stack, "azurerm_monitor_diagnostic_setting");
    expect(diag).toMatchObject({ log_analytics_workspace_id: WORKSPACE_ID, log_analytics_destination_type: "Dedicated" });
    expect(diag.dynamic.enabled_log.for_each).toMatch(/contains\(.*log_category_groups\), "allLogs"\) \? \["allLogs"\] : \[\]/);
    expect(diag.dynamic.enabled_metric.for_each).toMatch(/azurerm_monitor_diagnostic_categories\..*\.metrics/);
    expect(json).toHaveResourceWithProperties(tf("azurerm_management_lock"), { lock_level: "CanNotDelete" });
    expect(json).toHaveResourceWithProperties(tf("azurerm_eventhub_namespace"), { tags: { "managed-by": "streamkit", environment: "dev" } });
  });

  it("creates SAS rules only when asked and only with local auth on", () => {
    const stack = newStack();
    new EventHubsNamespace(stack, "ns", {
      ...PLACEMENT,
      name: "evhns-skdev-a",
      localAuthenticationEnabled: true,
      authorizationRules: [{ name: "legacy-sender", send: true }],
      hubs: [{ name: "in", authorizationRules: [{ name: "reader", listen: true }] }],
    });
    expect(resourcesOf(stack, "azurerm_eventhub_namespace_authorization_rule")[0]).toMatchObject({ name: "legacy-sender", send: true, listen: false, manage: false });
    expect(resourcesOf(stack, "azurerm_eventhub_authorization_rule")[0]).toMatchObject({ name: "reader", listen: true, send: false });

    const bad = newStack();
    new EventHubsNamespace(bad, "ns", { ...PLACEMENT, name: "evhns-skdev-a", authorizationRules: [{ name: "r", listen: true }] });
    expect(() => synth(bad)).toThrow(/SAS\) rules need localAuthenticationEnabled: true/);
  });

  it("sets hub partitions, retention and Capture", () => {
    const stack = newStack();
    new EventHubsNamespace(stack, "ns", {
      ...PLACEMENT,
      name: "evhns-skdev-a",
      hubs: [{ name: "in", partitionCount: 8, retentionDays: 7, capture: { storageAccount: STORAGE, container: "capture", authentication: "storageSas", encoding: "AvroDeflate", intervalSeconds: 60 } }],
    });
    expect(resourcesOf(stack, "azurerm_eventhub")[0]).toMatchObject({
      partition_count: 8,
      message_retention: 7,
      capture_description: {
        enabled: true,
        encoding: "AvroDeflate",
        interval_in_seconds: 60,
        size_limit_in_bytes: 314572800,
        skip_empty_archives: true,
        destination: { name: "EventHubArchive.AzureBlockBlob", blob_container_name: "capture", storage_account_id: STORAGE.id },
      },
    });
  });

  it("exposes the Kafka endpoint on Standard, and refuses it on Basic", () => {
    const stack = newStack();
    const std = new EventHubsNamespace(stack, "a", { ...PLACEMENT, name: "evhns-skdev-a" });
    const basic = new EventHubsNamespace(stack, "b", { ...PLACEMENT, name: "evhns-skdev-b", sku: "Basic", publicNetworkAccess: "disabled" });
    expect(std.requireKafka()).toBe("evhns-skdev-a.servicebus.windows.net:9093");
    expect(() => basic.requireKafka()).toThrow(/Kafka endpoint needs the Standard or Premium tier/);
  });

  it("reuses an existing namespace and hub through data sources", () => {
    const stack = newStack();
    const ns = EventHubsNamespace.fromExisting(stack, "existing", { name: "evhns-shared", resourceGroupName: "rg-shared" });
    const hub = EventHub.fromExisting(stack, "existing-hub", { name: "orders", namespaceName: ns.name, resourceGroupName: ns.resourceGroupName });
    new TerraformOutput(stack, "hub_id", { value: hub.id });
    const json = synthJson(stack);
    expect(json.output?.hub_id.value).toBe("${data.azurerm_eventhub.existing-hub.id}");
    expect(json.data?.azurerm_eventhub_namespace?.existing).toMatchObject({ name: "evhns-shared", resource_group_name: "rg-shared" });
    expect(json.data?.azurerm_eventhub?.["existing-hub"]).toMatchObject({ name: "orders", namespace_name: "evhns-shared" });
    expect(json.resource?.azurerm_eventhub_namespace).toBeUndefined();
    expect(ns.kafkaBootstrapServers).toBe("evhns-shared.servicebus.windows.net:9093");
  });
});

describe("EventHubsNamespace checks at synth", () => {
  const failsWith = (build: (s: ReturnType<typeof newStack>) => void, message: RegExp) => {
    const stack = newStack();
    build(stack);
    expect(() => Testing.synth(stack, true)).toThrow(message);
  };

  it.each([
    ["too short", "evhns", /6 to 50.*unique across all of Azure/],
    ["starts with a digit", "1evhns-skdev", /starting with a letter/],
    ["ends in -sb", "evhns-skdev-sb", /must not end with '-sb'/],
    ["has underscores", "evhns_skdev", /letters, digits and hyphens/],
  ])("rejects a namespace name that %s", (_case, name, message) =>
    failsWith((s) => new EventHubsNamespace(s, "ns", { ...PLACEMENT, name }), message),
  );

  it("rejects out-of-range capacity, partitions, retention and auto-inflate", () => {
    failsWith((s) => new EventHubsNamespace(s, "ns", { ...PLACEMENT, name: "evhns-skdev-a", capacity: 41 }), /capacity 41 is out of range for Standard \(1-40\)/);
    failsWith((s) => new EventHubsNamespace(s, "ns", { ...PLACEMENT, name: "evhns-skdev-a", sku: "Premium", capacity: 3 }), /1, 2, 4, 8 or 16/);
    failsWith((s) => new EventHubsNamespace(s, "ns", { ...PLACEMENT, name: "evhns-skdev-a", sku: "Premium", autoInflateMaximumThroughputUnits: 4 }), /auto-inflate exists only on the Standard tier/);
    failsWith((s) => new EventHubsNamespace(s, "ns", { ...PLACEMENT, name: "evhns-skdev-a", hubs: [{ name: "h", partitionCount: 33 }] }), /partitionCount 33 is out of range for Standard/);
    failsWith((s) => new EventHubsNamespace(s, "ns", { ...PLACEMENT, name: "evhns-skdev-a", hubs: [{ name: "h", retentionDays: 8 }] }), /retentionDays 8 is out of range for Standard \(1-7\)/);
  });

  it("rejects Basic-tier features and bad capture settings", () => {
    const basic = { ...PLACEMENT, name: "evhns-skdev-a", sku: "Basic" as const, publicNetworkAccess: "enabled" as const };
    failsWith((s) => new EventHubsNamespace(s, "ns", { ...basic, hubs: [{ name: "h", consumerGroups: ["asa"] }] }), /only the \$Default consumer group/);
    failsWith((s) => new EventHubsNamespace(s, "ns", { ...PLACEMENT, name: "evhns-skdev-a", sku: "Basic" }), /Basic tier has no IP firewall/);
    const cap = (capture: object) => (s: ReturnType<typeof newStack>) =>
      new EventHubsNamespace(s, "ns", { ...PLACEMENT, name: "evhns-skdev-a", hubs: [{ name: "h", capture: { storageAccount: STORAGE, container: "c", authentication: "storageSas", ...capture } }] });
    failsWith(cap({ authentication: "namespaceIdentity" }), /not supported by azurerm 4.55/);
    failsWith(cap({ storageAccount: { ...STORAGE, sharedAccessKeyEnabled: false } }), /needs shared keys on storage account 'stskdevarchive'/);
    failsWith(cap({ intervalSeconds: 30 }), /intervalSeconds must be 60-900/);
    failsWith(cap({ archiveNameFormat: "{Namespace}/{EventHub}" }), /lacks \{PartitionId\}/);
  });

  it("rejects duplicate hubs and consumer groups at once", () => {
    const stack = newStack();
    const ns = new EventHubsNamespace(stack, "ns", { ...PLACEMENT, name: "evhns-skdev-a", hubs: [{ name: "h", consumerGroups: ["a"] }] });
    expect(() => ns.addHub({ name: "h" })).toThrow(/declared twice/);
    expect(() => ns.hub("h").addConsumerGroup("a")).toThrow(/declared twice/);
    expect(() => ns.hub("nope")).toThrow(/no event hub 'nope' \(declared: h\)/);
  });
});
