import { TerraformVariable, Testing } from "cdktf";
import { Synapse } from "../../../constructs/synapse/synapse";
import { DataExplorer } from "../../../constructs/dataexplorer/data-explorer";
import { identityBlock, roleArguments, withDefaultTags } from "../../../constructs/core/shapes";
import { NAMING_RULES, namingProblem } from "../../../constructs/core/naming";
import { cleanupOutdirs, newStack, resourcesOf } from "../harness";

afterAll(cleanupOutdirs);

describe("shared shapes", () => {
  it("builds identity blocks from system and user-assigned identities", () => {
    expect(identityBlock(undefined, true)).toEqual({ type: "SystemAssigned" });
    expect(identityBlock(undefined, false)).toBeUndefined();
    expect(identityBlock({ systemAssigned: true, userAssignedIds: ["/u"] }, false)).toEqual({ type: "SystemAssigned, UserAssigned", identityIds: ["/u"] });
    expect(identityBlock({ systemAssigned: false, userAssignedIds: ["/u"] }, true)).toEqual({ type: "UserAssigned", identityIds: ["/u"] });
  });

  it("tells role names from role definition ids", () => {
    expect(roleArguments("Storage Blob Data Reader")).toEqual({ roleDefinitionName: "Storage Blob Data Reader" });
    expect(roleArguments("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/g")).toEqual({ roleDefinitionId: "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/g" });
    expect(() => roleArguments(" ")).toThrow(/needs a role name/);
  });

  it("adds the managed-by tag without hiding the caller's", () => {
    expect(withDefaultTags({ owner: "x" })).toEqual({ "managed-by": "streamkit", owner: "x" });
    expect(withDefaultTags({ "managed-by": "team" })).toEqual({ "managed-by": "team" });
  });
});

describe("naming rules", () => {
  it.each([
    [NAMING_RULES.storageAccount, "stskdevlake", true],
    [NAMING_RULES.storageAccount, "st", false],
    [NAMING_RULES.eventHubsNamespace, "evhns-skdev-1", true],
    [NAMING_RULES.eventHubsNamespace, "evhns-skdev-", false],
    [NAMING_RULES.container, "raw-data", true],
    [NAMING_RULES.container, "-raw", false],
    [NAMING_RULES.sqlServer, "sql-skdev", true],
    [NAMING_RULES.sqlServer, "SQL-skdev", false],
    [NAMING_RULES.sqlDatabase, "telemetry db", true],
    [NAMING_RULES.sqlDatabase, "telemetry.", false],
    [NAMING_RULES.iotHub, "iot-skdev", true],
    [NAMING_RULES.synapseWorkspace, "syn-skdev", true],
    [NAMING_RULES.synapseSqlPool, "pool_1", true],
    [NAMING_RULES.consumerGroup, "asa.telemetry_1", true],
    [NAMING_RULES.consumerGroup, "a".repeat(51), false],
  ])("%#: %s '%s' valid=%s", (rule, name, valid) => {
    expect(namingProblem(rule, name) === undefined).toBe(valid);
  });

  it("does not judge names only known at deploy time", () => {
    const stack = newStack();
    const name = new TerraformVariable(stack, "name", { type: "string" }).stringValue;
    expect(namingProblem(NAMING_RULES.storageAccount, name)).toBeUndefined();
  });
});

describe("identities on constructs that require their system identity", () => {
  it("adds user-assigned identities to Synapse and Data Explorer, and refuses turning the system one off", () => {
    const place = { resourceGroupName: "rg", location: "westeurope" };
    const fs = { storageAccount: { id: "/sa", name: "sa", resourceGroupName: "rg", dfsEndpoint: "https://sa.dfs.core.windows.net/", blobEndpoint: "" }, name: "fs" };
    const stack = newStack();
    new Synapse(stack, "syn", { ...place, name: "syn-skdev-a", filesystem: fs, entraAdmin: { loginUsername: "a", objectId: "o" }, managedIdentities: { userAssignedIds: ["/uai/a"] } });
    new DataExplorer(stack, "adx", { ...place, clusterName: "adxskdev", databaseName: "db", managedIdentities: { userAssignedIds: ["/uai/b"] } });
    expect(resourcesOf(stack, "azurerm_synapse_workspace")[0].identity).toEqual({ type: "SystemAssigned, UserAssigned", identity_ids: ["/uai/a"] });
    expect(resourcesOf(stack, "azurerm_kusto_cluster")[0].identity).toEqual({ type: "SystemAssigned, UserAssigned", identity_ids: ["/uai/b"] });
    const bad = newStack();
    new Synapse(bad, "syn", { ...place, name: "syn-skdev-a", filesystem: fs, entraAdmin: { loginUsername: "a", objectId: "o" }, managedIdentities: { systemAssigned: false } });
    new DataExplorer(bad, "adx", { ...place, clusterName: "adxskdev", databaseName: "db", managedIdentities: { systemAssigned: false } });
    expect(() => Testing.synth(bad, true)).toThrow(/always has its system identity[\s\S]*system identity stays on/);
  });
});
