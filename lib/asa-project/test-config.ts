// testConfig.json of azure-streamanalytics-cicd: test cases of an ASA project, each with
// input files per alias and expected output files per alias, paths relative to the config.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { StreamkitError } from "../core/errors";
import type { Serialization } from "../job/schema";
import { serializationFromPath } from "../io/formats";
import { compressionOfFile } from "../io/compression-sniff";
import { childFolder, portablePath, projectPath, readJsonFile, validate } from "./json-file";
import { inputTypeOf, serializationOf } from "./mapping";
import { testConfigSchema } from "./schemas";

export interface TestConfigInput {
  alias: string;
  type: "stream" | "reference";
  path: string;
  serialization: Serialization;
  /** JSON path of this input in the config, for located errors. */
  jsonPath: string;
}

export interface TestConfigOutput {
  alias: string;
  path: string;
  required: boolean;
  jsonPath: string;
}

export interface TestConfigCase {
  name: string;
  inputs: TestConfigInput[];
  expectedOutputs: TestConfigOutput[];
  jsonPath: string;
}

export interface TestConfig {
  file: string;
  /** Informational only (cicd-tools.md: "not used in the testing logic"). */
  script?: string;
  cases: TestConfigCase[];
}

/** Where the ASA tools look by default: <project>/test/testConfig.json (`Test/` on Windows-made projects). */
export function defaultTestConfigPath(projectDir: string): string {
  return findTestConfig(projectDir) ?? join(projectDir, "test", "testConfig.json");
}

/** The project's testConfig.json under test/ or Test/, if there is one. */
export function findTestConfig(projectDir: string): string | undefined {
  const dir = childFolder(projectDir, "test");
  const file = dir && readdirSync(dir).find((n) => n.toLowerCase() === "testconfig.json");
  return file ? join(dir, file) : undefined;
}

export function loadTestConfig(path: string): TestConfig {
  const file = resolve(path);
  if (!existsSync(file)) throw new StreamkitError(`test configuration not found: ${file}`, { file }, "TEST_CONFIG");
  const config = validate(testConfigSchema, readJsonFile(file, "testConfig.json"), file);
  const base = dirname(file);
  const cases = config.TestCases.map((c, i): TestConfigCase => {
    const at = `TestCases[${i}]`;
    return {
      name: c.Name,
      jsonPath: at,
      inputs: c.Inputs.map((input, j) => {
        const jsonPath = `${at}.Inputs[${j}]`;
        const inputPath = projectPath(base, input.FilePath, { file, jsonPath: `${jsonPath}.FilePath` });
        const fromName = serializationFromPath(inputPath);
        // The file's own bytes say whether it is compressed; its name, when it cannot be read.
        const compression = existsSync(inputPath) ? compressionOfFile(inputPath) : fromName?.compression;
        const serialization = input.Format
          ? serializationOf(input.Format, { delimiter: input.Delimiter, compression }, file, `${jsonPath}.Format`)
          : fromName && { ...fromName, compression: compression ?? fromName.compression };
        if (!serialization) throw new StreamkitError(`cannot tell the format of ${inputPath}: add a Format`, { file, jsonPath: `${jsonPath}.Format` }, "TEST_CONFIG");
        return { alias: input.InputAlias, type: inputTypeOf(input.Type), path: inputPath, serialization, jsonPath };
      }),
      expectedOutputs: c.ExpectedOutputs.map((output, j) => {
        const required = output.Required === true || String(output.Required).toLowerCase() === "true";
        const jsonPath = `${at}.ExpectedOutputs[${j}]`;
        return {
          alias: output.OutputAlias,
          // The path of an output that is not required is never read: any text is allowed there.
          path: required ? projectPath(base, output.FilePath, { file, jsonPath: `${jsonPath}.FilePath` }) : resolve(base, portablePath(output.FilePath)),
          required,
          jsonPath,
        };
      }),
    };
  });
  return { file, script: config.Script ?? undefined, cases };
}
