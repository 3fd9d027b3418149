// The Data Explorer script checker: each error is located `file:line`, against the declared
// schema and the scripts before it; the example scripts of the iot-spark stack pass.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { checkKqlScripts, projectedColumns, splitCommands, tabularReferences, type KqlSchema } from "../../lib/kql/check";

const RAW: KqlSchema = { tables: [{ name: "Raw", columns: [{ name: "payload", type: "dynamic" }, { name: "at", type: "datetime" }] }], mappings: { Raw: ["Raw_json"] } };
const check = (...texts: string[]) => checkKqlScripts(RAW, texts.map((text, i) => ({ file: `kql/${i + 1}.kql`, text }))).errors;

describe("splitCommands", () => {
  it("starts a command at each '.' that begins a line outside braces and strings; comments and blank lines sit between", () => {
    const text = "// tables\n.create table T (a:string)\n\n.create function F() {\n  T\n  | where a != '.x'\n}\n// policy\n.alter table T policy caching hot = 1d\n";
    expect(splitCommands(text).map((c) => [c.line, c.text.split("\n")[0]])).toEqual([
      [2, ".create table T (a:string)"],
      [4, ".create function F() {"],
      [9, ".alter table T policy caching hot = 1d"],
    ]);
  });
});

describe("checkKqlScripts", () => {
  it("accepts a table, its mapping, a function, an update policy, a materialized view and policies built on each other", () => {
    expect(
      check(
        ".create-merge table Typed (deviceId: string, value: real, at: datetime)\n\n.create table Typed ingestion json mapping 'Typed_json' '[{\"column\":\"deviceId\",\"Properties\":{\"Path\":\"$.d\"}},{\"column\":\"value\",\"datatype\":\"real\",\"Properties\":{\"Path\":\"$.v\"}}]'",
        ".create-or-alter function with (folder = 'x') Parse() {\n  Raw\n  | project deviceId = tostring(payload.d), value = toreal(payload.v), at\n}",
        ".alter table Typed policy update @'[{\"IsEnabled\": true, \"Source\": \"Raw\", \"Query\": \"Parse()\", \"IsTransactional\": true}]'",
        ".create materialized-view PerMinute on table Typed {\n  Typed | summarize avg(value) by deviceId, bin(at, 1m)\n}\n\n.alter-merge materialized-view PerMinute policy retention softdelete = 365d\n\n.alter table Raw policy caching hot = 1d",
      ),
    ).toEqual([]);
  });

  it("a table no script created and the schema lacks: file:line", () => {
    expect(check("// typed\n.alter table Typed policy caching hot = 1d")).toEqual(["kql/1.kql:2: table 'Typed' is not declared in the schema or created by an earlier script"]);
  });

  it("a name used before the script that creates it (order matters)", () => {
    expect(check(".alter table Raw policy update @'[{\"Source\": \"Raw2\", \"Query\": \"Parse()\"}]'", ".create table Raw2 (a:string)")).toEqual([
      "kql/1.kql:1: update policy of table 'Raw' reads Source 'Raw2', which is not declared in the schema or created by an earlier script",
      "kql/1.kql:1: table or function 'Parse' is not declared in the schema or created by an earlier script",
    ]);
  });

  it("a function's parameters are not tables, nor a built-in a scalar function returns", () => {
    expect(check(".create function F(Input: (payload: dynamic)) {\n  Input | take 1\n}")).toEqual([]);
    expect(check(".create function Started() {\n  now()\n}")).toEqual([]);
  });

  it("a function body reading an unknown table, located on its line", () => {
    expect(check(".create function F() {\n  Raw\n  | join kind=inner (Devices) on deviceId\n}")).toEqual(["kql/1.kql:3: table or function 'Devices' is not declared in the schema or created by an earlier script"]);
  });

  it("mapping columns must be the table's, with its types", () => {
    expect(check(".create table Raw ingestion json mapping 'm' '[{\"column\":\"payload\",\"Properties\":{\"Path\":\"$\"}},\n{\"column\":\"body\",\"Properties\":{\"Path\":\"$.b\"}},{\"column\":\"at\",\"datatype\":\"string\"}]'")).toEqual([
      "kql/1.kql:2: mapping 'm' maps column 'body', which table 'Raw' does not have (columns: payload, at)",
      "kql/1.kql:2: mapping 'm' maps column 'at' as string, but table 'Raw' has it as datetime",
    ]);
  });

  it("a mapping of an unknown table, and one that is not JSON", () => {
    expect(check(".create table Nope ingestion json mapping 'm' '[]'", ".create table Raw ingestion csv mapping 'c' '[{'")).toEqual([
      "kql/1.kql:1: table 'Nope' is not declared in the schema or created by an earlier script",
      expect.stringMatching(/^kql\/2\.kql:1: mapping 'c': its definition is not JSON/),
    ]);
  });

  it("an update policy whose function returns other columns than the table's", () => {
    expect(check(".create table T (a:string, b:long)\n\n.create function F() { Raw | project a = tostring(payload.a) }\n\n.alter table T policy update @'[{\"Source\": \"Raw\", \"Query\": \"F()\"}]'")).toEqual([
      "kql/1.kql:5: update policy of table 'T': F() returns columns (a), but the table has (a, b): an update policy's query must produce the target table's columns, in order",
    ]);
  });

  it("a materialized view on an unknown table, one whose query starts elsewhere, one without summarize, and a policy of an unknown view", () => {
    expect(check(".create materialized-view V on table Nope { Nope | summarize count() by bin(at, 1m) }")).toEqual(["kql/1.kql:1: table 'Nope' is not declared in the schema or created by an earlier script"]);
    expect(check(".create table T (at:datetime)\n.create materialized-view V on table T {\n  Raw | summarize count() by bin(at, 1m)\n}")).toEqual(["kql/1.kql:3: materialized view 'V' is declared on 'T', but its query starts from 'Raw'"]);
    expect(check(".create materialized-view V on table Raw { Raw | where at > ago(1d) }")).toEqual(["kql/1.kql:1: materialized view 'V': its query must end in a summarize (an aggregation)"]);
    expect(check("\n.alter materialized-view V policy caching hot = 1d")).toEqual(["kql/1.kql:2: materialized view 'V' is not created by an earlier script"]);
  });

  it("changing a column's type with create-merge, bad column types, unknown policies and commands, and queries in a script", () => {
    expect(check(".create-merge table Raw (at: string)")).toEqual(["kql/1.kql:1: table 'Raw' has column 'at' as datetime; create-merge cannot change it to string"]);
    expect(check(".create table T (a: float)")).toEqual([expect.stringMatching(/^kql\/1\.kql:1: table 'T': column 'a' has type 'float', not a Kusto scalar type/)]);
    expect(check(".alter table Raw policy holiday '{}'")).toEqual([expect.stringMatching(/^kql\/1\.kql:1: 'holiday' is not a table policy/)]);
    expect(check("\n\n.drop table Raw")).toEqual([expect.stringMatching(/^kql\/1\.kql:3: '\.drop …' is not a command streamkit checks/)]);
    expect(check("Raw | take 10")).toEqual([expect.stringMatching(/^kql\/1\.kql:1: 'Raw \| take 10' is not a management command/)]);
  });
});

describe("query helpers", () => {
  it("finds statement sources, join and union operands and table() calls, but not lets or parameters", () => {
    expect(tabularReferences("let x = 1;\nlet Recent = Raw | where at > ago(1h);\nRecent | join (Devices) on id | lookup Sites on site | union kind=outer Archive, (Older) | extend t = table('Other')").map((r) => r.name)).toEqual(["Raw", "Devices", "Sites", "Archive", "Older", "Other"]);
  });

  it("reads a query's output columns from a final project", () => {
    expect(projectedColumns("Raw | project a = tostring(payload['x,y']), b, ['c d'] = 1")).toEqual(["a", "b", "c d"]);
    expect(projectedColumns("Raw | extend a = 1")).toBeUndefined();
  });
});

describe("the iot-spark stack's scripts", () => {
  it("check clean against its raw table, in file order", () => {
    const dir = resolve(__dirname, "../../kql/iot-spark");
    const scripts = readdirSync(dir).sort().map((f) => ({ file: `kql/iot-spark/${f}`, text: readFileSync(join(dir, f), "utf8") }));
    const { errors, state } = checkKqlScripts({ tables: [{ name: "RawTelemetry", columns: [{ name: "payload", type: "dynamic" }] }], mappings: { RawTelemetry: ["RawTelemetry_json"] } }, scripts);
    expect(errors).toEqual([]);
    expect([...state.tables.keys()]).toEqual(["RawTelemetry", "Telemetry"]);
    expect(state.functionColumns.get("ParseTelemetry")).toEqual(state.tables.get("Telemetry")!.map((c) => c.name));
    expect([...state.views.entries()]).toEqual([["TelemetryPerDeviceMinute", "Telemetry"]]);
  });
});
