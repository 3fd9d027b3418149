// `streamkit explain`: a job's topology, whether it scales, and what it will cost — from the query,
// the job model's inputs (partition counts and keys) and outputs, and an expected workload.
import type { JobSpec } from "../job/schema";
import { checkQuery, type Diagnostic } from "../saql";
import { estimateCapacity, formatSuV2, type Capacity, type Workload } from "./capacity";
import { CITE } from "./citations";
import { analyzeParallelism, type Finding, type OutputParallelism, type StepParallelism, type Tri } from "./parallelism";
import { readTopology, type StepInfo } from "./topology";

export { formatSuV2, type Workload, type Capacity, type Estimate } from "./capacity";
export type { Finding } from "./parallelism";
export { cite } from "./citations";

export interface InputInfo {
  alias: string;
  kind?: string;
  type: "stream" | "reference";
  partitionCount?: number;
  partitionKey?: string;
}

export interface ExplainedStep extends StepInfo {
  parallelism: StepParallelism;
}

export interface Explanation {
  job?: { name: string; compatibilityLevel: string; streamingUnits: number; streamingUnitsV2: number };
  compatibilityLevel: string;
  inputs: InputInfo[];
  steps: ExplainedStep[];
  outputs: OutputParallelism[];
  embarrassinglyParallel: Tri;
  reasons: Finding[];
  maxStreamingUnits?: number;
  maxStreamingUnitsBasis: string;
  capacity: Capacity;
  /** Settings the query cannot use: more SUs than it can use, merges under many SUs. */
  warnings: Finding[];
}

export type ExplainResult = { explanation: Explanation; diagnostics: Diagnostic[] } | { explanation?: undefined; diagnostics: Diagnostic[] };

/**
 * The SU V2 count of a job's `streamingUnits` as the REST API holds it: 3 = 1/3, 7 = 2/3, 10·n = n SU V2;
 * any other value is an SU V1 count (6 SU V1 = one node = 1 SU V2).
 */
export function isSuV2ApiValue(apiValue: number): boolean {
  return apiValue === 3 || apiValue === 7 || apiValue % 10 === 0;
}

export function streamingUnitsV2(apiValue: number): number {
  if (apiValue === 3) return 1 / 3;
  if (apiValue === 7) return 2 / 3;
  if (apiValue % 10 === 0) return apiValue / 10;
  return apiValue / 6;
}

export function explainQuery(text: string, options: { file?: string; job?: JobSpec; workload?: Workload } = {}): ExplainResult {
  const checked = checkQuery(text, { file: options.file, job: options.job });
  const errors = checked.diagnostics.filter((d) => d.severity === "error");
  if (!checked.script || errors.length) return { diagnostics: checked.diagnostics };
  const job = options.job;
  const compatibilityLevel = job?.compatibilityLevel ?? "1.2";
  const referenceInputs = job?.inputs.filter((i) => i.type === "reference").map((i) => i.alias) ?? [];
  const topology = readTopology(checked.script, text, { referenceInputs });
  const parallelism = analyzeParallelism(topology, { compatibilityLevel, inputs: job?.inputs ?? [], outputs: job?.outputs ?? [] });
  const used = new Set(topology.flatMap((s) => s.sources.filter((x) => x.kind !== "step").map((x) => x.name.toLowerCase())));
  const inputs: InputInfo[] = job
    ? job.inputs.filter((i) => used.has(i.alias.toLowerCase())).map((i) => ({ alias: i.alias, kind: i.kind, type: i.type, partitionCount: i.partitionCount, partitionKey: i.partitionKey }))
    : [...new Set(topology.flatMap((s) => s.sources.filter((x) => x.kind === "input").map((x) => x.name)))].map((alias) => ({ alias, type: "stream" as const }));
  const streamInputs = inputs.filter((i) => i.type === "stream").map((i) => i.alias);
  const capacity = estimateCapacity(topology, parallelism, { workload: options.workload ?? {}, streamInputs, eventOrdering: job?.eventOrdering });
  const steps = topology.map((s, i) => ({ ...s, parallelism: parallelism.steps[i]! }));
  const explanation: Explanation = {
    job: job && { name: job.name, compatibilityLevel, streamingUnits: job.streamingUnits, streamingUnitsV2: streamingUnitsV2(job.streamingUnits) },
    compatibilityLevel,
    inputs,
    steps,
    outputs: parallelism.outputs,
    embarrassinglyParallel: parallelism.embarrassinglyParallel,
    reasons: parallelism.reasons,
    maxStreamingUnits: parallelism.maxStreamingUnits,
    maxStreamingUnitsBasis: parallelism.maxStreamingUnitsBasis,
    capacity,
    warnings: [],
  };
  explanation.warnings = [...scalingWarnings(explanation), ...workloadWarnings(explanation)];
  return { explanation, diagnostics: checked.diagnostics };
}

/** A job whose streaming units its query cannot use, or that merges partitions on more than one node. */
export function scalingWarnings(e: Explanation): Finding[] {
  if (!e.job) return [];
  const su = e.job.streamingUnitsV2;
  const out: Finding[] = [];
  const merges = e.steps.filter((s) => s.parallelism.merge);
  const why = merges.map((s) => `step '${s.name}': ${s.parallelism.merge!.message}`).join("; ");
  if (e.maxStreamingUnits !== undefined && su > e.maxStreamingUnits) {
    out.push({
      message: `job '${e.job.name}' has ${formatSuV2(su)} SU V2 but its query can use at most ${e.maxStreamingUnits}: ${why || e.maxStreamingUnitsBasis}`,
      cite: CITE.maxUnits,
    });
  } else if (merges.length && su > 1) {
    out.push({
      message: `job '${e.job.name}' has ${formatSuV2(su)} SU V2 while its query merges partitions, so the merging steps run on one node: ${why}`,
      cite: CITE.maxUnits,
    });
  }
  return out;
}

/** A workload that needs more SUs than the job has (an estimate: a CLI finding, never a synth one). */
function workloadWarnings(e: Explanation): Finding[] {
  const need = e.capacity.streamingUnits.value;
  if (!e.job || need === undefined || need <= e.job.streamingUnitsV2 + 1e-9) return [];
  return [
    {
      message: `the workload needs about ${formatSuV2(need)} SU V2 (an estimate from its rate, see Capacity) and job '${e.job.name}' has ${formatSuV2(e.job.streamingUnitsV2)}`,
      cite: CITE.throughputTable,
    },
  ];
}
