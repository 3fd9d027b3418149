// Prints diagnostics the way compilers do: `file:line:col: error: message`, the source
// line, and a caret under the span. Colours only when asked (the CLI asks on a TTY).
import { createColors } from "picocolors";
import type { Diagnostic } from "../saql";

export interface RenderOptions {
  /** The name printed before `:line:col` (a path, or `<stdin>`). */
  file?: string;
  color?: boolean;
}

/** Whether a stream should get colours: a TTY, and NO_COLOR not set (FORCE_COLOR=0 also disables). */
export function wantsColor(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  if (process.env.FORCE_COLOR === "0") return false;
  return stream.isTTY === true;
}

/** One diagnostic as text (ends with a newline). */
export function renderDiagnostic(d: Diagnostic, text: string, options: RenderOptions = {}): string {
  const c = createColors(options.color ?? false);
  const file = options.file ?? "<query>";
  const where = d.isGlobal ? file : `${file}:${d.startLine}:${d.startColumn}`;
  const label = d.severity === "error" ? c.bold(c.red("error")) : c.bold(c.yellow("warning"));
  let out = `${c.bold(where)}: ${label}: ${d.message}\n`;
  if (d.isGlobal) return out;
  const lines = text.split(/\r?\n/);
  const line = lines[d.startLine - 1];
  if (line === undefined) return out;
  const gutter = String(d.startLine);
  const pad = " ".repeat(gutter.length);
  // The caret line keeps tabs where the source has them, so it lines up in any tab width.
  const before = line.slice(0, Math.max(0, d.startColumn - 1)).replace(/[^\t]/g, " ");
  const lastColumn = d.endLine === d.startLine ? d.endColumn : line.length;
  const width = Math.max(1, lastColumn - d.startColumn + 1);
  const caret = "^" + "~".repeat(Math.max(0, Math.min(width, Math.max(1, line.length - d.startColumn + 1)) - 1));
  out += `${c.dim(`${gutter} |`)} ${line}\n`;
  out += `${c.dim(`${pad} |`)} ${before}${d.severity === "error" ? c.red(caret) : c.yellow(caret)}\n`;
  return out;
}

/** Every diagnostic, then a summary line (`2 errors, 1 warning`) when there is any. */
export function renderDiagnostics(list: Diagnostic[], text: string, options: RenderOptions = {}): string {
  let out = list.map((d) => renderDiagnostic(d, text, options)).join("");
  const errors = list.filter((d) => d.severity === "error").length;
  const warnings = list.length - errors;
  if (list.length > 0) {
    const parts = [];
    if (errors) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
    if (warnings) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
    out += `${parts.join(", ")}\n`;
  }
  return out;
}
