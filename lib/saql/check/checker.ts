// The SAQL checker: names, functions, aggregates, windows, joins and output tables, judged
// the way the service's compile step judges them. Names are case-insensitive throughout.
import { patternVariables } from "../syntax/row-pattern";
import type * as A from "../ast";
import { BUILTIN_FUNCTIONS, DATEPARTS, TIME_UNITS, lookupFunction, type FunctionSignature } from "../catalog";
import type { InputSpec, JobSpec, OutputSpec } from "../../job/schema";
import { SAQL_TYPE_NAMES as SAQL_TYPES, TABLE_SINKS as TABLE_OUTPUT_KINDS } from "./job-names";
import { diagnosticAt, globalDiagnostic, type Diagnostic, type Report } from "./diagnostics";
import { checkGrouped, normalizedKey } from "./grouping";
import { checkJoinBound, checkPartitionedJoin, containsDateDiff } from "./joins";
import { checkOutputTable, outputColumnName } from "./output-table";
import { didYouMean, sqlServerEquivalent } from "./suggest";
import { inferType, isAssignable, saqlTypeOf, type StaticType } from "./types";
import { childExpressions } from "./walk";
import { WindowChecker, isSnapshotTimestamp, timeUnitOf, windowKind } from "./windows";

export interface CheckOptions {
  job?: JobSpec;
  /** The parser already reported errors: skip checks that would only repeat them. */
  hasSyntaxErrors?: boolean;
  /**
   * The query is to run on this machine (`streamkit check`, `run`, `test`): what only Azure can
   * run (C# and Azure ML functions) is an error at its call. A deployed job's check allows it.
   */
  local?: boolean;
}

/** How a function the local engine cannot run is named in its errors. */
const AZURE_ONLY_FUNCTIONS: Record<string, string> = {
  "csharp-udf": "a C# user-defined function",
  "csharp-uda": "a C# user-defined aggregate",
  azureml: "an Azure Machine Learning function",
};

export interface CheckOutput {
  diagnostics: Diagnostic[];
  inputs: string[];
  outputs: string[];
  functions: string[];
}

/** A source visible in a SELECT: an input, a step, a subquery or an APPLY result. */
interface ScopeEntry {
  /** Lower-case alias (or name). */
  alias: string;
  kind: "input" | "reference" | "step" | "subquery" | "apply" | "pattern";
  isStream: boolean;
  /** Declared column types (CREATE TABLE or the job's input schema). */
  columns?: Map<string, StaticType>;
}

/** Where an expression sits: decides whether aggregates, windows and table functions may appear. */
type Clause = "select" | "where" | "group-by" | "having" | "on" | "timestamp" | "partition" | "apply" | "over" | "match" | "order-by";

interface ExprContext {
  clause: Clause;
  scope: ScopeEntry[];
  /** The aggregate call we are inside, for nested-aggregate errors. */
  inAggregate?: string;
  /** Aggregate calls found (for the grouping rules). */
  aggregates: A.FunctionCall[];
  /** The LAG/LAST call we are inside: its expression may not hold analytic or external functions. */
  inAnalytic?: string;
}

interface StepInfo {
  def: A.StepDefinition;
  /** Position in definition order; a query sees the steps with a smaller position. */
  seq: number;
  used: boolean;
  isStream: boolean;
}

const ORDINALS = ["1st", "2nd", "3rd"];
const ordinal = (i: number) => ORDINALS[i] ?? `${i + 1}th`;
const DATEPART_LIST = "year (yy, yyyy), quarter (qq, q), month (mm, m), dayofyear (dy, y), day (dd, d), week (wk, ww), weekday (dw, w), hour (hh), minute (mi, n), second (ss, s), millisecond (ms), microsecond (mcs)";
const TIME_UNIT_LIST = "day (dd, d), hour (hh), minute (mi, n), second (ss, s), millisecond (ms), microsecond (mcs)";
/** Functions MATCH_RECOGNIZE's MEASURES and DEFINE may call on pattern variables. */
const MATCH_FUNCTIONS = new Set(["first", "last", "min", "max", "count", "sum", "avg", "classifier"]);

export function checkScript(script: A.Script, options: CheckOptions = {}): CheckOutput {
  return new Checker(options).run(script);
}

class Checker {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly windows = new WindowChecker(this.diagnostics);
  private readonly inputs = new Map<string, InputSpec>();
  private readonly outputs = new Map<string, OutputSpec>();
  private readonly jobFunctions = new Map<string, JobSpec["functions"][number]>();
  private readonly steps = new Map<string, StepInfo>();
  private readonly tables = new Map<string, Map<string, StaticType>>();
  private readonly usedInputs = new Map<string, string>();
  private readonly writtenOutputs = new Map<string, string>();
  private readonly usedFunctions = new Map<string, string>();
  private seq = 0;

  constructor(private readonly options: CheckOptions) {
    for (const input of options.job?.inputs ?? []) this.inputs.set(input.alias.toLowerCase(), input);
    for (const output of options.job?.outputs ?? []) this.outputs.set(output.alias.toLowerCase(), output);
    for (const f of options.job?.functions ?? []) this.jobFunctions.set(f.name.toLowerCase(), f);
  }

  private get job(): JobSpec | undefined {
    return this.options.job;
  }

  /** `error` as a free function, for the rule modules. */
  private readonly report: Report = (node, code, message) => this.error(node, code, message);

  private error(node: { span: A.Span }, code: string, message: string): void {
    this.diagnostics.push(diagnosticAt(node.span, code, message));
  }
  private warning(node: { span: A.Span }, code: string, message: string): void {
    this.diagnostics.push(diagnosticAt(node.span, code, message, "warning"));
  }

  run(script: A.Script): CheckOutput {
    this.collectSteps(script);
    let seq = 0;
    for (const statement of script.statements) {
      if (statement.kind === "CreateTable") this.checkCreateTable(statement);
      else if (statement.kind === "CreateFunction") {
        this.error(statement.name, "UNSUPPORTED", "CREATE FUNCTION is not part of a Stream Analytics query: declare JavaScript functions in the job's functions");
      } else {
        for (const step of statement.with) {
          const info = this.steps.get(step.name.name.toLowerCase());
          this.seq = seq++;
          const isStream = this.checkQueryExpression(step.query, { inStep: true, leftmost: true });
          if (info && info.def === step) info.isStream = isStream;
        }
        this.seq = seq;
        this.checkTopLevel(statement);
      }
    }
    this.reportUnused();
    return {
      diagnostics: this.diagnostics,
      inputs: [...this.usedInputs.values()],
      outputs: [...this.writtenOutputs.values()],
      functions: [...this.usedFunctions.values()],
    };
  }

  // ---------------------------------------------------------------- steps, tables, unused names

  private collectSteps(script: A.Script): void {
    let seq = 0;
    for (const statement of script.statements) {
      if (statement.kind !== "QueryStatement") continue;
      for (const step of statement.with) {
        const key = step.name.name.toLowerCase();
        const existing = this.steps.get(key);
        if (existing) {
          this.error(step.name, "DUPLICATE_STEP", `step '${step.name.name}' is already defined at line ${existing.def.name.span.startLine}: step names are case-insensitive, rename one of them`);
        } else {
          this.steps.set(key, { def: step, seq, used: false, isStream: true });
        }
        if (this.inputs.has(key)) {
          this.error(step.name, "STEP_NAME_CONFLICT", `step '${step.name.name}' has the name of an input: rename the step`);
        }
        seq++;
      }
    }
  }

  /** Data types page: bit "is supported in compatibility level 1.2 and above". */
  private checkBitLevel(type: A.TypeName): void {
    const level = this.job?.compatibilityLevel;
    if (level && level !== "1.2" && saqlTypeOf(type.name) === "bit") {
      this.error(type, "INVALID_TYPE", `the bit type needs compatibility level 1.2 or above, and this job is at ${level}: raise compatibilityLevel, or use bigint`);
    }
  }

  private checkCreateTable(statement: A.CreateTableStatement): void {
    const columns = new Map<string, StaticType>();
    for (const column of statement.columns) {
      this.checkBitLevel(column.type);
      const type = saqlTypeOf(column.type.name);
      if (!type) {
        this.error(column.type, "INVALID_TYPE", `'${column.type.name}' is not a Stream Analytics data type: use one of ${SAQL_TYPES.join(", ")}`);
      } else columns.set(column.name.name.toLowerCase(), type);
      const key = column.name.name.toLowerCase();
      if (statement.columns.filter((c) => c.name.name.toLowerCase() === key).length > 1 && statement.columns.find((c) => c.name.name.toLowerCase() === key) !== column) {
        this.error(column.name, "DUPLICATE_COLUMN", `column '${column.name.name}' is declared twice in CREATE TABLE ${statement.name.name}`);
      }
    }
    const key = statement.name.name.toLowerCase();
    if (this.tables.has(key)) this.error(statement.name, "DUPLICATE_TABLE", `CREATE TABLE ${statement.name.name} is given twice: keep one`);
    this.tables.set(key, columns);
    if (this.job && !this.inputs.has(key)) {
      // CREATE TABLE page: the table name "needs to match the input alias".
      const known = this.job.inputs.map((i) => i.alias);
      this.error(statement.name, "UNKNOWN_TABLE", `CREATE TABLE ${statement.name.name} names no input of the job${didYouMean(statement.name.name, known)}: its name must be the alias of the input whose schema it declares`);
    }
  }

  private reportUnused(): void {
    // A statement the parser dropped may be the one that used a name: stay quiet then.
    if (this.options.hasSyntaxErrors) return;
    for (const info of this.steps.values()) {
      if (!info.used) this.warning(info.def.name, "UNUSED_STEP", `step '${info.def.name.name}' is never read: use it in a FROM or JOIN, or remove it`);
    }
    if (!this.job) return;
    for (const input of this.job.inputs) {
      if (!this.usedInputs.has(input.alias.toLowerCase())) {
        this.diagnostics.push(globalDiagnostic("UNUSED_INPUT", `input '${input.alias}' is not used by the query: read it in a FROM or JOIN, or remove it from the job`, "warning"));
      }
    }
    for (const output of this.job.outputs) {
      if (!this.writtenOutputs.has(output.alias.toLowerCase())) {
        this.diagnostics.push(globalDiagnostic("UNUSED_OUTPUT", `output '${output.alias}' is not written by the query: add SELECT … INTO [${output.alias}] FROM …, or remove it from the job`, "warning"));
      }
    }
  }

  // ---------------------------------------------------------------- statements and queries

  private checkTopLevel(statement: A.QueryStatement): void {
    this.checkQueryExpression(statement.query, { inStep: false, leftmost: true });
    const first = leftmostSelect(statement.query);
    const target = first.into;
    const alias = target?.name ?? "output";
    const key = alias.toLowerCase();
    if (this.job) {
      const output = this.outputs.get(key);
      if (!output) {
        if (target) {
          const hint = this.inputs.has(key) ? `'${alias}' is an input, not an output` : `no output named '${alias}' in the job${didYouMean(alias, this.job.outputs.map((o) => o.alias))}`;
          this.error(target, "UNKNOWN_OUTPUT", `INTO ${alias}: ${hint}; declared outputs: ${this.job.outputs.map((o) => o.alias).join(", ") || "(none)"}`);
        } else {
          this.error(first, "MISSING_INTO", `this SELECT has no INTO, so it writes to an output named 'output', which the job does not declare: add INTO <output>`);
        }
        return;
      }
      this.writtenOutputs.set(key, output.alias);
      if (output.table && TABLE_OUTPUT_KINDS.includes(output.kind) && !first.incomplete) {
        checkOutputTable(first, output, this.diagnostics, (e) => this.typeOf(e, this.scopeOfSelect(first)));
      }
    } else if (!this.writtenOutputs.has(key)) this.writtenOutputs.set(key, alias);
  }

  /** Checks a query (SELECT or UNION); returns whether its result is a stream. */
  private checkQueryExpression(q: A.QueryExpression, where: { inStep: boolean; leftmost: boolean }): boolean {
    if (q.kind === "Union") {
      const left = this.checkQueryExpression(q.left, where);
      const right = this.checkQueryExpression(q.right, { ...where, leftmost: false });
      this.checkUnionColumns(q);
      return left || right;
    }
    if (q.into && where.inStep) {
      this.error(q.into, "INTO_IN_STEP", "INTO cannot be used inside a WITH step or a subquery: write INTO in the SELECT that reads the step");
    } else if (q.into && !where.leftmost) {
      this.error(q.into, "INTO_POSITION", "INTO belongs to the first SELECT of a UNION");
    }
    return this.checkSelect(q);
  }

  /**
   * UNION page: "The number and the order of the columns must be the same in all queries",
   * named the same (with an alias where needed). Judged when no side selects `*`.
   */
  private checkUnionColumns(q: A.UnionQuery): void {
    const rightmost = (e: A.QueryExpression): A.SelectQuery => (e.kind === "Union" ? rightmost(e.right) : e);
    const a = leftmostSelect(q.left);
    const b = rightmost(q.right);
    if (a.incomplete || b.incomplete || [...a.items, ...b.items].some((i) => i.kind === "Star")) return;
    if (a.items.length !== b.items.length) {
      this.error(b.items[0] ?? b, "UNION_COLUMNS", `each query of a UNION must select the same columns in the same order: this one selects ${b.items.length}, the first ${a.items.length}`);
      return;
    }
    a.items.forEach((itemA, i) => {
      const itemB = b.items[i]!;
      const nameA = outputColumnName(itemA as A.ExpressionItem);
      const nameB = outputColumnName(itemB as A.ExpressionItem);
      if (nameA && nameB && nameA.toLowerCase() !== nameB.toLowerCase()) {
        this.error(itemB, "UNION_COLUMNS", `column ${i + 1} of this UNION query is '${nameB}' but '${nameA}' in the first query: name it the same with AS ${nameA}`);
      }
    });
  }

  private readonly scopes = new WeakMap<A.SelectQuery, ScopeEntry[]>();
  private scopeOfSelect(sel: A.SelectQuery): ScopeEntry[] {
    return this.scopes.get(sel) ?? [];
  }

  private checkSelect(sel: A.SelectQuery): boolean {
    const scope: ScopeEntry[] = [];
    this.scopes.set(sel, scope);
    this.addSource(sel.from, scope, "from");
    for (const join of sel.joins) {
      const before = scope.slice();
      if (join.type === "cross-apply" || join.type === "outer-apply") {
        this.addApply(join, scope);
        continue;
      }
      const right = this.addSource(join.source, scope, "join");
      if (join.on) {
        const ctx: ExprContext = { clause: "on", scope, aggregates: [] };
        this.checkExpr(join.on, ctx);
        const leftStream = before.some((s) => s.isStream);
        // Without a job nothing says which inputs are reference data, so only a job-backed check judges the bound.
        const known = this.job !== undefined;
        if (known && leftStream && right?.isStream && !containsDateDiff(join.on)) {
          this.error(join.on, "JOIN_WITHOUT_DATEDIFF", "a JOIN of two streams must limit how far matching rows can be separated in time: add DATEDIFF(unit, left, right) BETWEEN 0 AND n to ON (only a join with reference data needs no time bound)");
        }
        checkJoinBound(join.on, this.report);
        checkPartitionedJoin(sel, join, this.report);
        // Reference data JOIN page: "reference data on the right side of the JOIN operator".
        const left = before[0];
        if (left?.kind === "reference" && right?.isStream) {
          this.error(sel.from, "REFERENCE_ON_LEFT", "reference data must be on the right side of a JOIN: read the stream in FROM and JOIN the reference input");
        }
      }
    }
    const isStream = scope.some((s) => s.isStream && s.kind !== "apply");

    // SELECT list
    const selectCtx: ExprContext = { clause: "select", scope, aggregates: [] };
    const hasJoin = sel.joins.some((j) => j.type === "inner" || j.type === "left");
    for (const item of sel.items) {
      if (item.kind === "Star") {
        if (item.qualifier && !scope.some((s) => s.alias === item.qualifier!.name.toLowerCase())) {
          // Not a source: a record column's fields (SELECT page: "column_name.*"), which only a declared schema can refute.
          const columns = scope[0]?.columns;
          const type = columns?.get(item.qualifier.name.toLowerCase());
          if (columns && type === undefined) {
            this.error(item.qualifier, "UNKNOWN_ALIAS", `'${item.qualifier.name}' is neither a source of this SELECT (${scope.map((s) => s.alias).join(", ")}) nor a column of ${scope[0]!.alias}`);
          } else if (type !== undefined && type !== "record" && (item.path?.length ?? 1) === 1) {
            this.error(item.qualifier, "NOT_A_RECORD", `${item.qualifier.name}.* selects the fields of a record, but '${item.qualifier.name}' is ${type}`);
          }
        }
        if (!item.qualifier && hasJoin) this.error(item, "STAR_IN_JOIN", "SELECT * cannot be used in a JOIN: list the columns, or select alias.* for one side");
        continue;
      }
      this.checkExpr(item.expr, selectCtx);
    }
    this.checkDuplicateOutputNames(sel);
    if (sel.top) {
      if (sel.top.kind !== "Literal" || typeof sel.top.value !== "number" || sel.top.value < 0 || !Number.isInteger(sel.top.value)) {
        this.error(sel.top, "INVALID_TOP", "TOP takes a non-negative whole number constant");
      }
    }
    if (sel.where) this.checkExpr(sel.where, { clause: "where", scope, aggregates: [] });
    const havingCtx: ExprContext = { clause: "having", scope, aggregates: [] };
    if (sel.having) this.checkExpr(sel.having, havingCtx);
    if (sel.orderBy) {
      this.error(sel.orderBy[0]!.expr, "UNSUPPORTED", "ORDER BY is not part of a Stream Analytics SELECT (its output is a stream in event-time order): rank within a window with TopOne() or CollectTop(n) OVER (ORDER BY …)");
    }

    // GROUP BY: windows and keys
    const groupKeys = new Set<string>();
    let windowItem: A.Expression | undefined;
    let snapshot: A.Expression | undefined;
    for (const g of sel.groupBy ?? []) {
      if (g.kind === "FunctionCall" && windowKind(g)) {
        if (windowItem) this.error(g, "INVALID_WINDOW", "Exactly one temporal window is expected in GROUP BY: combine several windows with Windows(…)");
        windowItem = g;
        this.windows.check(g);
        if (g.over) for (const p of g.over.partitionBy) this.checkExpr(p, { clause: "partition", scope, aggregates: [] });
        continue;
      }
      if (isSnapshotTimestamp(g)) {
        // A snapshot key; it may also refine another window (Snapshot window page: `GROUP BY Topic, System.Timestamp(), Tumbling(hour, 2)`).
        snapshot = g;
        continue;
      }
      this.checkExpr(g, { clause: "group-by", scope, aggregates: [] });
      groupKeys.add(normalizedKey(g, new Set(scope.map((x) => x.alias))));
    }
    const aggregates = [...selectCtx.aggregates, ...havingCtx.aggregates];
    const grouped = sel.groupBy !== undefined || aggregates.length > 0;
    if (grouped && isStream && !windowItem && !snapshot && !sel.incomplete) {
      const at: { span: A.Span } = sel.groupBy?.[0] ?? aggregates[0] ?? sel;
      this.error(
        at,
        "MISSING_WINDOW",
        sel.groupBy
          ? "a window must be specified: a GROUP BY on a stream needs TumblingWindow, HoppingWindow, SlidingWindow, SessionWindow, SnapshotWindow or System.Timestamp(), e.g. GROUP BY key, TumblingWindow(minute, 1)"
          : `a window must be specified: the aggregate ${(at as A.FunctionCall).name.name} on a stream needs GROUP BY with a window, e.g. GROUP BY TumblingWindow(minute, 1)`,
      );
    }
    if (sel.incomplete) return isStream; // the parser skipped part of it: grouping rules would only guess
    if (grouped) {
      const aliases = new Set(scope.map((x) => x.alias));
      for (const item of sel.items) {
        if (item.kind === "Star") {
          this.error(item, "NOT_GROUPED", "SELECT * cannot be used with GROUP BY or aggregates: select the grouped columns and aggregates");
          continue;
        }
        checkGrouped(item.expr, groupKeys, aliases, this.report);
      }
      if (sel.having) {
        // HAVING may name a selected aggregate by its alias (`COUNT(*) AS [Count] … HAVING [Count] >= 3`, query patterns article).
        const havingKeys = new Set(groupKeys);
        for (const item of sel.items) if (item.kind === "SelectExpression" && item.alias) havingKeys.add(item.alias.name.toLowerCase());
        checkGrouped(sel.having, havingKeys, aliases, this.report);
      }
    }
    return isStream;
  }

  /** Two select items giving the same output name would collide in the output row. */
  private checkDuplicateOutputNames(sel: A.SelectQuery): void {
    const seen = new Map<string, A.SelectItem>();
    for (const item of sel.items) {
      if (item.kind !== "SelectExpression") continue;
      const name = outputColumnName(item);
      if (!name || !item.alias) continue;
      const key = name.toLowerCase();
      if (seen.has(key)) this.error(item.alias, "DUPLICATE_COLUMN", `the output column '${name}' is selected twice: give one of them another name with AS`);
      seen.set(key, item);
    }
  }

  // ---------------------------------------------------------------- sources

  private addSource(item: A.FromItem, scope: ScopeEntry[], role: "from" | "join"): ScopeEntry | undefined {
    let entry: ScopeEntry | undefined;
    switch (item.kind) {
      case "SourceReference":
        entry = this.resolveSource(item, scope);
        break;
      case "SubquerySource": {
        const isStream = this.checkQueryExpression(item.query, { inStep: true, leftmost: true });
        entry = { alias: (item.alias?.name ?? "").toLowerCase(), kind: "subquery", isStream };
        break;
      }
      case "FunctionSource":
        this.error(item, "TABLE_FUNCTION_PLACEMENT", `${item.call.name.name}(…) cannot be a ${role === "from" ? "FROM" : "JOIN"} source: expand arrays and records with CROSS APPLY ${item.call.name.name}(…) AS alias`);
        return undefined;
    }
    if (!entry) return undefined;
    if (entry.alias && scope.some((s) => s.alias === entry!.alias)) {
      const node = item.kind === "SourceReference" ? item.alias ?? item.name : item;
      this.error(node, "DUPLICATE_ALIAS", `'${entry.alias}' names two sources of this SELECT: give each side its own alias (FROM a AS x JOIN a AS y …)`);
    }
    scope.push(entry);
    if (item.kind === "SourceReference" && item.matchRecognize?.alias) {
      scope.push({ alias: item.matchRecognize.alias.name.toLowerCase(), kind: "pattern", isStream: entry.isStream });
    }
    return entry;
  }

  private resolveSource(item: A.SourceReference, scope: ScopeEntry[]): ScopeEntry | undefined {
    const key = item.name.name.toLowerCase();
    const alias = (item.alias?.name ?? item.name.name).toLowerCase();
    const step = this.steps.get(key);
    let entry: ScopeEntry | undefined;
    if (step && step.seq < this.seq) {
      step.used = true;
      entry = { alias, kind: "step", isStream: step.isStream };
      if (item.timestampBy) {
        this.error(item.timestampBy, "TIMESTAMP_BY_ON_STEP", `TIMESTAMP BY applies to inputs, not to the step '${item.name.name}': put it in the step's own FROM`);
      }
    } else if (step) {
      step.used = true;
      this.error(item.name, "STEP_BEFORE_DEFINITION", `step '${item.name.name}' is used before it is defined: define WITH ${step.def.name.name} AS (…) before the query that reads it`);
    } else if (this.job) {
      const input = this.inputs.get(key);
      if (input) {
        this.usedInputs.set(key, input.alias);
        const isReference = input.type === "reference";
        entry = { alias, kind: isReference ? "reference" : "input", isStream: !isReference, columns: this.columnsOf(key, input) };
        if (isReference && item.timestampBy) {
          this.error(item.timestampBy, "TIMESTAMP_BY_ON_REFERENCE", `TIMESTAMP BY cannot be applied to the reference input '${input.alias}': reference data has no event time`);
        }
      } else {
        const isOutput = this.outputs.has(key);
        const known = [...this.job.inputs.map((i) => i.alias), ...[...this.steps.values()].filter((s) => s.seq < this.seq).map((s) => s.def.name.name)];
        this.error(
          item.name,
          "UNKNOWN_SOURCE",
          isOutput
            ? `'${item.name.name}' is an output, not an input: read FROM an input or a step`
            : `'${item.name.name}' is not an input or a step${didYouMean(item.name.name, known)}: declare input '${item.name.name}' in the job, or define it with WITH ${item.name.name} AS (…)${known.length ? `; known: ${known.join(", ")}` : ""}`,
        );
      }
    } else {
      // Without a job, any name that is not a step is an input.
      if (!this.usedInputs.has(key)) this.usedInputs.set(key, item.name.name);
      entry = { alias, kind: "input", isStream: true, columns: this.tables.get(key) };
    }
    if (item.timestampBy) {
      const ctx: ExprContext = { clause: "timestamp", scope: entry ? [...scope, entry] : scope, aggregates: [] };
      this.checkExpr(item.timestampBy.expr, ctx);
      for (const o of item.timestampBy.over) this.checkExpr(o, { ...ctx, clause: "partition" });
    }
    for (const p of item.partitionBy ?? []) this.checkExpr(p, { clause: "partition", scope: entry ? [...scope, entry] : scope, aggregates: [] });
    if (item.intoPartitions !== undefined && (!Number.isInteger(item.intoPartitions) || item.intoPartitions < 2)) {
      // INTO page, "INTO Limitations and Restrictions": "Shard count must be greater than 1."
      this.error(item, "INVALID_PARTITIONS", "the shard count after PARTITION BY … INTO must be a whole number greater than 1");
    }
    if (item.matchRecognize) this.checkMatchRecognize(item.matchRecognize, entry ? [...scope, entry] : scope);
    return entry;
  }

  private columnsOf(key: string, input: InputSpec): Map<string, StaticType> | undefined {
    const fromTable = this.tables.get(key);
    if (fromTable) return fromTable;
    if (!input.schema) return undefined;
    return new Map(input.schema.map((c) => [c.name.toLowerCase(), c.type as StaticType]));
  }

  private addApply(join: A.JoinClause, scope: ScopeEntry[]): void {
    const source = join.source;
    const keyword = join.type === "cross-apply" ? "CROSS APPLY" : "OUTER APPLY";
    if (source.kind !== "FunctionSource") {
      this.error(source, "TABLE_FUNCTION_PLACEMENT", `${keyword} takes GetArrayElements(…) or GetRecordProperties(…), e.g. ${keyword} GetArrayElements(e.readings) AS r`);
      return;
    }
    const sig = source.call.namespace ? undefined : lookupFunction(source.call.name.name);
    if (!sig || sig.kind !== "table-valued") {
      this.error(source.call.name, "TABLE_FUNCTION_PLACEMENT", `${keyword} takes GetArrayElements(…) or GetRecordProperties(…), not ${source.call.name.name}(…)`);
    } else {
      this.checkCallArguments(source.call, sig, { clause: "apply", scope, aggregates: [] });
    }
    if (!source.alias) {
      // APPLY page syntax: `{CROSS | OUTER} APPLY {GetArrayElements | GetRecordProperties} (<column_name>) AS element_name`.
      this.error(source, "APPLY_ALIAS", `${keyword} needs a name for its rows: ${keyword} ${source.call.name.name}(…) AS element`);
    }
    const alias = source.alias?.name.toLowerCase() ?? "";
    if (alias && scope.some((s) => s.alias === alias)) this.error(source.alias!, "DUPLICATE_ALIAS", `'${source.alias!.name}' names two sources of this SELECT: choose another alias`);
    scope.push({ alias, kind: "apply", isStream: false });
  }

  private checkMatchRecognize(mr: A.MatchRecognizeClause, scope: ScopeEntry[]): void {
    const ctx: ExprContext = { clause: "match", scope, aggregates: [] };
    if (!mr.limitDuration) this.error(mr, "MISSING_LIMIT_DURATION", "MATCH_RECOGNIZE needs LIMIT DURATION(unit, length): the time span a match may cover");
    else this.checkDuration(mr.limitDuration, "MATCH_RECOGNIZE");
    for (const p of mr.partitionBy) this.checkExpr(p, { ...ctx, clause: "partition" });
    for (const m of mr.measures) this.checkExpr(m.expr, ctx);
    const defined = new Set<string>();
    const allVariables = new Set(mr.define.map((d) => d.name.name.toLowerCase()));
    for (const d of mr.define) {
      const key = d.name.name.toLowerCase();
      if (defined.has(key)) this.error(d.name, "DUPLICATE_PATTERN_VARIABLE", `pattern variable '${d.name.name}' is defined twice in DEFINE`);
      defined.add(key);
      this.checkExpr(d.condition, ctx);
      // MATCH_RECOGNIZE page: "if pattern A is defined before pattern B, A cannot reference B".
      const later = (e: A.Expression): void => {
        if (e.kind === "ColumnReference" && e.parts.length > 1) {
          const first = e.parts[0]!.name.toLowerCase();
          if (allVariables.has(first) && !defined.has(first)) {
            this.error(e, "PATTERN_VARIABLE_ORDER", `'${d.name.name}' cannot reference '${e.parts[0]!.name}', which DEFINE defines later: patterns are accessed in order`);
          }
        }
        for (const child of childExpressions(e)) later(child);
      };
      later(d.condition);
    }
    const reported = new Set<string>();
    for (const v of mr.patternTree ? patternVariables(mr.patternTree) : []) {
      const key = v.name.toLowerCase();
      if (!defined.has(key) && !reported.has(key)) {
        reported.add(key);
        this.error(mr, "UNDEFINED_PATTERN_VARIABLE", `pattern variable '${v.name}' is used in PATTERN but not defined in DEFINE: add ${v.name} AS <condition>`);
      }
    }
  }

  // ---------------------------------------------------------------- expressions

  private typeOf(e: A.Expression, scope: ScopeEntry[]): StaticType | undefined {
    return inferType(e, (ref) => {
      const parts = ref.parts.map((p) => p.name.toLowerCase());
      let entries = scope.filter((s) => s.columns);
      if (parts.length > 1 && scope.some((s) => s.alias === parts[0])) {
        entries = scope.filter((s) => s.alias === parts[0] && s.columns);
        parts.shift();
      }
      if (parts.length !== 1 || entries.length !== 1) return undefined;
      return entries[0]!.columns!.get(parts[0]!);
    });
  }

  private checkExpr(e: A.Expression, ctx: ExprContext): void {
    if (e.kind === "FunctionCall") return this.checkCall(e, ctx);
    if (e.kind === "Cast" && !saqlTypeOf(e.type.name)) {
      this.error(e.type, "INVALID_TYPE", `'${e.type.name}' is not a Stream Analytics data type: use one of ${SAQL_TYPES.join(", ")}`);
    }
    if (e.kind === "Cast") this.checkBitLevel(e.type);
    for (const child of childExpressions(e)) this.checkExpr(child, ctx);
  }

  private checkCall(call: A.FunctionCall, ctx: ExprContext): void {
    if (call.namespace === "udf" || call.namespace === "uda") return this.checkJavaScriptCall(call, ctx);
    const key = call.namespace === "system" ? `system.${call.name.name.toLowerCase()}` : call.name.name.toLowerCase();
    const display = call.namespace === "system" ? `System.${call.name.name}` : call.name.name;
    if (ctx.clause === "match" && MATCH_FUNCTIONS.has(key)) {
      // MATCH_RECOGNIZE page, Limitations: "Only field values can be used for aggregates."
      for (const arg of call.args) {
        if (arg.kind !== "ColumnReference") {
          this.error(arg, "MATCH_AGGREGATE_ARGUMENT", `${display} inside MATCH_RECOGNIZE takes a single field (e.g. ${display}(A.value)): no expressions or function calls`);
        }
      }
      return;
    }
    const sig = lookupFunction(key);
    if (!sig) {
      this.error(
        call.name,
        "UNKNOWN_FUNCTION",
        call.namespace === "system"
          ? `'${display}' is not a system function: use System.Timestamp() or System.Window()`
          : sqlServerEquivalent(display) && !call.namespace
            ? `'${display}' is a SQL Server function that Stream Analytics does not have: use ${sqlServerEquivalent(display)}`
            : `'${display}' is not a built-in function${didYouMean(display, [...BUILTIN_FUNCTIONS.values()].map((f) => f.name))}: check the spelling, or declare a JavaScript function and call it as udf.${call.name.name}(…)`,
      );
      for (const arg of call.args) this.checkExpr(arg, ctx);
      return;
    }
    if (sig.kind === "window") {
      const helper = ["duration", "hop", "offset", "timeout", "maxduration", "window"].includes(key);
      this.error(
        call.name,
        "WINDOW_OUTSIDE_GROUP_BY",
        helper ? `${display}(…) is only valid inside a window definition in GROUP BY` : `${display} can only be used in GROUP BY: GROUP BY key, ${display}(…)`,
      );
      return;
    }
    if (sig.kind === "table-valued") {
      this.error(call.name, "TABLE_FUNCTION_PLACEMENT", `${display} returns a set of rows: use it in CROSS APPLY ${display}(…) AS alias`);
      return;
    }
    // TopOne/CollectTop/Percentile_* write OVER (ORDER BY …) as part of the aggregate; with
    // LIMIT DURATION any aggregate becomes an analytic function.
    const isAggregate = sig.aggregate === true && (!call.over || (sig.over?.includes("order-by") === true && !call.over.limitDuration));
    const isAnalytic = (call.over !== undefined && !isAggregate) || sig.kind === "analytic" || sig.kind === "anomaly";
    if (isAnalytic && ctx.inAnalytic) {
      this.error(call, "NESTED_ANALYTIC", `${display} cannot be used inside ${ctx.inAnalytic}: compute it in a WITH step first (analytic functions cannot be nested)`);
    }
    if (isAggregate) this.noteAggregate(call, display, ctx);
    if (sig.overRequired && !call.over) {
      const form = sig.over?.[0];
      this.error(
        call,
        form === "order-by" ? "MISSING_OVER" : "MISSING_LIMIT_DURATION",
        form === "order-by"
          ? `${display} needs OVER (ORDER BY column [ASC|DESC]), e.g. ${display}(…) OVER (ORDER BY value DESC)`
          : `${display} needs OVER (LIMIT DURATION(unit, length)) to bound how far back it looks, e.g. ${display}(…) OVER (PARTITION BY key LIMIT DURATION(minute, 5))`,
      );
    }
    if (call.over) this.checkOver(call, sig, display, ctx);
    if (call.over && call.distinct && !isAggregate) {
      this.error(call, "INVALID_OVER", `${display}(DISTINCT …) is not supported as an analytic function: remove DISTINCT or the OVER clause`);
    }
    let argCtx = isAggregate ? { ...ctx, inAggregate: display } : ctx;
    if (key === "lag" || key === "last" || sig.kind === "anomaly") argCtx = { ...argCtx, inAnalytic: display };
    this.checkCallArguments(call, sig, argCtx);
  }

  private noteAggregate(call: A.FunctionCall, display: string, ctx: ExprContext): void {
    if (ctx.inAggregate) {
      this.error(call, "NESTED_AGGREGATE", `aggregate functions cannot be nested: ${display} is inside ${ctx.inAggregate}; compute the inner aggregate in a WITH step first`);
      return;
    }
    switch (ctx.clause) {
      case "select":
      case "having":
      case "match":
        ctx.aggregates.push(call);
        return;
      case "where":
        this.error(call, "AGGREGATE_IN_WHERE", `aggregate ${display} cannot be used in WHERE: filter on aggregates in HAVING`);
        return;
      case "group-by":
        this.error(call, "AGGREGATE_NOT_ALLOWED", `aggregate ${display} cannot be used in GROUP BY`);
        return;
      case "on":
        this.error(call, "AGGREGATE_NOT_ALLOWED", `aggregate ${display} cannot be used in a JOIN condition: aggregate in a WITH step first`);
        return;
      default:
        this.error(call, "AGGREGATE_NOT_ALLOWED", `aggregate ${display} can only be used in the SELECT list or HAVING`);
    }
  }

  private checkJavaScriptCall(call: A.FunctionCall, ctx: ExprContext): void {
    const ns = call.namespace!;
    const key = call.name.name.toLowerCase();
    const written = `${ns}.${call.name.name}`;
    const declared = this.jobFunctions.get(key);
    if (this.job) {
      const wanted = ns === "udf" ? ["javascript-udf", "csharp-udf", "azureml"] : ["javascript-uda", "csharp-uda"];
      if (!declared) {
        this.error(call, "UNDECLARED_FUNCTION", `${written} is not declared in the job${didYouMean(call.name.name, this.job.functions.map((f) => f.name))}: add a ${ns === "udf" ? "javascript-udf" : "javascript-uda"} function named '${call.name.name}' to the job's functions`);
      } else if (!wanted.includes(declared.kind)) {
        this.error(call, "FUNCTION_KIND", `'${declared.name}' is a ${declared.kind}: call it as ${ns === "udf" ? "uda" : "udf"}.${declared.name}(…)`);
      } else if (declared.inputs.length > 0 && declared.inputs.length !== call.args.length) {
        this.error(call, "ARITY", `${written} takes ${declared.inputs.length} argument(s) as declared in the job, but ${call.args.length} were given`);
      } else if (this.options.local && declared.kind in AZURE_ONLY_FUNCTIONS) {
        this.error(
          call,
          "NOT_SUPPORTED_LOCALLY",
          `${written} is ${AZURE_ONLY_FUNCTIONS[declared.kind]}, which the local engine cannot run (it runs JavaScript functions only): test this part of the job in Azure with \`streamkit job test-remote\``,
        );
      }
    }
    if (!this.usedFunctions.has(key)) this.usedFunctions.set(key, declared?.name ?? call.name.name);
    if (ctx.inAnalytic) this.error(call, "NESTED_ANALYTIC", `${written} cannot be used inside ${ctx.inAnalytic}: external functions are not allowed in its expression; compute it in a WITH step first`);
    if (call.over && ns === "udf") this.error(call.over, "OVER_NOT_ALLOWED", `${written} does not take OVER (…)`);
    if (ns === "uda" && !call.over) this.noteAggregate(call, written, ctx);
    const argCtx = ns === "uda" && !call.over ? { ...ctx, inAggregate: written } : ctx;
    for (const arg of call.args) this.checkExpr(arg, argCtx);
  }

  private checkOver(call: A.FunctionCall, sig: FunctionSignature, display: string, ctx: ExprContext): void {
    const over = call.over!;
    const forms = sig.over ?? [];
    if (forms.length === 0) {
      this.error(over, "OVER_NOT_ALLOWED", `${display} does not take an OVER clause`);
      return;
    }
    const overCtx: ExprContext = { clause: "over", scope: ctx.scope, aggregates: [] };
    for (const p of over.partitionBy) this.checkExpr(p, overCtx);
    for (const o of over.orderBy ?? []) this.checkExpr(o.expr, overCtx);
    if (over.when) this.checkExpr(over.when, overCtx);
    if (forms.includes("partition-when")) {
      if (over.limitDuration) this.error(over.limitDuration, "INVALID_OVER", `${display} takes its duration as arguments (${display}(minute, 10) OVER (…)): remove LIMIT DURATION`);
      if (over.orderBy) this.error(over, "INVALID_OVER", `${display}'s OVER takes PARTITION BY and WHEN only`);
      return;
    }
    if (forms.includes("order-by")) {
      if (!over.orderBy) this.error(over, "MISSING_OVER", `${display} needs ORDER BY in its OVER clause, e.g. OVER (ORDER BY value DESC)`);
      if (sig.name.startsWith("Percentile") && over.orderBy && over.orderBy.length > 1) {
        this.error(over.orderBy[1]!.expr, "INVALID_OVER", `${display} takes one ORDER BY expression`);
      }
    } else {
      if (over.orderBy) this.error(over, "INVALID_OVER", `${display}'s OVER takes PARTITION BY, LIMIT DURATION and WHEN, not ORDER BY`);
      if (!over.limitDuration) {
        this.error(over, "MISSING_LIMIT_DURATION", `${display} … OVER needs LIMIT DURATION(unit, length), e.g. OVER (PARTITION BY key LIMIT DURATION(minute, 5))`);
      }
    }
    if (over.limitDuration) this.checkDuration(over.limitDuration, display);
  }

  /** `DURATION(unit, n)` of LIMIT DURATION: a time unit and a positive constant. */
  private checkDuration(d: A.Expression, owner: string): void {
    if (d.kind !== "FunctionCall" || d.name.name.toLowerCase() !== "duration") {
      this.error(d, "INVALID_DURATION", `${owner}: expected LIMIT DURATION(unit, length)`);
      return;
    }
    if (d.args.length !== 2) {
      this.error(d, "INVALID_DURATION", "DURATION takes a time unit and a length: DURATION(minute, 5)");
      return;
    }
    if (!timeUnitOf(d.args[0])) this.error(d.args[0]!, "INVALID_DURATION", `not a time unit: use ${TIME_UNIT_LIST}`);
    const n = d.args[1]!;
    if (n.kind !== "Literal" || typeof n.value !== "number") this.error(n, "INVALID_DURATION", "the length in DURATION must be a number constant");
    else if (n.value <= 0) this.error(n, "INVALID_DURATION", `the length in DURATION must be positive, found ${n.value}`);
  }

  private checkCallArguments(call: A.FunctionCall, sig: FunctionSignature, ctx: ExprContext): void {
    const display = call.namespace === "system" ? `System.${call.name.name}` : sig.name;
    if (call.star && !sig.allowsStar) this.error(call, "ARGUMENT_TYPE", `${display}(*) is not allowed: only COUNT, LAG and LAST take *`);
    if (call.distinct && !sig.allowsDistinct) this.error(call, "ARGUMENT_TYPE", `${display} does not take DISTINCT`);
    const count = call.args.length;
    if (!call.star && (count < sig.minArgs || count > sig.maxArgs || (sig.allowsStar && sig.name === "COUNT" && count === 0))) {
      const min = sig.allowsStar ? Math.max(1, sig.minArgs) : sig.minArgs;
      const expected =
        sig.maxArgs === Infinity ? `at least ${min}` : min === sig.maxArgs ? `${min}` : `${min} to ${sig.maxArgs}`;
      const star = sig.allowsStar ? " (or *)" : "";
      this.error(call, "ARITY", `${display} takes ${expected} argument${expected === "1" ? "" : "s"}${star}, but ${count} ${count === 1 ? "was" : "were"} given`);
    }
    call.args.forEach((arg, i) => {
      const spec = sig.args[Math.min(i, sig.args.length - 1)];
      if (!spec) return;
      const where = `the ${ordinal(i)} argument of ${display} (${spec.name})`;
      switch (spec.kind) {
        case "datetime-unit": {
          const table = sig.name === "ISFIRST" ? TIME_UNITS : DATEPARTS;
          const ok = arg.kind === "ColumnReference" && arg.parts.length === 1 && !arg.parts[0]!.quoted && table[arg.parts[0]!.name.toLowerCase()] !== undefined;
          if (!ok) {
            const written = arg.kind === "ColumnReference" ? arg.parts.map((p) => p.name).join(".") : "this";
            this.error(arg, "INVALID_DATEPART", `'${written}' is not a valid datepart for ${display}: use ${table === TIME_UNITS ? TIME_UNIT_LIST : DATEPART_LIST}`);
          }
          return;
        }
        case "literal": {
          const isNumber = arg.kind === "Literal" && typeof arg.value === "number";
          if (sig.name.startsWith("Percentile") && isNumber && ((arg.value as number) < 0 || (arg.value as number) > 1)) {
            this.error(arg, "ARGUMENT_TYPE", `the percentile of ${sig.name} must range between 0 and 1`);
            return;
          }
          if (sig.name === "LAG" && i === 1 && isNumber && (!Number.isInteger(arg.value) || (arg.value as number) < 1)) {
            this.error(arg, "ARGUMENT_TYPE", `the offset of LAG must be a whole number of at least 1 (use LAST for the current partition's latest event)`);
            return;
          }
          const isString = arg.kind === "Literal" && typeof arg.value === "string";
          const wantsString = spec.type === "nvarchar(max)";
          if (wantsString ? !isString : !isNumber) {
            this.error(arg, "ARGUMENT_TYPE", `${where} must be a ${wantsString ? "string" : "number"} constant`);
          }
          return;
        }
        case "source": {
          const ok = arg.kind === "ColumnReference" && arg.parts.length === 1 && ctx.scope.some((s) => s.alias === arg.parts[0]!.name.toLowerCase());
          if (!ok) this.error(arg, "ARGUMENT_TYPE", `${where} must be the alias of a source of this SELECT`);
          return;
        }
        default: {
          this.checkExpr(arg, ctx);
          const type = this.typeOf(arg, ctx.scope);
          if (type && !isAssignable(type, spec.type)) {
            const wanted = spec.type === "numeric" ? "bigint or float" : spec.type;
            this.error(arg, "ARGUMENT_TYPE", `${where} must be ${wanted}, but this expression is ${type}`);
          }
        }
      }
    });
  }

}

function leftmostSelect(q: A.QueryExpression): A.SelectQuery {
  return q.kind === "Union" ? leftmostSelect(q.left) : q;
}
