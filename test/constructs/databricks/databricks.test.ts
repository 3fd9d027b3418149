import { Testing } from "cdktf";
import { Databricks, DatabricksProps } from "../../../constructs/databricks/databricks";
import { SynapseSparkPool } from "../../../constructs/synapse/spark-pool";
import { Synapse } from "../../../constructs/synapse/synapse";
import { StreamkitStorage } from "../../../constructs/storage/storage-account";
import { EventHubsNamespace } from "../../../constructs/eventhubs/event-hubs-namespace";
import { cleanupOutdirs, newStack, PLACEMENT, resourcesOf, synth, tf } from "../harness";

afterAll(cleanupOutdirs);

function sources(stack = newStack()) {
  const lake = new StreamkitStorage(stack, "lake", { ...PLACEMENT, name: "stskdevlake", containers: ["bronze", "delta", "synapse"] });
  const events = new EventHubsNamespace(stack, "events", { ...PLACEMENT, name: "evhns-skdev-iot", hubs: [{ name: "telemetry", consumerGroups: ["spark"] }] });
  return { stack, lake, hub: events.hub("telemetry") };
}

describe("Databricks", () => {
  it("creates a premium workspace without public IPs and an access connector granted per container and hub", () => {
    const { stack, lake, hub } = sources();
    new Databricks(stack, "dbx", {
      ...PLACEMENT,
      name: "dbw-skdev-streaming",
      publicNetworkAccess: "enabled",
      lakeAccess: [
        { storageAccount: lake, container: "delta", access: "read" },
        { storageAccount: lake, container: "bronze", access: "write" },
      ],
      eventHubAccess: [{ hub, access: "receive" }],
    });
    const json = synth(stack);
    expect(json).toMatchSnapshot();
    expect(json).toHaveResourceWithProperties(tf("azurerm_databricks_workspace"), { name: "dbw-skdev-streaming", sku: "premium", public_network_access_enabled: true, infrastructure_encryption_enabled: false, custom_parameters: { no_public_ip: true } });
    expect(json).toHaveResourceWithProperties(tf("azurerm_databricks_access_connector"), { name: "dbw-skdev-streaming-connector", identity: { type: "SystemAssigned" } });
    const grants = resourcesOf(stack, "azurerm_role_assignment").map((r) => [r.role_definition_name, r.scope.replace(/_[0-9A-F]{8}\./g, "."), r.principal_id.replace(/_[0-9A-F]{8}\./g, ".")]);
    expect(grants.sort()).toEqual([
      ["Azure Event Hubs Data Receiver", "${azurerm_eventhub.events_hub-telemetry_hub.id}", "${azurerm_databricks_access_connector.dbx_access-connector.identity[0].principal_id}"],
      ["Storage Blob Data Contributor", "${azurerm_storage_account.lake_account.id}/blobServices/default/containers/bronze", "${azurerm_databricks_access_connector.dbx_access-connector.identity[0].principal_id}"],
      ["Storage Blob Data Reader", "${azurerm_storage_account.lake_account.id}/blobServices/default/containers/delta", "${azurerm_databricks_access_connector.dbx_access-connector.identity[0].principal_id}"],
    ]);
  });

  it("closes public access with VNet injection and a private endpoint", () => {
    const stack = newStack();
    new Databricks(stack, "dbx", {
      ...PLACEMENT,
      name: "dbw-skdev-private",
      publicNetworkAccess: "disabled",
      network: { virtualNetworkId: "/vnet", publicSubnetName: "host", privateSubnetName: "container", publicSubnetNetworkSecurityGroupAssociationId: "/nsga/host", privateSubnetNetworkSecurityGroupAssociationId: "/nsga/container" },
      privateEndpoint: { subnetId: "/subnets/pe" },
      infrastructureEncryption: true,
    });
    const [ws] = resourcesOf(stack, "azurerm_databricks_workspace");
    expect(ws).toMatchObject({ public_network_access_enabled: false, network_security_group_rules_required: "NoAzureDatabricksRules", infrastructure_encryption_enabled: true, custom_parameters: { virtual_network_id: "/vnet", public_subnet_name: "host", private_subnet_name: "container", no_public_ip: true } });
    expect(resourcesOf(stack, "azurerm_private_endpoint")[0].private_service_connection.subresource_names).toEqual(["databricks_ui_api"]);
  });

  it("requires an explicit network choice and what 'disabled' needs", () => {
    const fails = (props: Partial<DatabricksProps>, message: RegExp) => {
      const stack = newStack();
      new Databricks(stack, "dbx", { ...PLACEMENT, name: "dbw-skdev-a", publicNetworkAccess: "enabled", ...props });
      expect(() => Testing.synth(stack, true)).toThrow(message);
    };
    fails({ publicNetworkAccess: undefined as never }, /choose publicNetworkAccess 'enabled' or 'disabled'/);
    fails({ publicNetworkAccess: "disabled" }, /needs network \(VNet injection\)/);
    fails({ publicNetworkAccess: "disabled" }, /needs a privateEndpoint/);
    fails({ sku: "standard", infrastructureEncryption: true }, /need the premium SKU/);
    fails({ name: "dbw skdev" }, /Databricks workspace name 'dbw skdev' is invalid/);
  });
});

describe("SynapseSparkPool", () => {
  it("autoscales 3-6 Small nodes, pauses after 15 minutes, and grants the workspace identity hub and lake access", () => {
    const { stack, lake, hub } = sources();
    const synapse = new Synapse(stack, "synapse", { ...PLACEMENT, name: "syn-skdev-spark", filesystem: { storageAccount: lake, name: "synapse" }, entraAdmin: { loginUsername: "admins", objectId: "o" } });
    new SynapseSparkPool(stack, "spark", { workspace: synapse, name: "stream", lakeAccess: [{ storageAccount: lake, container: "delta", access: "write" }], eventHubAccess: [{ hub, access: "receive" }] });
    const json = synth(stack);
    expect(json).toHaveResourceWithProperties(tf("azurerm_synapse_spark_pool"), {
      name: "stream",
      node_size_family: "MemoryOptimized",
      node_size: "Small",
      spark_version: "3.4",
      auto_scale: { min_node_count: 3, max_node_count: 6 },
      auto_pause: { delay_in_minutes: 15 },
      session_level_packages_enabled: false,
    });
    // The workspace identity: its own filesystem (from Synapse), plus the pool's hub and Delta container.
    const roles = resourcesOf(stack, "azurerm_role_assignment").filter((r) => r.principal_id.includes("azurerm_synapse_workspace."));
    expect(roles.map((r) => r.role_definition_name).sort()).toEqual(["Azure Event Hubs Data Receiver", "Storage Blob Data Contributor", "Storage Blob Data Contributor"]);
  });

  it("rejects bad names and sizes", () => {
    const { stack, lake } = sources();
    const synapse = new Synapse(stack, "synapse", { ...PLACEMENT, name: "syn-skdev-spark", filesystem: { storageAccount: lake, name: "synapse" }, entraAdmin: { loginUsername: "admins", objectId: "o" } });
    new SynapseSparkPool(stack, "spark", { workspace: synapse, name: "stream-pool-too-long", autoScale: { minNodes: 2, maxNodes: 4 }, autoPauseMinutes: 1 });
    const run = () => Testing.synth(stack, true);
    expect(run).toThrow(/Synapse Spark pool name 'stream-pool-too-long' has 20 characters/);
    expect(run).toThrow(/3 <= minNodes <= maxNodes <= 200/);
    expect(run).toThrow(/autoPauseMinutes must be 5-10080/);
  });
});
