import { TerraformVariable, Testing } from "cdktf";
import { Synapse, SynapseProps } from "../../../constructs/synapse/synapse";
import { StreamkitStorage } from "../../../constructs/storage/storage-account";
import { cleanupOutdirs, newStack, PLACEMENT, resourcesOf, synth, synthJson, tf } from "../harness";

afterAll(cleanupOutdirs);

const ADMIN = { loginUsername: "synapse-admins", objectId: "66666666-6666-6666-6666-666666666666" };

function build(props: Partial<SynapseProps> = {}) {
  const stack = newStack();
  const lake = new StreamkitStorage(stack, "lake", { ...PLACEMENT, name: "stskdevsynapse", containers: ["synapse"] });
  const synapse = new Synapse(stack, "synapse", { ...PLACEMENT, name: "syn-skdev-streaming", filesystem: { storageAccount: lake, name: "synapse" }, entraAdmin: ADMIN, ...props });
  return { stack, synapse };
}

describe("Synapse defaults", () => {
  const { stack } = build({ sqlPool: { name: "telemetry_pool", tables: [{ name: "dbo.agg", columns: [{ name: "deviceId", sqlType: "nvarchar(64)", nullable: false }] }] } });
  const json = synth(stack);

  it("matches the snapshot", () => expect(json).toMatchSnapshot());

  it("is Entra-only, managed network, system identity, on the lake filesystem, with no SQL password", () => {
    expect(json).toHaveResourceWithProperties(tf("azurerm_synapse_workspace"), {
      name: "syn-skdev-streaming",
      azuread_authentication_only: true,
      managed_virtual_network_enabled: true,
      // A stack that declares no environment gets the production defaults: exfiltration protection and auditing.
      data_exfiltration_protection_enabled: true,
      public_network_access_enabled: true,
      identity: { type: "SystemAssigned" },
    });
    expect(resourcesOf(stack, "azurerm_synapse_workspace_extended_auditing_policy")).toEqual([expect.objectContaining({ log_monitoring_enabled: true, retention_in_days: 90 })]);
    expect(resourcesOf(stack, "azurerm_synapse_sql_pool_extended_auditing_policy")).toEqual([expect.objectContaining({ log_monitoring_enabled: true, retention_in_days: 90 })]);
    const [ws] = resourcesOf(stack, "azurerm_synapse_workspace");
    expect(ws.storage_data_lake_gen2_filesystem_id).toMatch(/^\$\{azurerm_storage_account\.lake_account_\w+\.primary_dfs_endpoint\}synapse$/);
    expect(ws.sql_administrator_login).toBeUndefined();
    expect(ws.sql_administrator_login_password).toBeUndefined();
  });

  it("names the Entra admin (tenant from the provider), grants the workspace Data Contributor on its filesystem", () => {
    const [admin] = resourcesOf(stack, "azurerm_synapse_workspace_aad_admin");
    expect(admin).toMatchObject({ login: "synapse-admins", object_id: ADMIN.objectId });
    expect(admin.tenant_id).toMatch(/data\.azurerm_client_config\..*\.tenant_id/);
    const [role] = resourcesOf(stack, "azurerm_role_assignment");
    expect(role.role_definition_name).toBe("Storage Blob Data Contributor");
    expect(role.scope).toMatch(/\/blobServices\/default\/containers\/synapse$/);
  });

  it("creates a DW100c GRS pool with geo-backup and encryption", () => {
    expect(json).toHaveResourceWithProperties(tf("azurerm_synapse_sql_pool"), { name: "telemetry_pool", sku_name: "DW100c", storage_account_type: "GRS", geo_backup_policy_enabled: true, data_encrypted: true, create_mode: "Default" });
  });
});

describe("Synapse options", () => {
  it("takes a SQL admin password only from a sensitive variable", () => {
    const stack = newStack();
    const password = new TerraformVariable(stack, "synapse_sql_password", { type: "string", sensitive: true });
    const lake = StreamkitStorage.fromExisting(stack, "lake", { name: "stshared", resourceGroupName: "rg" });
    new Synapse(stack, "s", { ...PLACEMENT, name: "syn-skdev-a", filesystem: { storageAccount: lake, name: "fs" }, entraAdmin: ADMIN, sqlAdministrator: { login: "sqladminuser", password } });
    const json = synthJson(stack);
    expect(json.variable?.synapse_sql_password).toEqual({ type: "string", sensitive: true });
    expect(resourcesOf(stack, "azurerm_synapse_workspace")[0]).toMatchObject({ azuread_authentication_only: false, sql_administrator_login: "sqladminuser", sql_administrator_login_password: "${var.synapse_sql_password}" });
  });

  it("refuses a literal or non-sensitive password", () => {
    const literal = build({ sqlAdministrator: { login: "sqladminuser", password: "P@ssw0rd!" as never } });
    expect(() => Testing.synth(literal.stack, true)).toThrow(/must be a TerraformVariable with sensitive: true, never a literal/);
    const stack = newStack();
    const open = new TerraformVariable(stack, "pw", { type: "string" });
    new Synapse(stack, "s", { ...PLACEMENT, name: "syn-skdev-a", filesystem: { storageAccount: { id: "/sa", name: "sa", resourceGroupName: "rg", dfsEndpoint: "https://sa.dfs.core.windows.net/", blobEndpoint: "" }, name: "fs" }, entraAdmin: ADMIN, sqlAdministrator: { login: "sqladminuser", password: open } });
    expect(() => Testing.synth(stack, true)).toThrow(/must be declared with sensitive: true/);
  });

  it("sets firewall rules, Allow Azure services, LRS pool without geo-backup, exfiltration protection", () => {
    const { stack, synapse } = build({
      firewallRules: [{ name: "office", startIpAddress: "203.0.113.1", endIpAddress: "203.0.113.1" }],
      allowAzureServices: true,
      dataExfiltrationProtection: true,
      sqlPool: { name: "pool", sku: "DW200c", storageAccountType: "LRS" },
    });
    expect(resourcesOf(stack, "azurerm_synapse_firewall_rule").map((r) => r.name).sort()).toEqual(["AllowAllWindowsAzureIps", "office"]);
    expect(resourcesOf(stack, "azurerm_synapse_sql_pool")[0]).toMatchObject({ sku_name: "DW200c", storage_account_type: "LRS", geo_backup_policy_enabled: false });
    expect(resourcesOf(stack, "azurerm_synapse_workspace")[0].data_exfiltration_protection_enabled).toBe(true);
    expect(() => synapse.table("dbo.none")).toThrow(/declares no table/);
  });

  it("rejects bad names, SKUs, reserved logins and misplaced firewall rules", () => {
    const fails = (props: Partial<SynapseProps>, message: RegExp) => expect(() => Testing.synth(build(props).stack, true)).toThrow(message);
    fails({ name: "syn-ondemand-x" }, /must not contain '-ondemand'/);
    fails({ name: "Syn_Bad" }, /Synapse workspace name 'Syn_Bad' is invalid/);
    fails({ sqlPool: { name: "my-pool" } }, /Synapse dedicated SQL pool name 'my-pool' is invalid/);
    fails({ sqlPool: { name: "pool", sku: "S0" } }, /not a DWU level/);
    fails({ publicNetworkAccess: "disabled", allowAzureServices: true }, /apply only when publicNetworkAccess is 'restricted'/);
    fails({ managedVirtualNetwork: false, dataExfiltrationProtection: true }, /needs managedVirtualNetwork/);
    const stack = newStack();
    const password = new TerraformVariable(stack, "pw", { type: "string", sensitive: true });
    new Synapse(stack, "s", { ...PLACEMENT, name: "syn-skdev-a", filesystem: { storageAccount: { id: "/sa", name: "sa", resourceGroupName: "rg", dfsEndpoint: "https://sa.dfs.core.windows.net/", blobEndpoint: "" }, name: "fs" }, entraAdmin: ADMIN, sqlAdministrator: { login: "admin", password } });
    expect(() => Testing.synth(stack, true)).toThrow(/'admin' is a reserved name/);
  });
});

describe("Synapse in a non-production stack", () => {
  it("leaves exfiltration protection and auditing off unless asked", () => {
    const stack = newStack("dev", { production: false });
    const lake = new StreamkitStorage(stack, "lake", { ...PLACEMENT, name: "stskdevsynapse", containers: ["synapse"] });
    new Synapse(stack, "synapse", { ...PLACEMENT, name: "syn-skdev-streaming", filesystem: { storageAccount: lake, name: "synapse" }, entraAdmin: ADMIN, sqlPool: { name: "pool" } });
    expect(resourcesOf(stack, "azurerm_synapse_workspace")[0].data_exfiltration_protection_enabled).toBe(false);
    expect(resourcesOf(stack, "azurerm_synapse_workspace_extended_auditing_policy")).toEqual([]);
  });

  it("refuses firewall rules that together admit the internet", () => {
    expect(() => build({ firewallRules: [{ name: "a", startIpAddress: "0.0.0.0", endIpAddress: "127.255.255.255" }, { name: "b", startIpAddress: "128.0.0.0", endIpAddress: "255.255.255.255" }] })).toThrow(
      /Synapse workspace 'syn-skdev-streaming': firewallRules \[0\.0\.0\.0-127\.255\.255\.255, 128\.0\.0\.0-255\.255\.255\.255\] admit 4,294,967,296 addresses, 100% of IPv4/,
    );
  });
});
