// Diagnostics in the shape of ASA's compile result (`{message, startLine, startColumn,
// endLine, endColumn, isGlobal}`), plus a severity and a stable code for tools and tests.
import type { Span } from "../ast";

export interface Diagnostic {
  severity: "error" | "warning";
  message: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  /** True when the problem concerns the whole query rather than a place in it (ASA's flag). */
  isGlobal: boolean;
  /** A stable identifier, e.g. `SYNTAX`, `UNKNOWN_INPUT`, `MISSING_WINDOW`. */
  code: string;
}

/** Reports an error at a node: how rule modules hand problems back to the checker. */
export type Report = (node: { span: Span }, code: string, message: string) => void;

export function diagnosticAt(span: Span, code: string, message: string, severity: "error" | "warning" = "error"): Diagnostic {
  return {
    severity,
    message,
    startLine: span.startLine,
    startColumn: span.startColumn,
    endLine: span.endLine,
    endColumn: span.endColumn,
    isGlobal: false,
    code,
  };
}

/** A problem with no place in the text (e.g. an output never written): reported at 1:1. */
export function globalDiagnostic(code: string, message: string, severity: "error" | "warning" = "error"): Diagnostic {
  return { severity, message, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, isGlobal: true, code };
}

/** Sorted by position, errors before warnings at the same place: the order a compiler prints. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      Number(a.isGlobal) - Number(b.isGlobal) ||
      a.startLine - b.startLine ||
      a.startColumn - b.startColumn ||
      (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1),
  );
}
