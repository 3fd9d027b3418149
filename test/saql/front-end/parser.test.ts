// The parser: the syntax tree of each construct of the language, with spans.
import { parseQuery } from "../../../lib/saql";
import type * as A from "../../../lib/saql/ast";

function parseOk(text: string): A.Script {
  const { script, diagnostics } = parseQuery(text);
  expect(diagnostics).toEqual([]);
  return script!;
}
function firstSelect(text: string): A.SelectQuery {
  const statement = parseOk(text).statements[0] as A.QueryStatement;
  return statement.query as A.SelectQuery;
}
function selectExpr(text: string, index = 0): A.Expression {
  return (firstSelect(text).items[index] as A.ExpressionItem).expr;
}
const slice = (text: string, node: { span: A.Span }) => text.slice(node.span.start, node.span.end);

describe("parser: select list and names", () => {
  it("reads DISTINCT, TOP, *, alias.* and aliases with and without AS", () => {
    const q = firstSelect("SELECT DISTINCT TOP 5 *, e.*, a AS x, b y, [c d] FROM input e");
    expect(q.distinct).toBe(true);
    expect(q.top).toMatchObject({ kind: "Literal", value: 5 });
    expect(q.items.map((i) => i.kind)).toEqual(["Star", "Star", "SelectExpression", "SelectExpression", "SelectExpression"]);
    expect((q.items[1] as A.StarItem).qualifier?.name).toBe("e");
    expect((q.items[2] as A.ExpressionItem).alias?.name).toBe("x");
    expect((q.items[3] as A.ExpressionItem).alias?.name).toBe("y");
    expect((q.items[4] as A.ExpressionItem).expr).toMatchObject({ kind: "ColumnReference", parts: [{ name: "c d", quoted: true }] });
    expect(q.from).toMatchObject({ kind: "SourceReference", name: { name: "input" }, alias: { name: "e" } });
  });

  it("reads nested fields, bracketed and quoted parts, and array indexes", () => {
    const text = 'SELECT a.b.c, a.[b c].d, "quoted name", arr[0], e.list[2].x FROM i';
    expect(selectExpr(text, 0)).toMatchObject({ kind: "ColumnReference", parts: [{ name: "a" }, { name: "b" }, { name: "c" }] });
    expect(selectExpr(text, 1)).toMatchObject({ parts: [{ name: "a" }, { name: "b c", quoted: true }, { name: "d" }] });
    expect(selectExpr(text, 2)).toMatchObject({ parts: [{ name: "quoted name", quoted: true }] });
    expect(selectExpr(text, 3)).toMatchObject({ kind: "IndexAccess", target: { parts: [{ name: "arr" }] }, index: { value: 0 } });
    expect(selectExpr(text, 4)).toMatchObject({ kind: "MemberAccess", field: { name: "x" }, target: { kind: "IndexAccess" } });
  });

  it("keeps escapes: '' in strings and ]] in bracketed names", () => {
    expect(selectExpr("SELECT 'it''s' FROM i")).toMatchObject({ kind: "Literal", type: "nvarchar", value: "it's" });
    expect(selectExpr("SELECT [a]]b] FROM i")).toMatchObject({ parts: [{ name: "a]b" }] });
  });

  it("reads literals with their types", () => {
    const text = "SELECT 12, 1.5, 1e3, -7, NULL, true FROM i";
    expect([0, 1, 2, 3, 4, 5].map((i) => selectExpr(text, i))).toMatchObject([
      { type: "bigint", value: 12 },
      { type: "float", value: 1.5 },
      { type: "float", value: 1000 },
      { type: "bigint", value: -7 },
      { type: "null", value: null },
      { type: "bit", value: true },
    ]);
  });

  it("skips -- and /* */ comments", () => {
    const q = firstSelect("-- head\nSELECT /* inline */ a -- tail\nFROM i /* end */");
    expect(q.items).toHaveLength(1);
  });

  it("gives every node a 1-based line:col span", () => {
    const text = "SELECT\n  LOWER(name) AS n\nFROM input";
    const item = firstSelect(text).items[0] as A.ExpressionItem;
    expect(item.expr.span).toMatchObject({ startLine: 2, startColumn: 3, endLine: 2, endColumn: 13 });
    expect(slice(text, item.expr)).toBe("LOWER(name)");
    expect(slice(text, item)).toBe("LOWER(name) AS n");
  });
});

describe("parser: expressions", () => {
  it("respects precedence: * over +, comparison over AND, AND over OR", () => {
    const e = selectExpr("SELECT a + b * c = d OR e AND NOT f FROM i") as A.BinaryExpression;
    expect(e.op).toBe("OR");
    expect(e.left).toMatchObject({ op: "=", left: { op: "+", right: { op: "*" } } });
    expect(e.right).toMatchObject({ op: "AND", right: { kind: "Unary", op: "NOT" } });
  });

  it("reads IS [NOT] NULL, [NOT] IN, [NOT] LIKE, [NOT] BETWEEN", () => {
    const w = firstSelect("SELECT * FROM i WHERE a IS NOT NULL AND b NOT IN (1, 2) AND c NOT LIKE 'x%' AND d NOT BETWEEN 1 AND 5").where!;
    const parts: A.Expression[] = [];
    const flatten = (e: A.Expression): void => {
      if (e.kind === "Binary" && e.op === "AND") {
        flatten(e.left);
        flatten(e.right);
      } else parts.push(e);
    };
    flatten(w);
    expect(parts).toMatchObject([
      { kind: "IsNull", not: true },
      { kind: "In", not: true, list: [{ value: 1 }, { value: 2 }] },
      { kind: "Like", not: true, pattern: { value: "x%" } },
      { kind: "Between", not: true, low: { value: 1 }, high: { value: 5 } },
    ]);
  });

  it("reads both CASE forms, CAST and TRY_CAST", () => {
    expect(selectExpr("SELECT CASE x WHEN 1 THEN 'a' ELSE 'b' END FROM i")).toMatchObject({ kind: "Case", operand: { parts: [{ name: "x" }] }, whens: [{ when: { value: 1 } }], else: { value: "b" } });
    const searched = selectExpr("SELECT CASE WHEN x > 1 THEN 'a' END FROM i") as A.CaseExpression;
    expect(searched.kind).toBe("Case");
    expect(searched.operand).toBeUndefined();
    expect(selectExpr("SELECT CAST(x AS nvarchar(max)) FROM i")).toMatchObject({ kind: "Cast", try: false, type: { name: "nvarchar(max)" } });
    expect(selectExpr("SELECT TRY_CAST(x AS BIGINT) FROM i")).toMatchObject({ kind: "Cast", try: true });
  });

  it("reads System.Timestamp with and without parentheses, System.Window().Id, udf. and uda. calls", () => {
    expect(selectExpr("SELECT System.Timestamp FROM i")).toMatchObject({ kind: "FunctionCall", namespace: "system", name: { name: "Timestamp" }, args: [] });
    expect(selectExpr("SELECT System.TIMESTAMP() FROM i")).toMatchObject({ kind: "FunctionCall", namespace: "system" });
    expect(selectExpr("SELECT System.Window().Id FROM i")).toMatchObject({ kind: "MemberAccess", target: { namespace: "system", name: { name: "Window" } }, field: { name: "Id" } });
    expect(selectExpr("SELECT udf.parse(x, 1) FROM i")).toMatchObject({ kind: "FunctionCall", namespace: "udf", name: { name: "parse" }, args: [{}, {}] });
    expect(selectExpr("SELECT uda.median(x) FROM i")).toMatchObject({ namespace: "uda" });
  });

  it("reads COUNT(*), COUNT(DISTINCT x) and analytic OVER clauses", () => {
    expect(selectExpr("SELECT COUNT(*) FROM i")).toMatchObject({ star: true, args: [] });
    expect(selectExpr("SELECT COUNT(DISTINCT x) FROM i")).toMatchObject({ distinct: true, args: [{}] });
    const lag = selectExpr("SELECT LAG(x, 2, 0) OVER (PARTITION BY a, b LIMIT DURATION(ss, 30) WHEN x > 1) FROM i") as A.FunctionCall;
    expect(lag.over).toMatchObject({ partitionBy: [{}, {}], limitDuration: { name: { name: "DURATION" }, args: [{ parts: [{ name: "ss" }] }, { value: 30 }] }, when: { op: ">" } });
    const top = selectExpr("SELECT TopOne() OVER (ORDER BY t DESC, u) FROM i") as A.FunctionCall;
    expect(top.over?.orderBy).toMatchObject([{ descending: true }, { descending: false }]);
  });
});

describe("parser: FROM, joins and statements", () => {
  it("reads TIMESTAMP BY … OVER, PARTITION BY … INTO n", () => {
    const q = firstSelect("SELECT * FROM input TIMESTAMP BY t OVER deviceId, region PARTITION BY PartitionId INTO 4");
    expect(q.from).toMatchObject({ timestampBy: { expr: { parts: [{ name: "t" }] }, over: [{}, {}] }, partitionBy: [{ parts: [{ name: "PartitionId" }] }], intoPartitions: 4 });
  });

  it("reads JOIN, LEFT OUTER JOIN, CROSS APPLY and OUTER APPLY", () => {
    const q = firstSelect(
      "SELECT * FROM a JOIN b ON DATEDIFF(second, a, b) BETWEEN 0 AND 5 LEFT OUTER JOIN c ON a.x = c.x CROSS APPLY GetArrayElements(a.arr) AS e OUTER APPLY GetRecordProperties(a.rec) AS p",
    );
    expect(q.joins.map((j) => j.type)).toEqual(["inner", "left", "cross-apply", "outer-apply"]);
    expect(q.joins[0]!.on).toMatchObject({ kind: "Between", expr: { kind: "FunctionCall", name: { name: "DATEDIFF" } } });
    expect(q.joins[2]!.source).toMatchObject({ kind: "FunctionSource", call: { name: { name: "GetArrayElements" } }, alias: { name: "e" } });
  });

  it("reads WITH steps, INTO, GROUP BY with windows in both argument forms, HAVING and UNION", () => {
    const script = parseOk(`WITH s1 AS (SELECT a FROM i), s2 AS (SELECT a FROM s1)
SELECT a, COUNT(*) INTO out FROM s2 GROUP BY a, HoppingWindow(Duration(hour, 1), Hop(minute, 5), Offset(millisecond, -1)) HAVING COUNT(*) > 1
UNION SELECT a, 1 FROM s1;
SELECT * INTO out2 FROM s1 GROUP BY Windows(Window('a', TumblingWindow(minute, 1)), Window('b', Sliding(second, 5)))`);
    expect(script.statements).toHaveLength(2);
    const first = script.statements[0] as A.QueryStatement;
    expect(first.with.map((s) => s.name.name)).toEqual(["s1", "s2"]);
    expect(first.query).toMatchObject({ kind: "Union", left: { kind: "Select", into: { name: "out" }, having: {} }, right: { kind: "Select" } });
    const hop = ((first.query as A.UnionQuery).left as A.SelectQuery).groupBy![1] as A.FunctionCall;
    expect(hop.args.map((a) => (a as A.FunctionCall).name.name)).toEqual(["Duration", "Hop", "Offset"]);
    expect((hop.args[2] as A.FunctionCall).args[1]).toMatchObject({ kind: "Literal", value: -1 });
  });

  it("reads CREATE TABLE with SAQL types", () => {
    const ct = parseOk("CREATE TABLE input (id bigint, name nvarchar(max), at datetime, tags array);\nSELECT * FROM input").statements[0] as A.CreateTableStatement;
    expect(ct.columns.map((c) => [c.name.name, c.type.name])).toEqual([["id", "bigint"], ["name", "nvarchar(max)"], ["at", "datetime"], ["tags", "array"]]);
  });

  it("reads MATCH_RECOGNIZE", () => {
    const q = firstSelect(`SELECT * FROM input TIMESTAMP BY time
MATCH_RECOGNIZE (LIMIT DURATION(minute, 3) PARTITION BY id MEASURES Last(A.v) AS lastA, Classifier() AS c
  AFTER MATCH SKIP TO NEXT ROW PATTERN (A+ (B | C)?) DEFINE A AS A.v > 1, B AS B.v < 0, C AS C.v = 0) AS m`);
    const mr = (q.from as A.SourceReference).matchRecognize!;
    expect(mr.pattern).toBe("A+ (B | C)?");
    expect(mr.afterMatch).toBe("AFTER MATCH SKIP TO NEXT ROW");
    expect(mr.measures.map((m) => m.alias.name)).toEqual(["lastA", "c"]);
    expect(mr.define.map((d) => d.name.name)).toEqual(["A", "B", "C"]);
    expect(mr.alias?.name).toBe("m");
  });
});

describe("parser: errors", () => {
  it("reports several syntax errors in one run and keeps the good statements", () => {
    const { script, diagnostics } = parseQuery("SELECT a,, b FROM i\nSELECT * INTO o FROM j\nSELECT FROM k");
    expect(diagnostics.map((d) => `${d.startLine}:${d.startColumn}`)).toEqual(["1:10", "3:8"]);
    // Every statement is kept; the ones the parser had to skip parts of are marked incomplete.
    const selects = script!.statements.map((s) => (s as A.QueryStatement).query as A.SelectQuery);
    expect(selects.map((q) => q.incomplete === true)).toEqual([true, false, true]);
    expect(selects[0]!.items).toHaveLength(2);
  });

  it("recovers inside a statement: an error in the select list still lets FROM and WHERE be read", () => {
    const { script, diagnostics } = parseQuery("SELECT AVG(x AS a, b\nFROM input\nWHERE c = = 1");
    expect(diagnostics.map((d) => `${d.startLine}:${d.startColumn}`)).toEqual(["1:14", "3:11"]);
    const q = (script!.statements[0] as A.QueryStatement).query as A.SelectQuery;
    expect(q.from).toMatchObject({ name: { name: "input" } });
  });

  it("reports an empty query", () => {
    expect(parseQuery("  -- nothing\n").diagnostics).toMatchObject([{ code: "EMPTY_QUERY", startLine: 1, startColumn: 1 }]);
  });

  it("points at the last token when the query ends too early", () => {
    const { diagnostics } = parseQuery("SELECT a FROM");
    expect(diagnostics).toMatchObject([{ message: "syntax error: expected an input or step name, found end of query", startLine: 1, startColumn: 10, endColumn: 13 }]);
  });
});
