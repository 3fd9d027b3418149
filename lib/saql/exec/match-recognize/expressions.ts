// DEFINE conditions and MEASURES expressions of MATCH_RECOGNIZE, compiled against a match in
// progress. The reference (match-recognize-stream-analytics.md):
//  - DEFINE: "When not using an aggregate function on DEFINE expression, the current event being
//    evaluated binds to the pattern variable" (B.bigint in B's condition is the current event);
//    aggregates run over the events mapped to the variable so far ("Last(A.bigint) < B.bigint").
//    The event being judged counts as mapped to the variable it is judged for, so in
//    `B AS Max(B.x) > …` Max includes the current event (SQL's running semantics).
//  - MEASURES: "LAST(A.id) AS aid will output the last id value that was found over all events
//    that matched pattern named A"; Classifier() "returns a list of strings, each with the
//    pattern name that matched an event".
//  - "The following aggregate methods can be used in MEASURES and DEFINE": Min, Max, First, Last.
// A variable's field without an aggregate elsewhere (A.x in B's condition, or in MEASURES) reads
// the last event mapped to A, as in SQL row pattern navigation; a field with no variable reads
// the current event in DEFINE and the match's last event in MEASURES.
import { NotSupportedError } from "../../../core/errors";
import type { ColumnReference, Expression, FunctionCall } from "../../ast";
import { AGGREGATES, type JobFunctions } from "../../functions";
import { getField, type Value } from "../../values";
import { compileCondition, compileExpression, locationOf, readPath, type CompileScope, type Evaluator } from "../compile-expr";
import type { Row } from "../row";
import type { PathNode } from "./matcher";

/** What a DEFINE or MEASURES expression is evaluated on. */
export interface MatchContext {
  /** DEFINE: the event being judged; MEASURES: undefined. */
  event?: Row;
  /** The events mapped so far (DEFINE) or the whole match (MEASURES), newest first. */
  path: PathNode<Row> | null;
  /** DEFINE: the variable the event is judged for; MEASURES: NO_VARIABLE. */
  variable: number;
}

export const NO_VARIABLE = -2;

export interface MatchNames {
  /** Lower-case variable name → index. */
  variables: Map<string, number>;
  /** Variable names as DEFINE writes them, by index (Classifier's strings). */
  display: string[];
  /** Lower-case names of the source the clause reads (`FROM input AS i`: input, i). */
  sourceAliases: Set<string>;
  file?: string;
  functions?: JobFunctions;
}

const NAVIGATION = new Set(["first", "last", "min", "max"]);
/** Aggregates some SQL engines allow in MATCH_RECOGNIZE but ASA's reference does not list. */
const UNDOCUMENTED = new Set(["count", "sum", "avg"]);

export function compileDefine(condition: Expression, names: MatchNames): (ctx: MatchContext) => boolean {
  return compileCondition(condition, matchScope(names, "define"));
}

export function compileMeasure(expr: Expression, names: MatchNames): Evaluator {
  return compileExpression(expr, matchScope(names, "measure"));
}

function matchScope(names: MatchNames, role: "define" | "measure"): CompileScope {
  const where = (e: { span: Expression["span"] }) => locationOf(e.span, names.file);
  /** The variable a reference is qualified with, and the field path after it. */
  const split = (ref: ColumnReference): { variable?: number; path: string[] } => {
    const parts = ref.parts.map((p) => p.name);
    const first = parts.length > 1 ? parts[0]!.toLowerCase() : undefined;
    const variable = first === undefined ? undefined : names.variables.get(first);
    if (variable !== undefined) return { variable, path: parts.slice(1) };
    // `input.x`: the source's own name in front of a field, as in any FROM.
    return { path: first !== undefined && names.sourceAliases.has(first) ? parts.slice(1) : parts };
  };
  return {
    file: names.file,
    functions: names.functions,
    column(ref) {
      const { variable, path } = split(ref);
      const read = fieldReader(path);
      if (variable === undefined) {
        return role === "define" ? (ctx: MatchContext) => read(ctx.event!) : (ctx: MatchContext) => (ctx.path ? read(ctx.path.event) : null);
      }
      return (ctx: MatchContext) => {
        if (ctx.event && ctx.variable === variable) return read(ctx.event);
        for (let n = ctx.path; n; n = n.prev) if (n.variable === variable) return read(n.event);
        return null;
      };
    },
    call(call: FunctionCall) {
      if (call.namespace) return undefined;
      const name = call.name.name.toLowerCase();
      if (name === "classifier") {
        if (role === "define") throw new NotSupportedError("Classifier() in DEFINE (the reference documents it in MEASURES)", where(call));
        return (ctx: MatchContext) => {
          const out: string[] = new Array(ctx.path?.length ?? 0);
          for (let n = ctx.path, i = out.length - 1; n; n = n.prev, i--) out[i] = n.variable >= 0 ? names.display[n.variable]! : ".";
          return out;
        };
      }
      if (UNDOCUMENTED.has(name)) {
        throw new NotSupportedError(`${call.name.name.toUpperCase()} inside MATCH_RECOGNIZE (the reference lists MIN, MAX, FIRST and LAST)`, where(call));
      }
      if (!NAVIGATION.has(name)) return undefined;
      const arg = call.args[0];
      if (call.args.length !== 1 || arg?.kind !== "ColumnReference") {
        throw new NotSupportedError(`${call.name.name.toUpperCase()} inside MATCH_RECOGNIZE of anything but one field (the reference: "Only a single field can be supplied")`, where(call));
      }
      const { variable, path } = split(arg);
      return aggregateOverMatch(name, variable, fieldReader(path));
    },
  };
}

function fieldReader(path: string[]): (row: Row) => Value {
  if (path.length === 1) {
    const name = path[0]!;
    return (row) => getField(row.rec, name);
  }
  return (row) => readPath(row.rec, path);
}

/**
 * MIN / MAX / FIRST / LAST of a field over the events mapped to `variable` (all events of the
 * match when undefined), the event being judged included when it is judged for that variable.
 */
function aggregateOverMatch(name: string, variable: number | undefined, read: (row: Row) => Value): Evaluator {
  const takes = (v: number) => variable === undefined || v === variable;
  return (ctx: MatchContext) => {
    const current = ctx.event && (variable === undefined || ctx.variable === variable) ? ctx.event : undefined;
    if (name === "last") {
      if (current) return read(current);
      for (let n = ctx.path; n; n = n.prev) if (takes(n.variable)) return read(n.event);
      return null;
    }
    if (name === "first") {
      let first: Row | undefined = current;
      for (let n = ctx.path; n; n = n.prev) if (takes(n.variable)) first = n.event;
      return first ? read(first) : null;
    }
    const acc = AGGREGATES[name]!.create({ constArgs: [], appendOnly: true });
    for (let n = ctx.path; n; n = n.prev) if (takes(n.variable)) acc.add(read(n.event));
    if (current) acc.add(read(current));
    return acc.result();
  };
}
