// The compatibility corpus: small ASA projects written here, each in the layout of a public
// project (its README names which). Each is run through `streamkit check`, `run` and `test` as a
// user would, in-process (the process itself is covered by test/cli).
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../lib/cli/main";
import { loadAsaProject } from "../../lib/asa-project";

const CORPUS = __dirname;
const out = mkdtempSync(join(tmpdir(), "streamkit-compat-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Cli {
  code: number;
  stdout: string;
  stderr: string;
}

async function streamkit(...args: string[]): Promise<Cli> {
  let stdout = "";
  let stderr = "";
  const outSpy = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const errSpy = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await main(["node", "streamkit", ...args]);
    return { code, stdout, stderr };
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
  }
}

const project = (name: string) => join(CORPUS, name);
const rows = (dir: string, file: string) =>
  readFileSync(join(dir, file), "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Runs the three commands on a project that runs locally; every test case must pass. */
async function runsCleanly(name: string, runArgs: string[] = []): Promise<{ check: Cli; run: Cli; test: Cli; outDir: string }> {
  const outDir = join(out, name);
  const check = await streamkit("check", "--project", project(name));
  expect(check.stdout).toMatch(/: ok \(/);
  expect(check.code).toBe(0);
  const run = await streamkit("run", "--project", project(name), "--out", outDir, ...runArgs);
  expect(run.stderr.replace(/^note: .*\n/gm, "")).toBe("");
  expect(run.code).toBe(0);
  const test = await streamkit("test", "--project", project(name));
  expect(test.stdout).toMatch(/\d+ passed, 0 failed/);
  expect(test.code).toBe(0);
  return { check, run, test, outDir };
}

describe("the compatibility corpus", () => {
  it("holds at least 12 projects, each with a README naming what it imitates", () => {
    const names = readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(names.length).toBeGreaterThanOrEqual(12);
    for (const name of names) expect(readFileSync(join(CORPUS, name, "README.md"), "utf8")).toMatch(/Imitates [^]*?[\w-]+\/[\w.-]+/);
  });
});

describe("layouts that run as they are", () => {
  it("into-without-output: an INTO target without an output definition is a local output, noted once", async () => {
    const { check, run, outDir } = await runsCleanly("into-without-output");
    const note = "note: 'Output' has no output definition in the project: written as local JSON-lines output, as ASA's local run does\n";
    expect(check.stderr).toBe(note);
    expect(run.stderr).toBe(note);
    expect(rows(outDir, "Output.json")).toEqual([{ sensorId: "S1", Temperature: 30 }]);
  });

  it("no-into-js-json-function: a query without INTO writes the default output; <name>.js.json functions load", async () => {
    const { outDir } = await runsCleanly("no-into-js-json-function");
    expect(rows(outDir, "output.json")).toEqual([
      { id: "a1", part: "x" },
      { id: "a1", part: "y" },
      { id: "b2", part: "z" },
    ]);
    const spec = loadAsaProject(project("no-into-js-json-function")).job.spec;
    expect(spec.functions).toEqual([expect.objectContaining({ name: "splitRecord", kind: "javascript-udf", inputs: [{ type: "any" }], output: { type: "any" } })]);
    // The JSON-lines sample beside the configurations is data, not a configuration.
    expect(spec.inputs.map((i) => i.alias)).toEqual(["InputJson1"]);
  });

  it("two-local-outputs: two undefined INTO targets, one note naming both; the JSON-array sample in Inputs/ is data", async () => {
    const { run, outDir } = await runsCleanly("two-local-outputs");
    expect(run.stderr).toBe("note: 'output', 'alertHub' have no output definition in the project: written as local JSON-lines output, as ASA's local run does\n");
    expect(rows(outDir, "output.json")).toHaveLength(4);
    expect(rows(outDir, "alertHub.json")).toEqual([
      { deviceId: "sensor-001", temp: 82 },
      { deviceId: "sensor-001", temp: 83.5 },
    ]);
  });

  it("inputs-only-in-testconfig: the test cases define the inputs; run takes the events with --input", async () => {
    const check = await streamkit("check", "--project", project("inputs-only-in-testconfig"));
    expect(check.code).toBe(0);
    const bare = await streamkit("run", "--project", project("inputs-only-in-testconfig"), "--out", join(out, "bare"));
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("the query reads input 'iothub', but no events were given for it: name a file with --input iothub=<file>");
    await runsCleanly("inputs-only-in-testconfig", ["--input", `iothub=${project("inputs-only-in-testconfig/test/hot.json")}`]);
    expect(rows(join(out, "inputs-only-in-testconfig"), "bloboutput.json")).toEqual([{ messageId: 1, temperature: 28.5 }]);
    expect(loadAsaProject(project("inputs-only-in-testconfig")).job.spec.inputs).toEqual([
      expect.objectContaining({ alias: "iothub", type: "stream", serialization: expect.objectContaining({ type: "json" }) }),
    ]);
  });

  it("gzip-hub-sample-on-command-line: a plain sample of a hub declared GZip, given with --input, is read as plain text", async () => {
    const name = "gzip-hub-sample-on-command-line";
    const check = await streamkit("check", "--project", project(name));
    expect(check.stdout).toMatch(/Transformation\.asaql: ok \(1 input\(s\), 1 output\(s\)\)/);
    const run = await streamkit("run", "--project", project(name), "--input", `hubresorts=${project(`${name}/data/hub-sample.json`)}`, "--out", join(out, name));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(rows(join(out, name), "raw-resorts.json")).toEqual([
      { RID: "r1", TYP: "7", EventEnqueuedUtcTime: "2024-03-01T08:14:59.9990000Z", EventEnqueuedUtcMinute: "00" },
      { RID: "r2", TYP: "lift", EventEnqueuedUtcTime: "2024-03-01T08:15:00.0000000Z", EventEnqueuedUtcMinute: "15" },
      { RID: "r1", TYP: "gate", EventEnqueuedUtcTime: "2024-03-01T08:59:00.0000000Z", EventEnqueuedUtcMinute: "45" },
    ]);
  });

  it("windows-test-folder: `\\` separators in every path field and a Test/ folder", async () => {
    const { test, outDir } = await runsCleanly("windows-test-folder");
    expect(test.stdout).toContain("✓ WindowsMade › over-twenty");
    expect(rows(outDir, "Output.json")).toEqual([{ device: "d2", value: 25 }]);
  });

  it("sku-fraction: Sku.StreamingUnits \"1/3\" is a third of a unit", async () => {
    await runsCleanly("sku-fraction");
    expect(loadAsaProject(project("sku-fraction")).job.spec.streamingUnits).toBeCloseTo(1 / 3, 12);
    expect(rows(join(out, "sku-fraction"), "Counts.json")).toEqual([
      { device: "d1", events: 2, windowEnd: "2024-05-01T10:00:05.0000000Z" },
      { device: "d2", events: 1, windowEnd: "2024-05-01T10:00:10.0000000Z" },
    ]);
  });

  it("compressed-local-input: each local file's own bytes decide its compression, not the live input's", async () => {
    await runsCleanly("compressed-local-input");
    const { localInputs } = loadAsaProject(project("compressed-local-input"));
    expect(localInputs.map((l) => [l.alias, l.serialization.compression])).toEqual([
      ["iot-in", "gzip"],
      ["plain-in", "none"],
    ]);
    expect(rows(join(out, "compressed-local-input"), "hot-machines.json")).toEqual([
      { machine: "m1", temperature: 91 },
      { machine: "m3", temperature: 95 },
    ]);
  });

  it("visual-studio-project: an .asaproj (MSBuild XML) loads into the same job model", async () => {
    await runsCleanly("visual-studio-project");
    const loaded = loadAsaProject(project("visual-studio-project"));
    expect(loaded.asaprojFile).toBe(project("visual-studio-project/TaxiRides.asaproj"));
    expect(loaded.job.spec).toMatchObject({ name: "TaxiRides", streamingUnits: 6 });
    expect(loaded.job.spec.inputs).toEqual([expect.objectContaining({ alias: "TaxiRide", kind: "eventhub", local: { path: project("visual-studio-project/Data/rides.json") } })]);
    expect(loaded.job.spec.outputs.map((o) => o.alias)).toEqual(["Trips"]);
    expect(rows(join(out, "visual-studio-project"), "Trips.json")).toEqual([
      { vendorId: "VTS", miles: 10 },
      { vendorId: "CMT", miles: 2 },
    ]);
  });

  it("locale-csv-output: DataLocale it-IT writes CSV numbers with a decimal comma; level 1.0 lower-cases names", async () => {
    const { outDir } = await runsCleanly("locale-csv-output/Readings");
    const loaded = loadAsaProject(project("locale-csv-output/Readings"));
    expect(loaded.job.spec).toMatchObject({ dataLocale: "it-IT", compatibilityLevel: "1.0" });
    expect(loaded.job.queryFile).toBe(project("locale-csv-output/Readings/gap.asaql"));
    expect(readFileSync(join(outDir, "output.csv"), "utf8")).toBe('room,outdoor,gap,samples\n"lab, north","21,75","1,5",3\nhall,17,"3,25",12\nattic,"9,5",,1\n');
  });

  it("edge-hub-job: Edge Hub ('GatewayMessageBus') inputs and outputs of a job on IoT Edge; keys in any case", async () => {
    const { outDir } = await runsCleanly("edge-hub-job");
    const { spec } = loadAsaProject(project("edge-hub-job")).job;
    expect(spec.inputs).toEqual([expect.objectContaining({ alias: "machineinput", type: "stream", kind: "edgehub" })]);
    expect(spec.outputs.map((o) => [o.alias, o.kind])).toEqual([
      ["forwarded", "edgehub"],
      ["latestvalues", "sql"],
    ]);
    // "format": "Array" (any case, as Json.NET reads it): one JSON array.
    expect(JSON.parse(readFileSync(join(outDir, "forwarded.json"), "utf8"))).toHaveLength(6);
  });

  it("local-run-output-as-expected: a local run's output.json (objects joined by commas) is a test's expected file", async () => {
    const { outDir } = await runsCleanly("local-run-output-as-expected");
    expect(rows(outDir, "output.json")).toEqual([
      { regionName: "North", count: 2, timestamps: "2024-05-02T10:00:05.0000000Z", rate: 15 },
      { regionName: "South", count: 1, timestamps: "2024-05-02T10:00:05.0000000Z", rate: 7 },
      { regionName: "North", count: 2, timestamps: "2024-05-02T10:00:10.0000000Z", rate: 15 },
      { regionName: "South", count: 1, timestamps: "2024-05-02T10:00:10.0000000Z", rate: 7 },
    ]);
  });

  it("outputs-folder-azure-functions: an output in Outputs/ not listed in asaproj.json is still the project's", async () => {
    const { check } = await runsCleanly("outputs-folder-azure-functions");
    expect(check.stderr).toBe("");
    expect(loadAsaProject(project("outputs-folder-azure-functions")).job.spec.outputs).toEqual([
      expect.objectContaining({ alias: "temperature-out", kind: "blob" }),
      expect.objectContaining({ alias: "iot-func-errors", kind: "function" }),
    ]);
  });
});

describe("what cannot run locally is said in the feature's words, located, by every command", () => {
  it("csharp-udf: check reports the C# function at its call; run and test refuse with the same words", async () => {
    const words = "udf.predict is a C# user-defined function, which the local engine cannot run";
    const check = await streamkit("check", "--project", project("csharp-udf"));
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`onnx-scoring.asaql:2:5: error: ${words}`);
    const run = await streamkit("run", "--project", project("csharp-udf"), "--out", join(out, "csharp"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`onnx-scoring.asaql:2:5: ${words}`);
    expect(run.stderr).not.toMatch(/predict\.js|script file/);
    const test = await streamkit("test", "--project", project("csharp-udf"));
    expect(test.code).toBe(1);
    expect(test.stdout).toContain(words);
  });

  it("custom-deserializer: check names each CustomClr input at its file and field; run and test refuse", async () => {
    const local = `${project("custom-deserializer/Inputs/Local_adfPipelineRuns.json")} at Format`;
    const words = "input 'adfPipelineRuns' is read with a custom .NET deserializer (CustomClr Deserializer.PipelineRunDeserializer), which the local engine cannot run";
    const check = await streamkit("check", "--project", project("custom-deserializer"));
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`${local}: error: ${words}`);
    expect(check.stdout).toContain(`${project("custom-deserializer/Inputs/adfPipelineRuns.json")} at Serialization.Type: error: ${words}`);
    expect(check.stdout).not.toMatch(/unknown (serialization )?format/);
    const run = await streamkit("run", "--project", project("custom-deserializer"), "--out", join(out, "clr"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${local}: ${words}`);
    const test = await streamkit("test", "--project", project("custom-deserializer"));
    expect(test.code).toBe(1);
    expect(test.stdout).toContain(words);
  });

  it("anomaly-detection: check reports AnomalyDetection_SpikeAndDip at its call (found by starting the run), as run and test do", async () => {
    const words = "AnomalyDetection_SpikeAndDip is not supported by the local engine: its adaptive kernel density estimation model is not documented precisely enough";
    const check = await streamkit("check", "--project", project("anomaly-detection"));
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`Anomalies.asaql:3:9: error: ${words}`);
    const run = await streamkit("run", "--project", project("anomaly-detection"), "--out", join(out, "anomaly"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Anomalies.asaql:3:9: ${words}`);
    const test = await streamkit("test", "--project", project("anomaly-detection"));
    expect(test.code).toBe(1);
    expect(test.stdout).toContain(words);
    expect(loadAsaProject(project("anomaly-detection")).job.spec.streamingUnits).toBeCloseTo(2 / 3, 12);
  });

  it("absolute-windows-path: every command names the file, the field, the path and the fix", async () => {
    const expected =
      `streamkit: ${project("absolute-windows-path/Inputs/Local_TaxiRide.json")} at FilePath: 'D:\\tutorial\\taxi sample input\\TaxiRide.json' is an absolute Windows path, ` +
      `which exists only on the machine that wrote it: write a path relative to ${project("absolute-windows-path/Inputs")} (e.g. 'TaxiRide.json' for a file in that folder)\n`;
    for (const args of [["check"], ["run", "--out", join(out, "abs")], ["test"]]) {
      const result = await streamkit(...args, "--project", project("absolute-windows-path"));
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(expected);
    }
  });

  it("absolute-path-into-project: an absolute path of another machine names the project's own file of that name", async () => {
    const expected =
      `streamkit: ${project("absolute-path-into-project/Inputs/local_Signups.json")} at FilePath: 'E:\\src\\crm-jobs\\Customers\\SampleData\\signups.json' is an absolute Windows path, ` +
      `which exists only on the machine that wrote it: write a path relative to ${project("absolute-path-into-project/Inputs")} ('../SampleData/signups.json': a file of that name is there)\n`;
    for (const args of [["check"], ["run", "--out", join(out, "abs-into")], ["test"]]) {
      const result = await streamkit(...args, "--project", project("absolute-path-into-project"));
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(expected);
    }
    // The path it names is the fix: written there, the project runs.
    const copy = join(out, "abs-into-fixed");
    cpSync(project("absolute-path-into-project"), copy, { recursive: true });
    const mock = join(copy, "Inputs/local_Signups.json");
    writeFileSync(mock, readFileSync(mock, "utf8").replace(/"FilePath": "[^"]*"/, '"FilePath": "../SampleData/signups.json"'));
    const run = await streamkit("run", "--project", copy, "--out", join(out, "abs-into-out"));
    expect(run.code).toBe(0);
    expect(rows(join(out, "abs-into-out"), "SignupStore.json")).toEqual([
      { Id: 1, Name: "Ada", City: "Lisbon" },
      { Id: 2, Name: "Grace", City: "Porto" },
    ]);
  });
});

describe("what run --project stops on, check --project says first", () => {
  it("a local input file that is missing: check names it as run does", async () => {
    const copy = join(out, "missing-sample");
    cpSync(project("into-without-output"), copy, { recursive: true });
    rmSync(join(copy, "SampleData/input.json"));
    const words = `${join(copy, "Inputs/Local_Input.json")} at FilePath: local input 'Input': input file not found: ${join(copy, "SampleData/input.json")}`;
    const check = await streamkit("check", "--project", copy);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`${words.replace(" at FilePath: ", " at FilePath: error: ")}\n`);
    const run = await streamkit("run", "--project", copy, "--out", join(out, "missing-out"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(words);
  });
});
