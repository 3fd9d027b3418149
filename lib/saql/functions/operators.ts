// SAQL's operators over runtime values, NULL-aware, for the engine's expression compiler.
// - Arithmetic: bigint ⊕ bigint → bigint (except `/`), anything with a float → float; NULL in → NULL out.
//   `/` always divides as float (choice: ASA documents no integer division; noted in the report).
//   `+` of two strings concatenates. Division or modulo by zero and bigint overflow fail the event.
// - Comparison: three-valued (NULL when either side is NULL); see compare.ts for cross-type rules.
// - AND / OR / NOT: SQL three-valued logic over bit values.
// - LIKE: % _ [set] [a-z] [^set], optional escape character; case-sensitive (see compare.ts).
import { DateTimeValue, type Value } from "../values";
import { ArithmeticError, ConversionError } from "./errors";
import { compareNonNull } from "./compare";
import { toBit } from "./cast";
import type { SaqlType } from "./types";
import { describeValue } from "./describe";

export type ArithmeticOperator = "+" | "-" | "*" | "/" | "%";
export type ComparisonOperator = "=" | "!=" | "<>" | "<" | ">" | "<=" | ">=";
export type BitwiseOperator = "&" | "|" | "^";

/** Static types of the two operands, where the checker knows them (float vs bigint for integral values). */
export interface OperandTypes {
  left?: SaqlType;
  right?: SaqlType;
}

function numericOperand(value: Value, op: string): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  throw new ArithmeticError(`operator ${op} cannot take ${describeValue(value)}${value instanceof DateTimeValue ? "; use DATEADD / DATEDIFF for datetimes" : ""}`);
}

// Local constants and checks: these run for every row, and imported bindings cost a getter call
// per use under the CommonJS interop the CLI runs with.
const TWO_63 = 2 ** 63;

/** A float operand: declared float, or a number that is not a round value in bigint's range (as typeOf decides). */
function isFloatOperand(value: number, declared?: SaqlType): boolean {
  if (declared !== undefined) return declared === "float";
  return !Number.isInteger(value) || value < -TWO_63 || value >= TWO_63;
}

function checkBigint(result: number, op: string): number {
  if (result < -TWO_63 || result >= TWO_63) throw new ArithmeticError(`arithmetic overflow: the bigint result of ${op} is outside -2^63 … 2^63-1`);
  return result;
}

export function arithmetic(op: ArithmeticOperator, left: Value, right: Value, types: OperandTypes = {}): Value {
  if (left === null || right === null) return null;
  if (op === "+" && typeof left === "string" && typeof right === "string") return left + right;
  const a = numericOperand(left, op);
  const b = numericOperand(right, op);
  const float = isFloatOperand(a, types.left) || isFloatOperand(b, types.right);
  switch (op) {
    case "+":
      return float ? a + b : checkBigint(a + b, op);
    case "-":
      return float ? a - b : checkBigint(a - b, op);
    case "*":
      return float ? a * b : checkBigint(a * b, op);
    case "/":
      if (b === 0) throw new ArithmeticError("division by zero");
      return a / b;
    case "%":
      if (b === 0) throw new ArithmeticError("modulo by zero");
      return a % b;
  }
}

/** Unary minus / plus; NULL stays NULL. */
export function negate(value: Value): Value {
  if (value === null) return null;
  const n = numericOperand(value, "-");
  return n === 0 ? 0 : -n;
}

export function unaryPlus(value: Value): Value {
  if (value === null) return null;
  return numericOperand(value, "+");
}

/** Three-valued comparison: NULL when either side is NULL. */
export function compare(op: ComparisonOperator, left: Value, right: Value): boolean | null {
  if (left === null || right === null) return null;
  const c = compareNonNull(left, right);
  switch (op) {
    case "=":
      return c === 0;
    case "!=":
    case "<>":
      return c !== 0;
    case "<":
      return c < 0;
    case ">":
      return c > 0;
    case "<=":
      return c <= 0;
    case ">=":
      return c >= 0;
  }
}

/** A value as a truth value: bit, or NULL (unknown). Numbers count as bits (non-zero = true). */
export function truth(value: Value): boolean | null {
  if (value === null) return null;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return toBit(value);
  throw new ConversionError(value, "bit", "a condition must be a bit value");
}

export function and(left: Value, right: Value): boolean | null {
  const a = truth(left), b = truth(right);
  if (a === false || b === false) return false;
  if (a === null || b === null) return null;
  return true;
}

export function or(left: Value, right: Value): boolean | null {
  const a = truth(left), b = truth(right);
  if (a === true || b === true) return true;
  if (a === null || b === null) return null;
  return false;
}

export function not(value: Value): boolean | null {
  const a = truth(value);
  return a === null ? null : !a;
}

/** WHERE / HAVING / WHEN keep a row only when the condition is true (NULL and false both drop it). */
export function isTrue(value: Value): boolean {
  return truth(value) === true;
}

/** `x [NOT] BETWEEN low AND high` = `x >= low AND x <= high`, with three-valued logic. */
export function between(value: Value, low: Value, high: Value, negated = false): boolean | null {
  const result = and(compare(">=", value, low), compare("<=", value, high));
  return negated ? not(result) : result;
}

/**
 * `x [NOT] IN (a, b, …)`: true when some item equals x; otherwise NULL if x or any item is
 * NULL; otherwise false (SQL's rule).
 */
export function inList(value: Value, list: Value[], negated = false): boolean | null {
  let result: boolean | null = false;
  if (value === null) result = list.length === 0 ? false : null;
  else {
    for (const item of list) {
      const eq = compare("=", value, item);
      if (eq === true) {
        result = true;
        break;
      }
      if (eq === null) result = null;
    }
  }
  return negated ? not(result) : result;
}

/** `x IS [NOT] NULL`. */
export function isNull(value: Value, negated = false): boolean {
  return (value === null) !== negated;
}

export function bitwise(op: BitwiseOperator, left: Value, right: Value): Value {
  if (left === null || right === null) return null;
  const a = BigInt.asIntN(64, BigInt(Math.trunc(integerOperand(left, op))));
  const b = BigInt.asIntN(64, BigInt(Math.trunc(integerOperand(right, op))));
  const bothBits = typeof left === "boolean" && typeof right === "boolean";
  const r = op === "&" ? a & b : op === "|" ? a | b : a ^ b;
  return bothBits ? r !== 0n : Number(BigInt.asIntN(64, r));
}

/** `~x`: bitwise NOT of a bigint. */
export function bitwiseNot(value: Value): Value {
  if (value === null) return null;
  if (typeof value === "boolean") return !value;
  return Number(~BigInt(Math.trunc(integerOperand(value, "~"))));
}

function integerOperand(value: Value, op: string): number {
  const n = numericOperand(value, op);
  if (!Number.isInteger(n)) throw new ArithmeticError(`operator ${op} needs bigint operands, got ${describeValue(value)}`);
  return n;
}

// ---------------------------------------------------------------- LIKE

const likeCache = new Map<string, RegExp>();

/** `x [NOT] LIKE pattern [ESCAPE c]`; NULL when x or the pattern is NULL. */
export function like(value: Value, pattern: Value, negated = false, escape?: string): boolean | null {
  if (value === null || pattern === null) return null;
  if (typeof value !== "string" || typeof pattern !== "string") {
    throw new ConversionError(typeof value !== "string" ? value : pattern, "nvarchar(max)", "LIKE compares strings");
  }
  const key = escape === undefined ? pattern : `${escape}\u0000${pattern}`;
  let regex = likeCache.get(key);
  if (!regex) {
    regex = likePatternToRegExp(pattern, escape);
    if (likeCache.size > 1000) likeCache.clear();
    likeCache.set(key, regex);
  }
  const matched = regex.test(value);
  return negated ? !matched : matched;
}

/** Translates a T-SQL LIKE pattern into an anchored regular expression. */
export function likePatternToRegExp(pattern: string, escape?: string): RegExp {
  const chars = Array.from(pattern);
  let source = "";
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (escape !== undefined && c === escape && i + 1 < chars.length) {
      source += escapeRegExp(chars[++i]);
    } else if (c === "%") source += "[\\s\\S]*";
    else if (c === "_") source += "[\\s\\S]";
    else if (c === "[") {
      const close = chars.indexOf("]", i + 2);
      if (close === -1) source += "\\[";
      else {
        source += bracketClass(chars.slice(i + 1, close));
        i = close;
      }
    } else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, "u");
}

function bracketClass(body: string[]): string {
  let negate = false;
  let items = body;
  if (items[0] === "^" && items.length > 1) {
    negate = true;
    items = items.slice(1);
  }
  let out = "";
  for (let i = 0; i < items.length; i++) {
    if (items[i + 1] === "-" && i + 2 < items.length) {
      out += `${escapeClassChar(items[i])}-${escapeClassChar(items[i + 2])}`;
      i += 2;
    } else out += escapeClassChar(items[i]);
  }
  return `[${negate ? "^" : ""}${out}]`;
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function escapeClassChar(c: string): string {
  return c.replace(/[\]\\^-]/g, "\\$&");
}

