// Compiles SAQL expressions to closures once per query, so each row costs only the calls.
// What a name means (an event field, a group key, an aggregate's slot) is decided by the
// scope the caller passes: the same compiler serves WHERE, SELECT, HAVING and GROUP BY.
import { NotSupportedError, StreamkitError } from "../../core/errors";
import type { ColumnReference, Expression, FunctionCall, Span } from "../ast";
import * as functions from "../functions";
import { operators } from "../functions";
import * as instant from "../instant";
import { anomalyDetectionNotSupported, isAnomalyDetection } from "./anomaly-detection";
import * as values from "../values";
import type { RecordValue, Value } from "../values";

// Bound once: an imported name compiles to a module-namespace getter read on every call, which
// per-row closures would pay for each event (measured: ~10% of a stream join's time).
const ops = operators;
const { getField, isRecord } = values;
const { dateTimeOf } = instant;

export type Evaluator = (row: any) => Value;

export interface CompileScope {
  /** The file the query came from, for `file:line:col` in errors. */
  file?: string;
  /** A column reference → how to read it from a row of this scope. */
  column(ref: ColumnReference): Evaluator;
  /** Calls the scope answers itself (aggregates, System.Timestamp(), WindowId()); undefined = ordinary function. */
  call?(call: FunctionCall): Evaluator | undefined;
  /** Sub-expressions the scope answers whole (a GROUP BY key written as an expression). */
  intercept?(expr: Expression): Evaluator | undefined;
  /** The job's JavaScript functions, for `udf.name(…)` calls (and `uda.name(…)` in grouped scopes). */
  functions?: functions.JobFunctions;
}

/** `file:line:col` of a node, as StreamkitError locations carry it. */
export function locationOf(span: Span, file?: string) {
  return { file, line: span.startLine, column: span.startColumn, endLine: span.endLine, endColumn: span.endColumn };
}

/** Functions whose first argument is a datetime unit written as a bare name (DATEADD(second, …)). */
const UNIT_FIRST = new Set(["dateadd", "datediff", "datepart", "datename", "datetrunc"]);

export function compileExpression(expr: Expression, scope: CompileScope): Evaluator {
  const c = (e: Expression) => compileExpression(e, scope);
  const whole = scope.intercept?.(expr);
  if (whole) return whole;
  switch (expr.kind) {
    case "Literal": {
      const value = expr.value as Value;
      return () => value;
    }
    case "ColumnReference":
      return scope.column(expr);
    case "MemberAccess": {
      const target = c(expr.target);
      const field = expr.field.name;
      return (row) => {
        const v = target(row);
        return isRecord(v) ? getField(v, field) : null;
      };
    }
    case "IndexAccess": {
      const target = c(expr.target);
      const index = c(expr.index);
      return (row) => {
        const arr = target(row);
        const i = index(row);
        if (!Array.isArray(arr) || typeof i !== "number") return null;
        const v = arr[i];
        return v === undefined ? null : v;
      };
    }
    case "Unary": {
      const operand = c(expr.operand);
      switch (expr.op) {
        case "-":
          return (row) => ops.negate(operand(row));
        case "+":
          return (row) => ops.unaryPlus(operand(row));
        case "NOT":
          return (row) => ops.not(operand(row));
        case "~":
          return (row) => ops.bitwiseNot(operand(row));
      }
      break;
    }
    case "Binary":
      return compileBinary(expr.op, c(expr.left), c(expr.right));
    case "Between": {
      const value = c(expr.expr);
      const low = c(expr.low);
      const high = c(expr.high);
      const negate = expr.not;
      return (row) => ops.between(value(row), low(row), high(row), negate);
    }
    case "In": {
      const value = c(expr.expr);
      const list = expr.list.map(c);
      const negate = expr.not;
      return (row) => ops.inList(value(row), list.map((item) => item(row)), negate);
    }
    case "Like": {
      const value = c(expr.expr);
      const pattern = c(expr.pattern);
      const negate = expr.not;
      return (row) => ops.like(value(row), pattern(row), negate);
    }
    case "IsNull": {
      const value = c(expr.expr);
      return expr.not ? (row) => value(row) !== null : (row) => value(row) === null;
    }
    case "Case": {
      const whens = expr.whens.map((w) => ({ when: c(w.when), then: c(w.then) }));
      const otherwise = expr.else ? c(expr.else) : () => null;
      if (expr.operand) {
        const operand = c(expr.operand);
        return (row) => {
          const v = operand(row);
          for (const w of whens) if (ops.compare("=", v, w.when(row)) === true) return w.then(row);
          return otherwise(row);
        };
      }
      return (row) => {
        for (const w of whens) if (ops.isTrue(w.when(row))) return w.then(row);
        return otherwise(row);
      };
    }
    case "Cast": {
      const value = c(expr.expr);
      const convert = expr.try ? functions.tryCast : functions.cast;
      const type = expr.type.name;
      if (!functions.parseTypeName(type)) {
        throw new StreamkitError(`'${type}' is not a SAQL type`, locationOf(expr.type.span, scope.file), "SEMANTIC");
      }
      return (row) => convert(value(row), type);
    }
    case "FunctionCall":
      return compileCall(expr, scope);
  }
  throw new NotSupportedError(`expression '${(expr as Expression).kind}'`, locationOf((expr as Expression).span, scope.file));
}

function compileBinary(op: string, left: Evaluator, right: Evaluator): Evaluator {
  switch (op) {
    case "AND":
      return (row) => {
        const a = ops.truth(left(row));
        if (a === false) return false;
        return ops.and(a, right(row));
      };
    case "OR":
      return (row) => {
        const a = ops.truth(left(row));
        if (a === true) return true;
        return ops.or(a, right(row));
      };
    case "=":
    case "!=":
    case "<>":
    case "<":
    case ">":
    case "<=":
    case ">=": {
      const cmp = op as operators.ComparisonOperator;
      // Fast path for the most common filters: two numbers or two strings compare directly
      // (texts by UTF-16 code units, as compareNonNull does).
      return (row) => {
        const a = left(row);
        const b = right(row);
        if ((typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string")) {
          switch (cmp) {
            case "=":
              return a === b;
            case "<":
              return a < b;
            case ">":
              return a > b;
            case "<=":
              return a <= b;
            case ">=":
              return a >= b;
            default:
              return a !== b;
          }
        }
        return ops.compare(cmp, a, b);
      };
    }
    case "+":
    case "-":
    case "*":
    case "/":
    case "%": {
      const arith = op as operators.ArithmeticOperator;
      return (row) => ops.arithmetic(arith, left(row), right(row));
    }
    case "&":
    case "|":
    case "^": {
      const bit = op as operators.BitwiseOperator;
      return (row) => ops.bitwise(bit, left(row), right(row));
    }
  }
  throw new StreamkitError(`unknown operator '${op}'`);
}

function compileCall(call: FunctionCall, scope: CompileScope): Evaluator {
  const handled = scope.call?.(call);
  if (handled) return handled;
  const name = call.name.name.toLowerCase();
  const where = locationOf(call.span, scope.file);
  if (call.namespace === "system") {
    throw new StreamkitError(`System.${call.name.name}() cannot be used here`, where, "SEMANTIC");
  }
  if (call.namespace === "udf") return compileUdfCall(call, scope);
  if (call.namespace === "uda") {
    throw new StreamkitError(`aggregate uda.${call.name.name} needs a GROUP BY with a window`, where, "SEMANTIC");
  }
  if (isAnomalyDetection(call)) throw anomalyDetectionNotSupported(call, where);
  if (call.over) throw new NotSupportedError(`analytic function ${call.name.name.toUpperCase()} … OVER`, where);
  if (functions.AGGREGATES[name]) {
    throw new StreamkitError(`aggregate ${call.name.name.toUpperCase()} needs a GROUP BY with a window`, where, "SEMANTIC");
  }
  const fn = functions.SCALAR_FUNCTIONS[name];
  if (!fn) {
    if (isWindowName(name)) throw new StreamkitError(`${call.name.name} can be used only in GROUP BY`, where, "SEMANTIC");
    throw new NotSupportedError(`function ${call.name.name.toUpperCase()}`, where);
  }
  const args: Evaluator[] = call.args.map((arg, i) => {
    if (i === 0 && UNIT_FIRST.has(name) && arg.kind === "ColumnReference" && arg.parts.length === 1) {
      const unit = arg.parts[0].name;
      return () => unit;
    }
    return compileExpression(arg, scope);
  });
  const ctx = {};
  switch (args.length) {
    case 0:
      return () => fn([], ctx);
    case 1: {
      const [a] = args;
      return (row) => fn([a(row)], ctx);
    }
    case 2: {
      const [a, b] = args;
      return (row) => fn([a(row), b(row)], ctx);
    }
    default:
      return (row) => fn(args.map((a) => a(row)), ctx);
  }
}

/**
 * `udf.name(…)`: the job's JavaScript (or C#/ML) function. A failure (UdfError, or a function
 * that cannot run locally) gets the call's `file:line:col` here; it stops the run, and the engine
 * adds the event's `file:line` (ASA: "JavaScript runtime errors are considered fatal").
 */
function compileUdfCall(call: FunctionCall, scope: CompileScope): Evaluator {
  const where = locationOf(call.span, scope.file);
  const fn = scope.functions?.udfs[call.name.name.toLowerCase()];
  if (!fn) throw new StreamkitError(`udf.${call.name.name} is not a function of the job: declare it in the job's functions`, where, "UNDECLARED_FUNCTION");
  const args = call.args.map((arg) => compileExpression(arg, scope));
  const ctx = {};
  return (row) => {
    const values = args.map((a) => a(row));
    try {
      return fn(values, ctx);
    } catch (error) {
      // The query's place of the call; the engine stops the run and adds the event's place.
      if (error instanceof StreamkitError && !error.location) throw new StreamkitError(error.message, where, error.code);
      throw error;
    }
  };
}

const WINDOW_NAMES = new Set([
  "tumblingwindow", "tumbling", "hoppingwindow", "hopping", "slidingwindow", "sliding",
  "sessionwindow", "session", "windows", "window",
]);

function isWindowName(lowerName: string): boolean {
  return WINDOW_NAMES.has(lowerName);
}

/** Reads a field path from a record value, case-insensitively; NULL where a step is missing or not a record. */
export function readPath(value: Value, path: string[]): Value {
  let v: Value = value;
  for (const name of path) {
    if (!isRecord(v)) return null;
    v = getField(v, name);
  }
  return v;
}

/**
 * The scope of rows read from one source (`FROM input [AS alias]`): `alias.field`, `field`,
 * `alias.record.field` all read the row's record.
 */
export function sourceScope(aliasNames: string[], file?: string, call?: CompileScope["call"]): CompileScope {
  const aliases = new Set(aliasNames.map((a) => a.toLowerCase()));
  return {
    file,
    call,
    column(ref) {
      const parts = ref.parts.map((p) => p.name);
      const path = parts.length > 1 && aliases.has(parts[0].toLowerCase()) ? parts.slice(1) : parts;
      if (parts.length === 1 && aliases.has(parts[0].toLowerCase())) {
        // The source's name alone is its whole event (`udf.json_stringify(input)`, `uda.TWA(value)`
        // in the JavaScript UDF/UDA articles), unless the event has a field of that name.
        const name = parts[0];
        return (row) => {
          const v = getField(row.rec, name);
          return v !== null || hasField(row.rec, name) ? v : row.rec;
        };
      }
      if (path.length === 1) {
        const name = path[0];
        // `rec[name]` would read Object.prototype's `constructor`, `toString` …: getField checks.
        if (name in Object.prototype) return (row) => getField(row.rec, name);
        return (row) => {
          const rec = row.rec;
          const v = rec[name];
          return v !== undefined ? v : getField(rec, name);
        };
      }
      return (row) => readPath(row.rec, path);
    },
  };
}

function hasField(record: RecordValue, name: string): boolean {
  if (Object.hasOwn(record, name)) return true;
  const lower = name.toLowerCase();
  for (const key in record) if (key.toLowerCase() === lower) return true;
  return false;
}

/** One source of a FROM clause with its names: the first (index -1) is `row.rec`, the others `row.sides[i]`. */
export interface ScopeSource {
  names: string[];
  side: number;
  /** A CROSS/OUTER APPLY side: its name alone is its record ({ArrayIndex, ArrayValue} …), not an event time. */
  applied?: boolean;
}

/**
 * The scope of rows combining several sources (FROM … CROSS APPLY … / JOIN …): a qualified
 * name reads its source's record; an unqualified one reads the FROM source.
 */
export function multiSourceScope(sources: ScopeSource[], file?: string, call?: CompileScope["call"]): CompileScope {
  const byName = new Map<string, number>();
  const applied = new Set<number>();
  for (const s of sources) {
    for (const n of s.names) byName.set(n.toLowerCase(), s.side);
    if (s.applied) applied.add(s.side);
  }
  return {
    file,
    call,
    column(ref) {
      const parts = ref.parts.map((p) => p.name);
      const side = parts.length > 1 ? byName.get(parts[0].toLowerCase()) : undefined;
      // A bare source name (DATEDIFF(minute, a, b) in a JOIN) is that source's event time.
      const whole = parts.length === 1 ? byName.get(parts[0].toLowerCase()) : undefined;
      if (whole !== undefined && applied.has(whole)) return (row) => row.sides?.[whole] ?? null;
      if (whole !== undefined) {
        return whole < 0
          ? (row) => dateTimeOf(row.leftTs ?? row.ts)
          : (row) => {
              const ts = row.sideTs?.[whole];
              return ts === undefined || Number.isNaN(ts) ? null : dateTimeOf(ts);
            };
      }
      const path = side === undefined ? parts : parts.slice(1);
      if (path.length === 1) {
        // One field of a record: readPath's steps without its loop (the common ON and SELECT column).
        const name = path[0];
        if (side === undefined || side < 0) return (row) => getField(row.rec, name);
        return (row) => {
          const rec = row.sides?.[side];
          return rec && isRecord(rec) ? getField(rec, name) : null;
        };
      }
      if (side === undefined || side < 0) return (row) => readPath(row.rec, path);
      return (row) => {
        const rec = row.sides?.[side];
        return rec ? readPath(rec, path) : null;
      };
    },
  };
}

/** A compiled condition: true keeps the row; false and NULL (unknown) drop it. */
export function compileCondition(expr: Expression, scope: CompileScope): (row: any) => boolean {
  const evaluate = compileExpression(expr, scope);
  return (row) => {
    const v = evaluate(row);
    return v === true || (v !== null && v !== false && ops.isTrue(v));
  };
}
