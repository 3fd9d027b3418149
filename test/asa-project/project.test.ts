import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadAsaProject, loadTestConfig, localInputsOfProject } from "../../lib/asa-project";
import { StreamkitError } from "../../lib/core/errors";

const QUERIES = resolve(__dirname, "../../queries");
const work = mkdtempSync(join(tmpdir(), "streamkit-asaproj-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of a sample project to break in one way. */
function copyOf(project: string): string {
  const dir = mkdtempSync(join(work, `${project}-`));
  cpSync(join(QUERIES, project), dir, { recursive: true });
  return dir;
}

function errorOf(fn: () => unknown): StreamkitError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StreamkitError) return error;
    throw error;
  }
  throw new Error("expected an error");
}

describe("loadAsaProject", () => {
  it("maps the sensor-enrichment project onto the job model", () => {
    const project = loadAsaProject(join(QUERIES, "sensor-enrichment"));
    const { spec } = project.job;
    expect(project.projectDir).toBe(join(QUERIES, "sensor-enrichment"));
    expect(project.job.queryFile).toBe(join(QUERIES, "sensor-enrichment/sensor-enrichment.asaql"));
    expect(project.job.queryText).toMatch(/udf\.toFahrenheit/);
    expect(spec).toMatchObject({
      name: "sensor-enrichment",
      compatibilityLevel: "1.2",
      eventOrdering: { lateArrivalMaxDelaySeconds: 5, outOfOrderMaxDelaySeconds: 0, policy: "adjust" },
      outputErrorPolicy: "stop",
      dataLocale: "en-US",
      streamingUnits: 1,
    });
    expect(spec.inputs).toEqual([
      expect.objectContaining({ alias: "Input", type: "stream", kind: "iothub", serialization: { type: "json", encoding: "utf8", compression: "none" } }),
      expect.objectContaining({ alias: "DeviceInfo", type: "reference", kind: "blob", serialization: { type: "csv", encoding: "utf8", compression: "none", fieldDelimiter: "," } }),
    ]);
    expect(spec.inputs[1].local).toEqual({ path: join(QUERIES, "sensor-enrichment/data/devices.csv") });
    expect(spec.outputs).toEqual([{ alias: "Output", kind: "blob", serialization: { type: "json", encoding: "utf8", compression: "none", format: "lineSeparated" } }]);
    expect(spec.functions).toEqual([
      { name: "toFahrenheit", kind: "javascript-udf", file: join(QUERIES, "sensor-enrichment/Functions/toFahrenheit.js"), inputs: [{ type: "float" }], output: { type: "float" } },
    ]);
  });

  it("reads a project with several outputs; the portal's 'Retry' output policy is the API's 'stop'", () => {
    const project = loadAsaProject(join(QUERIES, "toll-multi-output/asaproj.json"));
    expect(project.job.spec.outputs.map((o) => o.alias)).toEqual(["ArchiveOutput", "AlertOutput"]);
    expect(project.job.spec.outputErrorPolicy).toBe("stop");
    expect(project.job.spec.inputs[0]).toMatchObject({ alias: "Input", kind: "eventhub" });
  });

  it("maps the DataSourceType names public projects use (DocumentDB, ARM type names), and Sku units written as text", () => {
    const dir = copyOf("toll-multi-output");
    writeFileSync(join(dir, "Outputs/AlertOutput.json"), JSON.stringify({ Name: "AlertOutput", DataSourceType: "DocumentDB", DocumentDbProperties: {}, ScriptType: "Output" }));
    writeFileSync(join(dir, "Outputs/ArchiveOutput.json"), JSON.stringify({ Name: "ArchiveOutput", DataSourceType: "Microsoft.Sql/Server/DataWarehouse", ScriptType: "Output" }));
    writeFileSync(join(dir, "JobConfig.json"), JSON.stringify({ ScriptType: "JobConfig", Sku: { Name: "StandardV2", StreamingUnits: "3" } }));
    const { spec } = loadAsaProject(dir).job;
    expect(spec.outputs.map((o) => [o.alias, o.kind])).toEqual([
      ["ArchiveOutput", "synapse"],
      ["AlertOutput", "cosmosdb"],
    ]);
    expect(spec.streamingUnits).toBe(3);
    writeFileSync(join(dir, "Outputs/AlertOutput.json"), JSON.stringify({ Name: "AlertOutput", DataSourceType: "Carrier Pigeon", ScriptType: "Output" }));
    expect(errorOf(() => loadAsaProject(dir)).describe()).toBe(`${join(dir, "Outputs/AlertOutput.json")} at DataSourceType: unknown output DataSourceType 'Carrier Pigeon'`);
  });

  it("reads an absent late-arrival tolerance in JobConfig.json as -1, as the JobConfig reference says", () => {
    const dir = copyOf("toll-multi-output");
    writeFileSync(join(dir, "JobConfig.json"), JSON.stringify({ ScriptType: "JobConfig", CompatibilityLevel: "1.1", EventsOutOfOrderPolicy: "Drop", EventsOutOfOrderMaxDelayInSeconds: 10 }));
    const { spec } = loadAsaProject(dir).job;
    expect(spec.eventOrdering).toEqual({ lateArrivalMaxDelaySeconds: -1, outOfOrderMaxDelaySeconds: 10, policy: "drop" });
    expect(spec.compatibilityLevel).toBe("1.1");
  });

  it("declares an input that exists only as a local input file", () => {
    const dir = copyOf("toll-multi-output");
    unlinkSync(join(dir, "Inputs/Input.json"));
    writeFileSync(join(dir, "asaproj.json"), JSON.stringify({ name: "toll", startFile: "toll-multi-output.asaql", configurations: [] }));
    const project = loadAsaProject(dir);
    expect(project.job.spec.inputs).toEqual([expect.objectContaining({ alias: "Input", type: "stream", serialization: expect.objectContaining({ type: "json" }) })]);
    expect(project.job.spec.outputs.map((o) => o.alias).sort()).toEqual(["AlertOutput", "ArchiveOutput"]);
  });

  it("reads the newer local-input shape (Name, DataSourceType 'Local Input', Serialization)", () => {
    const dir = copyOf("toll-multi-output");
    writeFileSync(
      join(dir, "Inputs/Local_Input.json"),
      JSON.stringify({ Name: "Input", Type: "Data Stream", DataSourceType: "Local Input", Serialization: { Type: "Csv", Encoding: "UTF8", FieldDelimiter: ";" }, FilePath: "../data/cars.csv", ScriptType: "InputMock" }),
    );
    const project = loadAsaProject(dir);
    expect(project.localInputs).toEqual([
      {
        alias: "Input",
        type: "stream",
        path: join(dir, "data/cars.csv"),
        serialization: { type: "csv", encoding: "utf8", compression: "none", fieldDelimiter: ";" },
        declaredIn: join(dir, "Inputs/Local_Input.json"),
      },
    ]);
    writeFileSync(join(dir, "Inputs/Local_Input.json"), JSON.stringify({ Type: "Data Stream", FilePath: "x.json" }));
    expect(errorOf(() => loadAsaProject(dir)).describe()).toBe(`${join(dir, "Inputs/Local_Input.json")} at InputAlias: a local input names its alias (InputAlias, or Name)`);
  });

  it("gives file:line:col for asaproj.json that is not valid JSON", () => {
    const dir = copyOf("toll-multi-output");
    writeFileSync(join(dir, "asaproj.json"), '{\n  "name": "toll",\n  "startFile": "x.asaql",,\n}');
    const error = errorOf(() => loadAsaProject(dir));
    expect(error.describe()).toMatch(new RegExp(`^${join(dir, "asaproj.json")}:3:\\d+: asaproj.json is not valid JSON`));
  });

  it("gives the file and JSON path of a wrong JobConfig.json setting", () => {
    const dir = copyOf("toll-multi-output");
    writeFileSync(join(dir, "JobConfig.json"), JSON.stringify({ ScriptType: "JobConfig", CompatibilityLevel: "2.0" }));
    const error = errorOf(() => loadAsaProject(dir));
    expect(error.describe()).toMatch(new RegExp(`^${join(dir, "JobConfig.json")} at CompatibilityLevel: `));
  });

  it("names the asaproj.json entry whose file is missing", () => {
    const dir = copyOf("toll-multi-output");
    unlinkSync(join(dir, "Outputs/AlertOutput.json"));
    expect(errorOf(() => loadAsaProject(dir)).describe()).toMatch(/asaproj\.json at configurations\[4\]\.filePath: configuration file not found: .*AlertOutput\.json/);
  });

  it("names a missing query file", () => {
    const dir = copyOf("toll-multi-output");
    unlinkSync(join(dir, "toll-multi-output.asaql"));
    expect(errorOf(() => loadAsaProject(dir)).describe()).toMatch(/asaproj\.json at startFile: query file not found/);
  });

  it("is a clear error for a directory without asaproj.json", () => {
    expect(errorOf(() => loadAsaProject(work)).message).toMatch(/no asaproj\.json in/);
  });
});

describe("localInputsOfProject", () => {
  it("opens each local input of the project for a run", async () => {
    const project = loadAsaProject(join(QUERIES, "sensor-enrichment"));
    const inputs = localInputsOfProject(project);
    expect(inputs.map((i) => [i.alias, i.type])).toEqual([
      ["Input", "stream"],
      ["DeviceInfo", "reference"],
    ]);
    const devices = [];
    for await (const e of inputs[1].events) devices.push(e.record);
    expect(devices).toEqual([
      { deviceId: "dev-1", location: "Building 1", model: "TH-100" },
      { deviceId: "dev-2", location: "Building 2", model: "TH-200" },
    ]);
  });

  it("names the Local_*.json file whose data file is missing", () => {
    const dir = copyOf("toll-multi-output");
    unlinkSync(join(dir, "data/cars.json"));
    const project = loadAsaProject(dir);
    expect(errorOf(() => localInputsOfProject(project)).describe()).toMatch(/Local_Input\.json at FilePath: local input 'Input': input file not found: .*cars\.json/);
  });
});

describe("loadTestConfig", () => {
  it("reads cases with paths relative to the config, and Required as a boolean or text", () => {
    const dir = mkdtempSync(join(work, "cfg-"));
    const file = join(dir, "testConfig.json");
    writeFileSync(
      file,
      JSON.stringify({
        Script: "C:\\jobs\\job.asaql",
        TestCases: [
          {
            Name: "Case 1",
            Inputs: [
              { InputAlias: "entry", Type: "Data Stream", Format: "Json", FilePath: "data\\entry.json", ScriptType: "InputMock" },
              { InputAlias: "ref", Type: "Reference Data", Format: "csv", FilePath: "ref.csv", ScriptType: "InputMock" },
            ],
            ExpectedOutputs: [
              { OutputAlias: "out1", FilePath: "out1.json", Required: true },
              { OutputAlias: "out2", FilePath: "[N/A]", Required: "false" },
            ],
          },
        ],
      }),
    );
    const config = loadTestConfig(file);
    expect(config.script).toBe("C:\\jobs\\job.asaql");
    expect(config.cases).toEqual([
      {
        name: "Case 1",
        jsonPath: "TestCases[0]",
        inputs: [
          { alias: "entry", type: "stream", path: join(dir, "data/entry.json"), serialization: { type: "json", encoding: "utf8", compression: "none" }, jsonPath: "TestCases[0].Inputs[0]" },
          { alias: "ref", type: "reference", path: join(dir, "ref.csv"), serialization: { type: "csv", encoding: "utf8", compression: "none", fieldDelimiter: "," }, jsonPath: "TestCases[0].Inputs[1]" },
        ],
        expectedOutputs: [
          { alias: "out1", path: join(dir, "out1.json"), required: true, jsonPath: "TestCases[0].ExpectedOutputs[0]" },
          { alias: "out2", path: join(dir, "[N/A]"), required: false, jsonPath: "TestCases[0].ExpectedOutputs[1]" },
        ],
      },
    ]);
  });

  it("gives file:line:col for malformed JSON and the JSON path of a missing field", () => {
    const dir = mkdtempSync(join(work, "cfg-bad-"));
    const file = join(dir, "testConfig.json");
    writeFileSync(file, '{\n  "TestCases": [\n    { "Name": "x" "Inputs": [] }\n  ]\n}');
    expect(errorOf(() => loadTestConfig(file)).describe()).toMatch(new RegExp(`^${file}:3:\\d+: testConfig.json is not valid JSON`));
    writeFileSync(file, JSON.stringify({ TestCases: [{ Name: "x", Inputs: [{ InputAlias: "in", Format: "Json" }] }] }));
    expect(errorOf(() => loadTestConfig(file)).describe()).toBe(`${file} at TestCases[0].Inputs[0].FilePath: Invalid input: expected string, received undefined`);
    writeFileSync(file, JSON.stringify({ TestCases: [{ Name: "x", Inputs: [{ InputAlias: "in", Format: "Xml", FilePath: "a" }] }] }));
    expect(errorOf(() => loadTestConfig(file)).describe()).toMatch(/at TestCases\[0\]\.Inputs\[0\]\.Format: unknown serialization format 'Xml'/);
  });
});

describe("Visual Studio projects (.asaproj)", () => {
  it("reads queries/sensor-enrichment, a Visual Studio project, into the same job as its asaproj.json twin would give", () => {
    const project = loadAsaProject(join(QUERIES, "sensor-enrichment"));
    expect(project.asaprojFile).toBe(join(QUERIES, "sensor-enrichment/sensor-enrichment.asaproj"));
    expect(project.localInputs.map((l) => l.alias)).toEqual(["Input", "DeviceInfo"]);
    expect(project.notes).toEqual([]);
  });

  it("gives file:line:col for XML that is not well formed", () => {
    const dir = copyOf("sensor-enrichment");
    writeFileSync(join(dir, "sensor-enrichment.asaproj"), '<Project>\n  <ItemGroup>\n    <Script Include="sensor-enrichment.asaql">\n  </ItemGroup>\n</Project>\n');
    expect(errorOf(() => loadAsaProject(dir)).describe()).toMatch(new RegExp(`^${join(dir, "sensor-enrichment.asaproj")}:4:\\d+: not a valid Visual Studio project \\(XML\\): `));
  });

  it("names the missing <Script> item", () => {
    const dir = copyOf("sensor-enrichment");
    writeFileSync(join(dir, "sensor-enrichment.asaproj"), "<Project><ItemGroup><Configure Include=\"JobConfig.json\"><SubType>JobConfig</SubType></Configure></ItemGroup></Project>");
    expect(errorOf(() => loadAsaProject(dir)).describe()).toBe(
      `${join(dir, "sensor-enrichment.asaproj")} at Project.ItemGroup.Script: the project names no query: add <Script Include="Script.asaql" /> to an <ItemGroup>`,
    );
  });
});

describe("layouts of public projects", () => {
  it("a Delta Lake output is named at its file and field as what the local engine cannot write; the rest still loads", () => {
    const dir = copyOf("toll-multi-output");
    const file = join(dir, "Outputs", readdirSync(join(dir, "Outputs"))[0]);
    const output = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify({ ...output, Serialization: { Type: "Delta", DeltaTablePath: "tolls/table" } }));
    const project = loadAsaProject(dir);
    expect(project.unsupported.map((e) => e.describe())).toEqual([
      `${file} at Serialization.Type: output '${output.Name}' is written as a Delta Lake table (Serialization Type Delta), which the local engine cannot write: give it another serialization to run it locally, or test this output in Azure`,
    ]);
  });

  it("keys match in any case, as ASA's .NET tools read them; a key spelt exactly wins", () => {
    const dir = copyOf("toll-multi-output");
    writeFileSync(
      join(dir, "JobConfig.json"),
      JSON.stringify({ scriptType: "JobConfig", compatibilityLevel: "1.0", DATALOCALE: "de-DE", streamingUnits: 3, StreamingUnits: 6, eventsOutOfOrderPolicy: "Drop" }),
    );
    expect(loadAsaProject(dir).job.spec).toMatchObject({ compatibilityLevel: "1.0", dataLocale: "de-DE", streamingUnits: 6, eventOrdering: { policy: "drop" } });
  });

  it("an absolute Windows path in asaproj.json is named with its entry", () => {
    const dir = copyOf("toll-multi-output");
    writeFileSync(join(dir, "asaproj.json"), JSON.stringify({ name: "toll", startFile: "toll-multi-output.asaql", configurations: [{ filePath: "C:\\src\\toll\\JobConfig.json", subType: "JobConfig" }] }));
    expect(errorOf(() => loadAsaProject(dir)).describe()).toMatch(/asaproj\.json at configurations\[0\]\.filePath: 'C:\\src\\toll\\JobConfig\.json' is an absolute Windows path.*write a path relative to .* \('JobConfig\.json': a file of that name is there\)/);
  });

  it("streaming units: numbers, text and V2 fractions; anything else names the field", () => {
    const dir = copyOf("toll-multi-output");
    const units = (value: unknown) => {
      writeFileSync(join(dir, "JobConfig.json"), JSON.stringify({ ScriptType: "JobConfig", Sku: { Name: "StandardV2", StreamingUnits: value } }));
      return loadAsaProject(dir).job.spec.streamingUnits;
    };
    expect(units(3)).toBe(3);
    expect(units("6")).toBe(6);
    expect(units("2/3")).toBeCloseTo(2 / 3, 12);
    expect(errorOf(() => units("a third")).describe()).toBe(`${join(dir, "JobConfig.json")} at Sku.StreamingUnits: streaming units 'a third' are not a positive number or fraction (e.g. 3, "1/3", "2/3")`);
    expect(errorOf(() => units("0/3")).describe()).toMatch(/streaming units '0\/3' are not a positive number/);
  });
});

describe("compression from a file's bytes", () => {
  it("gzip and zlib streams are recognised; text that merely could be a zlib header is not", () => {
    const { compressionFromBytes } = require("../../lib/io") as typeof import("../../lib/io");
    const { gzipSync, deflateSync } = require("node:zlib") as typeof import("node:zlib");
    expect(compressionFromBytes(new Uint8Array(gzipSync("{}")))).toBe("gzip");
    for (const level of [1, 6, 9]) expect(compressionFromBytes(new Uint8Array(deflateSync("{}", { level })))).toBe("deflate");
    for (const text of ['{"a":1}', "H,value", "80,1", "[1]", "", "x"]) expect(compressionFromBytes(new TextEncoder().encode(text))).toBe("none");
  });
});
