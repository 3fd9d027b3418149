// The front-end corpus: real queries from Microsoft's documentation and samples that must
// check clean (test/check/valid, each names its source in its first line), and broken
// queries, each with the exact diagnostics expected (test/check/broken, `-- expect:` lines).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkQuery, parseQuery } from "../../lib/saql";
import { parseJobSpec } from "../../lib/job";
import type { Node, Span } from "../../lib/saql/ast";

const VALID = join(__dirname, "valid");
const BROKEN = join(__dirname, "broken");
const job = parseJobSpec(JSON.parse(readFileSync(join(__dirname, "jobs/telemetry.json"), "utf8")));

const files = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".asaql")).sort();

/** Every object with a `kind` and a `span` in the tree. */
function nodesOf(root: unknown): Node[] {
  const out: Node[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.kind === "string" && o.span) out.push(o as unknown as Node);
      for (const key of Object.keys(o)) if (key !== "span") visit(o[key]);
    }
  };
  visit(root);
  return out;
}

function spanInside(span: Span, text: string): boolean {
  return span.start >= 0 && span.start <= span.end && span.end <= text.length && span.startLine >= 1 && span.startColumn >= 1;
}

describe("valid corpus (real queries from Microsoft docs and samples)", () => {
  const names = files(VALID);

  it("holds at least 60 queries, each naming its source", () => {
    expect(names.length).toBeGreaterThanOrEqual(60);
    for (const name of names) expect(readFileSync(join(VALID, name), "utf8")).toMatch(/^-- Source: \S+/);
  });

  it.each(names)("%s parses and checks without errors", (name) => {
    const text = readFileSync(join(VALID, name), "utf8");
    const result = checkQuery(text, { file: name });
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors).toEqual([]);
    expect(result.script?.statements.length).toBeGreaterThan(0);
    expect(result.inputs.length).toBeGreaterThan(0);
    for (const node of nodesOf(result.script)) {
      if (!spanInside(node.span, text)) throw new Error(`${name}: ${node.kind} has a span outside the text: ${JSON.stringify(node.span)}`);
    }
  });
});

interface Expectation {
  severity: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  code: string;
  message: string;
}

function expectationsOf(text: string): Expectation[] {
  const out: Expectation[] = [];
  for (const line of text.split("\n")) {
    const m = /^-- expect: (error|warning) (\d+):(\d+)-(\d+):(\d+) ([A-Z_]+): (.*)$/.exec(line);
    if (m) out.push({ severity: m[1]!, startLine: +m[2]!, startColumn: +m[3]!, endLine: +m[4]!, endColumn: +m[5]!, code: m[6]!, message: m[7]! });
  }
  return out;
}

describe("broken corpus (each with its exact diagnostics and location)", () => {
  const names = files(BROKEN);

  it("holds at least 60 queries", () => {
    expect(names.length).toBeGreaterThanOrEqual(60);
  });

  it.each(names)("%s", (name) => {
    const raw = readFileSync(join(BROKEN, name), "utf8");
    const expected = expectationsOf(raw);
    expect(expected.length).toBeGreaterThan(0);
    const text = raw.split("\n").filter((l) => !l.startsWith("-- expect:")).join("\n");
    const result = checkQuery(text, { file: name, job: /^-- job: telemetry\.json/m.test(text) ? job : undefined });
    const actual = result.diagnostics
      .filter((d) => d.severity === "error" || !d.code.startsWith("UNUSED_"))
      .map(({ severity, startLine, startColumn, endLine, endColumn, code, message }) => ({ severity, startLine, startColumn, endLine, endColumn, code, message }));
    expect(actual).toEqual(expected);
    for (const d of result.diagnostics) {
      if (d.isGlobal) continue;
      const lines = text.split("\n");
      expect(d.startLine).toBeLessThanOrEqual(lines.length);
      expect(d.startColumn).toBeLessThanOrEqual((lines[d.startLine - 1] ?? "").length + 1);
    }
    // parseQuery alone never reports a checker error.
    const parsed = parseQuery(text);
    expect(parsed.diagnostics.every((d) => d.code === "SYNTAX" || d.code === "EMPTY_QUERY")).toBe(true);
  });
});
