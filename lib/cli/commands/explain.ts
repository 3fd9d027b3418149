import type { Command } from "commander";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, relative, resolve } from "node:path";
import { StreamkitError } from "../../core/errors";
import { writeFileAtomic } from "../../core/atomic-write";
import type { JobSpec, LoadedJob } from "../../job";
import { CommandExit, EXIT_PROBLEMS, EXIT_USAGE } from "../program";
import { renderDiagnostics, wantsColor } from "../render-diagnostics";
import type { Workload } from "../../explain";

interface ExplainOptions {
  job?: string;
  project?: string;
  format: string;
  mermaid?: string;
  svg?: string;
  eventsPerSecond?: string[];
  keys?: string;
  eventBytes?: string;
  referenceBytes?: string[];
  partitions?: string[];
  measure?: string[];
  diff?: string;
}

/** `streamkit explain query.asaql [--job job.json | --project dir]`: topology, parallelism, capacity. */
export function registerExplain(program: Command): void {
  program
    .command("explain")
    .description("explain a job: its topology, where partitions merge, whether it is embarrassingly parallel, and estimates of streaming units and state")
    .argument("[query.asaql]", "the query file (default: the query of --job or --project)")
    .option("--job <job.json>", "the job: inputs (partition counts and keys), outputs, compatibility level, streaming units")
    .option("--project <asaproj.json>", "an ASA VS Code project (asaproj.json or its folder)")
    .option("--format <format>", "text or json", "text")
    .option("--mermaid <file>", "also write the graph as Mermaid text")
    .option("--svg <file>", "also write the graph as an SVG picture")
    .option("--events-per-second <rate...>", "expected input rate: N for every input, or alias=N")
    .option("--keys <n>", "distinct values of the grouping keys")
    .option("--event-bytes <n>", "average event size in bytes (default: 500, assumed)")
    .option("--reference-bytes <alias=n...>", "reference data size in bytes (default: the size of its local file)")
    .option("--partitions <alias=n...>", "partition count of an input (overrides the job)")
    .option("--measure <alias=file...>", "measure rate, event size and distinct keys from a local input file")
    .option("--diff <git-ref>", "compare with the query at another git revision (git show <ref>:<query>)")
    .action(async (file: string | undefined, options: ExplainOptions) => {
      const usage = (message: string): never => {
        process.stderr.write(`streamkit explain: ${message}\n`);
        throw new CommandExit(EXIT_USAGE);
      };
      if (options.format !== "text" && options.format !== "json") usage(`--format must be text or json, not '${options.format}'`);
      if (options.job && options.project) usage("give --job or --project, not both");
      const loaded = loadJob(options);
      const queryFile = file ? resolve(file) : loaded?.queryFile;
      let text: string;
      if (file) {
        if (!existsSync(queryFile!)) throw new StreamkitError(`query file not found: ${queryFile}`, { file: queryFile }, "QUERY_FILE");
        text = readFileSync(queryFile!, "utf8");
      } else if (loaded) {
        text = loaded.queryText;
      } else {
        return usage("give a query file, or --job / --project whose query to explain");
      }
      if (options.partitions?.length && !loaded) usage("--partitions needs --job or --project (the inputs whose partition counts it sets)");
      const job = loaded && withPartitions(loaded.spec, options.partitions ?? [], usage);
      const shown = queryFile ? displayPath(queryFile) : "<query>";
      const workload = await buildWorkload(options, job, loaded, text, usage);
      const { explainQuery } = require("../../explain") as typeof import("../../explain");
      const result = explainQuery(text, { file: shown, job, workload });
      if (!result.explanation) {
        process.stderr.write(renderDiagnostics(result.diagnostics, text, { file: shown, color: wantsColor(process.stderr) }));
        throw new CommandExit(EXIT_PROBLEMS);
      }
      const { renderText, renderMermaid } = require("../../explain/render") as typeof import("../../explain/render");
      if (options.diff) {
        if (!queryFile) return usage("--diff needs the query as a file in a git work tree");
        const before = queryAt(options.diff, queryFile);
        const old = explainQuery(before, { file: `${options.diff}:${shown}`, job, workload });
        if (!old.explanation) {
          process.stderr.write(`streamkit explain: the query at ${options.diff} does not check:\n`);
          process.stderr.write(renderDiagnostics(old.diagnostics, before, { file: `${options.diff}:${shown}`, color: false }));
          throw new CommandExit(EXIT_PROBLEMS);
        }
        process.stdout.write(options.format === "json" ? `${JSON.stringify({ before: old.explanation, after: result.explanation }, null, 2)}\n` : diffText(options.diff, shown, renderText(old.explanation), renderText(result.explanation)));
      } else {
        process.stdout.write(options.format === "json" ? `${JSON.stringify(result.explanation, null, 2)}\n` : renderText(result.explanation));
      }
      if (options.mermaid) writeFileAtomic(resolve(options.mermaid), renderMermaid(result.explanation));
      if (options.svg) {
        const { renderSvg } = require("../../explain/svg") as typeof import("../../explain/svg");
        writeFileAtomic(resolve(options.svg), renderSvg(result.explanation));
      }
    });
}

function loadJob(options: ExplainOptions): LoadedJob | undefined {
  if (options.job) return (require("../../job") as typeof import("../../job")).loadJobFile(options.job);
  if (options.project) return (require("../../asa-project") as typeof import("../../asa-project")).loadAsaProject(options.project).job;
  return undefined;
}

/** `alias=value` pairs; a bare value (when allowed) applies to every alias, under the key "*". */
function pairs(values: string[], what: string, usage: (m: string) => never, bareAllowed = false): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values) {
    const at = v.indexOf("=");
    if (at < 0) {
      if (!bareAllowed) usage(`${what} takes alias=value, not '${v}'`);
      out.set("*", v);
    } else out.set(v.slice(0, at).toLowerCase(), v.slice(at + 1));
  }
  return out;
}

function positive(value: string, what: string, usage: (m: string) => never): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) usage(`${what} must be a positive number, not '${value}'`);
  return n;
}

function withPartitions(spec: JobSpec, given: string[], usage: (m: string) => never): JobSpec {
  const counts = pairs(given, "--partitions", usage);
  for (const alias of counts.keys()) if (!spec.inputs.some((i) => i.alias.toLowerCase() === alias)) usage(`--partitions: '${alias}' is not an input of the job`);
  return {
    ...spec,
    inputs: spec.inputs.map((i) => {
      const n = counts.get(i.alias.toLowerCase());
      if (n === undefined) return i;
      const count = positive(n, "--partitions", usage);
      if (!Number.isInteger(count)) usage(`--partitions: '${n}' is not a whole number`);
      return { ...i, partitionCount: count };
    }),
  };
}

async function buildWorkload(options: ExplainOptions, job: JobSpec | undefined, loaded: LoadedJob | undefined, text: string, usage: (m: string) => never): Promise<Workload> {
  const workload: Workload = {};
  const sources: string[] = [];
  const rates = pairs(options.eventsPerSecond ?? [], "--events-per-second", usage, true);
  if (rates.size) {
    const bare = rates.get("*");
    if (bare !== undefined && rates.size === 1) workload.eventsPerSecond = positive(bare, "--events-per-second", usage);
    else workload.eventsPerSecond = Object.fromEntries([...rates].map(([k, v]) => [k, positive(v, "--events-per-second", usage)]));
    sources.push("rate given");
  }
  if (options.keys !== undefined) workload.keys = positive(options.keys, "--keys", usage);
  if (options.eventBytes !== undefined) workload.eventBytes = positive(options.eventBytes, "--event-bytes", usage);
  const referenceBytes: Record<string, number> = {};
  for (const input of job?.inputs ?? []) {
    // Reference data read locally from a file: its size on disk (one copy per join, per partition).
    const path = input.type === "reference" && input.local?.path ? resolve(loaded?.file ? dirname(loaded.file) : process.cwd(), input.local.path) : undefined;
    if (path && existsSync(path) && statSync(path).isFile()) referenceBytes[input.alias.toLowerCase()] = statSync(path).size;
  }
  for (const [alias, v] of pairs(options.referenceBytes ?? [], "--reference-bytes", usage)) referenceBytes[alias] = positive(v, "--reference-bytes", usage);
  if (Object.keys(referenceBytes).length) workload.referenceBytes = referenceBytes;

  const measures = pairs(options.measure ?? [], "--measure", usage);
  if (measures.size) {
    const { measureInputFile } = require("../../explain/measure") as typeof import("../../explain/measure");
    const { parseQuery } = require("../../saql") as typeof import("../../saql");
    const { readTopology, keyName } = require("../../explain/topology") as typeof import("../../explain/topology");
    const { serializationFromPath } = require("../../io") as typeof import("../../io");
    const script = parseQuery(text).script;
    const steps = script ? readTopology(script, text) : [];
    const keySets = steps.flatMap((s) => s.operators.flatMap((o) => (o.kind === "window" && o.groupBy.length ? [o.groupBy.map(keyName)] : [])));
    const measuredRates: Record<string, number> = typeof workload.eventsPerSecond === "object" ? { ...workload.eventsPerSecond } : {};
    for (const [alias, path] of measures) {
      const input = job?.inputs.find((i) => i.alias.toLowerCase() === alias);
      const serialization = input?.serialization ?? serializationFromPath(path) ?? usage(`--measure: cannot tell the format of '${path}' (give --job)`);
      const timeField = steps.flatMap((s) => s.sources).find((s) => s.name.toLowerCase() === alias && s.timestampBy && /^[\w.\[\]]+$/.test(s.timestampBy))?.timestampBy;
      const m = await measureInputFile(resolve(path), serialization, { timeField: timeField && keyName(timeField), arrivalTimeField: input?.local?.arrivalTimeField, keySets });
      if (m.eventsPerSecond !== undefined && typeof workload.eventsPerSecond !== "number" && !rates.has(alias)) measuredRates[alias] = Math.round(m.eventsPerSecond * 100) / 100;
      if (workload.eventBytes === undefined && m.events) workload.eventBytes = m.eventBytes;
      if (workload.keys === undefined && m.keys !== undefined) workload.keys = m.keys;
      sources.push(`measured from ${basename(path)}: ${m.events} events${m.seconds ? ` over ${m.seconds} s` : ", no event times"}, ${m.eventBytes} bytes each, ${m.keys ?? "?"} distinct keys`);
    }
    if (Object.keys(measuredRates).length) workload.eventsPerSecond = measuredRates;
  }
  if (sources.length) workload.source = sources.join("; ");
  return workload;
}

/** The query file's text at a git revision. */
function queryAt(ref: string, queryFile: string): string {
  const result = spawnSync("git", ["show", `${ref}:./${basename(queryFile)}`], { cwd: dirname(queryFile), encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new StreamkitError(`cannot read ${basename(queryFile)} at '${ref}': ${(result.stderr || result.error?.message || "git failed").trim()}`, { file: queryFile }, "GIT");
  }
  return result.stdout;
}

function diffText(ref: string, shown: string, before: string, after: string): string {
  const { diffLinesUnified } = require("jest-diff") as typeof import("jest-diff");
  const plain = (s: string) => s;
  if (before === after) return `${shown}: no change in topology or estimates since ${ref}\n`;
  return (
    diffLinesUnified(before.trimEnd().split("\n"), after.trimEnd().split("\n"), {
      aAnnotation: `${ref}:${shown}`,
      bAnnotation: `${shown} (working tree)`,
      aColor: plain,
      bColor: plain,
      commonColor: plain,
      changeColor: plain,
      patchColor: plain,
      expand: false,
      contextLines: 2,
      includeChangeCounts: false,
    }) + "\n"
  );
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}

