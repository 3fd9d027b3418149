// Mathematical functions. Reference: "Mathematical Functions (Azure Stream Analytics)" lists
// ABS, CEILING, EXP, FLOOR, POWER, SIGN, SQUARE, SQRT, ROUND. NULL in → NULL out.
// "Returns the same type as submitted" (CEILING, FLOOR, ABS, SIGN, ROUND): a bigint stays a bigint.
// Results outside a function's domain (SQRT(-1), POWER(-8, 0.5)) are errors that fail the event,
// as in T-SQL ("An invalid floating point operation occurred").
import type { ScalarFunction } from "../context";
import { ArithmeticError, FunctionArgumentError } from "../errors";
import { arity, integerArg, nullIfAnyNull, numberArg } from "./args";

function finite(name: string, result: number): number {
  if (!Number.isFinite(result)) throw new ArithmeticError(`${name}: the result is not a finite float (invalid floating point operation)`);
  return result;
}

function unary(name: string, fn: (x: number) => number): ScalarFunction {
  return nullIfAnyNull((args) => {
    arity(name, args, 1);
    return finite(name, fn(numberArg(name, args[0], 1)));
  });
}

/** T-SQL ROUND: half away from zero at `length` decimal places (negative: left of the point); with a non-zero third argument, truncates. */
export function roundTo(value: number, length: number, truncate = false): number {
  const factor = 10 ** Math.abs(length);
  const scaled = length >= 0 ? value * factor : value / factor;
  // Correct representation error (2.675 * 100 = 267.49999…) before deciding the half.
  const corrected = Number(scaled.toPrecision(15));
  const whole = truncate ? Math.trunc(corrected) : Math.sign(corrected) * Math.round(Math.abs(corrected));
  const result = length >= 0 ? whole / factor : whole * factor;
  return result === 0 ? 0 : result;
}

export const MATH_FUNCTIONS: Record<string, ScalarFunction> = {
  abs: unary("ABS", Math.abs),
  ceiling: unary("CEILING", (x) => Math.ceil(x) || 0),
  floor: unary("FLOOR", Math.floor),
  exp: unary("EXP", Math.exp),
  sign: unary("SIGN", (x) => Math.sign(x) || 0),
  square: unary("SQUARE", (x) => x * x),
  sqrt: unary("SQRT", (x) => {
    if (x < 0) throw new ArithmeticError(`SQRT: cannot take the square root of a negative number (${x})`);
    return Math.sqrt(x);
  }),
  power: nullIfAnyNull((args) => {
    arity("POWER", args, 2);
    const base = numberArg("POWER", args[0], 1);
    const exponent = numberArg("POWER", args[1], 2);
    return finite("POWER", base ** exponent);
  }),
  /** ROUND(x, length [, function]). */
  round: (args) => {
    arity("ROUND", args, 2, 3);
    if (args[0] === null || args[1] === null) return null;
    const value = numberArg("ROUND", args[0], 1);
    const length = integerArg("ROUND", args[1], 2);
    const truncate = args.length === 3 && args[2] !== null && integerArg("ROUND", args[2], 3) !== 0;
    if (Math.abs(length) > 308) throw new FunctionArgumentError("ROUND", `length ${length} is out of range`);
    return finite("ROUND", roundTo(value, length, truncate));
  },
};
