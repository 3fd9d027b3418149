// Data Explorer management scripts: `.kql` files of the repository applied in order with
// azurerm_kusto_script after the declared tables, checked at synth (file:line).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataExplorer, type DataExplorerProps } from "../../../constructs/dataexplorer/data-explorer";
import { EventHubsNamespace } from "../../../constructs/eventhubs/event-hubs-namespace";
import { cleanupOutdirs, newStack, PLACEMENT, synthErrors, synthJson } from "../harness";

const dirs: string[] = [];
afterAll(() => {
  cleanupOutdirs();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "streamkit-kql-"));
  dirs.push(dir);
  mkdirSync(join(dir, "kql"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "kql", name), text);
  return dir;
}

const TYPED = ".create-merge table Typed (deviceId: string, value: real)\n";
const PARSE = ".create-or-alter function Parse() {\n  Raw\n  | project deviceId = tostring(payload.d), value = toreal(payload.v)\n}\n";
const POLICY = ".alter table Typed policy update @'[{\"IsEnabled\": true, \"Source\": \"Raw\", \"Query\": \"Parse()\", \"IsTransactional\": true}]'\n";

function build(files: Record<string, string>, props: Partial<DataExplorerProps> = {}) {
  const stack = newStack();
  const events = new EventHubsNamespace(stack, "events", { ...PLACEMENT, name: "evhns-skdev-iot", hubs: [{ name: "telemetry", consumerGroups: ["adx"] }] });
  const adx = new DataExplorer(stack, "adx", {
    ...PLACEMENT,
    clusterName: "adxskdevstream",
    databaseName: "telemetry",
    projectDir: project(files),
    tables: [{ name: "Raw", columns: [{ name: "payload", type: "dynamic", path: "$" }] }],
    scripts: Object.keys(files).map((f) => `kql/${f}`),
    eventHubConnections: [{ name: "raw-in", hub: events.hub("telemetry"), consumerGroup: "adx", table: "Raw" }],
    ...props,
  });
  return { stack, adx, events };
}


const unhash = (s: string) => s.replace(/_[0-9A-F]{8}\b/g, "");

describe("DataExplorer scripts", () => {
  it("applies each file in order after the tables, and starts ingestion only after the last", () => {
    const { stack } = build({ "10-typed.kql": TYPED, "20-parse.kql": PARSE, "30-policy.kql": POLICY });
    expect(synthErrors(stack)).toBe("");
    const json = synthJson(stack) as Record<string, any>;
    const scripts = json.resource.azurerm_kusto_script as Record<string, any>;
    const byName = Object.fromEntries(Object.values(scripts).map((s: any) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(["create-raw", "script-10-typed", "script-20-parse", "script-30-policy"]);
    expect(byName["script-10-typed"].script_content).toBe(TYPED);
    expect(byName["script-30-policy"].continue_on_errors_enabled).toBe(false);
    expect(byName["script-10-typed"].depends_on.map(unhash)).toEqual(["azurerm_kusto_script.adx_table-Raw"]);
    expect(byName["script-20-parse"].depends_on.map(unhash)).toEqual(["azurerm_kusto_script.adx_script-10-typed"]);
    expect(byName["script-30-policy"].depends_on.map(unhash)).toEqual(["azurerm_kusto_script.adx_script-20-parse"]);
    const connection = Object.values(json.resource.azurerm_kusto_eventhub_data_connection)[0] as any;
    expect(connection.depends_on.map(unhash)).toEqual(expect.arrayContaining(["azurerm_kusto_script.adx_script-30-policy"]));
    // The data connection reads with the cluster's managed identity.
    expect(unhash(connection.identity_id)).toBe("${azurerm_kusto_cluster.adx_cluster.id}");
    expect(connection.mapping_rule_name).toBe("Raw_json");
  });

  it("a missing script fails at once, naming it", () => {
    const stack = newStack();
    expect(() => new DataExplorer(stack, "adx", { ...PLACEMENT, clusterName: "adxskdev", databaseName: "telemetry", projectDir: project({}), scripts: ["kql/missing.kql"] })).toThrow(
      "Data Explorer database 'telemetry': script not found: kql/missing.kql",
    );
  });

  it("a name a script uses before any script creates it fails synth with file:line", () => {
    const { stack } = build({ "10-parse.kql": PARSE, "20-typed.kql": TYPED, "30-policy.kql": POLICY.replace("Parse()", "ParseRaw()") });
    const errors = synthErrors(stack);
    expect(errors).toContain("kql/30-policy.kql:1: table or function 'ParseRaw' is not declared in the schema or created by an earlier script");
  });

  it("a mapping whose columns are not the table's fails synth with file:line", () => {
    const { stack } = build({ "10-typed.kql": `${TYPED}\n.create table Typed ingestion json mapping 'Typed_json' '[{"column":"device","Properties":{"Path":"$.d"}}]'\n` });
    expect(synthErrors(stack)).toContain("kql/10-typed.kql:3: mapping 'Typed_json' maps column 'device', which table 'Typed' does not have (columns: deviceId, value)");
  });

  it("a data connection can ingest into a table and mapping a script makes; an unknown mapping fails synth", () => {
    const files = { "10-typed.kql": `${TYPED}\n.create table Typed ingestion json mapping 'TypedMap' '[{"column":"deviceId","Properties":{"Path":"$.d"}}]'\n` };
    const ok = build(files);
    new DataExplorer(ok.stack, "adx2", {
      ...PLACEMENT, clusterName: "adxskdevtwo", databaseName: "telemetry", projectDir: project(files), scripts: ["kql/10-typed.kql"],
      eventHubConnections: [{ name: "typed-in", hub: ok.events.hub("telemetry"), consumerGroup: "adx", table: "Typed", mapping: "TypedMap" }],
    });
    expect(synthErrors(ok.stack)).toBe("");
    const bad = build(files, { eventHubConnections: [{ name: "typed-in", hub: { id: "/hub", name: "telemetry", namespaceName: "evhns-skdev-iot", resourceGroupName: "rg" }, consumerGroup: "adx", table: "Typed", mapping: "Typed_csv" }] });
    expect(synthErrors(bad.stack)).toContain("data connection 'typed-in' uses mapping 'Typed_csv', which table 'Typed' does not have (declared: TypedMap)");
    const none = build({}, { eventHubConnections: [{ name: "x-in", hub: { id: "/hub", name: "telemetry", namespaceName: "evhns-skdev-iot", resourceGroupName: "rg" }, consumerGroup: "adx", table: "Nope" }] });
    expect(synthErrors(none.stack)).toContain("data connection 'x-in' writes table 'Nope', which is not declared in tables or created by a script");
  });
});
