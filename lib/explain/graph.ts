// The explanation as a graph: inputs → steps → outputs, each edge labelled with how the stream is
// partitioned, merging steps and one-writer outputs marked. Mermaid and SVG draw this same graph.
import { describe, type Partitioning } from "./parallelism";
import type { Explanation, ExplainedStep } from "./index";
import type { OperatorInfo } from "./topology";

export type NodeClass = "input" | "reference" | "partitioned" | "single" | "merge" | "parallel-output" | "single-output";

export interface GraphNode {
  id: string;
  lines: string[];
  cls: NodeClass;
}

export interface GraphEdge {
  from: string;
  to: string;
  label: string;
  /** The stream merges here (drawn thick). */
  merge: boolean;
}

export interface ExplanationGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function operatorText(op: OperatorInfo): string {
  switch (op.kind) {
    case "filter":
      return `filter ${op.text}`;
    case "project":
      return `project ${op.text}`;
    case "distinct":
      return "DISTINCT";
    case "window":
      return `${op.window} window ${op.text}${op.groupBy.length ? ` by ${op.groupBy.join(", ")}` : ""}`;
    case "join":
      return `join ${op.with}${op.boundMs !== undefined ? ` within ${seconds(op.boundMs)}` : " (no bound found)"}`;
    case "reference-join":
      return `reference join ${op.input}`;
    case "analytic":
      return `${op.fn}${op.durationMs !== undefined ? ` over ${seconds(op.durationMs)}` : ""}${op.partitionBy.length ? ` by ${op.partitionBy.join(", ")}` : ""}`;
    case "match-recognize":
      return `MATCH_RECOGNIZE${op.partitionBy.length ? ` by ${op.partitionBy.join(", ")}` : ""}`;
    case "apply":
      return `${op.outer ? "OUTER" : "CROSS"} APPLY ${op.fn}`;
    case "union":
      return "UNION";
    case "udf":
      return `udf.${op.name}`;
  }
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  if (s % 3600 === 0 && s >= 3600) return `${s / 3600} h`;
  if (s % 60 === 0 && s >= 60) return `${s / 60} min`;
  return `${s} s`;
}

function stepClass(step: ExplainedStep): NodeClass {
  if (step.parallelism.merge) return "merge";
  return step.parallelism.out.partitioned ? "partitioned" : "single";
}

function partitionLabel(p: Partitioning): string {
  return p.partitioned ? `×${p.count ?? "?"} by ${p.key}` : "1 stream";
}

export function explanationGraph(e: Explanation): ExplanationGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const ids = new Map<string, string>();
  let n = 0;
  const id = (kind: string, name: string) => {
    const key = `${kind}:${name.toLowerCase()}`;
    if (!ids.has(key)) ids.set(key, `${kind}${n++}`);
    return ids.get(key)!;
  };
  for (const input of e.inputs) {
    const details = input.type === "reference" ? ["reference data"] : [`${input.kind ?? "input"} · ${input.partitionCount ?? "?"} partitions`, ...(input.partitionKey ? [`key ${input.partitionKey}`] : [])];
    nodes.push({ id: id(input.type === "reference" ? "ref" : "in", input.alias), lines: [input.alias, ...details], cls: input.type === "reference" ? "reference" : "input" });
  }
  for (const step of e.steps) {
    const stepId = id("step", `${step.kind}:${step.name}`);
    const p = step.parallelism;
    const lines = [step.kind === "with" ? `WITH ${step.name}` : `SELECT INTO ${step.name}`, ...step.operators.filter((o) => o.kind !== "project").map(operatorText)];
    lines.push(p.merge ? `MERGE: ${p.merge.message}` : describe(p.out));
    nodes.push({ id: stepId, lines, cls: stepClass(step) });
    for (const source of step.sources) {
      const from = source.kind === "step" ? id("step", `with:${source.name}`) : id(source.kind === "reference" ? "ref" : "in", source.name);
      if (!nodes.some((x) => x.id === from)) nodes.push({ id: from, lines: [source.name], cls: source.kind === "reference" ? "reference" : "input" });
      const arrives = p.reads.find((r) => r.source === source.name)?.partitioning;
      const repartition = source.partitionBy?.length ? `PARTITION BY ${source.partitionBy.join(", ")}${source.intoPartitions ? ` INTO ${source.intoPartitions}` : ""}: ` : "";
      const label = source.kind === "reference" ? "lookup" : arrives ? `${repartition}${partitionLabel(arrives)}` : "";
      edges.push({ from, to: stepId, label: p.merge && source.kind !== "reference" ? `${label}${label ? " → " : ""}merge` : label, merge: Boolean(p.merge) && source.kind !== "reference" });
    }
  }
  for (const output of e.outputs) {
    const outId = id("out", output.alias);
    const writer = output.parallel === "yes" ? "parallel writes" : output.parallel === "no" ? "one writer" : "parallel writes: unknown";
    nodes.push({ id: outId, lines: [output.alias, `${output.kind ?? "output"} · ${writer}`], cls: output.parallel === "yes" ? "parallel-output" : "single-output" });
    const step = e.steps.find((s) => s.kind === "select" && s.name === output.step)!;
    edges.push({ from: id("step", `select:${step.name}`), to: outId, label: partitionLabel(step.parallelism.out), merge: false });
  }
  return { nodes, edges };
}
