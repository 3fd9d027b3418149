// The SAQL syntax tree: the contract between the parser, the checker and the planner.
// Every node carries the span of source text it came from, so any later stage can report
// `file:line:col`. Lines and columns are 1-based; `end*` points at the last character.

export interface Span {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  /** 0-based offsets into the source, end exclusive. */
  start: number;
  end: number;
}

interface NodeBase {
  span: Span;
}

/** A name as written. `quoted` for `[bracketed]` or `"quoted"` names; compare with `name.toLowerCase()`. */
export interface Identifier extends NodeBase {
  kind: "Identifier";
  name: string;
  quoted: boolean;
}

// ---------------------------------------------------------------- statements

export interface Script extends NodeBase {
  kind: "Script";
  statements: Statement[];
}

export type Statement = CreateTableStatement | QueryStatement | CreateFunctionStatement;

/** `CREATE TABLE Input (col type, …)`: a declared schema for an input. */
export interface CreateTableStatement extends NodeBase {
  kind: "CreateTable";
  name: Identifier;
  columns: { name: Identifier; type: TypeName; span: Span }[];
}

/** Rarely seen in jobs, but valid in the VS Code tooling; kept so the checker can report it. */
export interface CreateFunctionStatement extends NodeBase {
  kind: "CreateFunction";
  name: Identifier;
  body: string;
}

/**
 * One top-level query: `WITH a AS (…), b AS (…) SELECT … INTO out FROM …`.
 * A WITH clause's steps are visible to this statement and every later one (ASA shares
 * steps between all `SELECT … INTO` statements of a job).
 */
export interface QueryStatement extends NodeBase {
  kind: "QueryStatement";
  with: StepDefinition[];
  query: QueryExpression;
}

export interface StepDefinition extends NodeBase {
  kind: "Step";
  name: Identifier;
  query: QueryExpression;
}

export type QueryExpression = SelectQuery | UnionQuery;

export interface UnionQuery extends NodeBase {
  kind: "Union";
  left: QueryExpression;
  right: QueryExpression;
  /** ASA's UNION keeps duplicates (it behaves like UNION ALL); `all` records what was written. */
  all: boolean;
}

export interface SelectQuery extends NodeBase {
  kind: "Select";
  distinct: boolean;
  top?: Expression;
  items: SelectItem[];
  into?: Identifier;
  from: FromItem;
  /** JOIN / LEFT OUTER JOIN / CROSS APPLY / OUTER APPLY, in order. */
  joins: JoinClause[];
  where?: Expression;
  groupBy?: Expression[];
  having?: Expression;
  /** ASA allows ORDER BY only with TOP in some forms; parsed so the checker can judge it. */
  orderBy?: { expr: Expression; descending: boolean }[];
  /** The parser skipped part of this SELECT after a syntax error: its clauses are incomplete. */
  incomplete?: boolean;
}

export type SelectItem = StarItem | ExpressionItem;

/** `*`, `alias.*`, or a record column's fields: `Location.*`, `i.Location.*` (SELECT page: "column_name.*"). */
export interface StarItem extends NodeBase {
  kind: "Star";
  /** The first name before `.*`: a source alias, or a record column of the FROM source. */
  qualifier?: Identifier;
  /** Every name before `.*` (`i.Location.*` → i, Location); absent for `*`. */
  path?: Identifier[];
}

export interface ExpressionItem extends NodeBase {
  kind: "SelectExpression";
  expr: Expression;
  alias?: Identifier;
}

export type FromItem = SourceReference | FunctionSource | SubquerySource;

/** An input or a step: `Input [AS i] [TIMESTAMP BY expr [OVER col, …]] [PARTITION BY col] [INTO n]`. */
export interface SourceReference extends NodeBase {
  kind: "SourceReference";
  name: Identifier;
  alias?: Identifier;
  timestampBy?: { expr: Expression; over: Expression[]; span: Span };
  partitionBy?: Expression[];
  intoPartitions?: number;
  /** `MATCH_RECOGNIZE (…)` applied to this source, when present. */
  matchRecognize?: MatchRecognizeClause;
}

/** `CROSS APPLY GetArrayElements(e.arr) AS a`. */
export interface FunctionSource extends NodeBase {
  kind: "FunctionSource";
  call: FunctionCall;
  alias?: Identifier;
}

export interface SubquerySource extends NodeBase {
  kind: "SubquerySource";
  query: QueryExpression;
  alias?: Identifier;
}

export interface JoinClause extends NodeBase {
  kind: "Join";
  type: "inner" | "left" | "cross-apply" | "outer-apply";
  source: FromItem;
  on?: Expression;
}

export interface MatchRecognizeClause extends NodeBase {
  kind: "MatchRecognize";
  limitDuration?: Expression;
  partitionBy: Expression[];
  measures: { expr: Expression; alias: Identifier }[];
  afterMatch?: string;
  /** The pattern as written, e.g. `A B+ C?`. */
  pattern: string;
  /** The pattern parsed (absent when it has a syntax error); `patternSpan` is the text inside PATTERN ( … ). */
  patternTree?: RowPattern;
  patternSpan?: Span;
  define: { name: Identifier; condition: Expression }[];
  alias?: Identifier;
}

/**
 * MATCH_RECOGNIZE's PATTERN, as the reference's grammar gives it: variables (or `.`, any event),
 * concatenation, `|` alternation, groups, and the quantifiers `*`, `+`, `?` and `{n}`, `{n,}`,
 * `{n,m}` (the query-patterns article writes `Warning{2,}`). `max` is undefined for no bound.
 */
export type RowPattern =
  | { kind: "PatternVariable"; name: Identifier; span: Span }
  | { kind: "PatternAny"; span: Span }
  | { kind: "PatternSequence"; items: RowPattern[]; span: Span }
  | { kind: "PatternAlternation"; options: RowPattern[]; span: Span }
  | { kind: "PatternQuantified"; body: RowPattern; min: number; max?: number; span: Span };

// ---------------------------------------------------------------- expressions

export type Expression =
  | Literal
  | ColumnReference
  | IndexAccess
  | FunctionCall
  | UnaryExpression
  | BinaryExpression
  | BetweenExpression
  | InExpression
  | LikeExpression
  | IsNullExpression
  | CaseExpression
  | CastExpression
  | MemberAccess;

export interface Literal extends NodeBase {
  kind: "Literal";
  /** `bigint` for 12, `float` for 1.5 / 1e3, `nvarchar` for 'text', `bit` for true/false, `null` for NULL. */
  type: "bigint" | "float" | "nvarchar" | "bit" | "null";
  value: number | string | boolean | null;
}

/**
 * A name path: `col`, `e.col`, `e.rec.[field name].x`. Whether the first part names a
 * source alias or a field is decided by the checker, which knows the sources in scope.
 * Datetime units (`second`, `ss`, …) inside DATEADD/DATEDIFF/window calls also parse as
 * single-part references; the function's signature interprets them.
 */
export interface ColumnReference extends NodeBase {
  kind: "ColumnReference";
  parts: Identifier[];
}

/**
 * `expr.field` where `expr` is not a plain name, e.g. `System.Window().Id` or
 * `udf.parse(x).field`: field access on a computed record. (Paths of plain names stay
 * ColumnReference parts.)
 */
export interface MemberAccess extends NodeBase {
  kind: "MemberAccess";
  target: Expression;
  field: Identifier;
}

/** `expr[index]`: array element access. */
export interface IndexAccess extends NodeBase {
  kind: "IndexAccess";
  target: Expression;
  index: Expression;
}

/** Every call: built-ins, aggregates, windows (`TumblingWindow(second, 10)`), analytic functions, UDFs. */
export interface FunctionCall extends NodeBase {
  kind: "FunctionCall";
  /** `udf` / `uda` for JavaScript functions, `system` for `System.Timestamp`. */
  namespace?: "udf" | "uda" | "system";
  name: Identifier;
  args: Expression[];
  /** `COUNT(*)`. */
  star: boolean;
  /** `COUNT(DISTINCT x)`. */
  distinct: boolean;
  /** Analytic functions: `LAG(x) OVER (PARTITION BY … LIMIT DURATION(unit, n) WHEN cond)`. */
  over?: OverClause;
}

export interface OverClause extends NodeBase {
  kind: "Over";
  partitionBy: Expression[];
  /** TopOne, CollectTop, Percentile_Cont/Disc: `OVER (ORDER BY col [ASC|DESC], …)`. */
  orderBy?: { expr: Expression; descending: boolean }[];
  /** The `DURATION(unit, n)` call. */
  limitDuration?: FunctionCall;
  when?: Expression;
}

export type UnaryOperator = "-" | "+" | "NOT" | "~";
export interface UnaryExpression extends NodeBase {
  kind: "Unary";
  op: UnaryOperator;
  operand: Expression;
}

export type BinaryOperator =
  | "+" | "-" | "*" | "/" | "%"
  | "=" | "!=" | "<>" | "<" | ">" | "<=" | ">="
  | "AND" | "OR"
  | "&" | "|" | "^";
export interface BinaryExpression extends NodeBase {
  kind: "Binary";
  op: BinaryOperator;
  left: Expression;
  right: Expression;
}

export interface BetweenExpression extends NodeBase {
  kind: "Between";
  expr: Expression;
  low: Expression;
  high: Expression;
  not: boolean;
}

export interface InExpression extends NodeBase {
  kind: "In";
  expr: Expression;
  list: Expression[];
  not: boolean;
}

export interface LikeExpression extends NodeBase {
  kind: "Like";
  expr: Expression;
  pattern: Expression;
  not: boolean;
}

export interface IsNullExpression extends NodeBase {
  kind: "IsNull";
  expr: Expression;
  not: boolean;
}

export interface CaseExpression extends NodeBase {
  kind: "Case";
  /** `CASE x WHEN 1 THEN …` (simple form); absent for `CASE WHEN cond THEN …`. */
  operand?: Expression;
  whens: { when: Expression; then: Expression }[];
  else?: Expression;
}

export interface CastExpression extends NodeBase {
  kind: "Cast";
  expr: Expression;
  type: TypeName;
  /** TRY_CAST gives NULL where CAST fails the event. */
  try: boolean;
}

export interface TypeName extends NodeBase {
  kind: "TypeName";
  /** Lower-cased, spaces removed: `bigint`, `float`, `nvarchar(max)`, `datetime`, `bit`, `record`, `array`. */
  name: string;
}

export type Node =
  | Script
  | Statement
  | StepDefinition
  | QueryExpression
  | SelectItem
  | FromItem
  | JoinClause
  | MatchRecognizeClause
  | Expression
  | OverClause
  | TypeName
  | Identifier;
