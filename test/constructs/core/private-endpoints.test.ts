// Every construct whose public access can be disabled offers a private endpoint, with the
// sub-resource its clients use.
import { Testing } from "cdktf";
import { EventHubsNamespace } from "../../../constructs/eventhubs/event-hubs-namespace";
import { StreamkitStorage } from "../../../constructs/storage/storage-account";
import { IotHub } from "../../../constructs/iothub/iot-hub";
import { Synapse } from "../../../constructs/synapse/synapse";
import { cleanupOutdirs, newStack, PLACEMENT, resourcesOf } from "../harness";

afterAll(cleanupOutdirs);

const PE = { subnetId: "/vnet/subnets/pe", privateDnsZoneIds: ["/zones/z"] };

describe("private endpoints", () => {
  it("adds one per construct and sub-resource, named after the resource", () => {
    const stack = newStack();
    const lake = new StreamkitStorage(stack, "lake", { ...PLACEMENT, name: "stskdevlake", publicNetworkAccess: "disabled", containers: ["synapse"], privateEndpoints: [{ ...PE, subresource: "dfs" }, { ...PE, subresource: "blob" }] });
    new EventHubsNamespace(stack, "events", { ...PLACEMENT, name: "evhns-skdev-a", publicNetworkAccess: "disabled", privateEndpoint: PE });
    new IotHub(stack, "iot", { ...PLACEMENT, name: "iot-skdev-a", publicNetworkAccess: "disabled", privateEndpoint: PE });
    new Synapse(stack, "syn", { ...PLACEMENT, name: "syn-skdev-a", filesystem: { storageAccount: lake, name: "synapse" }, entraAdmin: { loginUsername: "a", objectId: "o" }, publicNetworkAccess: "disabled", privateEndpoints: [{ ...PE, subresource: "Sql" }, { ...PE, subresource: "Dev" }] });
    Testing.synth(stack, true);
    const endpoints = resourcesOf(stack, "azurerm_private_endpoint").map((e) => [e.name, e.private_service_connection.subresource_names[0], e.private_dns_zone_group.private_dns_zone_ids[0]]);
    expect(endpoints.sort()).toEqual([
      ["pe-evhns-skdev-a-namespace", "namespace", "/zones/z"],
      ["pe-iot-skdev-a-iothub", "iotHub", "/zones/z"],
      ["pe-stskdevlake-blob", "blob", "/zones/z"],
      ["pe-stskdevlake-dfs", "dfs", "/zones/z"],
      ["pe-syn-skdev-a-dev", "Dev", "/zones/z"],
      ["pe-syn-skdev-a-sql", "Sql", "/zones/z"],
    ]);
  });

  it("refuses private endpoints on tiers without them, and duplicates", () => {
    const stack = newStack();
    new EventHubsNamespace(stack, "events", { ...PLACEMENT, name: "evhns-skdev-a", sku: "Basic", publicNetworkAccess: "disabled", privateEndpoint: PE });
    new IotHub(stack, "iot", { ...PLACEMENT, name: "iot-skdev-a", sku: "B1", privateEndpoint: PE });
    expect(() => Testing.synth(stack, true)).toThrow(/private endpoints need the Standard or Premium tier[\s\S]*private endpoints need a Standard tier \(S1-S3\), not B1/);
    expect(() => new StreamkitStorage(newStack(), "s", { ...PLACEMENT, name: "stskdeva", privateEndpoints: [{ ...PE, subresource: "dfs" }, { ...PE, subresource: "dfs" }] })).toThrow(/two 'dfs' private endpoints/);
  });
});
