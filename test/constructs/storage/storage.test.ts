import { Testing } from "cdktf";
import { StreamkitStorage } from "../../../constructs/storage/storage-account";
import { EventHubsNamespace } from "../../../constructs/eventhubs/event-hubs-namespace";
import { cleanupOutdirs, newStack, PLACEMENT, resourcesOf, synth, synthJson, tf, WORKSPACE_ID } from "../harness";

afterAll(cleanupOutdirs);

describe("StreamkitStorage defaults", () => {
  const stack = newStack();
  new StreamkitStorage(stack, "lake", { ...PLACEMENT, name: "stskdevlake", containers: ["raw", "curated"] });
  const json = synth(stack);

  it("matches the snapshot", () => expect(json).toMatchSnapshot());

  it("is ADLS Gen2, ZRS, TLS 1.2, HTTPS only, no public blobs, no shared key, default-deny firewall", () => {
    expect(json).toHaveResourceWithProperties(tf("azurerm_storage_account"), {
      name: "stskdevlake",
      account_kind: "StorageV2",
      account_tier: "Standard",
      account_replication_type: "ZRS",
      is_hns_enabled: true,
      https_traffic_only_enabled: true,
      min_tls_version: "TLS1_2",
      allow_nested_items_to_be_public: false,
      shared_access_key_enabled: false,
      default_to_oauth_authentication: true,
      cross_tenant_replication_enabled: false,
      local_user_enabled: false,
      // A stack that declares no environment gets the production defaults.
      infrastructure_encryption_enabled: true,
      public_network_access_enabled: true,
    });
    const [account] = resourcesOf(stack, "azurerm_storage_account");
    expect(account.network_rules).toMatchObject({ default_action: "Deny", bypass: ["AzureServices", "Logging", "Metrics"] });
    expect(account.blob_properties).toMatchObject({ delete_retention_policy: { days: 7 }, container_delete_retention_policy: { days: 7 } });
    expect(account.identity).toBeUndefined();
  });

  it("leaves infrastructure encryption off in a stack declared non-production, unless asked", () => {
    const dev = newStack("dev", { production: false });
    new StreamkitStorage(dev, "lake", { ...PLACEMENT, name: "stskdevlake" });
    new StreamkitStorage(dev, "secure", { ...PLACEMENT, name: "stskdevsecure", infrastructureEncryption: true });
    expect(resourcesOf(dev, "azurerm_storage_account").map((a) => a.infrastructure_encryption_enabled)).toEqual([false, true]);
  });

  it("refuses allowed IP ranges that admit the internet, whatever their shape", () => {
    for (const ranges of [["0.0.0.0/0"], ["0.0.0.0/1", "128.0.0.0/1"], ["1.0.0.0/8", "0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/2"]]) {
      expect(() => new StreamkitStorage(newStack(), "lake", { ...PLACEMENT, name: "stskdevlake", allowedIpRanges: ranges })).toThrow(/storage account 'stskdevlake': allowedIpRanges \[.*\] admit [\d,]+ addresses, (100|\d+(\.\d+)?)% of IPv4: the whole internet, in effect/);
    }
    expect(() => new StreamkitStorage(newStack(), "lake", { ...PLACEMENT, name: "stskdevlake", allowedIpRanges: ["0.0.0.0/2", "64.0.0.0/3"] })).not.toThrow();
  });

  it("creates private containers through the management plane", () => {
    const containers = resourcesOf(stack, "azurerm_storage_container");
    expect(containers.map((c) => c.name).sort()).toEqual(["curated", "raw"]);
    for (const c of containers) {
      expect(c.container_access_type).toBe("private");
      expect(c.storage_account_id).toMatch(/azurerm_storage_account\..*\.id/);
      expect(c.storage_account_name).toBeUndefined();
    }
  });
});

describe("StreamkitStorage options", () => {
  it("sets replication, tier, blob-only, shared keys, infrastructure encryption, network and soft delete", () => {
    const stack = newStack();
    new StreamkitStorage(stack, "a", {
      ...PLACEMENT,
      name: "stskdeva",
      hierarchicalNamespace: false,
      replication: "GRS",
      accessTier: "Cool",
      sharedAccessKeyEnabled: true,
      infrastructureEncryption: true,
      publicNetworkAccess: "disabled",
      softDeleteDays: 0,
    });
    new StreamkitStorage(stack, "b", { ...PLACEMENT, name: "stskdevb", allowedIpRanges: ["203.0.113.0/24"] });
    new StreamkitStorage(stack, "c", { ...PLACEMENT, name: "stskdevc", publicNetworkAccess: "enabled", managedIdentities: { systemAssigned: true } });
    const [a, b, c] = resourcesOf(stack, "azurerm_storage_account");
    expect(a).toMatchObject({ is_hns_enabled: false, account_replication_type: "GRS", access_tier: "Cool", shared_access_key_enabled: true, infrastructure_encryption_enabled: true, public_network_access_enabled: false });
    expect(a.network_rules.default_action).toBe("Deny");
    expect(a.blob_properties).toBeUndefined();
    expect(b.network_rules.ip_rules).toEqual(["203.0.113.0/24"]);
    expect(c.network_rules).toBeUndefined();
    expect(c.identity).toEqual({ type: "SystemAssigned" });
  });

  it("writes lifecycle rules for stream archives", () => {
    const stack = newStack();
    new StreamkitStorage(stack, "a", {
      ...PLACEMENT,
      name: "stskdeva",
      replication: "LRS",
      lifecycleRules: [
        { name: "capture", prefixes: ["capture/"], coolAfterDays: 7, archiveAfterDays: 30, deleteAfterDays: 365 },
        { name: "scratch", deleteAfterDays: 2 },
      ],
    });
    const [policy] = resourcesOf(stack, "azurerm_storage_management_policy");
    expect(policy.rule[0]).toMatchObject({
      name: "capture",
      enabled: true,
      filters: { blob_types: ["blockBlob"], prefix_match: ["capture/"] },
      actions: { base_blob: { tier_to_cool_after_days_since_modification_greater_than: 7, tier_to_archive_after_days_since_modification_greater_than: 30, delete_after_days_since_modification_greater_than: 365 } },
    });
    expect(policy.rule[1].filters.prefix_match).toBeUndefined();
  });

  it("grants roles on the account and on one container, sends logs of the blob service, locks the account", () => {
    const stack = newStack();
    const principal = "33333333-3333-3333-3333-333333333333";
    new StreamkitStorage(stack, "a", {
      ...PLACEMENT,
      name: "stskdeva",
      roleAssignments: [{ principalId: principal, role: "Storage Blob Data Reader" }],
      containers: [{ name: "out", roleAssignments: [{ principalId: principal, role: "Storage Blob Data Contributor", principalType: "ServicePrincipal" }] }],
      diagnosticSettings: { logAnalyticsWorkspaceId: WORKSPACE_ID },
      lock: { level: "CanNotDelete" },
    });
    const roles = resourcesOf(stack, "azurerm_role_assignment");
    expect(roles.map((r) => [r.role_definition_name, r.scope.replace(/_[0-9A-F]{8}\./, ".")])).toEqual([
      ["Storage Blob Data Contributor", "${azurerm_storage_container.a_container-out.id}"],
      ["Storage Blob Data Reader", "${azurerm_storage_account.a_account.id}"],
    ]);
    const diags = resourcesOf(stack, "azurerm_monitor_diagnostic_setting");
    expect(diags.map((d) => d.target_resource_id.replace(/_[0-9A-F]{8}\./, ".")).sort()).toEqual([
      "${azurerm_storage_account.a_account.id}",
      "${azurerm_storage_account.a_account.id}/blobServices/default",
    ]);
    expect(resourcesOf(stack, "azurerm_management_lock")[0].scope).toMatch(/azurerm_storage_account/);
  });

  it("reuses an existing account and feeds Event Hubs Capture only when shared keys are allowed", () => {
    const stack = newStack();
    const existing = StreamkitStorage.fromExisting(stack, "existing", { name: "stshared", resourceGroupName: "rg-shared" });
    expect(synthJson(stack).data?.azurerm_storage_account?.existing).toEqual({ name: "stshared", resource_group_name: "rg-shared" });
    expect(existing.sharedAccessKeyEnabled).toBeUndefined();

    const bad = newStack();
    const lake = new StreamkitStorage(bad, "lake", { ...PLACEMENT, name: "stskdevlake", containers: ["capture"] });
    new EventHubsNamespace(bad, "ns", { ...PLACEMENT, name: "evhns-skdev-a", hubs: [{ name: "h", capture: { storageAccount: lake, container: "capture", authentication: "storageSas" } }] });
    expect(() => synth(bad)).toThrow(/needs shared keys on storage account 'stskdevlake'/);
  });
});

describe("StreamkitStorage checks at synth", () => {
  const failsWith = (props: object, message: RegExp) => {
    const stack = newStack();
    new StreamkitStorage(stack, "s", { ...PLACEMENT, name: "stskdeva", ...props });
    expect(() => Testing.synth(stack, true)).toThrow(message);
  };

  it.each([
    ["has capitals", { name: "StSkDev" }, /lowercase letters and digits only/],
    ["has hyphens", { name: "st-skdev" }, /lowercase letters and digits only/],
    ["is too long", { name: "stskdevabcdefghijklmnopqrs" }, /3 to 24.*unique across all of Azure/],
    ["has a bad container", { containers: ["Raw_Data"] }, /container \/ filesystem name 'Raw_Data' is invalid/],
    ["has consecutive hyphens in a container", { containers: ["raw--data"] }, /consecutive hyphens/],
  ])("rejects a name that %s", (_c, props, message) => failsWith(props, message));

  it("rejects bad lifecycle rules and settings", () => {
    failsWith({ replication: "LRS", lifecycleRules: [{ name: "r" }] }, /has no action/);
    failsWith({ replication: "LRS", lifecycleRules: [{ name: "r", coolAfterDays: 30, deleteAfterDays: 7 }] }, /increasing days/);
    failsWith({ lifecycleRules: [{ name: "r", archiveAfterDays: 30 }] }, /archive tier is not available on ZRS/);
    failsWith({ replication: "LRS", lifecycleRules: [{ name: "r-1", deleteAfterDays: 1 }] }, /letters and digits only/);
    failsWith({ softDeleteDays: 400 }, /softDeleteDays must be 0-365/);
    failsWith({ allowedIpRanges: ["203.0.113.7/32"] }, /without \/31 or \/32/);
    failsWith({ publicNetworkAccess: "enabled", allowedIpRanges: ["203.0.113.0/24"] }, /only when publicNetworkAccess is 'restricted'/);
  });
});
