// Shared by the explain tests: a golden case's explanation, and its summary as expected.json holds it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { explainQuery, type Explanation } from "../../lib/explain";
import { describe as describePartitioning } from "../../lib/explain/parallelism";
import { parseJobSpec } from "../../lib/job";

export const CASES = join(__dirname, "cases");

export function summary(e: Explanation) {
  return {
    steps: Object.fromEntries(
      e.steps.map((s) => {
        const p = s.parallelism;
        return [
          s.name,
          {
            partitions: describePartitioning(p.out),
            ...(p.merge ? { merge: p.merge.message } : {}),
            ...(p.repartition ? { repartition: p.repartition.message } : {}),
            ...(p.notes.length ? { notes: p.notes.map((n) => n.message) } : {}),
          },
        ];
      }),
    ),
    outputs: Object.fromEntries(e.outputs.map((o) => [o.alias, `${o.parallel}: ${o.reason.message}`])),
    embarrassinglyParallel: e.embarrassinglyParallel,
    maxStreamingUnits: e.maxStreamingUnits ?? null,
    warnings: e.warnings.map((w) => w.message),
  };
}

export function explainCase(name: string): Explanation {
  const dir = join(CASES, name);
  const job = parseJobSpec(JSON.parse(readFileSync(join(dir, "job.json"), "utf8")), join(dir, "job.json"));
  const text = readFileSync(join(dir, "query.asaql"), "utf8");
  const result = explainQuery(text, { file: `${name}/query.asaql`, job });
  if (!result.explanation) throw new Error(`${name}: ${result.diagnostics.map((d) => `${d.startLine}:${d.startColumn} ${d.message}`).join("; ")}`);
  return result.explanation;
}
