// The Spark solution's virtual network: Databricks' delegated subnets with their security group,
// a private-endpoint subnet, private DNS zones made once per service, and clear errors.
import { SparkNetwork } from "../../../constructs/network/spark-network";
import { cleanupOutdirs, newStack, PLACEMENT, synthJson, tf } from "../harness";
import { Testing } from "cdktf";

afterAll(cleanupOutdirs);

describe("SparkNetwork", () => {
  it("carves two /22 Databricks subnets and a /24 for private endpoints out of the address space", () => {
    const stack = newStack();
    const network = new SparkNetwork(stack, "net", { ...PLACEMENT, name: "vnet-skdev-spark", addressSpace: "10.8.0.0/20" });
    network.privateEndpointIn("privatelink.dfs.core.windows.net");
    network.privateEndpointIn("privatelink.dfs.core.windows.net");
    const json = synthJson(stack);
    const subnets = Object.values(json.resource!.azurerm_subnet!).map((s) => [s.name, s.address_prefixes[0], s.delegation?.[0]?.service_delegation?.name ?? null]);
    expect(subnets.sort()).toEqual([
      ["databricks-container", "10.8.4.0/22", "Microsoft.Databricks/workspaces"],
      ["databricks-host", "10.8.0.0/22", "Microsoft.Databricks/workspaces"],
      ["private-endpoints", "10.8.8.0/24", null],
    ]);
    expect(Object.keys(json.resource!.azurerm_subnet_network_security_group_association!)).toHaveLength(2);
    // One zone per service, however many endpoints use it, linked to the network.
    expect(Object.values(json.resource!.azurerm_private_dns_zone!).map((z) => z.name)).toEqual(["privatelink.dfs.core.windows.net"]);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(tf("azurerm_private_dns_zone_virtual_network_link"), { registration_enabled: false, virtual_network_id: expect.stringMatching(/^\$\{azurerm_virtual_network\./) });
    expect(network.databricks).toMatchObject({ publicSubnetName: expect.any(String), privateSubnetName: expect.any(String) });
  });

  it.each([
    ["10.8.0.0/21", /must be an IPv4 network address of \/20 or larger/],
    ["10.8.1.0/16", /must be an IPv4 network address/],
    ["10.8.0.0", /must be an IPv4 network address/],
    ["300.1.0.0/16", /must be an IPv4 network address/],
  ])("refuses address space %s", (addressSpace, message) => {
    expect(() => new SparkNetwork(newStack(), "net", { ...PLACEMENT, name: "vnet-x", addressSpace })).toThrow(message);
  });

  it("refuses a bad name and a zone that is not a private link zone", () => {
    expect(() => new SparkNetwork(newStack(), "net", { ...PLACEMENT, name: "-vnet", addressSpace: "10.0.0.0/16" })).toThrow(/virtual network name '-vnet' is invalid/);
    const network = new SparkNetwork(newStack(), "net", { ...PLACEMENT, name: "vnet-ok", addressSpace: "10.0.0.0/16" });
    expect(() => network.privateEndpointIn("database.windows.net")).toThrow(/not a private link DNS zone/);
  });
});
