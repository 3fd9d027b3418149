import type { Command } from "commander";
import { existsSync } from "node:fs";
import pc from "picocolors";
import { writeFileAtomic } from "../../core/atomic-write";
import { StreamkitError } from "../../core/errors";
import { defaultTestConfigPath } from "../../asa-project";
import { loadProjectWithNotes } from "../load-project";
import {
  discoverCases,
  formatCaseLine,
  formatFailure,
  formatJunitReport,
  loadRunQuery,
  runCases,
  summaryLine,
  testConfigCases,
  type TestCase,
} from "../../simulator/testing";
import { CommandExit, EXIT_PROBLEMS } from "../program";
import { addOrderingOptions, readOrderingOptions, type OrderingOptions } from "./ordering-options";

interface TestOptions extends OrderingOptions {
  project?: string;
  config?: string;
  reporter: string;
  out?: string;
  update?: boolean;
}

/** `streamkit test [path…]` and `streamkit test --project <dir> [--config testConfig.json]`. */
export function registerTest(program: Command): void {
  const command = program
    .command("test")
    .description("run query test cases (queries/<job>/tests/<case>/ and ASA testConfig.json) and compare each output with its expected rows")
    .argument("[paths...]", "folders or files to search for cases", ["queries"])
    .option("--project <dir|asaproj.json>", "an ASA VS Code project: run its testConfig.json")
    .option("--config <testConfig.json>", "the test configuration of --project (default: <project>/test/testConfig.json, or Test/)")
    .option("--reporter <text|junit>", "report format", "text")
    .option("--out <file>", "write the report to this file (junit)")
    .option("--update", "rewrite expected files with the actual rows (review the change first)");
  addOrderingOptions(command).action(async (paths: string[], options: TestOptions) => {
      if (options.reporter !== "text" && options.reporter !== "junit") {
        throw new StreamkitError(`unknown reporter '${options.reporter}' (text or junit)`, undefined, "USAGE");
      }
      if (options.config && !options.project) throw new StreamkitError("--config needs --project", undefined, "USAGE");
      const { ordering, arrivalTime } = readOrderingOptions(options);
      const cases = findCases(paths, options);
      if (cases.length === 0) throw new StreamkitError(`no test cases found under ${paths.join(", ")}`, undefined, "TEST_PATH");

      const color = pc.isColorSupported && process.stdout.isTTY === true;
      const report = { color, cwd: process.cwd() };
      const junitToStdout = options.reporter === "junit" && !options.out;
      const results = await runCases(cases, {
        runQuery: loadRunQuery(),
        update: options.update,
        ordering,
        arrivalTime,
        onResult: (result) => {
          if (junitToStdout) return;
          process.stdout.write(formatCaseLine(result, report) + "\n");
          if (result.status === "failed") process.stdout.write(formatFailure(result, report) + "\n");
        },
      });
      if (options.reporter === "junit") {
        const xml = formatJunitReport(results, process.cwd());
        if (options.out) writeFileAtomic(options.out, xml);
        else process.stdout.write(xml);
      } else if (options.out) {
        throw new StreamkitError("--out is for --reporter junit", undefined, "USAGE");
      }
      const summary = summaryLine(results);
      if (junitToStdout) process.stderr.write(summary + "\n");
      else process.stdout.write(`\n${summary}\n`);
      if (results.some((r) => r.status === "failed")) throw new CommandExit(EXIT_PROBLEMS);
    });
}

function findCases(paths: string[], options: TestOptions): TestCase[] {
  if (!options.project) return discoverCases(paths);
  const project = loadProjectWithNotes(options.project, { testConfig: options.config });
  const config = options.config ?? defaultTestConfigPath(project.projectDir);
  if (!existsSync(config)) throw new StreamkitError(`test configuration not found: ${config}`, { file: config }, "TEST_CONFIG");
  return testConfigCases(config, project);
}
