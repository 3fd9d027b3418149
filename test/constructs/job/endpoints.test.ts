// Every kind of input and output the job takes: the azurerm resource it makes, how it
// authenticates, and the job model entry the simulator reads.
import { TerraformVariable, Testing } from "cdktf";
import { IotHub } from "../../../constructs/iothub/iot-hub";
import { CosmosContainer, ServiceBusQueue } from "../../../constructs/pipeline";
import { StreamAnalyticsJob } from "../../../constructs/job";
import { PowerBiOutput } from "../../../constructs/powerbi/power-bi-output";
import { PLACEMENT, Scratch, resourcesOfType, servicesStack } from "./fixtures";

describe("job inputs and outputs of every kind", () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  function setup(functions: Record<string, string> = {}) {
    const services = servicesStack(scratch.app());
    const job = new StreamAnalyticsJob(services.stack, "job", {
      ...PLACEMENT,
      name: "asa-kinds",
      projectDir: scratch.project("SELECT 1 AS x INTO out FROM in\n", functions),
      queryFile: "queries/job/query.asaql",
      alerts: false,
    });
    return { services, job, synth: () => Testing.synth(services.stack) };
  }

  it("IoT Hub: the shared access policy by reference (no key in the JSON), built-in endpoint", () => {
    const { services, job, synth } = setup();
    const holder = new IotHub(services.stack, "iot", { ...PLACEMENT, name: "iot-kinds-01", localAuthenticationEnabled: true, sharedAccessPolicies: [{ name: "asa", serviceConnect: true }] });
    expect(job.addInput("devices", holder, { consumerGroup: "asa" })).toMatchObject({ kind: "iothub", type: "stream", consumerGroup: "asa" });
    const input = Object.values(resourcesOfType(synth(), "azurerm_stream_analytics_stream_input_iothub"))[0]!;
    expect(input).toMatchObject({ endpoint: "messages/events", eventhub_consumer_group_name: "asa", shared_access_policy_name: expect.stringMatching(/^\$\{azurerm_iothub_shared_access_policy\./) });
    expect(input.shared_access_policy_key).toMatch(/^\$\{azurerm_iothub_shared_access_policy\.[^}]+\.primary_key\}$/);
    expect(job.grants).toEqual([]);
    // A consumer group the hub declares for the job is used without being named again.
    const withGroup = new IotHub(services.stack, "iot2", {
      ...PLACEMENT,
      name: "iot-kinds-02",
      localAuthenticationEnabled: true,
      sharedAccessPolicies: [{ name: "asa", serviceConnect: true }],
      builtInEndpoint: { consumerGroups: ["asa-kinds"] },
    });
    expect(job.addInput("devices2", withGroup)).toMatchObject({ consumerGroup: "asa-kinds" });
  });

  it("Blob/ADLS: stream input with MSI, reference data read-only, CSV serialization", () => {
    const { services, job, synth } = setup();
    expect(job.addInput("landing", services.storage, { container: "archive", serialization: { type: "csv", fieldDelimiter: ";" } })).toMatchObject({
      kind: "adls",
      type: "stream",
      pathPattern: "{date}/{time}",
      serialization: { type: "csv", fieldDelimiter: ";" },
    });
    expect(job.addInput("devices", services.storage, { container: "reference", reference: true, pathPattern: "devices/devices.json" })).toMatchObject({ kind: "adls", type: "reference" });
    const out = synth();
    expect(Object.values(resourcesOfType(out, "azurerm_stream_analytics_stream_input_blob"))[0]).toMatchObject({ authentication_mode: "Msi", serialization: { type: "Csv", field_delimiter: ";" } });
    expect(Object.values(resourcesOfType(out, "azurerm_stream_analytics_reference_input_blob"))[0]).toMatchObject({ authentication_mode: "Msi", path_pattern: "devices/devices.json" });
    expect(job.grants.map((g) => g.role)).toEqual(["Storage Blob Data Reader", "Storage Blob Data Reader"]);
  });

  it("Blob/ADLS: a container passed on its own, scoped by its account id", () => {
    const { services, job, synth } = setup();
    expect(job.addOutput("archive", services.storage.container("archive"), { format: "parquet" })).toMatchObject({ kind: "blob", serialization: { type: "parquet" } });
    const output = Object.values(resourcesOfType(synth(), "azurerm_stream_analytics_output_blob"))[0]!;
    expect(output.storage_account_name).toMatch(/^\$\{element\(split\("\/", azurerm_storage_account\.[^.]+\.id\), 8\)\}$/);
    expect(job.grants[0]!.scope).toMatch(/\/blobServices\/default\/containers\/archive$/);
    expect(() => job.addInput("raw", services.storage.container("reference"))).toThrow(/needs the storage construct \(or account\), not a container alone/);
  });

  it("SQL reference data: SQL authentication with a sensitive variable", () => {
    const { services, job, synth } = setup();
    const password = new TerraformVariable(services.stack, "sql_reader_password", { type: "string", sensitive: true });
    expect(job.addInput("devices", services.sql, { reference: true, fullSnapshotQuery: "SELECT deviceId, site FROM dbo.Devices", refreshInterval: "00:10:00", username: "asa_reader", password })).toMatchObject({
      kind: "sql",
      type: "reference",
    });
    expect(Object.values(resourcesOfType(synth(), "azurerm_stream_analytics_reference_input_mssql"))[0]).toMatchObject({
      password: "${var.sql_reader_password}",
      refresh_type: "RefreshPeriodicallyWithFull",
      refresh_interval_duration: "00:10:00",
    });
    expect(() => job.addInput("stream", services.sql)).toThrow(/SQL Database is reference data only/);
    expect(() => job.addInput("hubref", services.namespace.hubs.telemetry!, { reference: true })).toThrow(/reference data comes from Blob\/ADLS or SQL/);
  });

  it("Service Bus queue output with MSI and the sender role on the queue", () => {
    const { services, job, synth } = setup();
    const holder = new ServiceBusQueue(services.stack, "bus", { ...PLACEMENT, namespaceName: "sb-kinds-01", queueName: "alerts" });
    expect(job.addOutput("alerts", holder)).toMatchObject({ kind: "servicebus-queue", serialization: { type: "json" } });
    expect(Object.values(resourcesOfType(synth(), "azurerm_stream_analytics_output_servicebus_queue"))[0]).toMatchObject({ authentication_mode: "Msi", queue_name: expect.stringMatching(/^\$\{azurerm_servicebus_queue\.bus_queue_[0-9A-F]+\.name\}$/), servicebus_namespace: expect.stringMatching(/^\$\{azurerm_servicebus_namespace\./) });
    expect(job.grants.map((g) => [g.role, g.scopeKind])).toEqual([["Azure Service Bus Data Sender", "servicebus-queue"]]);
  });

  it("Cosmos DB output with MSI and Cosmos DB's data-plane role on the container", () => {
    const { services, job, synth } = setup();
    const state = new CosmosContainer(services.stack, "state", { ...PLACEMENT, accountName: "cosmos-kinds-01", databaseName: "telemetry", containerName: "latest", partitionKeyPath: "/deviceId" });
    expect(job.addOutput("latest", state, { documentId: "deviceId", partitionKey: "deviceId" })).toEqual({ alias: "latest", kind: "cosmosdb", partitionKey: "deviceId" });
    const out = synth();
    expect(Object.values(resourcesOfType(out, "azurerm_stream_analytics_output_cosmosdb"))[0]).toMatchObject({
      authentication_mode: "Msi",
      document_id: "deviceId",
      cosmosdb_account_key: expect.stringMatching(/^\$\{azurerm_cosmosdb_account\.[^}]+\.primary_key\}$/),
      stream_analytics_job_id: expect.stringMatching(/^\$\{azurerm_stream_analytics_job\./),
    });
    const grant = Object.values(resourcesOfType(out, "azurerm_cosmosdb_sql_role_assignment"))[0]!;
    expect(grant.role_definition_id).toMatch(/^\$\{azurerm_cosmosdb_account\.[^}]+\.id\}\/sqlRoleDefinitions\/00000000-0000-0000-0000-000000000002$/);
    expect(grant.scope).toMatch(/^\/dbs\/\$\{azurerm_cosmosdb_sql_database\.[^}]+\.name\}\/colls\/\$\{azurerm_cosmosdb_sql_container\.[^}]+\.name\}$/);
    expect(grant.principal_id).toMatch(/azurerm_stream_analytics_job\.[^}]+\.identity\[0\]\.principal_id/);
    expect(job.grants.map((g) => [g.role, g.scopeKind])).toEqual([["Cosmos DB Built-in Data Contributor", "cosmos-container"]]);
    expect(resourcesOfType(out, "azurerm_role_assignment")).toEqual({});
  });

  it("Power BI output from the Power BI construct, by the job's id", () => {
    const { services, job, synth } = setup();
    const dashboard = new PowerBiOutput(services.stack, "dashboard", {
      workspaceId: "6a1f4d0e-3c1b-4a5e-9d8f-2b7c6e5d4a3b",
      workspaceName: "ops",
      dataset: "telemetry",
      table: "minutes",
      columns: [{ name: "deviceId", sqlType: "nvarchar(64)", nullable: true }],
    });
    expect(job.addOutput("dashboard", dashboard)).toEqual({ alias: "dashboard", kind: "powerbi", table: { name: "minutes", columns: [{ name: "deviceId", sqlType: "nvarchar(64)", nullable: true }] } });
    expect(Object.values(resourcesOfType(synth(), "azurerm_stream_analytics_output_powerbi"))[0]).toMatchObject({
      group_id: "6a1f4d0e-3c1b-4a5e-9d8f-2b7c6e5d4a3b",
      group_name: "ops",
      dataset: "telemetry",
      table: "minutes",
      stream_analytics_job_id: expect.stringMatching(/^\$\{azurerm_stream_analytics_job\.[^}]+\.id\}$/),
    });
  });

  it("Event Hubs output with a partition key; compression it cannot deploy is refused", () => {
    const { services, job, synth } = setup();
    job.addOutput("forward", services.namespace.hubs.alerts!, { format: "json", partitionKey: "deviceId" });
    expect(Object.values(resourcesOfType(synth(), "azurerm_stream_analytics_output_eventhub"))[0]).toMatchObject({
      authentication_mode: "Msi",
      partition_key: "deviceId",
      serialization: { type: "Json", format: "LineSeparated", encoding: "UTF8" },
    });
    expect(() => job.addOutput("zipped", services.namespace.hubs.alerts!, { serialization: { type: "json", compression: "gzip" } })).toThrow(/compression cannot be deployed/);
    expect(() => job.addOutput("lakehouse", services.storage, { container: "archive", format: "delta" })).toThrow(/Delta Lake output cannot be deployed/);
    expect(() => job.addInput("deltain", services.storage, { container: "archive", serialization: { type: "delta" } })).toThrow(/Delta Lake is an output format/);
  });

  it("JavaScript UDFs and UDAs from Functions/, with clear errors for a missing or malformed script", () => {
    const { job, synth } = setup({
      scale: "function main(x) { return x * 10; }\n",
      total: "function main() { this.init = function () { return 0; }; this.accumulate = function (s, v) { return s + v; }; this.computeResult = function (s) { return s; }; }\n",
      broken: "const main = (x) => x;\n",
    });
    expect(job.addFunction("scale", { inputs: ["bigint"], output: "bigint" })).toEqual({ name: "scale", kind: "javascript-udf", file: expect.stringMatching(/Functions\/scale\.js$/), inputs: [{ type: "bigint" }], output: { type: "bigint" } });
    job.addFunction("total", { kind: "uda", inputs: ["float"], output: "float" });
    const out = synth();
    expect(Object.values(resourcesOfType(out, "azurerm_stream_analytics_function_javascript_udf"))[0]).toMatchObject({ name: "scale", input: [{ type: "bigint" }], output: { type: "bigint" } });
    expect(Object.values(resourcesOfType(out, "azurerm_stream_analytics_function_javascript_uda"))[0]).toMatchObject({ name: "total", stream_analytics_job_id: expect.stringMatching(/azurerm_stream_analytics_job/) });
    expect(job.spec.functions.map((f) => [f.name, f.kind, f.file])).toEqual([
      ["scale", "javascript-udf", "queries/job/Functions/scale.js"],
      ["total", "javascript-uda", "queries/job/Functions/total.js"],
    ]);
    expect(() => job.addFunction("missing", { inputs: [], output: "any" })).toThrow(/script not found: queries\/job\/Functions\/missing\.js/);
    expect(() => job.addFunction("broken", { inputs: ["any"], output: "any" })).toThrow(/defines no 'function main/);
    expect(() => job.addFunction("SCALE", { inputs: ["bigint"], output: "bigint" })).toThrow(/declared twice/);
    expect(() => job.addFunction("typo", { inputs: ["int" as never], output: "any" })).toThrow(/'int' is not a JavaScript function type/);
  });

  it("takes a function's kind and types from its ASA config, Functions/<name>.json", () => {
    const { job, synth } = setup({
      median: "function main() { this.init = function () { return []; }; }\n",
      "median.json": JSON.stringify({ Binding: { Type: "JavaScript" }, Type: "Aggregate", Inputs: [{ DataType: "float" }], Output: { DataType: "float" } }),
      untyped: "function main(x) { return x; }\n",
    });
    expect(job.addFunction("median")).toMatchObject({ name: "median", kind: "javascript-uda", inputs: [{ type: "float" }], output: { type: "float" } });
    expect(Object.values(resourcesOfType(synth(), "azurerm_stream_analytics_function_javascript_uda"))[0]).toMatchObject({ name: "median", input: [{ type: "float" }] });
    expect(() => job.addFunction("untyped")).toThrow(/give its inputs and output, or describe them in queries\/job\/Functions\/untyped\.json/);
  });

  it("job settings: V1 units, drop policies, job storage with its own identity grant", () => {
    const services = servicesStack(scratch.app());
    const job = new StreamAnalyticsJob(services.stack, "job", {
      ...PLACEMENT,
      name: "asa-settings",
      projectDir: scratch.project("SELECT 1 AS x INTO out FROM in\n"),
      queryFile: "queries/job/query.asaql",
      sku: "Standard",
      streamingUnits: 12,
      compatibilityLevel: "1.1",
      eventOrdering: { policy: "drop" },
      outputErrorPolicy: "drop",
      dataLocale: "de-DE",
      jobStorage: services.storage,
      alerts: { thresholds: { suUtilization: { threshold: 70, severity: 1 } }, emailReceivers: ["ops@example.com"] },
    });
    const out = Testing.synth(services.stack);
    expect(Object.values(resourcesOfType(out, "azurerm_stream_analytics_job"))[0]).toMatchObject({
      sku_name: "Standard",
      streaming_units: 12,
      compatibility_level: "1.1",
      events_out_of_order_policy: "Drop",
      output_error_policy: "Drop",
      data_locale: "de-DE",
      content_storage_policy: "JobStorageAccount",
      lifecycle: { ignore_changes: ["job_storage_account"] },
    });
    expect(Object.values(resourcesOfType(out, "azurerm_stream_analytics_job_storage_account"))[0]).toMatchObject({ authentication_mode: "Msi" });
    expect(job.grants.map((g) => [g.direction, g.role, g.scopeKind])).toEqual([["job-storage", "Storage Blob Data Contributor", "storage-account"]]);
    const su = Object.values(resourcesOfType(out, "azurerm_monitor_metric_alert")).find((a) => (a.criteria as { metric_name: string }[])[0]!.metric_name === "ResourceUtilization")!;
    expect(su).toMatchObject({ severity: 1, criteria: [{ threshold: 70, operator: "GreaterThan" }] });
    expect(Object.values(resourcesOfType(out, "azurerm_monitor_action_group"))[0]).toMatchObject({ email_receiver: [{ email_address: "ops@example.com" }] });
    expect(job.spec).toMatchObject({ compatibilityLevel: "1.1", streamingUnits: 12, eventOrdering: { policy: "drop" }, outputErrorPolicy: "drop", dataLocale: "de-DE" });
    expect(
      () => new StreamAnalyticsJob(services.stack, "bad", { ...PLACEMENT, name: "asa-bad", projectDir: scratch.project("SELECT 1 INTO o FROM i\n"), queryFile: "queries/job/query.asaql", eventOrdering: { outOfOrderMaxDelaySeconds: 600 } }),
    ).toThrow(/eventOrdering\.outOfOrderMaxDelaySeconds/);
  });
});
