import { renderDiagnostic, renderDiagnostics } from "../../lib/cli/render-diagnostics";
import type { Diagnostic } from "../../lib/saql";

const at = (startLine: number, startColumn: number, endLine: number, endColumn: number, severity: "error" | "warning" = "error"): Diagnostic => ({
  severity,
  message: "something is wrong",
  startLine,
  startColumn,
  endLine,
  endColumn,
  isGlobal: false,
  code: "TEST",
});

describe("renderDiagnostics", () => {
  const text = "SELECT a\nFROM input\n";

  it("underlines the span on its line", () => {
    expect(renderDiagnostic(at(2, 6, 2, 10), text, { file: "q.asaql" })).toBe("q.asaql:2:6: error: something is wrong\n2 | FROM input\n  |      ^~~~~\n");
  });

  it("underlines to the end of the line for a span over several lines", () => {
    expect(renderDiagnostic(at(1, 8, 2, 4), text, { file: "q.asaql" }).split("\n")[2]).toBe("  |        ^");
  });

  it("prints global diagnostics without a source line", () => {
    expect(renderDiagnostic({ ...at(1, 1, 1, 1, "warning"), isGlobal: true }, text, { file: "q.asaql" })).toBe("q.asaql: warning: something is wrong\n");
  });

  it("colours only when asked", () => {
    expect(renderDiagnostic(at(1, 1, 1, 6), text, { color: true })).toContain("\u001b[31m");
    expect(renderDiagnostic(at(1, 1, 1, 6), text, { color: false })).not.toContain("\u001b[");
  });

  it("ends with a count of errors and warnings", () => {
    expect(renderDiagnostics([at(1, 1, 1, 1), at(2, 1, 2, 1, "warning")], text).split("\n").slice(-2)).toEqual(["1 error, 1 warning", ""]);
    expect(renderDiagnostics([], text)).toBe("");
  });
});
