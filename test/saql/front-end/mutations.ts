// Mutations of real queries for property tests and `npm run fuzz`: delete, duplicate, swap
// and replace pieces, insert random unicode. Pieces come from a plain regex split, not from
// the lexer under test, so the mutations do not share its blind spots.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkQuery, type Diagnostic } from "../../../lib/saql";
import type { Span } from "../../../lib/saql/ast";

export const CORPUS_DIR = join(__dirname, "../../check/valid");

export function loadCorpus(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith(".asaql"))
    .sort()
    .map((f) => readFileSync(join(CORPUS_DIR, f), "utf8"));
}

/** Words, numbers, quoted pieces, single punctuation and whitespace runs. */
export function pieces(text: string): string[] {
  return text.match(/\s+|[A-Za-z_][\w]*|\d+(?:\.\d+)?|'[^']*'?|\[[^\]]*\]?|"[^"]*"?|--[^\n]*|\/\*|\*\/|[^\s\w]/g) ?? [];
}

export const KEYWORDS = [
  "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "INTO", "AS", "ON", "JOIN", "LEFT", "OUTER", "CROSS", "APPLY", "UNION",
  "WITH", "CASE", "WHEN", "THEN", "ELSE", "END", "AND", "OR", "NOT", "IS", "NULL", "IN", "LIKE", "BETWEEN", "CAST", "TRY_CAST",
  "DISTINCT", "TOP", "TIMESTAMP", "OVER", "PARTITION", "LIMIT", "DURATION", "CREATE", "TABLE", "MATCH_RECOGNIZE", "PATTERN",
  "DEFINE", "MEASURES", "System.Timestamp()", "TumblingWindow(", "Windows(", "Window(", "udf.", "(", ")", ",", ".", "*", "[", "]",
  "'", "''", "\"", "--", "/*", ";", "=", "<>", "~", "-", "0", "1e309", "-9999999999999999999",
];

/** A deterministic PRNG (mulberry32) so fuzz runs are reproducible from a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomUnicode(rand: () => number): string {
  const length = 1 + Math.floor(rand() * 4);
  let s = "";
  for (let i = 0; i < length; i++) {
    const r = rand();
    // Mix BMP, astral (surrogate pairs), control characters and lone surrogates.
    const cp = r < 0.3 ? Math.floor(rand() * 0x80) : r < 0.6 ? Math.floor(rand() * 0xd800) : r < 0.8 ? 0x10000 + Math.floor(rand() * 0xfffff) : r < 0.9 ? 0xd800 + Math.floor(rand() * 0x800) : Math.floor(rand() * 0x20);
    s += cp > 0xffff ? String.fromCodePoint(cp) : String.fromCharCode(cp);
  }
  return s;
}

export type Mutation = "delete" | "duplicate" | "swap" | "unicode" | "keyword" | "truncate";
export const MUTATIONS: Mutation[] = ["delete", "duplicate", "swap", "unicode", "keyword", "truncate"];

/** Applies `count` random mutations to a query. */
export function mutate(text: string, rand: () => number, count = 1 + Math.floor(rand() * 3)): string {
  let parts = pieces(text);
  for (let k = 0; k < count; k++) {
    if (parts.length === 0) parts = [""];
    const i = Math.floor(rand() * parts.length);
    const j = Math.floor(rand() * parts.length);
    switch (MUTATIONS[Math.floor(rand() * MUTATIONS.length)]!) {
      case "delete":
        parts.splice(i, 1);
        break;
      case "duplicate":
        parts.splice(i, 0, parts[i] ?? "");
        break;
      case "swap":
        [parts[i], parts[j]] = [parts[j]!, parts[i]!];
        break;
      case "unicode":
        parts.splice(i, 0, randomUnicode(rand));
        break;
      case "keyword":
        parts[i] = ` ${KEYWORDS[Math.floor(rand() * KEYWORDS.length)]} `;
        break;
      case "truncate":
        parts = parts.slice(0, i);
        break;
    }
  }
  return parts.join("");
}

/** Why a diagnostic lies outside the text, or undefined when it is inside. */
export function diagnosticOutside(d: Diagnostic, text: string): string | undefined {
  if (d.isGlobal) return undefined;
  const lines = text.split("\n");
  const lineLength = (n: number) => (lines[n - 1] ?? "").length;
  if (!Number.isInteger(d.startLine) || d.startLine < 1 || d.startLine > lines.length) return `start line ${d.startLine} of ${lines.length}`;
  if (d.endLine < d.startLine || d.endLine > lines.length) return `end line ${d.endLine}`;
  if (d.startColumn < 1 || d.startColumn > lineLength(d.startLine) + 1) return `start column ${d.startColumn} on a line of ${lineLength(d.startLine)}`;
  if (d.endColumn < 1 || d.endColumn > lineLength(d.endLine) + 1) return `end column ${d.endColumn} on a line of ${lineLength(d.endLine)}`;
  if (d.endLine === d.startLine && d.endColumn < d.startColumn) return "end before start";
  if (!d.message) return "empty message";
  return undefined;
}

export function spanOutside(span: Span, text: string): boolean {
  return !(span.start >= 0 && span.start <= span.end && span.end <= text.length);
}

/** What is wrong with the front end's answer for `text` (a diagnostic or a node span outside it), or undefined. */
export function wellFormednessProblem(text: string): string | undefined {
  const result = checkQuery(text);
  for (const d of result.diagnostics) {
    const why = diagnosticOutside(d, text);
    if (why) return `diagnostic outside the text (${why}): ${JSON.stringify(d)}`;
  }
  const stack: unknown[] = [result.script];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.span && typeof o.kind === "string" && spanOutside(o.span as never, text)) return `${o.kind} span outside the text`;
      for (const key of Object.keys(o)) if (key !== "span") stack.push(o[key]);
    }
  }
  return undefined;
}
