// `streamkit job compile` and `streamkit job test-remote` against the local fake ARM.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../cli/cli-process";
import { startFakeArm, SUBSCRIPTION, type FakeArm } from "./fake-arm/fake-arm";

const QUERY = [
  "SELECT deviceId, AVG(temperature) AS avgTemp",
  "INTO [archive]",
  "FROM [telemetry] TIMESTAMP BY eventTime",
  "GROUP BY deviceId, TumblingWindow(minute, 5)",
].join("\n");

let arm: FakeArm;
let dir: string;

beforeAll(async () => {
  arm = await startFakeArm();
  dir = mkdtempSync(join(tmpdir(), "streamkit-remote-"));
  writeFileSync(join(dir, "query.asaql"), QUERY);
  writeFileSync(join(dir, "toF.js"), "function main(c) { return c * 9 / 5 + 32; }");
  writeFileSync(join(dir, "telemetry.json"), ['{"deviceId":"d1","temperature":20,"eventTime":"2026-01-01T00:00:01Z"}', '{"deviceId":"d1","temperature":22,"eventTime":"2026-01-01T00:01:00Z"}'].join("\n"));
  writeFileSync(join(dir, "devices.json"), JSON.stringify([{ deviceId: "d1", site: "north" }]));
  writeFileSync(
    join(dir, "job.json"),
    JSON.stringify({
      name: "asa-telemetry",
      query: { file: "query.asaql" },
      compatibilityLevel: "1.2",
      eventOrdering: { lateArrivalMaxDelaySeconds: 10, outOfOrderMaxDelaySeconds: 3, policy: "drop" },
      inputs: [
        { alias: "telemetry", kind: "eventhub", local: { path: "telemetry.json" } },
        { alias: "devices", type: "reference", kind: "blob", local: { path: "devices.json" } },
      ],
      outputs: [{ alias: "archive", kind: "blob" }],
      functions: [{ name: "toF", kind: "javascript-udf", file: "toF.js", inputs: [{ type: "float" }], output: { type: "float" } }],
    }),
  );
});
afterAll(async () => {
  await arm.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => arm.reset());

const REMOTE = ["--subscription", SUBSCRIPTION, "--location", "westeurope"];
const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: dir, env: arm.env(env) });

describe("job compile", () => {
  it("sends the query with the job's inputs and functions, and prints Azure's errors like check", async () => {
    await arm.setCompileResult({
      errors: [
        { message: "Column 'temprature' is not found in input 'telemetry'.", startLine: 1, startColumn: 23, endLine: 1, endColumn: 33, isGlobal: false },
        { message: "Query failed to compile.", isGlobal: true },
      ],
      warnings: ["Input 'devices' is not used by the query."],
      inputs: ["telemetry"],
      outputs: ["archive"],
      functions: [],
    });
    const result = run(["job", "compile", "query.asaql", "--job", "job.json", ...REMOTE]);
    expect(result.code).toBe(1);
    // Exactly the layout of `streamkit check` (lib/cli/render-diagnostics).
    expect(result.stdout).toContain(
      [
        "query.asaql:1:23: error: Column 'temprature' is not found in input 'telemetry'.",
        "1 | SELECT deviceId, AVG(temperature) AS avgTemp",
        "  |                       ^~~~~~~~~~",
      ].join("\n"),
    );
    expect(result.stdout).toContain("query.asaql: error: Query failed to compile.");
    expect(result.stdout).toContain("query.asaql: warning: Input 'devices' is not used by the query.");
    expect(result.stdout).toContain("2 errors, 1 warning\n");
    expect(result.stdout).toContain("query.asaql: does not compile in Azure (westeurope); inputs: telemetry; outputs: archive; functions: none");
    const [request] = await arm.requests();
    expect(request).toMatchObject({
      method: "POST",
      path: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.StreamAnalytics/locations/westeurope/compileQuery`,
      apiVersion: "2021-10-01-preview",
      authorization: "Bearer good-token",
    });
    expect(request!.body).toEqual({
      query: QUERY,
      inputs: [
        { name: "telemetry", type: "Stream" },
        { name: "devices", type: "Reference" },
      ],
      functions: [{ name: "toF", type: "Scalar", bindingType: "Microsoft.StreamAnalytics/JavascriptUdf", inputs: [{ dataType: "float" }], output: { dataType: "float" } }],
      jobType: "Cloud",
      compatibilityLevel: "1.2",
    });
  });

  it("exits 0 on a clean compile, and prints the compile result with --format json", async () => {
    await arm.setCompileResult({ errors: [], warnings: [], inputs: ["telemetry"], outputs: ["archive"], functions: [] });
    const text = run(["job", "compile", "--job", "job.json", ...REMOTE]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe("query.asaql: ok in Azure (westeurope); inputs: telemetry; outputs: archive; functions: none\n");
    const json = run(["job", "compile", "query.asaql", "--job", "job.json", ...REMOTE, "--format", "json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ file: "query.asaql", diagnostics: [], inputs: ["telemetry"], outputs: ["archive"], functions: [] });
  });

  it("without --job, declares the inputs the query reads, as the local checker finds them", async () => {
    const result = run(["job", "compile", "query.asaql", ...REMOTE]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("no --job or --project given: declared the inputs the query reads (telemetry)");
    const [request] = await arm.requests();
    expect(request!.body).toMatchObject({ inputs: [{ name: "telemetry", type: "Stream" }], functions: [] });
  });

  it("compiles an ASA VS Code project's query against its inputs and functions (--project)", async () => {
    const project = join(__dirname, "../../queries/sensor-enrichment");
    const result = run(["job", "compile", "--project", project, ...REMOTE]);
    expect(result.code).toBe(0);
    const body = (await arm.requests())[0]!.body as { query: string; inputs: unknown[]; functions: { name: string; bindingType: string }[] };
    expect(body.query).toContain("udf.toFahrenheit(i.temperature)");
    expect(body.inputs).toEqual(expect.arrayContaining([{ name: "Input", type: "Stream" }, { name: "DeviceInfo", type: "Reference" }]));
    expect(body.functions).toEqual([expect.objectContaining({ name: "toFahrenheit", bindingType: "Microsoft.StreamAnalytics/JavascriptUdf" })]);
  });

  it("needs a location and a subscription", () => {
    expect(run(["job", "compile", "query.asaql", "--subscription", SUBSCRIPTION])).toMatchObject({ code: 2, stderr: expect.stringContaining("give --location") });
    expect(run(["job", "compile", "query.asaql", "--location", "westeurope"])).toMatchObject({ code: 2, stderr: expect.stringContaining("give --subscription") });
  });

  it("retries a throttled compile and reports a rejected one in one line", async () => {
    await arm.addFaults({ pathIncludes: "/compileQuery", status: 429, times: 1, headers: { "retry-after-ms": "20" } });
    const retried = run(["job", "compile", "query.asaql", "--job", "job.json", ...REMOTE]);
    expect(retried.code).toBe(0);
    expect(retried.stderr).toContain("HTTP 429; retrying in 0.0 s (1/3)");
    await arm.addFaults({ pathIncludes: "/compileQuery", status: 400, times: 1, body: { error: { code: "BadRequest", message: "The 'query' property is required." } } });
    const rejected = run(["job", "compile", "query.asaql", ...REMOTE]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain("streamkit: error: Azure rejected compiling the query in westeurope (HTTP 400, BadRequest: The 'query' property is required.)");
  });
});

describe("job test-remote", () => {
  it("sends the job with Raw inputs carrying the sample events, waits, and prints the output payload", async () => {
    const payload = '{"deviceId":"d1","avgTemp":21.0}\n';
    await arm.setTestQuery({ polls: 3, result: { status: "Success" }, outputPayload: payload });
    const result = run(["job", "test-remote", "--job", "job.json", ...REMOTE]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(payload);
    const requests = await arm.requests();
    const post = requests.find((r) => r.path.endsWith("/testQuery"))!;
    expect(post.apiVersion).toBe("2021-10-01-preview");
    const job = (post.body as { streamingJob: { location: string; properties: Record<string, any> } }).streamingJob;
    expect(job.location).toBe("westeurope");
    expect(job.properties).toMatchObject({
      eventsOutOfOrderPolicy: "Drop",
      eventsOutOfOrderMaxDelayInSeconds: 3,
      eventsLateArrivalMaxDelayInSeconds: 10,
      outputErrorPolicy: "Stop",
      compatibilityLevel: "1.2",
      transformation: { properties: { query: QUERY } },
    });
    const [telemetry, devices] = job.properties.inputs;
    expect(telemetry.properties.type).toBe("Stream");
    expect(JSON.parse(telemetry.properties.datasource.properties.payload)).toEqual([
      { deviceId: "d1", temperature: 20, eventTime: "2026-01-01T00:00:01Z" },
      { deviceId: "d1", temperature: 22, eventTime: "2026-01-01T00:01:00Z" },
    ]);
    expect(devices.properties).toMatchObject({ type: "Reference", datasource: { type: "Raw" } });
    expect(job.properties.outputs).toEqual([
      { name: "archive", properties: { serialization: { type: "Json", properties: { encoding: "UTF8", format: "LineSeparated" } }, datasource: { type: "Raw", properties: {} } } },
    ]);
    expect(job.properties.functions[0].properties.properties.binding).toEqual({
      type: "Microsoft.StreamAnalytics/JavascriptUdf",
      properties: { script: "function main(c) { return c * 9 / 5 + 32; }" },
    });
    // The result comes from Location; the SAS download carries no bearer token.
    expect(requests.filter((r) => r.path.includes("/operationresults/"))).toHaveLength(3);
    const download = requests.find((r) => r.path.startsWith("/_blobs/"))!;
    expect(download.authorization).toBeUndefined();
  });

  it("writes the output to --out, and takes other samples with --input", async () => {
    writeFileSync(join(dir, "other.json"), JSON.stringify([{ deviceId: "d9", temperature: 30, eventTime: "2026-01-01T00:00:00Z" }]));
    await arm.setTestQuery({ polls: 1, result: { status: "Success" }, outputPayload: "[]" });
    const result = run(["job", "test-remote", "--job", "job.json", ...REMOTE, "--input", "telemetry=other.json", "--out", "out/result.json"]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, "out/result.json"), "utf8")).toBe("[]");
    const post = (await arm.requests()).find((r) => r.path.endsWith("/testQuery"))!;
    const payload = (post.body as any).streamingJob.properties.inputs[0].properties.datasource.properties.payload;
    expect(JSON.parse(payload)).toEqual([{ deviceId: "d9", temperature: 30, eventTime: "2026-01-01T00:00:00Z" }]);
  });

  it("tests an ASA project with its local inputs (--project)", async () => {
    await arm.setTestQuery({ polls: 1, result: { status: "Success" }, outputPayload: "{}" });
    const project = join(__dirname, "../../queries/toll-multi-output");
    const result = run(["job", "test-remote", "--project", project, ...REMOTE]);
    expect(result.code).toBe(0);
    const post = (await arm.requests()).find((r) => r.path.endsWith("/testQuery"))!;
    const props = (post.body as any).streamingJob.properties;
    expect(props.inputs.map((i: { name: string }) => i.name)).toEqual(["Input"]);
    const cars = JSON.parse(readFileSync(join(project, "data/cars.json"), "utf8"));
    expect(cars.length).toBeGreaterThan(0);
    expect(JSON.parse(props.inputs[0].properties.datasource.properties.payload)).toEqual(cars);
    expect(props.outputs.map((o: { name: string }) => o.name).sort()).toEqual(["AlertOutput", "ArchiveOutput"]);
  });

  it("prints a compiler error like check and exits 1", async () => {
    await arm.setTestQuery({ polls: 1, result: { status: "CompilerError", error: { code: "CompilerError", message: "Invalid column name: 'temprature'." } } });
    const result = run(["job", "test-remote", "--job", "job.json", ...REMOTE]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("query.asaql: error: CompilerError: Invalid column name: 'temprature'.");
  });

  it("reports a runtime error of the test in one line", async () => {
    await arm.setTestQuery({ polls: 2, result: { status: "RuntimeError", error: { code: "RuntimeError", message: "Division by zero." } } });
    const result = run(["job", "test-remote", "--job", "job.json", ...REMOTE]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("streamkit: error: the query test in Azure ended RuntimeError (RuntimeError: Division by zero.)\n");
  });

  it("names the file and line of a malformed sample event, and refuses non-JSON samples", async () => {
    writeFileSync(join(dir, "broken.json"), '{"deviceId":"d1"}\n{"deviceId": }\n');
    const broken = run(["job", "test-remote", "--job", "job.json", ...REMOTE, "--input", "telemetry=broken.json"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json:2: invalid JSON/);
    writeFileSync(join(dir, "csv-job.json"), JSON.stringify({ name: "csvjob", query: { text: QUERY }, inputs: [{ alias: "telemetry", kind: "eventhub", serialization: { type: "csv" }, local: { path: "telemetry.json" } }] }));
    const csv = run(["job", "test-remote", "--job", "csv-job.json", ...REMOTE]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain("input 'telemetry' is CSV: test-remote sends JSON samples only");
    expect(await arm.requests()).toEqual([]);
  });
});
