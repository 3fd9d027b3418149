// MATCH_RECOGNIZE's PATTERN grammar: the tree the parser builds, and located syntax errors.
import { checkQuery, parseQuery } from "../../../lib/saql";
import type * as A from "../../../lib/saql/ast";

const query = (pattern: string, define = "A AS A.v > 1, B AS B.v < 1, C AS C.v = 1") =>
  `SELECT * FROM input TIMESTAMP BY t\nMATCH_RECOGNIZE (LIMIT DURATION(minute, 1) MEASURES Last(A.v) AS v\n  AFTER MATCH SKIP TO NEXT ROW PATTERN (${pattern}) DEFINE ${define}) AS m`;

function treeOf(pattern: string): A.RowPattern {
  const { script, diagnostics } = parseQuery(query(pattern));
  expect(diagnostics).toEqual([]);
  const select = (script!.statements[0] as A.QueryStatement).query as A.SelectQuery;
  return (select.from as A.SourceReference).matchRecognize!.patternTree!;
}

/** The tree written back compactly, to compare shapes. */
function show(p: A.RowPattern): string {
  switch (p.kind) {
    case "PatternVariable":
      return p.name.name;
    case "PatternAny":
      return ".";
    case "PatternSequence":
      return `seq(${p.items.map(show).join(" ")})`;
    case "PatternAlternation":
      return `alt(${p.options.map(show).join(" | ")})`;
    case "PatternQuantified":
      return `${show(p.body)}{${p.min},${p.max ?? ""}}`;
  }
}

describe("PATTERN syntax", () => {
  it.each([
    ["Toyota+ Ford* Lexus+", "seq(Toyota{1,} Ford{0,} Lexus{1,})"],
    ["A+ (B | C)", "seq(A{1,} alt(B | C))"],
    ["A? B+", "seq(A{0,1} B{1,})"],
    ["A | B C | C", "alt(A | seq(B C) | C)"],
    ["(A B)+ .", "seq(seq(A B){1,} .)"],
    ["Warning{2,}", "Warning{2,}"],
    ["A{3} B{1,2}", "seq(A{3,3} B{1,2})"],
    ["[my var]+", "my var{1,}"],
  ])("reads %s", (pattern, shape) => {
    expect(show(treeOf(pattern))).toBe(shape);
  });

  it("keeps the spans of the variables, so errors point into the pattern", () => {
    const text = query("A  B+");
    const tree = treeOf("A  B+") as Extract<A.RowPattern, { kind: "PatternSequence" }>;
    const b = tree.items[1] as Extract<A.RowPattern, { kind: "PatternQuantified" }>;
    expect(text.slice(b.span.start, b.span.end)).toBe("B+");
    expect(b.span.startLine).toBe(3);
  });

  it.each([
    ["A+*", "'*' cannot follow another quantifier", 3, 43],
    ["A # B", "unexpected '#'", 3, 43],
    ["A {3,1}", "the upper bound is below the lower bound", 3, 43],
    ["A{x}", "is not a count", 3, 42],
    ["A | ", "expected a pattern variable", 3, 45],
    ["", "PATTERN ( … ) is empty", 3, 41],
  ])("reports %j with its location", (pattern, message, line, column) => {
    const { diagnostics } = parseQuery(query(pattern));
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]).toMatchObject({ startLine: line, startColumn: column, code: "SYNTAX" });
    expect(diagnostics[0]!.message).toContain(message);
  });

  it("checks that every pattern variable is defined, and accepts '.' without a definition", () => {
    expect(checkQuery(query("A . B")).diagnostics).toEqual([]);
    const undefinedVar = checkQuery(query("A D+")).diagnostics;
    expect(undefinedVar.map((d) => d.code)).toEqual(["UNDEFINED_PATTERN_VARIABLE"]);
    expect(undefinedVar[0]!.message).toContain("'D'");
  });
});
