import { Testing } from "cdktf";
import { DataExplorer, DataExplorerProps, tableScript } from "../../../constructs/dataexplorer/data-explorer";
import { EventHubsNamespace } from "../../../constructs/eventhubs/event-hubs-namespace";
import { cleanupOutdirs, newStack, PLACEMENT, resourcesOf, synth, tf } from "../harness";

afterAll(cleanupOutdirs);

const TELEMETRY = {
  name: "Telemetry",
  columns: [
    { name: "deviceId", type: "string" as const },
    { name: "temperature", type: "real" as const, path: "$.body.temp" },
    { name: "enqueuedAt", type: "datetime" as const },
  ],
};

function build(props: Partial<DataExplorerProps> = {}) {
  const stack = newStack();
  const events = new EventHubsNamespace(stack, "events", { ...PLACEMENT, name: "evhns-skdev-iot", hubs: [{ name: "telemetry", consumerGroups: ["adx"] }] });
  const adx = new DataExplorer(stack, "adx", {
    ...PLACEMENT,
    clusterName: "adxskdevstream",
    databaseName: "telemetry",
    tables: [TELEMETRY],
    eventHubConnections: [{ name: "telemetry-in", hub: events.hub("telemetry"), consumerGroup: "adx", table: "Telemetry", eventSystemProperties: ["x-opt-enqueued-time"] }],
    ...props,
  });
  return { stack, adx };
}

describe("DataExplorer", () => {
  it("creates a private cluster with a system identity, a database, tables and an identity-based Event Hubs connection", () => {
    const { stack } = build();
    const json = synth(stack);
    expect(json).toMatchSnapshot();
    expect(json).toHaveResourceWithProperties(tf("azurerm_kusto_cluster"), {
      name: "adxskdevstream",
      sku: { name: "Standard_E2ads_v5", capacity: 2 },
      identity: { type: "SystemAssigned" },
      public_network_access_enabled: false,
      disk_encryption_enabled: true,
      // A stack that declares no environment gets the production default.
      double_encryption_enabled: true,
      purge_enabled: false,
      streaming_ingestion_enabled: false,
      trusted_external_tenants: ["MyTenantOnly"],
    });
    expect(json).toHaveResourceWithProperties(tf("azurerm_kusto_database"), { name: "telemetry", hot_cache_period: "P7D", soft_delete_period: "P31D" });
    const [connection] = resourcesOf(stack, "azurerm_kusto_eventhub_data_connection");
    expect(connection).toMatchObject({ consumer_group: "adx", table_name: "Telemetry", mapping_rule_name: "Telemetry_json", data_format: "MULTIJSON", compression: "None", event_system_properties: ["x-opt-enqueued-time"] });
    expect(connection.identity_id).toMatch(/^\$\{azurerm_kusto_cluster\.adx_cluster_\w+\.id\}$/);
    expect(connection.depends_on.join(" ")).toMatch(/azurerm_role_assignment.*azurerm_kusto_script/);
    const [role] = resourcesOf(stack, "azurerm_role_assignment");
    expect(role).toMatchObject({ role_definition_name: "Azure Event Hubs Data Receiver", principal_type: "ServicePrincipal" });
    expect(role.scope).toMatch(/azurerm_eventhub\.events_hub-telemetry/);
  });

  it("writes the table and its JSON mapping as KQL", () => {
    expect(tableScript(TELEMETRY, ["MULTIJSON", "JSON"], false)).toBe(
      [
        ".create-merge table ['Telemetry'] (['deviceId']:string, ['temperature']:real, ['enqueuedAt']:datetime)",
        `.create-or-alter table ['Telemetry'] ingestion json mapping 'Telemetry_json' '[{"column":"deviceId","Properties":{"Path":"$.deviceId"}},{"column":"temperature","Properties":{"Path":"$.body.temp"}},{"column":"enqueuedAt","Properties":{"Path":"$.enqueuedAt"}}]'`,
      ].join("\n\n"),
    );
    const csv = tableScript(TELEMETRY, ["CSV"], true);
    expect(csv).toContain(`ingestion csv mapping 'Telemetry_csv' '[{"column":"deviceId","Properties":{"Ordinal":"0"}}`);
    expect(csv.endsWith(".alter table ['Telemetry'] policy streamingingestion enable")).toBe(true);
  });

  it("opens the query endpoint to listed ranges, with streaming ingestion and a dev SKU", () => {
    const { stack } = build({ publicNetworkAccess: "restricted", allowedIpRanges: ["203.0.113.0/24"], streamingIngestion: true, sku: { name: "Dev(No SLA)_Standard_E2a_v4", capacity: 1 } });
    expect(resourcesOf(stack, "azurerm_kusto_cluster")[0]).toMatchObject({ public_network_access_enabled: true, allowed_ip_ranges: ["203.0.113.0/24"], streaming_ingestion_enabled: true, sku: { name: "Dev(No SLA)_Standard_E2a_v4", capacity: 1 } });
    expect(resourcesOf(stack, "azurerm_kusto_script")[0].script_content).toMatch(/policy streamingingestion enable$/);
  });

  it("rejects bad names, types, durations, unknown tables and open 'restricted' access", () => {
    const fails = (props: Partial<DataExplorerProps>, message: RegExp) => expect(() => Testing.synth(build(props).stack, true)).toThrow(message);
    fails({ clusterName: "adx-skdev" }, /Data Explorer cluster name 'adx-skdev' is invalid/);
    fails({ publicNetworkAccess: "restricted" }, /'restricted' needs allowedIpRanges/);
    fails({ hotCachePeriod: "7 days" }, /not an ISO 8601 duration/);
    fails({ tables: [{ name: "Telemetry", columns: [{ name: "x", type: "float" as never }] }] }, /has type 'float'/);
    fails({ tables: [] }, /writes table 'Telemetry', which is not declared/);
  });
});

describe("DataExplorer in a non-production stack", () => {
  it("leaves double encryption off unless asked, and refuses allow-all ranges", () => {
    const dev = newStack("dev", { production: false });
    new DataExplorer(dev, "adx", { ...PLACEMENT, clusterName: "adxskdev", databaseName: "telemetry" });
    new DataExplorer(dev, "secure", { ...PLACEMENT, clusterName: "adxskdevsecure", databaseName: "telemetry", doubleEncryption: true });
    expect(resourcesOf(dev, "azurerm_kusto_cluster").map((c) => c.double_encryption_enabled)).toEqual([false, true]);
    expect(() => build({ publicNetworkAccess: "restricted", allowedIpRanges: ["0.0.0.1-255.255.255.255"] })).toThrow(/Data Explorer cluster 'adxskdevstream': allowedIpRanges .* the whole internet/);
  });
});
