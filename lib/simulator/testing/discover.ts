// Finds test cases under paths: streamkit's layout (`<job>/tests/<case>/inputs|expected`,
// with `job.json` or a single `.asaql` beside `tests/`) and ASA projects (`asaproj.json` with
// `test/testConfig.json`, or a testConfig.json named directly).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { StreamkitError, StreamkitErrors } from "../../core/errors";
import { defaultTestConfigPath, findAsaproj, functionsInFolder, loadAsaProject, loadTestConfig, type AsaProject } from "../../asa-project";
import { readJsonFile, validate } from "../../asa-project/json-file";
import { serializationFromPath } from "../../io/formats";
import { loadJobFile, parseJobSpec, resolveFrom, type JobSpec, type LoadedJob } from "../../job";
import { parseArrivalTime } from "../ordering";
import { caseFileSchema, type CaseFile } from "./case-file";
import { DEFAULT_COMPARE } from "./compare";
import type { TestCase } from "./types";

const SKIP_DIRS = new Set(["node_modules", "LocalRunOutputs", "testResults", "cdktf.out", "dist"]);

/** Every case under the given files or directories, in a stable order. */
export function discoverCases(paths: string[]): TestCase[] {
  const cases: TestCase[] = [];
  const seen = new Set<string>();
  const add = (list: TestCase[]) => {
    for (const c of list) {
      const key = `${c.source}\u0000${c.name}`;
      if (!seen.has(key)) {
        seen.add(key);
        cases.push(c);
      }
    }
  };
  for (const path of paths) {
    const full = resolve(path);
    if (!existsSync(full)) throw new StreamkitError(`test path not found: ${full}`, { file: full }, "TEST_PATH");
    if (statSync(full).isFile()) {
      if (basename(full) === "asaproj.json" || extname(full).toLowerCase() === ".asaproj") add(projectCases(full));
      else if (extname(full) === ".json") add(testConfigCases(full));
      else throw new StreamkitError(`not a test path (a directory, asaproj.json or testConfig.json): ${full}`, { file: full }, "TEST_PATH");
      continue;
    }
    add(walk(full));
  }
  return cases;
}

function walk(dir: string): TestCase[] {
  // A case directory named directly.
  if (basename(dirname(dir)) === "tests" && isCaseDir(dir)) return [streamkitCase(dirname(dirname(dir)), dir)];
  if (basename(dir) === "tests" && jobQuery(dirname(dir))) return jobCases(dirname(dir), dir);
  const found: TestCase[] = [];
  if (isProjectDir(dir)) found.push(...projectCases(dir));
  const tests = join(dir, "tests");
  if (existsSync(tests) && statSync(tests).isDirectory() && jobQuery(dir)) found.push(...jobCases(dir, tests));
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".") || SKIP_DIRS.has(name) || name === "tests") continue;
    const child = join(dir, name);
    if (statSync(child).isDirectory()) found.push(...walk(child));
  }
  return found;
}

function isCaseDir(dir: string): boolean {
  return existsSync(join(dir, "inputs")) || existsSync(join(dir, "expected")) || existsSync(join(dir, "case.json"));
}

/** The job of a streamkit job directory: job.json, or its single .asaql file. */
function jobQuery(dir: string): { jobFile?: string; queryFile?: string } | undefined {
  if (existsSync(join(dir, "job.json"))) return { jobFile: join(dir, "job.json") };
  const queries = readdirSync(dir).filter((n) => extname(n).toLowerCase() === ".asaql");
  if (queries.length === 1) return { queryFile: join(dir, queries[0]) };
  return undefined;
}

function jobCases(jobDir: string, testsDir: string): TestCase[] {
  return readdirSync(testsDir)
    .sort()
    .map((name) => join(testsDir, name))
    .filter((d) => statSync(d).isDirectory() && isCaseDir(d))
    .map((d) => streamkitCase(jobDir, d));
}

/** The files (or the folders) of a folder, in name order, dot entries left out. */
function filesIn(dir: string, folders = false): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .filter((n) => !n.startsWith("."))
    .map((n) => join(dir, n))
    .filter((f) => (folders ? statSync(f).isDirectory() : statSync(f).isFile()));
}

/** `inputs/Alias.json.gz` → `Alias` */
function aliasOf(file: string): string {
  return basename(file).split(".")[0];
}

function streamkitCase(jobDir: string, caseDir: string): TestCase {
  const query = jobQuery(jobDir)!;
  const name = `${basename(jobDir)} › ${basename(caseDir)}`;
  const caseJson = join(caseDir, "case.json");
  let options: CaseFile;
  let job: LoadedJob;
  try {
    options = existsSync(caseJson) ? validate(caseFileSchema, readJsonFile(caseJson, "case.json"), caseJson) : caseFileSchema.parse({});
    job = query.jobFile ? withAbsoluteScripts(loadJobFile(query.jobFile)) : derivedJob(jobDir, query.queryFile!, caseDir, options);
  } catch (error) {
    return brokenCase(name, caseDir, error);
  }
  if (options.eventOrdering) job = { ...job, spec: { ...job.spec, eventOrdering: { ...job.spec.eventOrdering, ...options.eventOrdering } } };

  const testCase: TestCase = {
    name,
    source: caseDir,
    job,
    inputs: [],
    expected: [],
    compare: { ...DEFAULT_COMPARE, orderSensitive: options.orderSensitive, ignoreFields: options.ignoreFields, floatTolerance: options.floatTolerance, caseSensitiveNames: job.spec.compatibilityLevel !== "1.0" },
    expectedError: options.expectedError,
    maxErrors: options.maxErrors,
    expectedDir: join(caseDir, "expected"),
    ordering: options.ordering,
    arrivalTime: options.arrivalTime === undefined ? undefined : parseArrivalTime(options.arrivalTime),
  };
  try {
    for (const file of filesIn(join(caseDir, "inputs"))) {
      const alias = aliasOf(file);
      const declared = job.spec.inputs.find((i) => i.alias.toLowerCase() === alias.toLowerCase());
      if (!declared) throw unknownAlias("input", alias, file, job.spec.inputs.map((i) => i.alias));
      const serialization = serializationFromPath(file) ?? declared.serialization;
      const csvDelimiter = serialization.type === "csv" && declared.serialization.type === "csv" ? declared.serialization.fieldDelimiter : undefined;
      testCase.inputs.push({
        alias: declared.alias,
        path: file,
        serialization: csvDelimiter ? { ...serialization, fieldDelimiter: csvDelimiter } : serialization,
        arrivalTimeField: options.arrivalTimeFields[declared.alias] ?? declared.local?.arrivalTimeField,
      });
    }
    // A folder `inputs/<alias>/` holds Event Hubs Capture files of an Event Hub or IoT Hub input.
    for (const dir of filesIn(join(caseDir, "inputs"), true)) {
      const alias = basename(dir);
      const declared = job.spec.inputs.find((i) => i.alias.toLowerCase() === alias.toLowerCase());
      if (!declared) throw unknownAlias("input", alias, dir, job.spec.inputs.map((i) => i.alias));
      if (declared.kind !== "eventhub" && declared.kind !== "iothub") {
        throw new StreamkitError(`the folder inputs/${alias}/ is read as Event Hubs Capture files, but input '${declared.alias}' is of kind '${declared.kind}' (Capture replays an Event Hub or IoT Hub input)`, { file: dir }, "UNKNOWN_ALIAS");
      }
      testCase.inputs.push({
        alias: declared.alias,
        path: dir,
        serialization: declared.serialization,
        capture: { pathFormat: options.capturePathFormats[declared.alias] ?? declared.local?.capturePathFormat, iotHub: declared.kind === "iothub" },
      });
    }
    for (const file of filesIn(join(caseDir, "expected"))) {
      const alias = aliasOf(file);
      if (query.jobFile && job.spec.outputs.length > 0 && !job.spec.outputs.some((o) => o.alias.toLowerCase() === alias.toLowerCase())) {
        throw unknownAlias("output", alias, file, job.spec.outputs.map((o) => o.alias));
      }
      testCase.expected.push({ alias, path: file, required: true, serialization: serializationFromPath(file) });
    }
  } catch (error) {
    return { ...testCase, setupError: asStreamkitError(error, caseDir) };
  }
  return testCase;
}

/** Function scripts are relative to the job file; the engine gets the spec alone, so make them absolute. */
function withAbsoluteScripts(job: LoadedJob): LoadedJob {
  const functions = job.spec.functions.map((f) => (f.file ? { ...f, file: resolveFrom(job.file, f.file) } : f));
  return { ...job, spec: { ...job.spec, functions } };
}

/** A job directory without job.json: the inputs and outputs are those the case's files name. */
function derivedJob(jobDir: string, queryFile: string, caseDir: string, options: CaseFile): LoadedJob {
  const reference = new Set(options.referenceInputs.map((a) => a.toLowerCase()));
  const inputs = filesIn(join(caseDir, "inputs")).map((file) => {
    const alias = aliasOf(file);
    const isReference = reference.has(alias.toLowerCase());
    return { alias, type: isReference ? "reference" : "stream", kind: isReference ? "blob" : "eventhub", serialization: serializationFromPath(file) } as const;
  });
  // Folders of Event Hubs Capture files: Event Hub inputs with JSON message bodies.
  for (const dir of filesIn(join(caseDir, "inputs"), true)) inputs.push({ alias: basename(dir), type: "stream", kind: "eventhub", serialization: undefined });
  const outputs = filesIn(join(caseDir, "expected")).map((file) => ({ alias: aliasOf(file), kind: "blob" as const }));
  // JavaScript functions beside the query, as in an ASA project: Functions/<name>.js (+ .json).
  const functions = functionsInFolder(join(jobDir, "Functions"));
  const name = basename(jobDir).replace(/[^A-Za-z0-9_-]/g, "-").padEnd(3, "_");
  const spec: JobSpec = parseJobSpec({ name, query: { file: queryFile }, inputs, outputs, functions }, join(caseDir, "case.json"));
  return { spec, queryText: readFileSync(queryFile, "utf8"), queryFile };
}

function projectCases(asaprojFile: string): TestCase[] {
  const configFile = defaultTestConfigPath(dirname(findAsaproj(asaprojFile)));
  if (!existsSync(configFile)) return [];
  return testConfigCases(configFile, loadAsaProject(asaprojFile, { testConfig: configFile }));
}

/** A folder holding an ASA project: asaproj.json, or a Visual Studio .asaproj. */
function isProjectDir(dir: string): boolean {
  return existsSync(join(dir, "asaproj.json")) || readdirSync(dir).some((n) => extname(n).toLowerCase() === ".asaproj");
}

/** The ASA project a testConfig.json belongs to: the nearest asaproj.json above it. */
function projectOfConfig(configFile: string): AsaProject {
  let dir = dirname(configFile);
  for (let i = 0; i < 3; i++) {
    if (isProjectDir(dir)) return loadAsaProject(dir, { testConfig: configFile });
    dir = dirname(dir);
  }
  throw new StreamkitError(`no asaproj.json found above ${configFile}: name the project with --project`, { file: configFile }, "TEST_CONFIG");
}

/** The cases of a testConfig.json for a project (loaded here when not given). */
export function testConfigCases(configFile: string, project: AsaProject = projectOfConfig(resolve(configFile))): TestCase[] {
  const config = loadTestConfig(configFile);
  const job = project.job;
  return config.cases.map((c): TestCase => {
    const testCase: TestCase = {
      name: `${job.spec.name} › ${c.name}`,
      source: config.file,
      job,
      inputs: [],
      expected: [],
      compare: { ...DEFAULT_COMPARE, caseSensitiveNames: job.spec.compatibilityLevel !== "1.0" },
    };
    try {
      if (project.unsupported.length) throw new StreamkitErrors(project.unsupported);
      for (const input of c.inputs) {
        const declared = job.spec.inputs.find((i) => i.alias.toLowerCase() === input.alias.toLowerCase());
        if (!declared) {
          throw new StreamkitError(
            `unknown input alias '${input.alias}' (the project declares: ${job.spec.inputs.map((i) => i.alias).join(", ") || "none"})`,
            { file: config.file, jsonPath: `${input.jsonPath}.InputAlias` },
            "UNKNOWN_ALIAS",
          );
        }
        if (!existsSync(input.path)) {
          throw new StreamkitError(`input file not found: ${input.path}`, { file: config.file, jsonPath: `${input.jsonPath}.FilePath` }, "IO_FILE");
        }
        testCase.inputs.push({ alias: declared.alias, path: input.path, serialization: input.serialization, arrivalTimeField: declared.local?.arrivalTimeField });
      }
      for (const output of c.expectedOutputs) {
        if (!output.required) {
          testCase.expected.push({ alias: output.alias, path: output.path, required: false });
          continue;
        }
        if (job.spec.outputs.length > 0 && !job.spec.outputs.some((o) => o.alias.toLowerCase() === output.alias.toLowerCase())) {
          throw new StreamkitError(
            `unknown output alias '${output.alias}' (the project declares: ${job.spec.outputs.map((o) => o.alias).join(", ")})`,
            { file: config.file, jsonPath: `${output.jsonPath}.OutputAlias` },
            "UNKNOWN_ALIAS",
          );
        }
        if (!existsSync(output.path)) {
          throw new StreamkitError(`expected output file not found: ${output.path}`, { file: config.file, jsonPath: `${output.jsonPath}.FilePath` }, "IO_FILE");
        }
        testCase.expected.push({ alias: output.alias, path: output.path, required: true, serialization: serializationFromPath(output.path) });
      }
    } catch (error) {
      return { ...testCase, setupError: asStreamkitError(error, config.file) };
    }
    return testCase;
  });
}

function unknownAlias(kind: "input" | "output", alias: string, file: string, declared: string[]): StreamkitError {
  return new StreamkitError(
    `unknown ${kind} alias '${alias}' (from the file name; the job declares: ${declared.join(", ") || "none"})`,
    { file },
    "UNKNOWN_ALIAS",
  );
}

function asStreamkitError(error: unknown, file: string): StreamkitError {
  return error instanceof StreamkitError ? error : new StreamkitError((error as Error).message, { file });
}

/** A case whose job or case.json cannot be read: it fails with that error, without a job. */
function brokenCase(name: string, caseDir: string, error: unknown): TestCase {
  return { name, source: caseDir, inputs: [], expected: [], compare: DEFAULT_COMPARE, setupError: asStreamkitError(error, caseDir) };
}
