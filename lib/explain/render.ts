// The explanation as text (for a terminal or a pull-request comment) and as Mermaid.
import { formatSuV2, type Estimate } from "./capacity";
import { cite, type Citation } from "./citations";
import { explanationGraph, operatorText, type NodeClass } from "./graph";
import { isSuV2ApiValue, type Explanation } from "./index";
import { describe } from "./parallelism";

export function formatBytes(n: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(v)} bytes` : `${v.toFixed(v >= 10 ? 0 : 1)} ${units[i]}`;
}

export function formatEstimate(e: Estimate): string {
  if (e.value === undefined) return "unknown";
  if (e.unit === "bytes") return `~${formatBytes(e.value)}`;
  if (e.unit === "SU V2") return `${formatSuV2(e.value)} SU V2`;
  return `${e.value < 10 ? Number(e.value.toFixed(2)) : Math.round(e.value)} events/s`;
}

export function renderText(e: Explanation): string {
  const out: string[] = [];
  // Findings cite their article section as a numbered note, listed once at the end.
  const sources = new Map<string, number>();
  const ref = (c: Citation) => {
    const key = cite(c);
    if (!sources.has(key)) sources.set(key, sources.size + 1);
    return `[${sources.get(key)}]`;
  };
  const units = e.job && (isSuV2ApiValue(e.job.streamingUnits) ? `${formatSuV2(e.job.streamingUnitsV2)} SU V2` : `${e.job.streamingUnits} SU V1 (${formatSuV2(e.job.streamingUnitsV2)} SU V2)`);
  const title = e.job ? `job ${e.job.name} (compatibility ${e.compatibilityLevel}, ${units} configured)` : `query (compatibility ${e.compatibilityLevel}, no job given)`;
  out.push(title, "");
  out.push("Inputs");
  for (const i of e.inputs) {
    out.push(i.type === "reference" ? `  ${i.alias}: reference data (${i.kind ?? "?"})` : `  ${i.alias}: ${i.kind ?? "stream"}, ${i.partitionCount ?? "?"} partitions, partition key ${i.partitionKey ?? "PartitionId"}`);
  }
  out.push("", "Steps");
  e.steps.forEach((s, idx) => {
    const p = s.parallelism;
    const reads = s.sources.map((x) => `${x.name}${x.kind === "reference" ? " (reference)" : ""}${x.partitionBy?.length ? ` PARTITION BY ${x.partitionBy.join(", ")}${x.intoPartitions ? ` INTO ${x.intoPartitions}` : ""}` : ""}`);
    out.push(`  ${idx + 1}. ${s.kind === "with" ? "WITH" : "SELECT INTO"} ${s.name} (line ${s.line}) reads ${reads.join(", ") || "nothing"}`);
    for (const op of s.operators) out.push(`       ${operatorText(op)}`);
    if (p.repartition) out.push(`     repartition: ${p.repartition.message} ${ref(p.repartition.cite)}`);
    out.push(p.merge ? `     MERGE: ${p.merge.message} ${ref(p.merge.cite)}` : `     partitions: ${describe(p.out)}`);
    for (const n of p.notes) out.push(`     note: ${n.message} ${ref(n.cite)}`);
  });
  out.push("", "Outputs");
  for (const o of e.outputs) out.push(`  ${o.alias} (${o.kind ?? "?"}) from ${o.step}: parallel writes ${o.parallel} — ${o.reason.message} ${ref(o.reason.cite)}`);
  out.push("", `Embarrassingly parallel: ${e.embarrassinglyParallel}`);
  for (const r of e.reasons) out.push(`  - ${r.message} ${ref(r.cite)}`);
  out.push(`Most SU V2 the query can use: ${e.maxStreamingUnits ?? "unknown"} — ${e.maxStreamingUnitsBasis}`);
  const c = e.capacity;
  out.push("", `Capacity (estimates${c.workload.source ? `; workload ${c.workload.source}` : ""})`);
  for (const a of c.workload.assumptions) out.push(`  assumed: ${a}`);
  out.push(`  streaming units: ${formatEstimate(c.streamingUnits)}`);
  for (const b of c.streamingUnits.basis) out.push(`    ${b}`);
  for (const s of c.steps) {
    out.push(`  ${s.step}: ${s.eventsPerSecond.value === undefined ? "rate unknown" : formatEstimate(s.eventsPerSecond)}, state ${formatEstimate(s.state)}`);
    for (const b of s.state.basis) out.push(`    ${b}`);
  }
  if (c.reorderBuffer) out.push(`  reorder buffer: ${formatEstimate(c.reorderBuffer)} (${c.reorderBuffer.basis.join("; ")})`);
  out.push(`  total state: ${formatEstimate(c.totalState)}`);
  for (const b of c.totalState.basis) out.push(`    ${b}`);
  if (e.warnings.length) {
    out.push("", "Warnings");
    for (const w of e.warnings) out.push(`  ${w.message} ${ref(w.cite)}`);
  }
  out.push("", "Sources (MicrosoftDocs/azure-docs, articles/stream-analytics/)");
  for (const [source, n] of sources) out.push(`  [${n}] ${source}`);
  return out.join("\n") + "\n";
}

const MERMAID_CLASSES: Record<NodeClass, string> = {
  input: "fill:#e8f0fe,stroke:#1a73e8",
  reference: "fill:#f1f3f4,stroke:#5f6368,stroke-dasharray:4 3",
  partitioned: "fill:#e6f4ea,stroke:#188038",
  single: "fill:#fef7e0,stroke:#b06000",
  merge: "fill:#fce8e6,stroke:#c5221f,stroke-width:2px",
  "parallel-output": "fill:#e6f4ea,stroke:#188038",
  "single-output": "fill:#fef7e0,stroke:#b06000",
};

function mermaidText(s: string): string {
  return s.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;").replace(/\|/g, "#124;");
}

export function renderMermaid(e: Explanation): string {
  const g = explanationGraph(e);
  const out = ["flowchart LR"];
  for (const n of g.nodes) {
    const label = mermaidText(n.lines.join("<br/>")).replace(/#lt;br\/#gt;/g, "<br/>");
    const [open, close] = n.cls === "input" || n.cls === "reference" ? ["([", "])"] : n.cls.endsWith("output") ? ["[/", "/]"] : ["[", "]"];
    out.push(`  ${n.id}${open}"${label}"${close}`);
  }
  for (const edge of g.edges) {
    const arrow = edge.merge ? "==>" : "-->";
    out.push(`  ${edge.from} ${arrow}${edge.label ? `|"${mermaidText(edge.label)}"|` : ""} ${edge.to}`);
  }
  for (const [cls, style] of Object.entries(MERMAID_CLASSES)) {
    const members = g.nodes.filter((n) => n.cls === cls).map((n) => n.id);
    if (members.length) out.push(`  classDef ${cls.replace("-", "_")} ${style}`, `  class ${members.join(",")} ${cls.replace("-", "_")}`);
  }
  return out.join("\n") + "\n";
}

export { MERMAID_CLASSES as NODE_STYLES };
