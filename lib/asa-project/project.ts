// Loads an ASA VS Code project (asaproj.json, JobConfig.json, Inputs/, Outputs/, Functions/)
// into the one job model, JobSpec: the project is never a second description of a job.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { StreamkitError } from "../core/errors";
import { parseJobSpec, type LoadedJob } from "../job/load";
import type { FunctionSpec, InputSpec, JobSpecInput, OutputSpec, Serialization } from "../job/schema";
import { portablePath, readJsonFile, validate } from "./json-file";
import { compressionOf, inputKindOf, inputTypeOf, outputKindOf, serializationOf } from "./mapping";
import { asaprojSchema, functionConfigSchema, inputConfigSchema, jobConfigSchema, localInputSchema, outputConfigSchema } from "./schemas";

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
  /** Absolute path of asaproj.json. */
  asaprojFile: string;
  localInputs: ProjectLocalInput[];
}

type FileKind = "JobConfig" | "Input" | "InputMock" | "Output" | "Function";

/** `dir` or `dir/asaproj.json` → the asaproj.json file. */
export function findAsaproj(path: string): string {
  const full = resolve(path);
  if (!existsSync(full)) throw new StreamkitError(`ASA project not found: ${full}`, { file: full }, "ASA_PROJECT");
  if (statSync(full).isDirectory()) {
    const file = join(full, "asaproj.json");
    if (!existsSync(file)) throw new StreamkitError(`no asaproj.json in ${full}`, { file: full }, "ASA_PROJECT");
    return file;
  }
  return full;
}

export function loadAsaProject(pathToDirOrAsaproj: string): AsaProject {
  const asaprojFile = findAsaproj(pathToDirOrAsaproj);
  const projectDir = dirname(asaprojFile);
  const proj = validate(asaprojSchema, readJsonFile(asaprojFile, "asaproj.json"), asaprojFile);

  const queryFile = resolve(projectDir, portablePath(proj.startFile));
  if (!existsSync(queryFile)) {
    throw new StreamkitError(`query file not found: ${queryFile}`, { file: asaprojFile, jsonPath: "startFile" }, "ASA_PROJECT");
  }

  const files = projectFiles(asaprojFile, projectDir, proj.configurations);
  const job: JobSpecInput = { name: jobName(proj.name), query: { file: queryFile } };
  const inputs = new Map<string, InputSpec>();
  const outputs: OutputSpec[] = [];
  const functions: FunctionSpec[] = [];
  const localInputs: ProjectLocalInput[] = [];

  for (const { file, kind } of files) {
    const raw = readJsonFile(file, basename(file));
    switch (scriptTypeOf(raw) ?? kind) {
      case "JobConfig":
        Object.assign(job, jobSettings(raw, file));
        break;
      case "Input": {
        const input = inputSpec(raw, file);
        inputs.set(input.alias.toLowerCase(), input);
        break;
      }
      case "InputMock":
        localInputs.push(localInput(raw, file));
        break;
      case "Output":
        outputs.push(outputSpec(raw, file));
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
    inputs.set(local.alias.toLowerCase(), {
      alias: local.alias,
      type: local.type,
      kind: inputKindOf(undefined, local.type, local.declaredIn),
      serialization: local.serialization,
      local: { path: local.path },
    } as InputSpec);
  }

  job.inputs = [...inputs.values()];
  job.outputs = outputs;
  job.functions = functions;
  const spec = parseJobSpec(job, asaprojFile);
  const loaded: LoadedJob = { spec, file: asaprojFile, queryText: readFileSync(queryFile, "utf8"), queryFile };
  return { job: loaded, projectDir, asaprojFile, localInputs };
}

/** ASA job names have letters, digits, '-' and '_' (3–63): other characters become '-'. */
function jobName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 63);
  return cleaned.length >= 3 ? cleaned : cleaned.padEnd(3, "_");
}

/** The files asaproj.json lists, plus any JSON under Inputs/, Outputs/, Functions/ beside it. */
function projectFiles(asaprojFile: string, projectDir: string, configurations: { filePath: string; subType?: string }[]): { file: string; kind?: FileKind }[] {
  const seen = new Map<string, FileKind | undefined>();
  configurations.forEach((c, i) => {
    const file = resolve(projectDir, portablePath(c.filePath));
    if (!existsSync(file)) {
      throw new StreamkitError(`configuration file not found: ${file}`, { file: asaprojFile, jsonPath: `configurations[${i}].filePath` }, "ASA_PROJECT");
    }
    seen.set(file, kindOfSubType(c.subType));
  });
  for (const folder of ["Inputs", "Outputs", "Functions"]) {
    const dir = join(projectDir, folder);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      if (extname(name).toLowerCase() !== ".json" || seen.has(file)) continue;
      seen.set(file, folderKind(folder, name));
    }
  }
  const jobConfig = join(projectDir, "JobConfig.json");
  if (existsSync(jobConfig) && !seen.has(jobConfig)) seen.set(jobConfig, "JobConfig");
  return [...seen].map(([file, kind]) => ({ file, kind }));
}

/** What a file is by where it lies, when neither asaproj.json nor its ScriptType says. */
function folderKind(folder: string, name: string): FileKind {
  if (folder === "Outputs") return "Output";
  if (folder === "Functions") return "Function";
  return name.startsWith("Local_") ? "InputMock" : "Input";
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
  if (units) settings.streamingUnits = units;
  settings.eventOrdering = {
    // JobConfig.json fields reference: "If the property is absent, it's interpreted to have a value of -1".
    lateArrivalMaxDelaySeconds: c.EventsLateArrivalMaxDelayInSeconds ?? -1,
    outOfOrderMaxDelaySeconds: c.EventsOutOfOrderMaxDelayInSeconds ?? 0,
    policy: c.EventsOutOfOrderPolicy?.toLowerCase() === "drop" ? "drop" : "adjust",
  };
  return settings;
}

function inputSpec(raw: unknown, file: string): InputSpec {
  const c = validate(inputConfigSchema, raw, file);
  const type = inputTypeOf(c.Type);
  const compression = compressionOf(c.Compression?.Type ?? c.CompressionType, file, c.Compression ? "Compression.Type" : "CompressionType");
  const serialization = c.Serialization
    ? serializationOf(c.Serialization.Type, { delimiter: c.Serialization.FieldDelimiter, compression }, file, "Serialization.Type")
    : ({ type: "json", encoding: "utf8", compression } as Serialization);
  const spec = { alias: c.Name, type, kind: inputKindOf(c.DataSourceType, type, file), serialization } as InputSpec;
  if (c.PartitionKey) spec.partitionKey = c.PartitionKey;
  return spec;
}

function localInput(raw: unknown, file: string): ProjectLocalInput {
  const c = validate(localInputSchema, raw, file);
  const alias = c.InputAlias ?? c.Name;
  if (!alias) throw new StreamkitError("a local input names its alias (InputAlias, or Name)", { file, jsonPath: "InputAlias" }, "ASA_PROJECT");
  const path = resolve(dirname(file), portablePath(c.FilePath));
  const format = c.Serialization?.Type ?? c.Format ?? "Json";
  const delimiter = c.Serialization?.FieldDelimiter ?? c.FieldDelimiter ?? c.Delimiter;
  return {
    alias,
    type: inputTypeOf(c.Type),
    path,
    serialization: serializationOf(format, { delimiter, compression: compressionFromName(path) }, file, c.Serialization ? "Serialization.Type" : "Format"),
    declaredIn: file,
  };
}

/** A local data file ending in .gz or .deflate is read decompressed. */
function compressionFromName(path: string): Serialization["compression"] {
  const lower = path.toLowerCase();
  if (lower.endsWith(".gz")) return "gzip";
  if (lower.endsWith(".deflate")) return "deflate";
  return "none";
}

function outputSpec(raw: unknown, file: string): OutputSpec {
  const c = validate(outputConfigSchema, raw, file);
  const spec = { alias: c.Name, kind: outputKindOf(c.DataSourceType, file) } as OutputSpec;
  if (c.Serialization) spec.serialization = serializationOf(c.Serialization.Type, { delimiter: c.Serialization.FieldDelimiter, jsonFormat: c.Serialization.Format }, file, "Serialization.Type");
  return spec;
}

/**
 * The JavaScript functions of a Functions/ folder: `<name>.json` (ASA's function config) with
 * `<name>.js`, or a lone `<name>.js` (a scalar UDF of any types).
 */
export function functionsInFolder(dir: string): FunctionSpec[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const names = readdirSync(dir).sort();
  const configs = names.filter((n) => extname(n).toLowerCase() === ".json");
  const described = new Set(configs.map((n) => basename(n, extname(n)).toLowerCase()));
  return [
    ...configs.map((n) => functionSpec(readJsonFile(join(dir, n), n), join(dir, n))),
    ...names
      .filter((n) => extname(n).toLowerCase() === ".js" && !described.has(basename(n, extname(n)).toLowerCase()))
      .map((n): FunctionSpec => ({ name: basename(n, extname(n)), kind: "javascript-udf", file: join(dir, n), inputs: [], output: { type: "any" } })),
  ];
}

/** Functions/<name>.json (+ <name>.js): the function's name is its file's name. */
function functionSpec(raw: unknown, file: string): FunctionSpec {
  const c = validate(functionConfigSchema, raw, file);
  const name = c.Name ?? basename(file, extname(file));
  const binding = (c.Binding?.Type ?? "").toLowerCase();
  const udfType = (c.Type ?? c.FunctionType ?? "Scalar").toLowerCase();
  let kind: FunctionSpec["kind"];
  if (binding.includes("machinelearning") || binding.includes("azureml")) kind = "azureml";
  else if (binding.includes("clr") || binding.includes("csharp") || binding.includes("c#")) kind = "csharp-udf";
  else kind = udfType.includes("aggregate") ? "javascript-uda" : "javascript-udf";
  const spec: FunctionSpec = {
    name,
    kind,
    inputs: (c.Inputs ?? []).map((i) => ({ type: i.DataType ?? "any" })),
    output: { type: c.Output?.DataType ?? "any" },
  };
  if (kind.startsWith("javascript")) {
    const scriptName = c.ScriptFile ?? c.Binding?.ScriptFile ?? `${basename(file, extname(file))}.js`;
    const script = resolve(dirname(file), portablePath(scriptName));
    if (!existsSync(script)) {
      throw new StreamkitError(`JavaScript function '${name}' has no script file ${script}`, { file, jsonPath: "ScriptFile" }, "ASA_PROJECT");
    }
    spec.file = script;
  }
  return spec;
}
