// The explanation drawn: Mermaid text and an SVG of the same graph, with partitions and merges visible.
import { renderMermaid, renderText } from "../../lib/explain/render";
import { renderSvg } from "../../lib/explain/svg";
import { explanationGraph } from "../../lib/explain/graph";
import { explainQuery } from "../../lib/explain";
import { explainCase } from "./harness";

describe("explain rendering", () => {
  const merged = explainCase("max-su-partitioned-then-merged");

  it("Mermaid: one node per input, step and output; the merge is a thick edge into a marked step", () => {
    const text = renderMermaid(merged);
    expect(text.startsWith("flowchart LR\n")).toBe(true);
    const graph = explanationGraph(merged);
    expect(graph.nodes.map((n) => n.cls)).toEqual(["input", "partitioned", "merge", "single-output"]);
    for (const n of graph.nodes) expect(text).toContain(`  ${n.id}`);
    const [step1, final] = graph.nodes.filter((n) => n.cls === "partitioned" || n.cls === "merge");
    expect(text).toContain(`${step1!.id} ==>|"×3 by PartitionId → merge"| ${final!.id}`);
    expect(text).toMatch(/MERGE: GROUP BY TollBoothId without PartitionId merges all 3 partitions/);
    expect(text).toMatch(/classDef merge /);
    expect(text).toMatch(/PARTITION BY PartitionId/);
  });

  it("Mermaid escapes quotes and angle brackets in labels", () => {
    const e = explainCase("simple-query-8-to-8");
    expect(renderMermaid(e)).toContain("filter TollBoothId #gt; 100");
    const piped = explainQuery(`SELECT a INTO out FROM inp WHERE (a | 1) = 1 AND b = '"x"'`).explanation!;
    expect(renderMermaid(piped)).toContain("filter (a #124; 1) = 1 AND b = '#quot;x#quot;'");
  });

  it("SVG: the same nodes laid out without overlap, the merge edge drawn thick and red", () => {
    const svg = renderSvg(merged);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+"/);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    const graph = explanationGraph(merged);
    for (const n of graph.nodes) expect(svg).toContain(`>${n.lines[0]}<`);
    expect(svg).toMatch(/stroke="#c5221f" stroke-width="3"/);
    expect(svg).toContain("×3 by PartitionId → merge");
    // Boxes do not overlap: dagre gave each its own place.
    const boxes = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
    expect(boxes).toHaveLength(graph.nodes.length);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [ax, ay, aw, ah] = boxes[i]!;
        const [bx, by, bw, bh] = boxes[j]!;
        expect(ax! + aw! <= bx! || bx! + bw! <= ax! || ay! + ah! <= by! || by! + bh! <= ay!).toBe(true);
      }
  });

  it("text: each step's partitions or merge with its citation, outputs, the verdict and the SU ceiling", () => {
    const text = renderText(merged);
    expect(text).toContain("MERGE: GROUP BY TollBoothId without PartitionId merges all 3 partitions [1]");
    expect(text).toContain("  [1] stream-analytics-parallelization.md § Query (partitioning is decided by the keys of joins and GROUP BY");
    expect(text).toContain("Embarrassingly parallel: no");
    expect(text).toContain("Most SU V2 the query can use: 4 — 1 for the 1 non-partitioned step(s) + 3 for partitioned step 'Step1'");
  });
});
