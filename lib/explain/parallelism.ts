// Whether each step of a query keeps its input's partitions or merges them, whether each output
// can be written in parallel, whether the job is embarrassingly parallel, and the most streaming
// units its query can use — by the rules of the query-parallelization and repartitioning articles.
import type { CompatibilityLevel, InputSpec, OutputSpec } from "../job/schema";
import { CITE, type Citation } from "./citations";
import { keyName, type OperatorInfo, type SourceInfo, type StepInfo } from "./topology";

export type Partitioning = { partitioned: true; key: string; count?: number } | { partitioned: false };

export interface Finding {
  message: string;
  cite: Citation;
}

export interface StepParallelism {
  step: string;
  /** How the step's rows are spread: by a key over `count` partitions, or one stream. */
  out: Partitioning;
  /** Where the step merges partitions, and why. */
  merge?: Finding & { partitions?: number };
  /** How each stream source arrives in the step (after its PARTITION BY), by source name. */
  reads: { source: string; partitioning: Partitioning }[];
  /** Where the step repartitions (PARTITION BY a new key / INTO n). */
  repartition?: Finding;
  notes: Finding[];
}

export type Tri = "yes" | "no" | "unknown";

export interface OutputParallelism {
  alias: string;
  kind?: OutputSpec["kind"];
  step: string;
  parallel: Tri;
  reason: Finding;
}

export interface JobParallelism {
  steps: StepParallelism[];
  outputs: OutputParallelism[];
  embarrassinglyParallel: Tri;
  /** Why not (or why it cannot be told). */
  reasons: Finding[];
  /** The most SU V2 the query can use; undefined when a partition count is unknown. */
  maxStreamingUnits?: number;
  maxStreamingUnitsBasis: string;
}

export interface ParallelismContext {
  compatibilityLevel: CompatibilityLevel;
  inputs: InputSpec[];
  outputs: OutputSpec[];
}

const PARTITION_ID = "partitionid";
const AUTOMATIC_OUTPUTS: readonly string[] = ["blob", "adls", "table", "function", "servicebus-queue", "servicebus-topic"];

export function analyzeParallelism(steps: StepInfo[], ctx: ParallelismContext): JobParallelism {
  const byStep = new Map<string, StepParallelism>();
  const results = steps.map((step) => {
    const result = analyzeStep(step, ctx, byStep);
    // A WITH step is read by later steps; a SELECT … INTO is not.
    if (step.kind === "with") byStep.set(step.name.toLowerCase(), result);
    return result;
  });
  const outputs = steps.flatMap((step, i) => (step.into ? [outputParallelism(step, results[i]!, ctx)] : []));
  return { steps: results, outputs, ...jobVerdict(steps, results, outputs) };
}

function display(key: string): string {
  return key.toLowerCase() === PARTITION_ID ? "PartitionId" : key;
}

function partitionsText(count: number | undefined): string {
  return count === undefined ? "the" : `all ${count}`;
}

function inputPartitioning(source: SourceInfo, ctx: ParallelismContext, notes: Finding[]): Partitioning {
  const input = ctx.inputs.find((i) => i.alias.toLowerCase() === source.name.toLowerCase());
  const count = input?.partitionCount;
  if (ctx.compatibilityLevel === "1.2") {
    // Compatibility 1.2 reads each input partition in parallel by default, keyed by the input's partition key.
    return { partitioned: true, key: input?.partitionKey ?? "PartitionId", count };
  }
  if (source.partitionBy?.length) return { partitioned: true, key: "PartitionId", count };
  notes.push({
    message: `compatibility level ${ctx.compatibilityLevel}: '${source.name}' is read as one stream; add PARTITION BY PartitionId (or move to 1.2) to read its partitions in parallel`,
    cite: CITE.compat11PartitionBy,
  });
  return { partitioned: false };
}

function analyzeStep(step: StepInfo, ctx: ParallelismContext, earlier: Map<string, StepParallelism>): StepParallelism {
  const notes: Finding[] = [];
  let repartition: Finding | undefined;
  const streams: { source: SourceInfo; p: Partitioning }[] = [];
  for (const source of step.sources) {
    if (source.kind === "reference") continue;
    let p: Partitioning =
      source.kind === "step" ? (earlier.get(source.name.toLowerCase())?.out ?? { partitioned: false }) : inputPartitioning(source, ctx, notes);
    const by = source.partitionBy?.[0];
    if (by !== undefined) {
      const key = keyName(by);
      const count = source.intoPartitions ?? (p.partitioned ? p.count : undefined);
      const sameKey = p.partitioned && keyName(p.key) === key;
      if (!sameKey || (source.intoPartitions !== undefined && source.intoPartitions !== (p.partitioned ? p.count : undefined))) {
        repartition = {
          message: `reads '${source.name}' repartitioned by ${by}${count !== undefined ? ` into ${count} partitions` : ""}${p.partitioned ? ` (it was partitioned by ${display(p.key)})` : ""}`,
          cite: CITE.repartition,
        };
      }
      p = { partitioned: true, key: key === PARTITION_ID ? "PartitionId" : by, count };
    }
    streams.push({ source, p });
  }

  let out: Partitioning = streams[0]?.p ?? { partitioned: false };
  let merge: StepParallelism["merge"];
  if (streams.length > 1) {
    const first = streams[0]!.p;
    const sameKey = streams.every(({ p }) => p.partitioned && first.partitioned && keyName(p.key) === keyName(first.key));
    const counts = streams.map(({ p }) => (p.partitioned ? p.count : undefined));
    const known = counts.every((c) => c !== undefined);
    if (sameKey && !known) {
      // Same key, a count unknown: whether they are equal (and the partitions kept) cannot be told.
      out = { partitioned: true, key: (first as { key: string }).key, count: undefined };
      notes.push({ message: `combines ${streams.map(({ source }) => `'${source.name}'`).join(" and ")} by the same key; their partition counts must be equal, and some are unknown`, cite: CITE.joinStreams });
    }
    if (!sameKey || (known && new Set(counts).size > 1)) {
      const what = step.operators.some((o) => o.kind === "union") ? "UNION" : "JOIN";
      merge = {
        message: `${what} of ${streams.map(({ source, p }) => `'${source.name}' (${describe(p)})`).join(" and ")}: combined streams need the same partition key and the same partition count, so the partitions merge`,
        cite: CITE.joinStreams,
        partitions: first.partitioned ? first.count : undefined,
      };
      out = { partitioned: false };
    }
  }

  if (out.partitioned) {
    const explicit = step.sources.some((s) => s.partitionBy?.length);
    const broken = keyedOperators(step.operators).find((op) => !op.keys.some((k) => keyName(k) === keyName((out as { key: string }).key)));
    if (broken && explicit && broken.kind === "GROUP BY") {
      // With an explicit PARTITION BY each partition is aggregated on its own (the article's TollBoothId example).
      notes.push({
        message: `${broken.text} without ${display(out.key)} in a partitioned step: each partition gives its own row per group and window, so a key spread over several partitions gives several rows; aggregate them in a later non-partitioned step`,
        cite: CITE.groupingKey,
      });
    } else if (broken) {
      merge = {
        message: `${broken.text}${broken.keys.length ? ` without ${display(out.key)}` : ""} merges ${partitionsText(out.count)} partitions${out.count === undefined ? " (count unknown)" : ""}`,
        cite: broken.kind === "JOIN" ? CITE.joinStreams : CITE.queryKeys,
        partitions: out.count,
      };
      out = { partitioned: false };
    }
  }
  return { step: step.name, out, reads: streams.map(({ source, p }) => ({ source: source.name, partitioning: p })), merge, repartition, notes };
}

/** The operators that need a key's events together: groupings, stream joins, analytic functions, MATCH_RECOGNIZE. */
function keyedOperators(ops: OperatorInfo[]): { kind: string; text: string; keys: string[] }[] {
  const out: { kind: string; text: string; keys: string[] }[] = [];
  for (const op of ops) {
    if (op.kind === "window") {
      out.push({ kind: "GROUP BY", text: op.groupBy.length ? `GROUP BY ${op.groupBy.join(", ")}` : `GROUP BY ${op.text} with no key`, keys: op.groupBy });
    } else if (op.kind === "join") {
      const keys = op.keys.filter(([a, b]) => a === b).map(([a]) => a!);
      out.push({ kind: "JOIN", text: `JOIN ${op.with} ON ${op.text}`, keys });
    } else if (op.kind === "analytic") {
      out.push({ kind: "OVER", text: op.partitionBy.length ? `${op.fn} OVER (PARTITION BY ${op.partitionBy.join(", ")})` : `${op.fn} with no PARTITION BY`, keys: op.partitionBy });
    } else if (op.kind === "match-recognize") {
      out.push({ kind: "MATCH_RECOGNIZE", text: op.partitionBy.length ? `MATCH_RECOGNIZE PARTITION BY ${op.partitionBy.join(", ")}` : "MATCH_RECOGNIZE with no PARTITION BY", keys: op.partitionBy });
    }
  }
  return out;
}

export function describe(p: Partitioning): string {
  if (!p.partitioned) return "one stream";
  return `by ${display(p.key)}, ${p.count ?? "?"} partitions`;
}

function outputParallelism(step: StepInfo, result: StepParallelism, ctx: ParallelismContext): OutputParallelism {
  const alias = step.into!;
  const spec = ctx.outputs.find((o) => o.alias.toLowerCase() === alias.toLowerCase());
  const base = { alias: spec?.alias ?? alias, kind: spec?.kind, step: step.name };
  const p = result.out;
  if (spec?.kind === "powerbi") return { ...base, parallel: "no", reason: { message: "Power BI output does not support partitioning", cite: CITE.powerBi } };
  if (!p.partitioned) return { ...base, parallel: "no", reason: { message: "the step writing it is one stream: one writer", cite: CITE.sameKeyEverywhere } };
  if (!spec) return { ...base, parallel: "unknown", reason: { message: "the output's kind is unknown (give --job or --project)", cite: CITE.outputs } };
  switch (spec.kind) {
    case "eventhub": {
      const wanted = keyName(p.key) === PARTITION_ID ? "PartitionId" : p.key;
      if (!spec.partitionKey || keyName(spec.partitionKey) !== keyName(p.key)) {
        return { ...base, parallel: "no", reason: { message: `Event Hubs output needs its partition key set to ${wanted}${spec.partitionKey ? ` (it is ${spec.partitionKey})` : " (none set)"}`, cite: CITE.eventHubOutput } };
      }
      if (spec.partitionCount === undefined || p.count === undefined) {
        return { ...base, parallel: "unknown", reason: { message: "partition key matches; the output's or the step's partition count is unknown, and they must be equal", cite: CITE.partitionCounts } };
      }
      if (spec.partitionCount !== p.count) {
        return { ...base, parallel: "no", reason: { message: `the step has ${p.count} partitions and the output hub ${spec.partitionCount}: partition counts must match`, cite: CITE.partitionCounts } };
      }
      return { ...base, parallel: "yes", reason: { message: `partition key ${spec.partitionKey} and ${p.count} partitions match the step`, cite: CITE.eventHubOutput } };
    }
    case "cosmosdb":
      return spec.partitionKey
        ? { ...base, parallel: "yes", reason: { message: `partition key ${spec.partitionKey} set`, cite: CITE.outputs } }
        : { ...base, parallel: "no", reason: { message: "Cosmos DB output needs its partition key set explicitly", cite: CITE.outputs } };
    case "sql":
    case "synapse": {
      if (!spec.parallelWrite) return { ...base, parallel: "no", reason: { message: "Inherit partitioning is off (ASA's default): one writer", cite: CITE.sqlInherit } };
      const many = p.count !== undefined && p.count > 8;
      return {
        ...base,
        parallel: "yes",
        reason: many
          ? { message: `inherits ${p.count} partitions; SQL works best with eight writers: consider PARTITION BY … INTO 8 before it`, cite: { ...CITE.repartition, section: "Repartitions for SQL output" } }
          : { message: "Inherit partitioning is on: one writer per partition", cite: CITE.sqlInherit },
      };
    }
    default:
      if (AUTOMATIC_OUTPUTS.includes(spec.kind)) return { ...base, parallel: "yes", reason: { message: `${spec.kind} output is written in parallel automatically`, cite: CITE.outputs } };
      return { ...base, parallel: "unknown", reason: { message: `the parallelization article does not say whether a ${spec.kind} output is written in parallel`, cite: CITE.outputs } };
  }
}

function jobVerdict(steps: StepInfo[], results: StepParallelism[], outputs: OutputParallelism[]) {
  const reasons: Finding[] = [];
  let verdict: Tri = "yes";
  const worst = (t: Tri) => {
    if (t === "no" || (t === "unknown" && verdict === "yes")) verdict = t;
  };
  results.forEach((r, i) => {
    if (r.merge) {
      reasons.push({ message: `step '${r.step}': ${r.merge.message}`, cite: r.merge.cite });
      worst("no");
    } else if (!r.out.partitioned) {
      reasons.push({ message: `step '${r.step}' is not partitioned`, cite: CITE.sameKeyEverywhere });
      worst("no");
    } else if (r.out.count === undefined && steps[i]!.sources.some((s) => s.kind === "input")) {
      reasons.push({ message: `step '${r.step}': the partition count of its input is unknown (inputs[].partitionCount, or --partitions)`, cite: CITE.partitionCounts });
      worst("unknown");
    }
  });
  const keys = new Set(results.flatMap((r) => (r.out.partitioned ? [keyName(r.out.key)] : [])));
  if (keys.size > 1) {
    reasons.push({ message: `steps are partitioned by different keys (${[...keys].map(display).join(", ")})`, cite: CITE.sameKeyEverywhere });
    worst("no");
  }
  for (const o of outputs) {
    if (o.parallel === "yes") continue;
    reasons.push({ message: `output '${o.alias}': ${o.reason.message}`, cite: o.reason.cite });
    worst(o.parallel);
  }

  // All non-partitioned steps together use one node's worth (6 SU V1 = 1 SU V2); each partitioned
  // step adds one node per partition (6 SU V1 per partition in the article's V1 terms).
  const partitioned = results.filter((r) => r.out.partitioned);
  const unknown = partitioned.filter((r) => r.out.partitioned && r.out.count === undefined);
  const nonPartitioned = results.length - partitioned.length;
  let maxStreamingUnits: number | undefined;
  let maxStreamingUnitsBasis: string;
  if (unknown.length) {
    maxStreamingUnitsBasis = `unknown: the partition count of step(s) ${unknown.map((r) => `'${r.step}'`).join(", ")} is not known`;
  } else {
    const perStep = partitioned.map((r) => (r.out.partitioned ? r.out.count! : 0));
    maxStreamingUnits = (nonPartitioned > 0 ? 1 : 0) + perStep.reduce((a, b) => a + b, 0);
    const parts = [
      ...(nonPartitioned > 0 ? [`1 for the ${nonPartitioned} non-partitioned step(s)`] : []),
      ...partitioned.map((r) => `${r.out.partitioned ? r.out.count : 0} for partitioned step '${r.step}'`),
    ];
    maxStreamingUnitsBasis = `${parts.join(" + ")} (the article's 6 SU V1 per node, 1 SU V2 = one node)`;
  }
  return { embarrassinglyParallel: verdict, reasons, maxStreamingUnits, maxStreamingUnitsBasis };
}
