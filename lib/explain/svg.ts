// The explanation graph as a standalone SVG file, laid out by dagre (the layout Mermaid itself uses
// for flowcharts): the same nodes, edges and colours as the Mermaid text.
import { explanationGraph, type NodeClass } from "./graph";
import type { Explanation } from "./index";

const FONT_SIZE = 12;
const CHAR_WIDTH = 7;
const LINE_HEIGHT = 16;
const PAD = 10;

const COLOURS: Record<NodeClass, { fill: string; stroke: string; dash?: string; width?: number }> = {
  input: { fill: "#e8f0fe", stroke: "#1a73e8" },
  reference: { fill: "#f1f3f4", stroke: "#5f6368", dash: "4 3" },
  partitioned: { fill: "#e6f4ea", stroke: "#188038" },
  single: { fill: "#fef7e0", stroke: "#b06000" },
  merge: { fill: "#fce8e6", stroke: "#c5221f", width: 2 },
  "parallel-output": { fill: "#e6f4ea", stroke: "#188038" },
  "single-output": { fill: "#fef7e0", stroke: "#b06000" },
};

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function renderSvg(e: Explanation): string {
  // Loaded on use: only `explain --svg` pays for the layout library.
  const dagre = require("@dagrejs/dagre") as typeof import("@dagrejs/dagre");
  const g = explanationGraph(e);
  const layout = new dagre.graphlib.Graph({ multigraph: true });
  layout.setGraph({ rankdir: "LR", nodesep: 30, ranksep: 80, marginx: 20, marginy: 20 });
  layout.setDefaultEdgeLabel(() => ({}));
  for (const n of g.nodes) {
    const width = Math.max(...n.lines.map((l) => l.length)) * CHAR_WIDTH + 2 * PAD;
    layout.setNode(n.id, { width, height: n.lines.length * LINE_HEIGHT + 2 * PAD });
  }
  g.edges.forEach((edge, i) => {
    layout.setEdge(edge.from, edge.to, { label: edge.label, width: edge.label.length * CHAR_WIDTH, height: LINE_HEIGHT, labelpos: "c" }, `e${i}`);
  });
  dagre.layout(layout);
  const size = layout.graph();
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(size.width ?? 0)}" height="${Math.ceil(size.height ?? 0)}" font-family="sans-serif" font-size="${FONT_SIZE}">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#444"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  );
  g.edges.forEach((edge, i) => {
    const laid = layout.edge({ v: edge.from, w: edge.to, name: `e${i}` }) as { points: { x: number; y: number }[]; x?: number; y?: number };
    const d = laid.points.map((p, j) => `${j ? "L" : "M"} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(" ");
    out.push(`<path d="${d}" fill="none" stroke="${edge.merge ? "#c5221f" : "#444"}" stroke-width="${edge.merge ? 3 : 1.2}" marker-end="url(#arrow)"/>`);
    if (edge.label && laid.x !== undefined && laid.y !== undefined) {
      out.push(`<text x="${laid.x.toFixed(1)}" y="${(laid.y + 4).toFixed(1)}" text-anchor="middle" fill="${edge.merge ? "#c5221f" : "#333"}">${escape(edge.label)}</text>`);
    }
  });
  for (const n of g.nodes) {
    const box = layout.node(n.id);
    const c = COLOURS[n.cls];
    const x = box.x - box.width / 2;
    const y = box.y - box.height / 2;
    const rx = n.cls === "input" || n.cls === "reference" ? 14 : 3;
    out.push(
      `<g class="${n.cls}"><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${box.width.toFixed(1)}" height="${box.height.toFixed(1)}" rx="${rx}" fill="${c.fill}" stroke="${c.stroke}" stroke-width="${c.width ?? 1}"${c.dash ? ` stroke-dasharray="${c.dash}"` : ""}/>`,
    );
    n.lines.forEach((line, j) => {
      out.push(`<text x="${(x + PAD).toFixed(1)}" y="${(y + PAD + (j + 1) * LINE_HEIGHT - 4).toFixed(1)}"${j === 0 ? ' font-weight="bold"' : ""}>${escape(line)}</text>`);
    });
    out.push("</g>");
  }
  out.push("</svg>");
  return out.join("\n") + "\n";
}
