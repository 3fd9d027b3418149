import type { Command } from "commander";
import type { SingleBar } from "cli-progress";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { StreamkitError, StreamkitErrors } from "../../core/errors";
import { escapeControl } from "../../core/terminal-text";
import { badDataCount, overMaxErrors } from "../../core/data-errors";
import { CommandExit, EXIT_PROBLEMS } from "../program";
import type { ProjectLocalInput } from "../../asa-project";
import { loadProjectWithNotes } from "../load-project";
import { readQueryFile } from "../query-file";
import { serializationTypeFromName } from "../../io";
import type { JobSpec, Serialization } from "../../job";
import { checkQuery } from "../../saql";
import { dateTimeOf, TICKS_PER_SECOND } from "../../saql/instant";
import { runQueryOnFiles, type FileInput, type RunFilesOptions } from "../../simulator/run-files";
import type { RunStats, RunWarning } from "../../simulator/run";
import { writeFileAtomic } from "../../core/atomic-write";
import { formatRunReport } from "../../simulator/run-report";
import type { CaptureProgress } from "../../io/capture";
import { addOrderingOptions, readOrderingOptions, type OrderingOptions } from "./ordering-options";

interface RunOptions extends OrderingOptions {
  input: string[];
  capturePathFormat?: string;
  compare?: string;
  ignoreField?: string[];
  report?: string;
  maxErrors?: number;
  job?: string;
  project?: string;
  out?: string;
  quiet?: boolean;
}

/** Warnings printed one by one before the rest are only counted. */
const MAX_WARNINGS = 20;

/** `streamkit run [query.asaql] --input Alias=path[:format] … [--job job.json | --project dir] [--out dir]`. */
export function registerRun(program: Command): void {
  const command = program
    .command("run")
    .description("run a query on local event files with ASA's event-time semantics and write each output (JSON lines by default)")
    .argument("[query.asaql]", "the query (default: the query of --job or --project)")
    .option("-i, --input <alias=path[:format]>", "an input's events (format: json, csv, avro, parquet; default from the extension); capture: a folder or glob of Event Hubs Capture files", collect, [])
    .option("--capture-path-format <format>", "the file name format of the Capture inputs named with --input (default {Namespace}/{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second})")
    .option("--job <job.json>", "the job: inputs, outputs, event ordering, compatibility level")
    .option("--project <dir|asaproj.json>", "an ASA VS Code project: its job settings and local inputs (Inputs/Local_*.json)")
    .option("-o, --out <dir>", "folder for outputs without a local path (default: one such output goes to standard output as JSON lines; with --project, <project>/LocalRunOutputs)")
    .option("-q, --quiet", "print no summary")
    .option("--max-errors <n>", "exit 1 when more than n events fail to deserialize or convert (data quality gate for CI)", parseMaxErrors)
    .option("--compare <folder>", "compare the outputs with the files the real job wrote (<folder>/<alias>/ or <alias>.<ext>; the folder itself for a single output) by the rules of `streamkit test`: exit 1 when they differ")
    .option("--ignore-field <name>", "with --compare: a field left out of the comparison; repeatable (default: EventProcessedUtcTime)", collect)
    .option("--report <run.json>", "write a machine-readable run report: events read, rows written, data errors by ASA's type with their first locations");
  addOrderingOptions(command).action(async (queryArg: string | undefined, options: RunOptions) => {
      const { ordering, arrivalTime } = readOrderingOptions(options);
      const target = resolveRunTarget(queryArg, options);
      const { queryText, queryFile, job, jobDir, projectInputs } = target;
      if (options.ignoreField && !options.compare) throw new StreamkitError("--ignore-field applies to --compare", undefined, "USAGE");
      // Compared outputs need files to read back: without --out they go to a temporary folder.
      const compareDir = options.compare !== undefined && target.outDir === undefined ? mkdtempSync(join(tmpdir(), "streamkit-compare-")) : undefined;
      const outDir = target.outDir ?? compareDir;
      const stream = outDir === undefined ? stdoutOutput(queryText, job) : undefined;
      // With rows on standard output, the summary goes to standard error.
      const report = stream ? process.stderr : process.stdout;
      // Inputs named on the command line win over the project's local inputs of the same alias.
      const named = options.input.map(parseInputOption);
      if (options.capturePathFormat !== undefined) {
        if (!named.some((n) => n.capture)) throw new StreamkitError("--capture-path-format applies to inputs given as --input alias=<folder>:capture", undefined, "USAGE");
        for (const n of named) if (n.capture) n.capturePathFormat = options.capturePathFormat;
      }
      const fromProject = projectInputs.filter((p) => !named.some((n) => n.alias.toLowerCase() === p.alias.toLowerCase()));
      if (fromProject.length) {
        const { missingLocalFiles } = require("../../asa-project") as typeof import("../../asa-project");
        const missing = missingLocalFiles(fromProject);
        if (missing.length) throw new StreamkitErrors(missing);
      }
      const inputs = [...fromProject, ...named];
      const shown = new Set<string>();
      let hidden = 0;
      const onWarning = (w: RunWarning) => {
        const text = `warning: ${escapeControl(`${w.origin ? `${w.origin}: ` : ""}${w.message}`)} [${w.type}]\n`;
        if (shown.has(text)) return; // given again by a run that started over
        if (shown.size < MAX_WARNINGS) {
          shown.add(text);
          bar?.stop();
          process.stderr.write(text);
        } else hidden++;
      };
      // A run that starts over (an input read again sorted) gives its warnings again: those already printed are not repeated.
      const onRestart = () => {
        hidden = 0;
      };
      // A progress line only where someone watches: a terminal on stderr. Capture inputs add the
      // files, bytes and the enqueued time reached.
      let bar: SingleBar | undefined;
      const capture = new Map<string, CaptureProgress>();
      const captureText = () =>
        [...capture.entries()]
          .map(([alias, p]) => ` | ${alias}: ${p.files}/${p.filesTotal} files, ${p.records} messages, ${megabytes(p.bytes)}/${megabytes(p.bytesTotal)} MB${p.position === undefined ? "" : `, at ${dateTimeOf(p.position).toString()}`}`)
          .join("");
      let events = 0;
      const show = () => {
        if (!bar) {
          bar = new (require("cli-progress") as typeof import("cli-progress")).SingleBar({ format: "events read: {value}{capture}", stream: process.stderr, hideCursor: true }, undefined);
          bar.start(0, 0, { capture: "" });
        }
        bar.update(events, { capture: captureText() });
      };
      const onProgress = process.stderr.isTTY
        ? (n: number) => {
            events = n;
            show();
          }
        : undefined;
      const onCaptureProgress = process.stderr.isTTY
        ? (alias: string, p: CaptureProgress) => {
            const last = capture.get(alias);
            capture.set(alias, { ...p });
            // A redraw per file, per 16 MB, or per minute of event time: not per batch.
            if (!last || last.files !== p.files || p.bytes - last.bytes > 16e6 || (p.position ?? 0) - (last.position ?? 0) > 60 * TICKS_PER_SECOND) show();
          }
        : undefined;
      try {
        const result = await runQueryOnFiles({
          queryText,
          queryFile,
          job,
          jobDir,
          inputs,
          outDir,
          ordering,
          arrivalTime,
          stream,
          onWarning,
          onProgress,
          onCaptureProgress,
          onRestart,
        });
        bar?.stop();
        if (hidden) process.stderr.write(`warning: ${hidden} more warning(s) not shown\n`);
        if (options.report) writeFileAtomic(options.report, formatRunReport(result.stats, result.files, queryFile));
        if (!options.quiet) report.write(summary(result.stats, result.files));
        if (options.compare !== undefined) {
          // Loaded only here: the row diff (jest-diff) is not needed by other runs.
          const { compareWithFolder, formatComparison } = require("../../simulator/compare-outputs") as typeof import("../../simulator/compare-outputs");
          const comparisons = await compareWithFolder(resolve(options.compare), result.files, { job, ignoreFields: options.ignoreField });
          report.write(formatComparison(comparisons, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, cwd: process.cwd() }));
          if (comparisons.some((c) => !c.pass)) throw new CommandExit(EXIT_PROBLEMS);
        }
        const over = overMaxErrors(badDataCount(result.stats.errors), options.maxErrors);
        if (over) {
          process.stderr.write(`streamkit: ${over}\n`);
          throw new CommandExit(EXIT_PROBLEMS);
        }
      } finally {
        bar?.stop();
        if (compareDir) rmSync(compareDir, { recursive: true, force: true });
      }
    });
}

interface RunTarget {
  queryText: string;
  queryFile?: string;
  job?: JobSpec;
  jobDir?: string;
  projectInputs: ProjectLocalInput[];
  /** Undefined: no --out, and no project folder to write LocalRunOutputs in. */
  outDir?: string;
}

/** The query, job and default inputs of a run: from a query file, a job file or an ASA project. */
function resolveRunTarget(queryArg: string | undefined, options: RunOptions): RunTarget {
  if (options.job && options.project) throw new StreamkitError("give --job or --project, not both", undefined, "USAGE");
  let target: RunTarget | undefined;
  if (options.project) {
    const project = loadProjectWithNotes(options.project);
    if (project.unsupported.length) throw new StreamkitErrors(project.unsupported);
    target = {
      queryText: project.job.queryText,
      queryFile: project.job.queryFile,
      job: project.job.spec,
      jobDir: project.projectDir,
      projectInputs: project.localInputs,
      outDir: options.out ?? join(project.projectDir, "LocalRunOutputs"),
    };
  } else if (options.job) {
    // The job model (and zod) loads only for --job: a run of a query on files starts without it.
    const loaded = (require("../../job") as typeof import("../../job")).loadJobFile(options.job);
    target = {
      queryText: loaded.queryText,
      queryFile: loaded.queryFile,
      job: loaded.spec,
      jobDir: dirname(resolve(options.job)),
      projectInputs: [],
      outDir: options.out,
    };
  }
  if (queryArg !== undefined) {
    const queryText = readQueryFile(queryArg);
    return { projectInputs: [], outDir: options.out, ...target, queryText, queryFile: queryArg };
  }
  if (!target) throw new StreamkitError("name a query file, --job or --project", undefined, "USAGE");
  return target;
}

/**
 * Without --out, `run` writes no file the job does not name: the one output without a local path
 * goes to standard output as JSON lines (pipe it to jq); several need --out.
 */
function stdoutOutput(queryText: string, job: JobSpec | undefined): RunFilesOptions["stream"] {
  const withPath = new Set((job?.outputs ?? []).filter((o) => o.local?.path).map((o) => o.alias.toLowerCase()));
  const unplaced = checkQuery(queryText, { job }).outputs.filter((alias) => !withPath.has(alias.toLowerCase()));
  if (unplaced.length > 1) {
    throw new StreamkitError(
      `the query writes ${unplaced.length} outputs (${unplaced.join(", ")}): give --out <dir> for their files (without --out, a single output goes to standard output)`,
      undefined,
      "USAGE",
    );
  }
  if (unplaced.length === 0) return undefined;
  // A reader that stops early (| head) closes the pipe: end quietly, as other filters do.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  return { alias: unplaced[0]!, write: (bytes) => process.stdout.write(bytes) };
}

/** --max-errors: a whole number ≥ 0. */
export function parseMaxErrors(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw new StreamkitError(`--max-errors takes a whole number ≥ 0, not '${text}'`, undefined, "USAGE");
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);

/** `Alias=path[:format]`; a trailing `:json` / `:csv` … names the format, `:capture` a folder of Capture files (a Windows drive letter is not one). */
function parseInputOption(text: string): FileInput {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new StreamkitError(`--input takes Alias=path[:format], got '${text}'`, undefined, "USAGE");
  const alias = text.slice(0, eq);
  let path = text.slice(eq + 1);
  let serialization: Serialization | undefined;
  const colon = path.lastIndexOf(":");
  if (colon > 1 && path.slice(colon + 1).toLowerCase() === "capture") {
    path = path.slice(0, colon);
    if (!path) throw new StreamkitError(`--input ${alias}= needs a folder or glob of Capture files`, undefined, "USAGE");
    return { alias, path, capture: true };
  }
  if (colon > 1) {
    const type = serializationTypeFromName(path.slice(colon + 1));
    if (type) {
      path = path.slice(0, colon);
      serialization = { type, encoding: "utf8", compression: path.endsWith(".gz") ? "gzip" : "none" };
    }
  }
  if (!path) throw new StreamkitError(`--input ${alias}= needs a path`, undefined, "USAGE");
  return { alias, path, serialization };
}

function summary(stats: RunStats, files: Record<string, string>): string {
  const lines: string[] = [];
  for (const [alias, n] of Object.entries(stats.eventsRead)) lines.push(`input  ${alias}: ${n} event(s) read`);
  for (const [alias, n] of Object.entries(stats.rowsWritten)) lines.push(`output ${alias}: ${n} row(s) written to ${files[alias]}`);
  lines.push(`ordering: ${stats.ordering === "local" ? "local (each input in event-time order, no ordering policy)" : "cloud (arrival order, the job's ordering policy)"}`);
  if (stats.ordering === "cloud") lines.push(
    `late events: ${stats.lateAdjusted} adjusted, ${stats.lateDropped} dropped; out-of-order events: ${stats.outOfOrderAdjusted} adjusted, ${stats.outOfOrderDropped} dropped; early events dropped: ${stats.earlyDropped}`,
  );
  lines.push(`deserialization errors: ${stats.deserializationErrors}; rows skipped on data errors: ${stats.dataErrors}`);
  const total = stats.errors.reduce((n, e) => n + e.count, 0);
  lines.push(`data errors: ${total}${total ? " (by ASA's type; first locations)" : ""}`);
  for (const e of stats.errors) {
    const where = e.first.map((f) => f.origin).filter((o) => o !== undefined);
    lines.push(`  ${e.type}: ${e.count}${where.length ? ` (${where.join(", ")}${e.count > where.length ? ", …" : ""})` : ""}`);
  }
  return lines.join("\n") + "\n";
}
