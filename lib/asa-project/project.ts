// Loads an ASA project (VS Code asaproj.json or Visual Studio .asaproj, JobConfig.json, Inputs/,
// Outputs/, Functions/, test/testConfig.json) into the one job model, JobSpec: the project is
// never a second description of a job. Layouts Microsoft's tools accept load here too: no
// outputs declared, inputs only in testConfig.json, `<name>.js.json` functions, `Test/`.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { StreamkitError } from "../core/errors";
import { compressionOfFile } from "../io/compression-sniff";
import { parseJobSpec, type LoadedJob } from "../job/load";
import type { FunctionSpec, InputSpec, JobSpecInput, OutputSpec, Serialization } from "../job/schema";
import { checkQuery } from "../saql";
import { childFolder, projectPath, readJsonFile, validate } from "./json-file";
import { findManifest, readManifest, type ManifestEntry } from "./manifest";
import { compressionOf, inputKindOf, inputTypeOf, outputKindOf, serializationOf } from "./mapping";
import { functionConfigSchema, inputConfigSchema, jobConfigSchema, localInputSchema, outputConfigSchema } from "./schemas";
import { findTestConfig, loadTestConfig } from "./test-config";

/** A local input file of the project (Inputs/Local_*.json): where a local run reads an alias. */
export interface ProjectLocalInput {
  alias: string;
  type: "stream" | "reference";
  /** Absolute path of the data file. */
  path: string;
  serialization: Serialization;
  /** The Local_*.json file that declares it. */
  declaredIn: string;
}

export interface AsaProject {
  job: LoadedJob;
  projectDir: string;
  /** The project's manifest: asaproj.json, or the Visual Studio .asaproj file. */
  asaprojFile: string;
  localInputs: ProjectLocalInput[];
  /** The test configuration the ASA tools use by default (test/ or Test/testConfig.json), if there is one. */
  testConfigFile?: string;
  /** What the reader decided for the user, to be said once (e.g. INTO targets written as local outputs). */
  notes: string[];
  /** Parts of the project the local engine cannot run (a C# deserializer, …), each at its file and field. */
  unsupported: StreamkitError[];
}

type FileKind = "JobConfig" | "Input" | "InputMock" | "Output" | "Function";

/** `dir` or `dir/asaproj.json` → the asaproj.json file (or the folder's Visual Studio .asaproj). */
export function findAsaproj(path: string): string {
  return findManifest(path);
}

export interface LoadProjectOptions {
  /** A test configuration whose inputs also declare the project's inputs (default: the project's own, if any). */
  testConfig?: string;
}

export function loadAsaProject(pathToProject: string, options: LoadProjectOptions = {}): AsaProject {
  const manifest = readManifest(findManifest(pathToProject));
  const asaprojFile = manifest.file;
  const projectDir = dirname(asaprojFile);
  const queryFile = projectPath(projectDir, manifest.startFile.path, manifest.startFile.at);
  if (!existsSync(queryFile)) {
    const present = readdirSync(projectDir).filter((n) => extname(n).toLowerCase() === ".asaql");
    const hint = present.length ? ` (the project folder has ${present.join(", ")})` : "";
    throw new StreamkitError(`query file not found: ${queryFile}${hint}`, manifest.startFile.at, "ASA_PROJECT");
  }
  const queryText = readFileSync(queryFile, "utf8");

  const job: JobSpecInput = { name: jobName(manifest.name), query: { file: queryFile } };
  const inputs = new Map<string, InputSpec>();
  const outputs: OutputSpec[] = [];
  const functions: FunctionSpec[] = [];
  const localInputs: ProjectLocalInput[] = [];
  const unsupported: StreamkitError[] = [];
  const notes: string[] = [];

  for (const { file, kind, raw } of projectFiles(projectDir, manifest.configurations)) {
    switch (scriptTypeOf(raw) ?? kind) {
      case "JobConfig":
        Object.assign(job, jobSettings(raw, file));
        break;
      case "Input": {
        const input = inputSpec(raw, file, unsupported);
        inputs.set(input.alias.toLowerCase(), input);
        break;
      }
      case "InputMock":
        localInputs.push(localInput(raw, file, unsupported));
        break;
      case "Output":
        outputs.push(outputSpec(raw, file, unsupported));
        break;
      case "Function":
        functions.push(functionSpec(raw, file));
        break;
      default:
        // Files the local engine has no use for (e.g. Local output mocks) are left alone.
        break;
    }
  }

  // A local input without a live input config still declares an input of the job.
  for (const local of localInputs) {
    const known = inputs.get(local.alias.toLowerCase());
    if (known) {
      known.local = { path: local.path };
      continue;
    }
    inputs.set(local.alias.toLowerCase(), localOnlyInput(local.alias, local.type, local.serialization, local.declaredIn, local.path));
  }

  // A project that declares no input at all, only test cases: the test configuration defines
  // the inputs. (When the project declares some, an alias only in a test case is a mistake.)
  const testConfigFile = options.testConfig ?? findTestConfig(projectDir);
  if (inputs.size === 0 && testConfigFile && existsSync(testConfigFile)) {
    for (const testCase of loadTestConfig(testConfigFile).cases) {
      for (const input of testCase.inputs) {
        if (!inputs.has(input.alias.toLowerCase())) inputs.set(input.alias.toLowerCase(), localOnlyInput(input.alias, input.type, input.serialization, testConfigFile));
      }
    }
  }

  // ASA's local runs need no output definitions (input-validation article): an INTO target the
  // project does not define, or the `output` of a query without INTO, is written as a local file.
  const local = checkQuery(queryText).outputs.filter((alias) => !outputs.some((o) => o.alias.toLowerCase() === alias.toLowerCase()));
  for (const alias of local) outputs.push({ alias, kind: "blob", serialization: { type: "json", encoding: "utf8", compression: "none", format: "lineSeparated" } });
  if (local.length) {
    notes.push(`${local.map((a) => `'${a}'`).join(", ")} ${local.length > 1 ? "have" : "has"} no output definition in the project: written as local JSON-lines output, as ASA's local run does`);
  }

  job.inputs = [...inputs.values()];
  job.outputs = outputs;
  job.functions = functions;
  const spec = parseJobSpec(job, asaprojFile);
  const loaded: LoadedJob = { spec, file: asaprojFile, queryText, queryFile };
  return { job: loaded, projectDir, asaprojFile, localInputs, testConfigFile: testConfigFile && existsSync(testConfigFile) ? testConfigFile : undefined, notes, unsupported };
}

/**
 * An input known only from local files: modelled as a blob input for reference data and an
 * Event Hub for streams; only arrival-time defaults depend on the kind.
 */
function localOnlyInput(alias: string, type: "stream" | "reference", serialization: Serialization, declaredIn: string, path?: string): InputSpec {
  const input = { alias, type, kind: inputKindOf(undefined, type, declaredIn), serialization } as InputSpec;
  if (path) input.local = { path };
  return input;
}

/** ASA job names have letters, digits, '-' and '_' (3–63): other characters become '-'. */
function jobName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 63);
  return cleaned.length >= 3 ? cleaned : cleaned.padEnd(3, "_");
}

interface ProjectFile {
  file: string;
  kind?: FileKind;
  raw: unknown;
}

/**
 * The files the manifest lists, plus the configuration files under Inputs/, Outputs/ and
 * Functions/ it does not list. Data files often lie in Inputs/ too (a JSON array, JSON lines):
 * an unlisted file is read only when it looks like an ASA configuration.
 */
function projectFiles(projectDir: string, configurations: ManifestEntry[]): ProjectFile[] {
  const found = new Map<string, ProjectFile>();
  for (const c of configurations) {
    const file = projectPath(projectDir, c.path, c.at);
    if (!existsSync(file)) throw new StreamkitError(`configuration file not found: ${file}`, c.at, "ASA_PROJECT");
    found.set(file, { file, kind: kindOfSubType(c.subType), raw: readJsonFile(file, basename(file)) });
  }
  for (const folder of ["Inputs", "Outputs", "Functions"]) {
    const dir = childFolder(projectDir, folder);
    if (!dir) continue;
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      if (extname(name).toLowerCase() !== ".json" || found.has(file) || !statSync(file).isFile()) continue;
      const kind = folderKind(folder, name);
      const raw = configOrUndefined(file, kind);
      if (raw !== undefined) found.set(file, { file, kind, raw });
    }
  }
  const jobConfig = join(projectDir, "JobConfig.json");
  if (existsSync(jobConfig) && !found.has(jobConfig)) found.set(jobConfig, { file: jobConfig, kind: "JobConfig", raw: readJsonFile(jobConfig, "JobConfig.json") });
  return [...found.values()];
}

/** An unlisted file's JSON when it is an ASA configuration; undefined for data files. */
function configOrUndefined(file: string, kind: FileKind): unknown {
  let raw: unknown;
  try {
    raw = readJsonFile(file, basename(file));
  } catch {
    return undefined; // JSON lines, or not JSON at all: sample data
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  if (typeof o.ScriptType === "string") return raw;
  switch (kind) {
    case "InputMock":
      return typeof o.FilePath === "string" && (typeof o.InputAlias === "string" || typeof o.Name === "string") ? raw : undefined;
    case "Input":
    case "Output":
      return typeof o.Name === "string" && (o.DataSourceType !== undefined || o.Serialization !== undefined) ? raw : undefined;
    default:
      return o.Binding !== undefined || o.Inputs !== undefined || o.FunctionInputs !== undefined ? raw : undefined;
  }
}

/** What a file is by where it lies, when neither the manifest nor its ScriptType says. */
function folderKind(folder: string, name: string): FileKind {
  if (folder === "Outputs") return "Output";
  if (folder === "Functions") return "Function";
  return name.toLowerCase().startsWith("local_") ? "InputMock" : "Input";
}

function kindOfSubType(subType: string | undefined): FileKind | undefined {
  if (!subType) return undefined;
  const s = subType.toLowerCase();
  if (s === "jobconfig") return "JobConfig";
  if (s === "inputmock" || s === "localinput") return "InputMock";
  if (s === "input") return "Input";
  if (s === "output") return "Output";
  if (s.includes("function")) return "Function";
  return undefined;
}

function scriptTypeOf(raw: unknown): FileKind | undefined {
  const type = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>).ScriptType : undefined;
  return typeof type === "string" ? kindOfSubType(type) : undefined;
}

/** JobConfig.json → the job's policies. */
function jobSettings(raw: unknown, file: string): Partial<JobSpecInput> {
  const c = validate(jobConfigSchema, raw, file);
  const settings: Partial<JobSpecInput> = {};
  if (c.CompatibilityLevel) settings.compatibilityLevel = c.CompatibilityLevel;
  if (c.DataLocale) settings.dataLocale = c.DataLocale;
  // The portal's "Retry" is the API's "Stop": the job retries the write until it succeeds.
  if (c.OutputErrorPolicy) settings.outputErrorPolicy = c.OutputErrorPolicy.toLowerCase() === "drop" ? "drop" : "stop";
  const units = c.Sku?.StreamingUnits ?? c.StreamingUnits;
  if (units !== null && units !== undefined) settings.streamingUnits = streamingUnitsOf(units, file, c.Sku?.StreamingUnits != null ? "Sku.StreamingUnits" : "StreamingUnits");
  settings.eventOrdering = {
    // JobConfig.json fields reference: "If the property is absent, it's interpreted to have a value of -1".
    lateArrivalMaxDelaySeconds: c.EventsLateArrivalMaxDelayInSeconds ?? -1,
    outOfOrderMaxDelaySeconds: c.EventsOutOfOrderMaxDelayInSeconds ?? 0,
    policy: c.EventsOutOfOrderPolicy?.toLowerCase() === "drop" ? "drop" : "adjust",
  };
  return settings;
}

/** Streaming units as JobConfig.json writes them: 3, "3", or a V2 fraction "1/3", "2/3". */
function streamingUnitsOf(value: number | string, file: string, jsonPath: string): number {
  const text = String(value).trim();
  const fraction = /^(\d+)\s*\/\s*(\d+)$/.exec(text);
  const units = fraction ? Number(fraction[1]) / Number(fraction[2]) : Number(text);
  if (!Number.isFinite(units) || units <= 0) {
    throw new StreamkitError(`streaming units '${text}' are not a positive number or fraction (e.g. 3, "1/3", "2/3")`, { file, jsonPath }, "ASA_PROJECT");
  }
  return units;
}

/** A custom .NET deserializer (Serialization Type "CustomClr"): the local engine cannot run it. */
function customDeserializer(alias: string, className: unknown, file: string, jsonPath: string): StreamkitError {
  const which = typeof className === "string" && className ? ` ${className}` : "";
  return new StreamkitError(
    `input '${alias}' is read with a custom .NET deserializer (CustomClr${which}), which the local engine cannot run: give the run a file the built-in formats read (--input ${alias}=events.json), or test this input in Azure`,
    { file, jsonPath },
    "NOT_SUPPORTED",
  );
}

const isCustomClr = (format: string | null | undefined) => format?.toLowerCase().replace(/[^a-z]/g, "") === "customclr";

/** Stands in for a format the engine cannot read or write, so that the rest of the project still checks. */
const UNREADABLE: Serialization = { type: "json", encoding: "utf8", compression: "none" };

function inputSpec(raw: unknown, file: string, unsupported: StreamkitError[]): InputSpec {
  const c = validate(inputConfigSchema, raw, file);
  const type = inputTypeOf(c.Type);
  const compression = compressionOf(c.Compression?.Type ?? c.CompressionType, file, c.Compression ? "Compression.Type" : "CompressionType");
  let serialization: Serialization;
  if (isCustomClr(c.Serialization?.Type)) {
    unsupported.push(customDeserializer(c.Name, c.Serialization?.SerializationClassName, file, "Serialization.Type"));
    serialization = UNREADABLE;
  } else {
    serialization = c.Serialization
      ? serializationOf(c.Serialization.Type, { delimiter: c.Serialization.FieldDelimiter, compression }, file, "Serialization.Type")
      : ({ type: "json", encoding: "utf8", compression } as Serialization);
  }
  const spec = { alias: c.Name, type, kind: inputKindOf(c.DataSourceType, type, file), serialization } as InputSpec;
  if (c.PartitionKey) spec.partitionKey = c.PartitionKey;
  return spec;
}

function localInput(raw: unknown, file: string, unsupported: StreamkitError[]): ProjectLocalInput {
  const c = validate(localInputSchema, raw, file);
  const alias = c.InputAlias ?? c.Name;
  if (!alias) throw new StreamkitError("a local input names its alias (InputAlias, or Name)", { file, jsonPath: "InputAlias" }, "ASA_PROJECT");
  const path = projectPath(dirname(file), c.FilePath, { file, jsonPath: "FilePath" });
  const format = c.Serialization?.Type ?? c.Format ?? "Json";
  const formatPath = c.Serialization ? "Serialization.Type" : "Format";
  const delimiter = c.Serialization?.FieldDelimiter ?? c.FieldDelimiter ?? c.Delimiter;
  let serialization: Serialization;
  if (isCustomClr(format)) {
    unsupported.push(customDeserializer(alias, c.Serialization?.SerializationClassName ?? c.SerializationClassName, file, formatPath));
    serialization = UNREADABLE;
  } else {
    // The local file says whether it is compressed, whatever the live input declares.
    serialization = serializationOf(format, { delimiter, compression: compressionOfFile(path) }, file, formatPath);
  }
  return { alias, type: inputTypeOf(c.Type), path, serialization, declaredIn: file };
}

function outputSpec(raw: unknown, file: string, unsupported: StreamkitError[]): OutputSpec {
  const c = validate(outputConfigSchema, raw, file);
  const spec = { alias: c.Name, kind: outputKindOf(c.DataSourceType, file) } as OutputSpec;
  if (c.Serialization) spec.serialization = serializationOf(c.Serialization.Type, { delimiter: c.Serialization.FieldDelimiter, jsonFormat: c.Serialization.Format }, file, "Serialization.Type");
  if (spec.serialization?.type === "delta") {
    unsupported.push(
      new StreamkitError(
        `output '${c.Name}' is written as a Delta Lake table (Serialization Type Delta), which the local engine cannot write: give it another serialization to run it locally, or test this output in Azure`,
        { file, jsonPath: "Serialization.Type" },
        "NOT_SUPPORTED",
      ),
    );
    // As for an unreadable input: the rest of the project still checks (run and test stop on the error first).
    spec.serialization = UNREADABLE;
  }
  return spec;
}

/**
 * The JavaScript functions of a Functions/ folder: `<name>.json` or `<name>.js.json` (ASA's
 * function config; the VS Code extension writes the second) with `<name>.js`, or a lone
 * `<name>.js` (a scalar UDF of any types).
 */
export function functionsInFolder(dir: string): FunctionSpec[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const names = readdirSync(dir).sort();
  const configs = names.filter((n) => extname(n).toLowerCase() === ".json");
  const described = new Set(configs.map((n) => functionBaseName(n).toLowerCase()));
  return [
    ...configs.map((n) => functionSpec(readJsonFile(join(dir, n), n), join(dir, n))),
    ...names
      .filter((n) => extname(n).toLowerCase() === ".js" && !described.has(basename(n, extname(n)).toLowerCase()))
      .map((n): FunctionSpec => ({ name: basename(n, extname(n)), kind: "javascript-udf", file: join(dir, n), inputs: [], output: { type: "any" } })),
  ];
}

/** `toF.json` and `toF.js.json` → `toF`. */
function functionBaseName(configFile: string): string {
  const name = basename(configFile, extname(configFile));
  return name.toLowerCase().endsWith(".js") ? name.slice(0, -3) : name;
}

/** The kind of a function config: C# (AssemblyName/ClassName, CLR binding), Azure ML, or JavaScript. */
function functionKind(c: ReturnType<typeof functionConfigSchema.parse>): FunctionSpec["kind"] {
  const binding = (c.Binding?.Type ?? "").toLowerCase();
  const aggregate = (c.Type ?? c.FunctionType ?? "Scalar").toLowerCase().includes("aggregate");
  const scriptType = (c.ScriptType ?? "").toLowerCase();
  if (binding.includes("machinelearning") || binding.includes("azureml") || scriptType.includes("ml")) return "azureml";
  const csharp = c.AssemblyName != null || c.ClassName != null || scriptType.includes("csharp") || /clr|csharp|c#/.test(binding);
  if (csharp) return aggregate ? "csharp-uda" : "csharp-udf";
  return aggregate ? "javascript-uda" : "javascript-udf";
}

/** Functions/<name>.json or <name>.js.json (+ <name>.js): the function's name is its file's name. */
function functionSpec(raw: unknown, file: string): FunctionSpec {
  const c = validate(functionConfigSchema, raw, file);
  const name = c.Name ?? functionBaseName(file);
  const kind = functionKind(c);
  const spec: FunctionSpec = {
    name,
    kind,
    inputs: (c.Inputs ?? c.FunctionInputs ?? []).map((i) => ({ type: i.DataType ?? "any" })),
    output: { type: c.Output?.DataType ?? c.OutputType ?? "any" },
  };
  if (kind.startsWith("javascript")) {
    const scriptName = c.ScriptFile ?? c.Binding?.ScriptFile ?? `${functionBaseName(file)}.js`;
    const at = { file, jsonPath: c.ScriptFile ? "ScriptFile" : c.Binding?.ScriptFile ? "Binding.ScriptFile" : undefined };
    const script = projectPath(dirname(file), scriptName, at);
    if (!existsSync(script)) {
      throw new StreamkitError(`JavaScript function '${name}' has no script file: ${script} not found`, at, "ASA_PROJECT");
    }
    spec.file = script;
  }
  return spec;
}
