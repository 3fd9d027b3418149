import { Testing } from "cdktf";
import { StreamkitResourceGroup } from "../../../constructs/core/resource-group";
import { cleanupOutdirs, newStack, resourcesOf } from "../harness";

afterAll(cleanupOutdirs);

describe("StreamkitResourceGroup", () => {
  it("tags the group, grants roles on it and locks it when asked", () => {
    const stack = newStack();
    new StreamkitResourceGroup(stack, "rg", {
      name: "rg-skprod-streaming",
      location: "westeurope",
      tags: { environment: "prod" },
      roleAssignments: [{ principalId: "88888888-8888-8888-8888-888888888888", role: "Reader", principalType: "Group" }],
      lock: { level: "CanNotDelete" },
    });
    expect(resourcesOf(stack, "azurerm_resource_group")[0]).toEqual({ name: "rg-skprod-streaming", location: "westeurope", tags: { environment: "prod" } });
    expect(resourcesOf(stack, "azurerm_role_assignment")[0]).toMatchObject({ role_definition_name: "Reader", principal_type: "Group" });
    expect(resourcesOf(stack, "azurerm_management_lock")[0]).toMatchObject({ lock_level: "CanNotDelete", name: "lock-cannotdelete" });
  });

  it("rejects a name Azure would refuse", () => {
    const stack = newStack();
    new StreamkitResourceGroup(stack, "rg", { name: "rg-ends-with-dot.", location: "westeurope" });
    expect(() => Testing.synth(stack, true)).toThrow(/resource group name 'rg-ends-with-dot\.' is invalid/);
  });
});
