import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { formatLocation, StreamkitError } from "../../core/errors";
import { loadProjectWithNotes } from "../load-project";
import { readQueryFile } from "../query-file";
import type { LoadedJob } from "../../job";
import { checkQuery } from "../../saql";
import { sortDiagnostics } from "../../saql/check/diagnostics";
import { CommandExit, EXIT_PROBLEMS, EXIT_USAGE } from "../program";
import { renderDiagnostics, wantsColor } from "../render-diagnostics";

interface CheckOptions {
  job?: string;
  project?: string;
  format: string;
}

/** `streamkit check query.asaql [--job job.json | --project asaproj.json] [--format text|json]`. */
export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check a Stream Analytics query: syntax, names, functions, windows, joins and output tables (against a job when given)")
    .argument("[query.asaql]", "the query file, or - for standard input (default: the query of --job or --project)")
    .option("--job <job.json>", "check against this job's inputs, outputs and functions")
    .option("--project <asaproj.json>", "check against an ASA VS Code project (asaproj.json or its folder)")
    .option("--format <format>", "text or json (the compile-result shape)", "text")
    .action(async (file: string | undefined, options: CheckOptions) => {
      if (options.format !== "text" && options.format !== "json") {
        process.stderr.write(`streamkit check: --format must be text or json, not '${options.format}'\n`);
        throw new CommandExit(EXIT_USAGE);
      }
      if (options.job && options.project) {
        process.stderr.write("streamkit check: give --job or --project, not both\n");
        throw new CommandExit(EXIT_USAGE);
      }
      let loaded: LoadedJob | undefined;
      // The job and project readers (zod, file layouts) load only when asked for.
      if (options.job) {
        const { loadJobFile } = require("../../job") as typeof import("../../job");
        loaded = loadJobFile(options.job);
      }
      let projectProblems: StreamkitError[] = [];
      if (options.project) {
        const project = loadProjectWithNotes(options.project);
        loaded = project.job;
        const { missingLocalFiles } = require("../../asa-project") as typeof import("../../asa-project");
        projectProblems = [...project.unsupported, ...missingLocalFiles(project.localInputs)];
      }
      const fromStdin = file === "-";
      const queryFile = fromStdin ? undefined : file ? resolve(file) : loaded?.queryFile;
      let text: string;
      if (fromStdin) {
        text = readFileSync(0, "utf8");
      } else if (file) {
        text = readQueryFile(queryFile!);
      } else if (loaded) {
        text = loaded.queryText;
      } else {
        process.stderr.write("streamkit check: give a query file, or --job / --project whose query to check\n");
        throw new CommandExit(EXIT_USAGE);
      }
      const shown = fromStdin ? "<stdin>" : queryFile ? displayPath(queryFile) : "<query>";
      const result = checkQuery(text, { file: shown, job: loaded?.spec, local: true });
      if (!result.diagnostics.some((d) => d.severity === "error")) {
        // What the static checker passes, the run itself is asked about, on empty inputs: a
        // query `check` passes never fails `run` for a reason visible in the query and the job.
        const { dryRun } = require("../../simulator/dry-run") as typeof import("../../simulator/dry-run");
        const refused = await dryRun(text, { queryFile, job: loaded?.spec, jobDir: loaded?.file ? dirname(resolve(loaded.file)) : undefined });
        result.diagnostics = sortDiagnostics([...result.diagnostics, ...refused]);
      }
      const hasErrors = projectProblems.length > 0 || result.diagnostics.some((d) => d.severity === "error");
      if (options.format === "json") {
        const { script: _script, ...compileResult } = result;
        const project = projectProblems.map((p) => ({ message: p.message, file: p.location?.file, jsonPath: p.location?.jsonPath, code: p.code }));
        process.stdout.write(`${JSON.stringify({ file: shown, ...compileResult, ...(project.length ? { projectErrors: project } : {}) }, null, 2)}\n`);
      } else {
        for (const problem of projectProblems) process.stdout.write(`${formatLocation(problem.location)}: error: ${problem.message}\n`);
        process.stdout.write(renderDiagnostics(result.diagnostics, text, { file: shown, color: wantsColor(process.stdout) }));
        if (!hasErrors) process.stdout.write(`${shown}: ok (${result.inputs.length} input(s), ${result.outputs.length} output(s))\n`);
      }
      if (hasErrors) throw new CommandExit(EXIT_PROBLEMS);
    });
}

/** Paths under the working directory print relative, as compilers print them. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}

