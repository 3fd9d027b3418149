// Query → a DAG of push-based operators: one node per input FROM (event time and ordering
// policy), per WITH step and per SELECT … INTO. A step read by several statements is computed
// once and fanned out. Names (inputs, steps, outputs, columns) are case-insensitive.
import type { DataErrorType } from "../../core/data-errors";
import { NotSupportedError, StreamkitError } from "../../core/errors";
import type { CompatibilityLevel } from "../../job/schema";
import type { CreateTableStatement, Expression, FromItem, FunctionCall, QueryExpression, Script, SelectQuery, SourceReference } from "../ast";
import { AGGREGATES, TABLE_FUNCTIONS, durationTicks, isTrue, parseDateTimeUnit, type JobFunctions } from "../functions";
import { AnalyticOperator, type AnalyticRow, type AnalyticSpec } from "../exec/analytic";
import { getField, isRecord, type RecordValue, type Value } from "../values";
import { ApplyOperator } from "../exec/apply";
import { ReferenceJoinOperator } from "../exec/reference-join";
import { StreamJoinOperator } from "../exec/stream-join";
import { AggregateOperator, type AggregateWindow } from "../exec/aggregate";
import { canonical } from "../exec/canonical";
import { compileCondition, compileExpression, locationOf, multiSourceScope, readPath, sourceScope, type CompileScope, type Evaluator, type ScopeSource } from "../exec/compile-expr";
import { DistinctOperator } from "../exec/distinct";
import { matchRecognizeSource } from "../exec/match-recognize";
import { GroupScopeBuilder } from "../exec/group-scope";
import { buildProjection } from "../exec/project";
import { FanOut, type EventOrigin, type Operator, type Row } from "../exec/row";
import { SelectOperator } from "../exec/select";
import { SourceIngest, type OrderingPolicy, type OrderingStats } from "../exec/source";
import * as instant from "../instant";
import { plainColumn, timestampColumnSettler } from "../exec/timestamp-column";
import { UnionOperator } from "../exec/union";
import { isSnapshotCall, isWindowCall, readWindows, type NamedWindow } from "../exec/window-spec";
import { createWindowState } from "../exec/windows";

// Bound once: an imported name is a module getter, read on every call of per-event code.
const { dateTimeOf } = instant;

export interface PlanOptions {
  file?: string;
  compatibilityLevel: CompatibilityLevel;
  policy: OrderingPolicy;
  /** Input aliases the job declares; undefined: any FROM name that is not a step is an input. */
  inputs?: string[];
  /** Reference-data inputs of the job (joined as tables, never read as streams). */
  referenceInputs?: string[];
  /**
   * Inputs whose events carry the `PartitionId` of their Event Hub / IoT Hub partition (lower-case
   * aliases); undefined: any input whose events have one. Each partition gets its own watermark.
   */
  partitionedInputs?: string[];
  /** Output aliases the job declares; undefined: any INTO name is an output. */
  outputs?: string[];
  stats: OrderingStats;
  /** The job's JavaScript UDFs and UDAs (lib/saql/functions/udf `loadJobFunctions`). */
  functions?: JobFunctions;
  /**
   * A row the query cannot compute (a failed CAST: QueryEvaluationError), an event without a usable
   * time (InputEventTimestampNotFound …) or one the ordering policy adjusted or dropped: reported by type.
   */
  onDataError: (message: string, origin: EventOrigin | undefined, type?: DataErrorType) => void;
  onOutputRow: (alias: string, row: Row) => void;
}

/** One input of the graph: where its events enter (one node per distinct TIMESTAMP BY). */
export interface GraphInput {
  alias: string;
  /** CREATE TABLE columns declared for this input, if any. */
  schema?: CreateTableStatement["columns"];
  sources: SourceIngest[];
  /** Reference data: the run loads every record here before the first stream event. */
  table?: RecordValue[];
  /**
   * Reference data refreshed by path pattern: snapshots in increasing `validFrom` (an instant) order, each
   * replacing the one before from its time on. When present, `table` is unused.
   */
  snapshots?: { validFrom: number; rows: RecordValue[] }[];
}

export interface QueryGraph {
  /** By lower-case alias: only the inputs the query reads. */
  inputs: Map<string, GraphInput>;
  /** Output aliases written, as declared (or as written in INTO). */
  outputs: string[];
  /** The DAG's nodes in build order, for `describe`. */
  nodes: string[];
}

export function buildPlan(script: Script, options: PlanOptions): QueryGraph {
  return new PlanBuilder(script, options).build();
}

class PlanBuilder {
  private readonly steps = new Map<string, FanOut>();
  private readonly inputs = new Map<string, GraphInput>();
  private readonly sourceNodes = new Map<string, FanOut>();
  private readonly declaredInputs?: Map<string, string>;
  private readonly declaredOutputs?: Map<string, string>;
  private readonly schemas = new Map<string, CreateTableStatement["columns"]>();
  private readonly outputs: string[] = [];
  private readonly nodes: string[] = [];
  private readonly lowerCaseNames: boolean;

  constructor(
    private readonly script: Script,
    private readonly o: PlanOptions,
  ) {
    this.declaredInputs = o.inputs && new Map(o.inputs.map((a) => [a.toLowerCase(), a]));
    this.declaredOutputs = o.outputs && new Map(o.outputs.map((a) => [a.toLowerCase(), a]));
    this.lowerCaseNames = o.compatibilityLevel === "1.0";
  }

  build(): QueryGraph {
    for (const statement of this.script.statements) {
      if (statement.kind === "CreateTable") this.schemas.set(statement.name.name.toLowerCase(), statement.columns);
    }
    for (const statement of this.script.statements) {
      if (statement.kind === "CreateFunction") {
        throw new NotSupportedError("CREATE FUNCTION", this.where(statement.span));
      }
      if (statement.kind !== "QueryStatement") continue;
      for (const step of statement.with) {
        const name = step.name.name.toLowerCase();
        if (this.steps.has(name) || this.declaredInputs?.has(name)) {
          throw new StreamkitError(`the step name '${step.name.name}' is already used`, this.where(step.name.span), "SEMANTIC");
        }
        const fanout = new FanOut();
        this.compileQuery(step.query, fanout);
        this.steps.set(name, fanout);
        this.nodes.push(`step ${step.name.name}`);
      }
      const into = leftmostSelect(statement.query).into;
      const alias = this.outputAlias(into?.name ?? "output", into?.span ?? statement.span);
      const sink: Operator = {
        push: (row) => this.o.onOutputRow(alias, row),
        watermark: () => {},
        end: () => {},
      };
      this.compileQuery(statement.query, sink);
      if (!this.outputs.includes(alias)) this.outputs.push(alias);
      this.nodes.push(`select into ${alias}`);
    }
    return { inputs: this.inputs, outputs: this.outputs, nodes: this.nodes };
  }

  /** Gives a scope the job's functions, for udf.x(…) / uda.x(…) calls. */
  private withFunctions(scope: CompileScope): CompileScope {
    scope.functions = this.o.functions;
    return scope;
  }

  private where(span: Expression["span"]) {
    return locationOf(span, this.o.file);
  }

  private outputAlias(name: string, span: Expression["span"]): string {
    if (!this.declaredOutputs) return name;
    const declared = this.declaredOutputs.get(name.toLowerCase());
    if (!declared) throw new StreamkitError(`'${name}' is not an output of the job`, this.where(span), "SEMANTIC");
    return declared;
  }

  private compileQuery(query: QueryExpression, downstream: Operator): void {
    if (query.kind === "Union") {
      // ASA's UNION keeps every row (like UNION ALL); both sides merge in time order.
      const union = new UnionOperator(downstream, 2);
      this.compileQuery(query.left, union.side(0));
      this.compileQuery(query.right, union.side(1));
      return;
    }
    this.compileSelect(query, downstream);
  }

  private compileSelect(q: SelectQuery, downstream: Operator): void {
    const file = this.o.file;
    if (q.top) {
      // The SELECT reference's syntax has no TOP and no reference page documents one: what ASA does
      // with it is unknown, so the run stops rather than guess (rank inside a window instead).
      throw new NotSupportedError(
        "TOP (the SELECT reference documents no TOP clause; to keep the first n rows of a window, use TopOne() or CollectTop(n) OVER (ORDER BY …) with GROUP BY and a window)",
        this.where(q.top.span),
      );
    }
    if (q.orderBy?.length) throw new NotSupportedError("ORDER BY", this.where(q.orderBy[0].expr.span));
    const { fanout, aliases } = this.source(q.from);
    const onDataError = (error: Error, origin: EventOrigin | undefined) => {
      // A query-level mistake found on the first row is not a data error: stop the run.
      if (error instanceof StreamkitError && error.code === "NO_EVENT_TIME") throw error;
      if (!(error instanceof StreamkitError)) throw error;
      // A JavaScript function that throws, or one that cannot run locally, stops the run (ASA:
      // "JavaScript runtime errors are considered fatal"), naming the event that caused it.
      if (error.code === "UDF" || error.code === "NOT_SUPPORTED" || error.code === "REFERENCE_SNAPSHOT") throw withEvent(error, origin);
      this.o.onDataError(error.describe(), origin);
    };
    const timestampCall: CompileScope["call"] = (call) => {
      if (call.namespace === "system" && call.name.name.toLowerCase() === "timestamp") {
        return (row: Row) => {
          if (Number.isNaN(row.ts)) {
            throw new StreamkitError(
              "System.Timestamp() needs an event time: add TIMESTAMP BY, or give the input an arrival time (local.arrivalTimeField)",
              this.where(call.span),
              "NO_EVENT_TIME",
            );
          }
          return dateTimeOf(row.ts);
        };
      }
      return undefined;
    };
    // CROSS/OUTER APPLY and reference-data JOINs add sides to each row, in FROM order.
    const sources: ScopeSource[] = [{ names: aliases, side: -1 }];
    const stages: ((next: Operator) => Operator)[] = [];
    const joinSpread = { ticks: 0 };
    q.joins.forEach((join, side) => {
      if (join.type === "cross-apply" || join.type === "outer-apply") {
        const what = join.type === "cross-apply" ? "CROSS APPLY" : "OUTER APPLY";
        if (join.source.kind !== "FunctionSource") throw new NotSupportedError(`${what} of anything but a table-valued function`, this.where(join.span));
        const call = join.source.call;
        const fn = TABLE_FUNCTIONS[call.name.name.toLowerCase()];
        if (!fn) throw new NotSupportedError(`${what} ${call.name.name}`, this.where(call.span));
        const argScope = this.withFunctions(multiSourceScope([...sources], file));
        const args = call.args.map((a) => compileExpression(a, argScope));
        sources.push({ names: join.source.alias ? [join.source.alias.name] : [], side, applied: true });
        const outer = join.type === "outer-apply";
        stages.push((next) => new ApplyOperator({ fn, args, outer, downstream: next, onDataError }));
        return;
      }
      const ref = join.source;
      const input = ref.kind === "SourceReference" ? this.referenceInput(ref) : undefined;
      if (!join.on) throw new StreamkitError("a JOIN needs an ON condition", this.where(join.span), "SEMANTIC");
      if (!input || ref.kind !== "SourceReference") {
        stages.push(this.streamJoin(join, side, sources, onDataError, joinSpread));
        return;
      }
      const refNames = [ref.alias?.name ?? ref.name.name];
      const equalities = joinEqualities(join.on, sources.flatMap((s) => s.names.map((n) => n.toLowerCase())), refNames.map((n) => n.toLowerCase()));
      const keys = equalities.length
        ? {
            stream: equalities.map((e) => compileExpression(e.left, this.withFunctions(multiSourceScope([...sources], file)))),
            reference: equalities.map((e) => compileExpression(e.right, this.withFunctions(sourceScope(refNames, file)))),
          }
        : undefined;
      sources.push({ names: refNames, side });
      const onScope = this.withFunctions(multiSourceScope([...sources], file));
      const on = compileCondition(join.on, onScope);
      // With one equality, ON without it: what ON gives on a record whose key that equality is known to hold for.
      const rest = equalities.length === 1 ? withoutConjunct(join.on, equalities[0].conjunct) : undefined;
      const onRest = rest === null ? () => true : rest && compileCondition(rest, onScope);
      const left = join.type === "left";
      const tableAt = (ts: number) => (input.snapshots ? snapshotAt(input.snapshots, ts, input.alias) : input.table!);
      stages.push((next) => new ReferenceJoinOperator({ tableAt, on, onRest, keys, left, downstream: next, onDataError }));
    });
    // LAG / LAST / ISFIRST are computed per event before WHERE; the SELECT reads their slots.
    const analytics: AnalyticSpec[] = [];
    const eventCall: CompileScope["call"] = (call) => timestampCall(call) ?? this.analyticCall(call, analytics, scope);
    const scope: CompileScope = this.withFunctions(sources.length === 1 ? sourceScope(aliases, file, eventCall) : multiSourceScope(sources, file, eventCall));
    // `*`, `alias.*`, or a record's fields: `Location.*`, `i.Location.*` (SELECT page: "column_name.*").
    const star = (path: string[] | undefined, span: SelectQuery["span"]) => {
      const source = path && sources.find((s) => s.names.some((n) => n.toLowerCase() === path[0].toLowerCase()));
      const record = source ? path!.slice(1) : path ?? [];
      if (!source && sources.length > 1 && !record.length) throw new StreamkitError("SELECT * cannot be used with JOIN or APPLY: name the columns, or write alias.*", this.where(span), "SEMANTIC");
      const i = source ? source.side : -1;
      const base = i < 0 ? (row: Row) => row.rec : (row: Row) => row.sides?.[i] ?? {};
      if (!record.length) return base;
      // A path that does not lead to a record (NULL, a number …) contributes no field.
      return (row: Row) => {
        const v = readPath(base(row), record);
        return isRecord(v) ? v : {};
      };
    };
    let out = downstream;
    if (q.distinct) out = new DistinctOperator(out);
    const aggregated =
      (q.groupBy?.length ?? 0) > 0 || q.items.some((i) => i.kind === "SelectExpression" && hasAggregate(i.expr)) || (q.having !== undefined && hasAggregate(q.having));
    // HAVING reference page: "When GROUP BY is not used, HAVING behaves like a WHERE clause."
    const conditions = [q.where, aggregated ? undefined : q.having].filter((c) => c !== undefined).map((c) => compileCondition(c, scope));
    const where = conditions.length < 2 ? conditions[0] : (row: Row) => conditions[0](row) && conditions[1](row);
    let op: Operator;
    if (!aggregated) {
      const project = buildProjection(q.items, {
        compile: (e) => compileExpression(e, scope),
        star,
        lowerCaseNames: this.lowerCaseNames,
        file,
      });
      op = new SelectOperator({ where, project, downstream: out, onDataError });
    } else {
      op = this.aggregate(q, scope, new Map(sources.flatMap((s) => s.names.map((n) => [n.toLowerCase(), s.side] as const))), where, out, onDataError);
    }
    if (analytics.length) op = new AnalyticOperator(analytics, op, onDataError);
    for (let i = stages.length - 1; i >= 0; i--) op = stages[i](op);
    fanout.targets.push(op);
  }

  /** LAG, LAST, ISFIRST: registers the call and returns how the SELECT reads its result. */
  private analyticCall(call: FunctionCall, specs: AnalyticSpec[], scope: CompileScope): Evaluator | undefined {
    const name = call.name.name.toLowerCase();
    const aggregate = !call.namespace && call.over?.limitDuration ? AGGREGATES[name] : undefined;
    if (call.namespace || (!aggregate && !["lag", "last", "isfirst"].includes(name))) return undefined;
    const where = this.where(call.span);
    const over = call.over;
    const partitionBy = (over?.partitionBy ?? []).map((e) => compileExpression(e, scope));
    const when = over?.when ? compileCondition(over.when, scope) : undefined;
    let duration = Infinity;
    if (over?.limitDuration) {
      const [unit, n] = over.limitDuration.args;
      duration = constantDuration(unit, n, call.name.name, where);
    } else if (name !== "isfirst") {
      throw new StreamkitError(`${call.name.name.toUpperCase()} needs OVER (… LIMIT DURATION(unit, n))`, where, "SEMANTIC");
    }
    let spec: AnalyticSpec;
    if (aggregate) {
      // The aggregate over the partition's events of the last LIMIT DURATION (that satisfy WHEN), this one included.
      const args = [...call.args];
      const constArgs: Value[] = [];
      if (["collecttop", "percentile_cont", "percentile_disc"].includes(name)) {
        const first = args.shift();
        if (!first || first.kind !== "Literal") throw new StreamkitError(`${call.name.name.toUpperCase()} takes a constant as its first argument`, where, "SEMANTIC");
        constArgs.push(first.value as Value);
      }
      const orderBy = over?.orderBy ?? [];
      spec = {
        kind: "aggregate",
        def: aggregate,
        call: { constArgs, distinct: call.distinct, star: call.star, orderBy: orderBy.map((o) => ({ descending: o.descending })) },
        value: call.star || args.length === 0 ? (row: Row) => row.rec : compileExpression(args[0], scope),
        orderKeys: orderBy.map((o) => compileExpression(o.expr, scope)),
        partitionBy,
        duration,
        when,
      };
    } else if (name === "isfirst") {
      const size = constantDuration(call.args[0], call.args[1], "ISFIRST", where);
      spec = { kind: "isfirst", size, partitionBy, when };
    } else if (name === "lag") {
      if (!call.args[0] && !call.star) throw new StreamkitError("LAG takes an expression", where, "SEMANTIC");
      const offsetArg = call.args[1];
      const offset = offsetArg === undefined ? 1 : offsetArg.kind === "Literal" && typeof offsetArg.value === "number" ? offsetArg.value : NaN;
      if (!(Number.isInteger(offset) && offset >= 1)) throw new StreamkitError("LAG's offset must be a positive whole number constant", where, "SEMANTIC");
      const fallback = call.args[2] ? compileExpression(call.args[2], scope) : () => null;
      spec = { kind: "lag", value: analyticValue(call, scope), offset, fallback, partitionBy, duration, when };
    } else {
      if (!call.args[0] && !call.star) throw new StreamkitError("LAST takes an expression", where, "SEMANTIC");
      const fallback = call.args[1] ? compileExpression(call.args[1], scope) : undefined;
      spec = { kind: "last", value: analyticValue(call, scope), fallback, partitionBy, duration, when };
    }
    const index = specs.length;
    specs.push(spec);
    return (row: AnalyticRow) => row.analytics?.[index] ?? null;
  }

  /** A JOIN of two streams: both sides merge in time order, bounded by DATEDIFF in ON. */
  private streamJoin(
    join: SelectQuery["joins"][number],
    side: number,
    sources: ScopeSource[],
    onDataError: (error: Error, origin: EventOrigin | undefined) => void,
    joinSpread: { ticks: number },
  ): (next: Operator) => Operator {
    const file = this.o.file;
    const right = this.source(join.source);
    // After earlier JOINs/APPLYs the left side is every source so far (a chain: A JOIN B … JOIN C ON DATEDIFF(…, B, C)).
    const leftNames = sources.flatMap((s) => s.names.map((n) => n.toLowerCase()));
    const rightNames = right.aliases.map((n) => n.toLowerCase());
    const equalities = joinEqualities(join.on!, leftNames, rightNames);
    const keys = equalities.length
      ? {
          left: equalities.map((e) => compileExpression(e.left, this.withFunctions(multiSourceScope([...sources], file)))),
          right: equalities.map((e) => compileExpression(e.right, this.withFunctions(sourceScope(right.aliases, file)))),
        }
      : undefined;
    const pairTimes = sources.length === 1 && equalities.length === 1 ? pairTimeRange(join.on!, equalities[0].conjunct, leftNames, rightNames) : undefined;
    sources.push({ names: right.aliases, side });
    const bound = joinBound(join.on!, leftNames, rightNames);
    if (!bound) {
      // Without a job every input is a stream: reference data is known only from the job.
      const name = join.source.kind === "SourceReference" ? join.source.name.name : right.aliases[0];
      const noJob = this.o.referenceInputs === undefined ? ` (without a job every input is a stream: if '${name}' is reference data, declare it as a reference input in the job)` : "";
      throw new StreamkitError(
        `a JOIN of two streams needs a time bound in ON: DATEDIFF(unit, left, right) BETWEEN low AND high${noJob}`,
        this.where(join.on!.span),
        "SEMANTIC",
      );
    }
    const scope = this.withFunctions(multiSourceScope([...sources], file, (call) => this.joinDateDiff(call, [...sources])));
    const on = compileCondition(join.on!, scope);
    const left = join.type === "left";
    // A row of earlier stream JOINs carries the latest time of its events; its other events may be
    // up to the earlier bounds older, so rows are kept that much longer.
    const lookback = bound.lookback + joinSpread.ticks;
    joinSpread.ticks = lookback;
    return (next) => {
      const op = new StreamJoinOperator({
        on,
        left,
        lookback,
        lastMatchTime: bound.lastMatchTime,
        keys,
        pairTimes,
        downstream: next,
        onDataError,
      });
      right.fanout.targets.push(op.port(1));
      return op.port(0);
    };
  }

  /** DATEDIFF(unit, a, b) of two source names in a JOIN: the exact time between the two events, in units. */
  private joinDateDiff(call: FunctionCall, sources: ScopeSource[]): Evaluator | undefined {
    if (call.namespace || call.name.name.toLowerCase() !== "datediff" || call.args.length !== 3) return undefined;
    const [unitExpr, a, b] = call.args;
    const sideOf = (e: Expression) =>
      e.kind === "ColumnReference" && e.parts.length === 1 ? sources.find((s) => s.names.some((n) => n.toLowerCase() === e.parts[0].name.toLowerCase()))?.side : undefined;
    const sa = sideOf(a);
    const sb = sideOf(b);
    if (sa === undefined || sb === undefined) return undefined;
    const unit = constantDuration(unitExpr, { kind: "Literal", type: "bigint", value: 1, span: call.span }, "DATEDIFF", this.where(call.span));
    const time = (s: number) => (row: Row) => (s < 0 ? row.leftTs ?? row.ts : row.sideTs?.[s] ?? NaN);
    const ta = time(sa);
    const tb = time(sb);
    return (row: Row) => {
      const d = (tb(row) - ta(row)) / unit;
      return Number.isNaN(d) ? null : d;
    };
  }

  /** The reference-data input a JOIN names, or undefined for a stream or step. */
  private referenceInput(ref: SourceReference): GraphInput | undefined {
    const name = ref.name.name.toLowerCase();
    if (this.steps.has(name)) return undefined;
    const declared = this.o.referenceInputs?.find((a) => a.toLowerCase() === name);
    if (!declared) return undefined;
    if (ref.timestampBy) throw new StreamkitError("reference data has no event time: remove TIMESTAMP BY", this.where(ref.timestampBy.span), "SEMANTIC");
    let input = this.inputs.get(name);
    if (!input) {
      input = { alias: declared, schema: this.schemas.get(name), sources: [], table: [] };
      this.inputs.set(name, input);
      this.nodes.push(`reference ${declared}`);
    }
    return input;
  }

  private aggregate(
    q: SelectQuery,
    scope: CompileScope,
    aliases: ReadonlyMap<string, number>,
    where: ((row: Row) => boolean) | undefined,
    downstream: Operator,
    onDataError: (error: Error, origin: EventOrigin | undefined) => void,
  ): Operator {
    const file = this.o.file;
    const groupBy = q.groupBy ?? [];
    const windowExprs = groupBy.filter((e) => isWindowCall(e) || isSnapshotCall(e));
    if (windowExprs.length === 0) {
      const at = groupBy[0]?.span ?? q.span;
      throw new StreamkitError("grouping or aggregating a stream needs a window in GROUP BY (TumblingWindow, HoppingWindow, SlidingWindow, SessionWindow, Windows or System.Timestamp())", this.where(at), "SEMANTIC");
    }
    if (windowExprs.length > 1) {
      throw new StreamkitError("GROUP BY takes one window (use Windows(…) for several)", this.where(windowExprs[1].span), "SEMANTIC");
    }
    const windowExpr = windowExprs[0];
    const keys = groupBy.filter((e) => e !== windowExpr);
    const builder = new GroupScopeBuilder(keys, aliases, scope, file);
    const project = buildProjection(q.items, { compile: (e) => builder.compile(e), lowerCaseNames: this.lowerCaseNames, file });
    const selectAliases = new Map<string, Expression>();
    for (const item of q.items) if (item.kind === "SelectExpression" && item.alias) selectAliases.set(item.alias.name.toLowerCase(), item.expr);
    const havingEval = q.having ? builder.compile(q.having, selectAliases) : undefined;
    const having = havingEval && ((g: Parameters<typeof havingEval>[0]) => isTrue(havingEval(g)));
    const named: NamedWindow[] = isSnapshotCall(windowExpr)
      ? [{ id: null, spec: { kind: "snapshot" } }]
      : readWindows(windowExpr as Extract<Expression, { kind: "FunctionCall" }>, file);
    const windows: AggregateWindow[] = named.map((w) => ({
      id: w.id,
      state: createWindowState(w.spec, builder.slots),
      partitionBy: w.spec.kind === "session" ? w.spec.partitionBy.map((p) => compileExpression(p, scope)) : [],
    }));
    const keyEvals = keys.map((k) => compileExpression(k, scope));
    const op = new AggregateOperator({ keys: keyEvals, slots: builder.slots, windows, having, project, downstream, onDataError });
    if (!where) return op;
    // WHERE filters events before they reach the windows.
    return {
      push: (row: Row) => {
        let keep: boolean;
        try {
          keep = where(row);
        } catch (error) {
          onDataError(error as Error, row.origin);
          return;
        }
        if (keep) op.push(row);
      },
      watermark: (t: number) => op.watermark(t),
      end: () => op.end(),
    };
  }

  /** The node a FROM reads, and the names its columns can be qualified with. */
  private source(from: FromItem): { fanout: FanOut; aliases: string[] } {
    if (from.kind === "FunctionSource") throw new NotSupportedError(`FROM ${from.call.name.name}(…)`, this.where(from.span));
    if (from.kind === "SubquerySource") {
      const fanout = new FanOut();
      this.compileQuery(from.query, fanout);
      return { fanout, aliases: from.alias ? [from.alias.name] : [] };
    }
    return this.sourceReference(from);
  }

  private sourceReference(ref: SourceReference): { fanout: FanOut; aliases: string[] } {
    const name = ref.name.name.toLowerCase();
    const aliases = [ref.alias?.name ?? ref.name.name];
    if (ref.matchRecognize) {
      const options = { file: this.o.file, functions: this.o.functions, onDataError: this.o.onDataError };
      return matchRecognizeSource(ref.matchRecognize, this.sourceReference({ ...ref, matchRecognize: undefined }), options);
    }
    const step = this.steps.get(name);
    if (step) {
      if (ref.timestampBy) {
        throw new StreamkitError("TIMESTAMP BY applies to inputs, not to steps", this.where(ref.timestampBy.span), "SEMANTIC");
      }
      return { fanout: step, aliases };
    }
    const alias = this.declaredInputs ? this.declaredInputs.get(name) : ref.name.name;
    if (this.o.referenceInputs?.some((a) => a.toLowerCase() === name)) {
      throw new StreamkitError(`'${ref.name.name}' is reference data: it can only be the right side of a JOIN`, this.where(ref.name.span), "SEMANTIC");
    }
    if (!alias) throw new StreamkitError(`'${ref.name.name}' is neither an input nor an earlier step`, this.where(ref.name.span), "SEMANTIC");
    let input = this.inputs.get(name);
    if (!input) {
      input = { alias, schema: this.schemas.get(name), sources: [] };
      this.inputs.set(name, input);
    }
    const aliasSet = new Map(aliases.map((a) => [a.toLowerCase(), -1] as const));
    const ts = ref.timestampBy;
    const key = `${name}|${ts ? canonical(ts.expr, aliasSet) : ""}|${ts ? ts.over.map((e) => canonical(e, aliasSet)).join(",") : ""}`;
    let fanout = this.sourceNodes.get(key);
    const sources = input.sources;
    if (!fanout) {
      fanout = new FanOut();
      const scope = this.withFunctions(sourceScope(aliases, this.o.file));
      input.sources.push(
        new SourceIngest({
          timestampBy: ts ? compileExpression(ts.expr, scope) : undefined,
          timestampField: ts ? plainColumn(ts.expr, aliases) : undefined,
          settle: ts ? timestampColumnSettler(ts.expr, aliases, () => sources.length > 1) : undefined,
          over: ts?.over.length ? ts.over.map((e) => compileExpression(e, scope)) : undefined,
          partitionOf: !this.o.partitionedInputs || this.o.partitionedInputs.includes(name) ? partitionIdReader() : undefined,
          policy: this.o.policy,
          stats: this.o.stats,
          downstream: fanout,
          onDataError: this.o.onDataError,
        }),
      );
      this.sourceNodes.set(key, fanout);
      this.nodes.push(`input ${alias}${ts ? " timestamp by" : ""}`);
    }
    return { fanout, aliases };
  }
}

/**
 * The time bound of a stream JOIN from the DATEDIFF conjuncts of ON: how far back a row must be
 * kept, and the latest right time that can match a left row (for LEFT OUTER JOIN).
 */
export function joinBound(on: Expression, left: string[], right: string[]): { lookback: number; lastMatchTime: (t: number) => number } | undefined {
  let low = -Infinity;
  let high = Infinity;
  let found = false;
  for (const c of conjunctsOf(on)) {
    const b = conjunctBound(c, left, right);
    if (!b) continue;
    low = Math.max(low, b.low);
    high = Math.min(high, b.high);
    found = true;
  }
  if (!found || !Number.isFinite(low) || !Number.isFinite(high)) return undefined;
  const lookback = Math.max(Math.abs(low), Math.abs(high));
  return { lookback, lastMatchTime: (t) => t + Math.max(high, 0) };
}

/** The conjuncts of a condition's top chain of ANDs, in order. */
function conjunctsOf(on: Expression): Expression[] {
  const conjuncts: Expression[] = [];
  const split = (e: Expression): void => {
    if (e.kind === "Binary" && e.op === "AND") {
      split(e.left);
      split(e.right);
    } else conjuncts.push(e);
  };
  split(on);
  return conjuncts;
}

/**
 * The bound one conjunct puts on d = right − left (100 ns ticks) when it is DATEDIFF(unit, x, y) of a
 * left and a right source name, BETWEEN two numbers or compared with one; `unit` its unit in ticks.
 */
function conjunctBound(c: Expression, left: string[], right: string[]): { low: number; high: number; unit: number } | undefined {
  let low = -Infinity;
  let high = Infinity;
  let unit = 0;
  const datediff = (e: Expression): { unit: number; sign: number } | undefined => {
    if (e.kind !== "FunctionCall" || e.namespace || e.name.name.toLowerCase() !== "datediff" || e.args.length !== 3) return undefined;
    const [u, a, b] = e.args;
    const name = (x: Expression) => (x.kind === "ColumnReference" && x.parts.length === 1 ? x.parts[0].name.toLowerCase() : "");
    const unitName = u.kind === "ColumnReference" && u.parts.length === 1 ? parseDateTimeUnit(u.parts[0].name) : undefined;
    if (!unitName) return undefined;
    let ticks: number;
    try {
      ticks = durationTicks(unitName, 1);
    } catch {
      return undefined;
    }
    // sign +1: DATEDIFF(left, right) = right − left; −1: the other way round.
    if (left.includes(name(a)) && right.includes(name(b))) return { unit: ticks, sign: 1 };
    if (right.includes(name(a)) && left.includes(name(b))) return { unit: ticks, sign: -1 };
    return undefined;
  };
  const num = (e: Expression): number | undefined =>
    e.kind === "Literal" && typeof e.value === "number" ? e.value : e.kind === "Unary" && e.op === "-" ? (num(e.operand) === undefined ? undefined : -num(e.operand)!) : undefined;
  // Bounds on d = right − left, in 100 ns ticks.
  const apply = (d: { unit: number; sign: number }, lo: number, hi: number) => {
    const [l, h] = d.sign > 0 ? [lo * d.unit, hi * d.unit] : [-hi * d.unit, -lo * d.unit];
    low = l;
    high = h;
    unit = d.unit;
  };
  if (c.kind === "Between" && !c.not) {
    const d = datediff(c.expr);
    const lo = num(c.low);
    const hi = num(c.high);
    if (d && lo !== undefined && hi !== undefined) apply(d, lo, hi);
  } else if (c.kind === "Binary" && ["<", "<=", ">", ">=", "="].includes(c.op)) {
    const dl = datediff(c.left);
    const dr = datediff(c.right);
    const d = dl ?? dr;
    const n = dl ? num(c.right) : num(c.left);
    if (!d || n === undefined) return undefined;
    const op = dl ? c.op : ({ "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=" } as Record<string, string>)[c.op];
    if (op === "<" || op === "<=") apply(d, -Infinity, n);
    else if (op === ">" || op === ">=") apply(d, n, Infinity);
    else apply(d, n, n);
  }
  return unit ? { low, high, unit } : undefined;
}

/**
 * A first JOIN (no earlier JOIN or APPLY) whose ON is one equality of the two sides and DATEDIFF
 * bounds between the two sources, nothing else (`a.k = b.k AND DATEDIFF(second, a, b) BETWEEN 0
 * AND 5`): the range of right − left times (ticks) outside which ON is false for two rows whose key
 * is one text, widened by the largest DATEDIFF unit so that no rounding of DATEDIFF's exact time in
 * units is ever in question. For such a pair ON cannot fail either (the equality compares two equal
 * texts, DATEDIFF two event times), so the JOIN may skip it without evaluating ON.
 */
function pairTimeRange(on: Expression, equality: Expression, left: string[], right: string[]): { low: number; high: number } | undefined {
  let low = -Infinity;
  let high = Infinity;
  let margin = 0;
  for (const c of conjunctsOf(on)) {
    if (c === equality) continue;
    const b = conjunctBound(c, left, right);
    if (!b) return undefined;
    low = Math.max(low, b.low);
    high = Math.min(high, b.high);
    margin = Math.max(margin, b.unit);
  }
  return margin ? { low: low - margin, high: high + margin } : undefined;
}

/**
 * The `left.col = right.col` conjuncts of a JOIN's ON (either way round), each side a plain
 * column of one side: a stream join buckets its stored rows by them, a reference join indexes its table. An unqualified column reads the
 * FROM source (as the ON scope does); a bare source name (an event time) is not a column.
 */
function joinEqualities(on: Expression, left: string[], right: string[]): { left: Expression; right: Expression; conjunct: Expression }[] {
  const out: { left: Expression; right: Expression; conjunct: Expression }[] = [];
  const sideOf = (e: Expression): "left" | "right" | undefined => {
    if (e.kind !== "ColumnReference") return undefined;
    const first = e.parts[0].name.toLowerCase();
    if (e.parts.length === 1) return left.includes(first) || right.includes(first) ? undefined : "left";
    if (right.includes(first)) return "right";
    if (left.includes(first)) return "left";
    return "left";
  };
  const visit = (e: Expression): void => {
    if (e.kind === "Binary" && e.op === "AND") {
      visit(e.left);
      visit(e.right);
      return;
    }
    if (e.kind !== "Binary" || e.op !== "=") return;
    const a = sideOf(e.left);
    const b = sideOf(e.right);
    if (a === "left" && b === "right") out.push({ left: e.left, right: e.right, conjunct: e });
    else if (a === "right" && b === "left") out.push({ left: e.right, right: e.left, conjunct: e });
  };
  visit(on);
  return out;
}

/**
 * A condition of AND-ed conjuncts without one of them (found by identity on the chain of ANDs from
 * the top), keeping the others' nesting and order; null when it was the whole condition. Where the
 * removed conjunct is true, the result is the condition's: `true AND x` and `x AND true` are x's
 * truth value (an error of x's is raised the same), and the ANDs above apply truth() to it anyway.
 */
function withoutConjunct(condition: Expression, conjunct: Expression): Expression | null {
  if (condition === conjunct) return null;
  if (condition.kind !== "Binary" || condition.op !== "AND") return condition;
  const left = withoutConjunct(condition.left, conjunct);
  const right = withoutConjunct(condition.right, conjunct);
  if (left === null) return right;
  if (right === null) return left;
  return left === condition.left && right === condition.right ? condition : { ...condition, left, right };
}

/** LAG/LAST's value: its expression, or for `*` the whole event as a record (LAG and LAST pages: "For '*' the entire event … will be returned … (nested record)"). */
function analyticValue(call: FunctionCall, scope: CompileScope): Evaluator {
  return call.star ? (row: Row) => row.rec : compileExpression(call.args[0], scope);
}

/** `unit, n` of DURATION(…) / ISFIRST(…) as 100 ns ticks. */
function constantDuration(unitExpr: Expression | undefined, sizeExpr: Expression | undefined, what: string, where: ReturnType<typeof locationOf>): number {
  const unit = unitExpr?.kind === "ColumnReference" && unitExpr.parts.length === 1 ? parseDateTimeUnit(unitExpr.parts[0].name) : undefined;
  const n = sizeExpr?.kind === "Literal" && typeof sizeExpr.value === "number" ? sizeExpr.value : undefined;
  if (!unit || n === undefined || !(n > 0)) throw new StreamkitError(`${what}: expected a time unit and a positive number, e.g. (minute, 10)`, where, "SEMANTIC");
  try {
    return durationTicks(unit, n);
  } catch (error) {
    throw new StreamkitError((error as Error).message, where, "SEMANTIC");
  }
}

/**
 * The reference snapshot valid at `ts`: the latest whose time is not after it. An event before the
 * first snapshot has no reference data; ASA fails a job that starts before its first blob ("If one
 * cannot be found, the job will fail"), so the run stops too.
 */
function snapshotAt(snapshots: { validFrom: number; rows: RecordValue[] }[], ts: number, alias: string): RecordValue[] {
  let lo = 0;
  let hi = snapshots.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (snapshots[mid].validFrom <= ts) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) {
    const first = snapshots[0] ? dateTimeOf(snapshots[0].validFrom).toString() : "none";
    throw new StreamkitError(
      `reference input '${alias}' has no snapshot valid at ${Number.isNaN(ts) ? "an event without time" : dateTimeOf(ts).toString()} (its first snapshot is from ${first})`,
      undefined,
      "REFERENCE_SNAPSHOT",
    );
  }
  return snapshots[found].rows;
}

/**
 * Reads an event's `PartitionId`. Whether the input's events carry one, and under which spelling, is
 * decided on its first event (an input's events share one shape): a case-insensitive search of
 * every event for an absent field would cost more than a simple query.
 */
function partitionIdReader(): (rec: RecordValue) => Value {
  let field: string | null | undefined;
  return (rec) => {
    if (field === undefined) field = Object.keys(rec).find((k) => k.toLowerCase() === "partitionid") ?? null;
    if (field === null) return null;
    const v = rec[field];
    return v === undefined ? getField(rec, field) : v;
  };
}

/** The error, its message naming the event (`file:line`) that caused it. */
function withEvent(error: StreamkitError, origin: EventOrigin | undefined): StreamkitError {
  if (!origin) return error;
  return new StreamkitError(`${error.message} (on the event at ${origin.file}:${origin.line})`, error.location, error.code);
}

function leftmostSelect(q: QueryExpression): SelectQuery {
  return q.kind === "Union" ? leftmostSelect(q.left) : q;
}

/** True when an expression calls an aggregate outside any subquery. */
function hasAggregate(expr: Expression): boolean {
  switch (expr.kind) {
    case "FunctionCall":
      // An aggregate with OVER (… LIMIT DURATION …) is an analytic function, not a grouping.
      if (!expr.namespace && AGGREGATES[expr.name.name.toLowerCase()] !== undefined && !expr.over?.limitDuration) return true;
      if (expr.namespace === "uda") return true;
      return expr.args.some(hasAggregate);
    case "Unary":
      return hasAggregate(expr.operand);
    case "Binary":
      return hasAggregate(expr.left) || hasAggregate(expr.right);
    case "Between":
      return hasAggregate(expr.expr) || hasAggregate(expr.low) || hasAggregate(expr.high);
    case "In":
      return hasAggregate(expr.expr) || expr.list.some(hasAggregate);
    case "Like":
      return hasAggregate(expr.expr) || hasAggregate(expr.pattern);
    case "IsNull":
      return hasAggregate(expr.expr);
    case "Case":
      return (
        (expr.operand !== undefined && hasAggregate(expr.operand)) ||
        expr.whens.some((w) => hasAggregate(w.when) || hasAggregate(w.then)) ||
        (expr.else !== undefined && hasAggregate(expr.else))
      );
    case "Cast":
      return hasAggregate(expr.expr);
    case "IndexAccess":
      return hasAggregate(expr.target) || hasAggregate(expr.index);
    case "MemberAccess":
      return hasAggregate(expr.target);
    default:
      return false;
  }
}
