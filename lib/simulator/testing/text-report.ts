// The human report: one line per case, and for a failing case the first rows that differ —
// missing rows, extra rows, and changed rows as a field-level diff (jest-diff).
import { diffLinesUnified } from "jest-diff";
import { isAbsolute, relative } from "node:path";
import pc from "picocolors";
import { toOutputJson } from "../../io/writers/values";
import { escapeControl } from "../../core/terminal-text";
import type { RecordValue } from "../../saql/values";
import type { CaseResult, OutputComparison } from "./types";

/** How many differing rows of an output are shown. */
export const ROWS_SHOWN = 5;

export interface TextReportOptions {
  color: boolean;
  /** Paths are shown relative to this directory. */
  cwd: string;
}

const plain = (s: string) => s;

export function formatCaseLine(result: CaseResult, options: TextReportOptions): string {
  const c = options.color ? pc : { green: plain, red: plain, yellow: plain, dim: plain };
  const mark = result.status === "failed" ? c.red("✗") : result.status === "updated" ? c.yellow("↻") : c.green("✓");
  let suffix = result.status === "updated" ? " (expected files updated)" : "";
  // A passing case can still have skipped bad events: say so, the failure report lists them.
  if (result.status !== "failed" && result.deserializationErrors.length > 0) suffix += ` (${result.deserializationErrors.length} event(s) or row(s) skipped as malformed)`;
  return `${mark} ${result.testCase.name}${suffix} ${c.dim(`(${result.durationMs} ms)`)}`;
}

export function formatFailure(result: CaseResult, options: TextReportOptions): string {
  const lines: string[] = [];
  const c = options.color ? pc : { red: plain, dim: plain, bold: plain };
  lines.push(c.dim(`    ${shownPath(result.testCase.source, options.cwd)}`));
  if (result.error) lines.push(`    ${c.red("error:")} ${indent(result.error, 4).trimStart()}`);
  for (const output of result.outputs.filter((o) => !o.pass)) lines.push(...formatOutput(output, options));
  if (result.deserializationErrors.length > 0) {
    lines.push(`    ${result.deserializationErrors.length} input event(s) or row(s) skipped as malformed:`);
    for (const e of result.deserializationErrors.slice(0, ROWS_SHOWN)) lines.push(`      ${escapeControl(relativeLocation(e, options.cwd))}`);
  }
  return lines.join("\n");
}

/** An output that differs: its counts, then its first differing rows (changed as a field diff, missing, extra). */
export function formatOutput(o: OutputComparison, options: TextReportOptions): string[] {
  const parts = [o.missing.length && `${o.missing.length} missing`, o.extra.length && `${o.extra.length} extra`, o.changed.length && `${o.changed.length} changed`].filter(Boolean);
  const lines = [`    output '${o.alias}' (${shownPath(o.expectedFile, options.cwd)}): ${parts.join(", ")} — expected ${o.expectedCount} row(s), got ${o.actualCount}`];
  let shown = 0;
  for (const row of o.changed) {
    if (shown++ >= ROWS_SHOWN) break;
    lines.push(`      changed row (${row.fields.join(", ")}):`);
    lines.push(indent(rowDiff(row.expected, row.actual, options.color), 8));
  }
  for (const row of o.missing) {
    if (shown++ >= ROWS_SHOWN) break;
    lines.push(`      missing row: ${JSON.stringify(toOutputJson(row))}`);
  }
  for (const row of o.extra) {
    if (shown++ >= ROWS_SHOWN) break;
    lines.push(`      extra row:   ${JSON.stringify(toOutputJson(row))}`);
  }
  const total = o.changed.length + o.missing.length + o.extra.length;
  if (total > ROWS_SHOWN) lines.push(`      … and ${total - ROWS_SHOWN} more differing row(s)`);
  return lines;
}

/** One line per field, in the expected row's field order, so changed fields stand out. */
function rowDiff(expected: RecordValue, actual: RecordValue, color: boolean): string {
  const order = [...Object.keys(expected), ...Object.keys(actual).filter((k) => !(k in expected))];
  const fieldLines = (row: RecordValue) => order.filter((k) => k in row).map((k) => `${JSON.stringify(k)}: ${JSON.stringify(toOutputJson(row[k]))}`);
  const colors = color ? {} : { aColor: plain, bColor: plain, changeColor: plain, commonColor: plain, patchColor: plain };
  return diffLinesUnified(fieldLines(expected), fieldLines(actual), { aAnnotation: "Expected", bAnnotation: "Actual", ...colors });
}

/** Paths under the working directory are shown relative to it, others in full. */
export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

function indent(text: string, n: number): string {
  const pad = " ".repeat(n);
  return text
    .split("\n")
    .map((l) => pad + l)
    .join("\n");
}

function relativeLocation(text: string, cwd: string): string {
  const colon = text.indexOf(":");
  return colon > 0 && text.startsWith("/") ? shownPath(text.slice(0, colon), cwd) + text.slice(colon) : text;
}

/** The summary line, exactly `N passed, N failed`. */
export function summaryLine(results: CaseResult[]): string {
  const failed = results.filter((r) => r.status === "failed").length;
  return `${results.length - failed} passed, ${failed} failed`;
}

export function formatTextReport(results: CaseResult[], options: TextReportOptions): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(formatCaseLine(r, options));
    if (r.status === "failed") out.push(formatFailure(r, options));
  }
  out.push("", summaryLine(results));
  return out.join("\n") + "\n";
}
