import { TerraformVariable } from "cdktf";
import { identityBlock, roleArguments, withDefaultTags } from "../../../constructs/core/shapes";
import { NAMING_RULES, namingProblem } from "../../../constructs/core/naming";
import { cleanupOutdirs, newStack } from "../harness";

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
