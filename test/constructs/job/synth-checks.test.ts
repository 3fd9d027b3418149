// Each synth-time check fails `cdktf synth` (Testing.synth with validations) with a message
// that says where: the query's file:line:col, or the input/output concerned.
import { Testing, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { IotHub } from "../../../constructs/iothub/iot-hub";
import { Synapse } from "../../../constructs/synapse/synapse";
import { StreamAnalyticsJob } from "../../../constructs/job";
import { PLACEMENT, Scratch, servicesStack, type Services } from "./fixtures";

const FILE = "queries/job/query.asaql";

describe("synth-time checks of a job", () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  function job(query: string, options: { functions?: Record<string, string>; allowAzureServices?: boolean } = {}) {
    const projectDir = scratch.project(query, options.functions);
    const services = servicesStack(scratch.app(), { allowAzureServices: options.allowAzureServices });
    const made = new StreamAnalyticsJob(services.stack, "job", { ...PLACEMENT, name: "asa-check", projectDir, queryFile: FILE });
    return { job: made, services };
  }

  /** The validation errors of synthesizing the stack, or [] when it synthesizes. */
  function synthErrors(services: Services): string {
    try {
      Testing.synth(services.stack, true);
      return "";
    } catch (error) {
      return (error as Error).message;
    }
  }

  function wired(query: string, options: Parameters<typeof job>[1] = {}) {
    const made = job(query, options);
    made.job.addInput("telemetry", made.services.namespace.hubs.telemetry!);
    made.job.addOutput("aggregates", made.services.sql, { table: "dbo.Aggregates" });
    return made;
  }

  it("a valid query synthesizes", () => {
    const { services } = wired("SELECT deviceId, System.Timestamp() AS windowEnd, COUNT(*) AS readings\nINTO aggregates\nFROM telemetry\nGROUP BY deviceId, TumblingWindow(minute, 1)\n");
    expect(synthErrors(services)).toBe("");
  });

  it("an input the job does not declare fails with its location", () => {
    const { services } = wired("SELECT deviceId\nINTO aggregates\nFROM  telemetri\n");
    expect(synthErrors(services)).toMatch(/queries\/job\/query\.asaql:3:7: .*telemetri/);
  });

  it("an output the job does not declare fails with its location", () => {
    const { services } = wired("SELECT deviceId INTO aggregatez FROM telemetry\n");
    expect(synthErrors(services)).toMatch(/queries\/job\/query\.asaql:1:22: .*aggregatez/);
  });

  it("a column the SQL table lacks fails with its location", () => {
    const { services } = wired(
      "SELECT deviceId, System.Timestamp() AS windowEnd, COUNT(*) AS readings, AVG(t) AS meanTemp\nINTO aggregates\nFROM telemetry\nGROUP BY deviceId, TumblingWindow(minute, 1)\n",
    );
    expect(synthErrors(services)).toMatch(/queries\/job\/query\.asaql:1:\d+: .*meanTemp/);
  });

  it("a UDF the job does not declare fails; declaring it from Functions/ fixes it", () => {
    const query = "SELECT deviceId, udf.scale(readings) AS readings INTO aggregates FROM telemetry\n";
    const missing = wired(query);
    expect(synthErrors(missing.services)).toMatch(/queries\/job\/query\.asaql:1:18: .*scale/);
    const declared = wired(query, { functions: { scale: "function main(x) { return x * 10; }\n" } });
    declared.job.addFunction("scale", { inputs: ["bigint"], output: "bigint" });
    expect(synthErrors(declared.services)).toBe("");
  });

  it("a warning (an input the query never reads) does not fail synth; cdktf reports it as an annotation", () => {
    const made = wired("SELECT deviceId, System.Timestamp() AS windowEnd, COUNT(*) AS readings\nINTO aggregates\nFROM telemetry\nGROUP BY deviceId, TumblingWindow(minute, 1)\n");
    made.job.addInput("spare", made.services.namespace.hubs.alerts!);
    expect(synthErrors(made.services)).toBe("");
    const warnings = made.job.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/^queries\/job\/query\.asaql: input 'spare' is not used by the query/)]);
  });

  it("a syntax error fails with its location", () => {
    const { services } = wired("SELECT deviceId\nINTO aggregates\nFROM telemetry\nWHERE AND\n");
    expect(synthErrors(services)).toMatch(/queries\/job\/query\.asaql:4:\d+: /);
  });

  it("a job without inputs or outputs fails", () => {
    const { services } = job("SELECT * INTO o FROM i\n");
    const errors = synthErrors(services);
    expect(errors).toMatch(/job 'asa-check' has no input/);
    expect(errors).toMatch(/job 'asa-check' has no output/);
  });

  it("a SQL output the job cannot reach (no Allow Azure services rule) fails", () => {
    const { services } = wired("SELECT deviceId INTO aggregates FROM telemetry\n", { allowAzureServices: false });
    expect(synthErrors(services)).toMatch(/output 'aggregates': the SQL server has no "Allow Azure services" firewall rule/);
  });

  function iotHub(scope: Construct, localAuthenticationEnabled: boolean) {
    return new IotHub(scope, "iot", { ...PLACEMENT, name: "iot-check-01", localAuthenticationEnabled, sharedAccessPolicies: [{ name: "asa-reader", serviceConnect: true }] });
  }

  it("an IoT Hub input with local authentication off fails (ASA reads IoT Hub with SAS only)", () => {
    const off = job("SELECT deviceId INTO aggregates FROM devices\n");
    off.job.addInput("devices", iotHub(off.services.stack, false));
    off.job.addOutput("aggregates", off.services.sql, { table: "dbo.Aggregates" });
    expect(synthErrors(off.services)).toMatch(/input 'devices': IoT Hub .* has local authentication off/);
    const on = job("SELECT deviceId INTO aggregates FROM devices\n");
    on.job.addInput("devices", iotHub(on.services.stack, true));
    on.job.addOutput("aggregates", on.services.sql, { table: "dbo.Aggregates" });
    expect(synthErrors(on.services)).toBe("");
  });

  /** A Synapse workspace with a pool; SQL authentication on unless `entraOnly`. */
  function synapse(scope: Construct, services: Services, entraOnly = false) {
    const adminPassword = new TerraformVariable(scope, "admin_pw", { type: "string", sensitive: true });
    return new Synapse(scope, "synapse", {
      ...PLACEMENT,
      name: "syn-check-01",
      filesystem: { storageAccount: services.storage, name: "archive" },
      entraAdmin: { loginUsername: "sql-admins", objectId: "5f0c8a2e-1b7d-4c3e-9a6f-0d2e4b8c1a7f" },
      sqlAdministrator: entraOnly ? undefined : { login: "sqladminuser", password: adminPassword },
      allowAzureServices: true,
      sqlPool: { name: "analytics", tables: [{ name: "dbo.Facts", columns: [{ name: "deviceId", sqlType: "nvarchar(64)", nullable: true }, { name: "windowEnd", sqlType: "datetime2", nullable: true }, { name: "readings", sqlType: "bigint", nullable: true }] }] },
    });
  }

  it("a Synapse output without a sensitive password variable fails", () => {
    const query = "SELECT deviceId, System.Timestamp() AS windowEnd, COUNT(*) AS readings INTO facts FROM telemetry GROUP BY deviceId, TumblingWindow(minute, 1)\n";
    const table = { name: "dbo.Facts", columns: [{ name: "deviceId", sqlType: "nvarchar(64)" }, { name: "windowEnd", sqlType: "datetime2" }, { name: "readings", sqlType: "bigint" }] };
    const cases: [string, (s: Construct) => TerraformVariable | undefined, RegExp | ""][] = [
      ["no variable", () => undefined, /output 'facts' \(Synapse\) needs a password/],
      ["a plain variable", (s) => new TerraformVariable(s, "pw", { type: "string" }), /must be declared with sensitive: true/],
      ["a sensitive variable", (s) => new TerraformVariable(s, "pw", { type: "string", sensitive: true }), ""],
    ];
    for (const [, password, expected] of cases) {
      const made = job(query);
      made.job.addInput("telemetry", made.services.namespace.hubs.telemetry!);
      made.job.addOutput("facts", synapse(made.services.stack, made.services), { table, user: "asa_writer", password: password(made.services.stack) });
      const errors = synthErrors(made.services);
      if (expected === "") expect(errors).toBe("");
      else expect(errors).toMatch(expected);
    }
    const entraOnly = job(query);
    entraOnly.job.addInput("telemetry", entraOnly.services.namespace.hubs.telemetry!);
    entraOnly.job.addOutput("facts", synapse(entraOnly.services.stack, entraOnly.services, true), {
      table,
      user: "asa_writer",
      password: new TerraformVariable(entraOnly.services.stack, "pw", { type: "string", sensitive: true }),
    });
    expect(synthErrors(entraOnly.services)).toMatch(/workspace allows Entra ID authentication only/);
  });

  it("a Synapse password given as a literal fails", () => {
    const made = job("SELECT deviceId INTO facts FROM telemetry\n");
    made.job.addInput("telemetry", made.services.namespace.hubs.telemetry!);
    made.job.addOutput("facts", synapse(made.services.stack, made.services), {
      table: { name: "dbo.Facts", columns: [{ name: "deviceId", sqlType: "nvarchar(64)" }] },
      user: "asa_writer",
      password: "hunter2" as unknown as TerraformVariable,
    });
    expect(synthErrors(made.services)).toMatch(/must be a sensitive TerraformVariable, not a literal/);
  });
});
