// A query's topology as the job diagram shows it: one step per WITH step and per SELECT … INTO,
// what each step reads (inputs, earlier steps, reference data) and the operators inside it.
// Read from the syntax tree only: nothing here runs the query.
import type * as A from "../saql/ast";
import { childExpressions, sourceText } from "../saql/check/walk";
import { isSnapshotCall, isWindowCall, readWindows } from "../saql/exec/window-spec";
import { durationTicks, parseDateTimeUnit } from "../saql/functions";
import { TICKS_PER_MS } from "../saql/instant";
import { joinBound } from "../saql/plan/build";

export type WindowKind = "tumbling" | "hopping" | "sliding" | "session" | "snapshot";

export type OperatorInfo =
  | { kind: "filter"; text: string }
  | { kind: "project"; text: string }
  | { kind: "distinct" }
  | {
      kind: "window";
      window: WindowKind;
      text: string;
      /** Window length (sliding/tumbling/hopping), session maximum duration. */
      sizeMs?: number;
      hopMs?: number;
      /** The GROUP BY items other than the window, as written. */
      groupBy: string[];
      /** Aggregates that keep every event of the window (Collect, TopOne, percentiles, COUNT(DISTINCT), UDAs). */
      holdsEvents: string[];
    }
  | { kind: "join"; with: string; text: string; boundMs?: number; keys: string[][] }
  | { kind: "reference-join"; input: string; text: string }
  | { kind: "analytic"; fn: string; text: string; partitionBy: string[]; durationMs?: number }
  | { kind: "match-recognize"; partitionBy: string[]; durationMs?: number }
  | { kind: "apply"; fn: string; outer: boolean }
  | { kind: "union" }
  | { kind: "udf"; name: string };

export interface SourceInfo {
  /** The input or step name as written. */
  name: string;
  kind: "input" | "step" | "reference";
  /** How the step reads it: FROM, a JOIN's right side, a UNION branch's FROM. */
  role: "from" | "join";
  partitionBy?: string[];
  intoPartitions?: number;
  timestampBy?: string;
}

export interface StepInfo {
  /** The WITH name, or the output alias for a SELECT … INTO. */
  name: string;
  kind: "with" | "select";
  /** SELECT … INTO: the output written. */
  into?: string;
  line: number;
  sources: SourceInfo[];
  operators: OperatorInfo[];
}

export interface TopologyOptions {
  /** Reference-data input aliases (joined as tables). */
  referenceInputs?: string[];
}

const HOLDING_AGGREGATES = new Set(["collect", "collecttop", "topone", "percentile_cont", "percentile_disc"]);

/** The steps of a parsed query, in order. */
export function readTopology(script: A.Script, text: string, options: TopologyOptions = {}): StepInfo[] {
  const reference = new Set((options.referenceInputs ?? []).map((a) => a.toLowerCase()));
  const steps: StepInfo[] = [];
  const stepNames = new Set<string>();
  for (const statement of script.statements) {
    if (statement.kind !== "QueryStatement") continue;
    for (const step of statement.with) {
      steps.push(readStep(step.name.name, "with", undefined, step.query, step.span.startLine));
      stepNames.add(step.name.name.toLowerCase());
    }
    const into = leftmost(statement.query).into?.name ?? "output";
    steps.push(readStep(into, "select", into, statement.query, statement.query.span.startLine));
  }
  return steps;

  function readStep(name: string, kind: StepInfo["kind"], into: string | undefined, query: A.QueryExpression, line: number): StepInfo {
    const info: StepInfo = { name, kind, into, line, sources: [], operators: [] };
    readQuery(query, info);
    return info;
  }

  function readQuery(query: A.QueryExpression, info: StepInfo): void {
    if (query.kind === "Union") {
      readQuery(query.left, info);
      readQuery(query.right, info);
      info.operators.push({ kind: "union" });
      return;
    }
    readSelect(query, info);
  }

  function sourceOf(ref: A.SourceReference, role: SourceInfo["role"]): SourceInfo {
    const lower = ref.name.name.toLowerCase();
    const kind: SourceInfo["kind"] = stepNames.has(lower) ? "step" : reference.has(lower) ? "reference" : "input";
    return {
      name: ref.name.name,
      kind,
      role,
      partitionBy: ref.partitionBy?.map((e) => sourceText(text, e)),
      intoPartitions: ref.intoPartitions,
      timestampBy: ref.timestampBy ? sourceText(text, ref.timestampBy.expr) : undefined,
    };
  }

  function readSelect(q: A.SelectQuery, info: StepInfo): void {
    const names: string[] = [];
    if (q.from.kind === "SourceReference") {
      info.sources.push(sourceOf(q.from, "from"));
      names.push((q.from.alias ?? q.from.name).name.toLowerCase());
      const mr = q.from.matchRecognize;
      if (mr) {
        info.operators.push({
          kind: "match-recognize",
          partitionBy: mr.partitionBy.map((e) => sourceText(text, e)),
          durationMs: mr.limitDuration?.kind === "FunctionCall" ? constantDuration(mr.limitDuration.args) : undefined,
        });
      }
    } else if (q.from.kind === "SubquerySource") {
      readQuery(q.from.query, info);
      if (q.from.alias) names.push(q.from.alias.name.toLowerCase());
    }
    for (const join of q.joins) {
      if (join.type === "cross-apply" || join.type === "outer-apply") {
        const fn = join.source.kind === "FunctionSource" ? join.source.call.name.name : "subquery";
        info.operators.push({ kind: "apply", fn, outer: join.type === "outer-apply" });
        if (join.source.kind === "FunctionSource" && join.source.alias) names.push(join.source.alias.name.toLowerCase());
        continue;
      }
      if (join.source.kind !== "SourceReference") continue;
      const source = sourceOf(join.source, "join");
      info.sources.push(source);
      const right = (join.source.alias ?? join.source.name).name.toLowerCase();
      const on = join.on ? sourceText(text, join.on) : "";
      if (source.kind === "reference") {
        info.operators.push({ kind: "reference-join", input: source.name, text: on });
      } else {
        const bound = join.on ? joinBound(join.on, names, [right]) : undefined;
        info.operators.push({ kind: "join", with: source.name, text: on, boundMs: bound && ms(bound.lookback), keys: join.on ? equalities(join.on) : [] });
      }
      names.push(right);
    }
    if (q.where) info.operators.push({ kind: "filter", text: sourceText(text, q.where) });
    const expressions: A.Expression[] = [];
    for (const item of q.items) if (item.kind === "SelectExpression") expressions.push(item.expr);
    if (q.having) expressions.push(q.having);
    for (const e of expressions) visitCalls(e, info);
    if (q.groupBy?.length) {
      const windowExpr = q.groupBy.find((e) => isWindowCall(e) || isSnapshotCall(e));
      const keys = q.groupBy.filter((e) => e !== windowExpr).map((e) => sourceText(text, e));
      const holdsEvents = expressions.flatMap(holdingAggregates);
      if (windowExpr && isSnapshotCall(windowExpr)) {
        info.operators.push({ kind: "window", window: "snapshot", text: sourceText(text, windowExpr), groupBy: keys, holdsEvents });
      } else if (windowExpr && windowExpr.kind === "FunctionCall") {
        for (const w of safeWindows(windowExpr)) {
          const spec = w.spec;
          info.operators.push({
            kind: "window",
            window: spec.kind,
            text: sourceText(text, windowExpr),
            sizeMs: spec.kind === "session" ? ms(spec.maxDuration) : spec.kind === "snapshot" ? undefined : ms(spec.size),
            hopMs: spec.kind === "hopping" ? ms(spec.hop) : undefined,
            groupBy: keys,
            holdsEvents,
          });
        }
      }
    }
    if (q.distinct) info.operators.push({ kind: "distinct" });
    const star = q.items.some((i) => i.kind === "Star");
    info.operators.push({ kind: "project", text: star ? "*" : `${q.items.length} column${q.items.length === 1 ? "" : "s"}` });
  }

  function visitCalls(e: A.Expression, info: StepInfo): void {
    if (e.kind === "FunctionCall") {
      const name = e.name.name.toLowerCase();
      if (e.namespace === "udf") info.operators.push({ kind: "udf", name: e.name.name });
      // LAG, LAST and aggregates OVER (… LIMIT DURATION …) keep the events of their duration.
      else if (!e.namespace && e.over?.limitDuration !== undefined) {
        info.operators.push({
          kind: "analytic",
          fn: e.name.name.toUpperCase(),
          text: sourceText(text, e),
          partitionBy: e.over.partitionBy.map((p) => sourceText(text, p)),
          durationMs: constantDuration(e.over.limitDuration.args),
        });
      } else if (!e.namespace && name === "isfirst") {
        // ISFIRST(unit, n) OVER (PARTITION BY …): the duration is its own arguments.
        info.operators.push({ kind: "analytic", fn: "ISFIRST", text: sourceText(text, e), partitionBy: e.over?.partitionBy.map((p) => sourceText(text, p)) ?? [], durationMs: constantDuration(e.args) });
      }
    }
    for (const child of childExpressions(e, false)) visitCalls(child, info);
  }

  function holdingAggregates(e: A.Expression): string[] {
    const found: string[] = [];
    const visit = (x: A.Expression): void => {
      if (x.kind === "FunctionCall") {
        const name = x.name.name.toLowerCase();
        if (x.namespace === "uda" || (!x.namespace && !x.over?.limitDuration && (HOLDING_AGGREGATES.has(name) || x.distinct))) found.push(sourceText(text, x));
      }
      for (const child of childExpressions(x, false)) visit(child);
    };
    visit(e);
    return found;
  }
}

/** The `x.a = y.b` conjuncts of a JOIN's ON, as pairs of column names (last name part, lower case). */
function equalities(on: A.Expression): string[][] {
  const out: string[][] = [];
  const visit = (e: A.Expression): void => {
    if (e.kind === "Binary" && e.op === "AND") {
      visit(e.left);
      visit(e.right);
    } else if (e.kind === "Binary" && e.op === "=" && e.left.kind === "ColumnReference" && e.right.kind === "ColumnReference") {
      out.push([columnName(e.left), columnName(e.right)]);
    }
  };
  visit(on);
  return out;
}

/** The column a key expression names (last part, lower case), or its text for anything else. */
export function columnName(e: A.Expression): string {
  return e.kind === "ColumnReference" ? e.parts[e.parts.length - 1]!.name.toLowerCase() : "";
}

/** A key as written (`e.deviceId`, `[deviceId]`) reduced to the column it names, lower case. */
export function keyName(text: string): string {
  const last = text.split(".").pop() ?? text;
  return last.replace(/^[[\"]|[\]\"]$/g, "").trim().toLowerCase();
}

function constantDuration(args: A.Expression[]): number | undefined {
  const [u, n] = args;
  const unit = u?.kind === "ColumnReference" && u.parts.length === 1 ? parseDateTimeUnit(u.parts[0]!.name) : undefined;
  const size = n?.kind === "Literal" && typeof n.value === "number" ? n.value : undefined;
  if (!unit || size === undefined) return undefined;
  try {
    return ms(durationTicks(unit, size));
  } catch {
    return undefined;
  }
}

/** The windows of a GROUP BY window call; a malformed one (the checker reports it) gives none. */
function safeWindows(call: A.FunctionCall) {
  try {
    return readWindows(call);
  } catch {
    return [];
  }
}

function leftmost(q: A.QueryExpression): A.SelectQuery {
  return q.kind === "Union" ? leftmost(q.left) : q;
}

/** A duration in ticks (the engine's unit) as the milliseconds this report shows. */
function ms(ticks: number): number {
  return ticks / TICKS_PER_MS;
}
