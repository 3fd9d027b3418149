// Mathematical functions. Reference: "Mathematical Functions (Azure Stream Analytics)" lists
// ABS, CEILING, EXP, FLOOR, POWER, SIGN, SQUARE, SQRT, ROUND. NULL in → NULL out.
// "Returns the same type as submitted" (CEILING, FLOOR, ABS, SIGN, ROUND): a bigint stays a bigint.
// Results outside a function's domain (SQRT(-1), POWER(-8, 0.5)) are errors that fail the event,
// as in T-SQL ("An invalid floating point operation occurred").
import type { ScalarFunction } from "../context";
import { ArithmeticError } from "../errors";
import { integerArg, strict, numberArg } from "./args";

function finite(name: string, result: number): number {
  if (!Number.isFinite(result)) throw new ArithmeticError(`${name}: the result is not a finite float (invalid floating point operation)`);
  return result;
}

function unary(name: string, fn: (x: number) => number): ScalarFunction {
  return strict(name, 1, 1, (args) => {
    return finite(name, fn(numberArg(name, args[0], 1)));
  });
}

/** Half away from zero at `length` decimal places (negative: left of the point). */
export function roundTo(value: number, length: number): number {
  const factor = 10 ** Math.abs(length);
  const scaled = length >= 0 ? value * factor : value / factor;
  // Correct representation error (2.675 * 100 = 267.49999…) before deciding the half.
  const corrected = Number(scaled.toPrecision(15));
  const whole = Math.sign(corrected) * Math.round(Math.abs(corrected));
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
  power: strict("POWER", 2, 2, (args) => {
    const base = numberArg("POWER", args[0], 1);
    const exponent = numberArg("POWER", args[1], 2);
    return finite("POWER", base ** exponent);
  }),
  /**
   * ROUND(x, length): half away from zero (ROUND page: ROUND(0.5, 0) = 1.0, ROUND(-0.5, 0) = -1.0,
   * ROUND(123.9995, 3) = 124.0); a negative length rounds left of the point, to 0 when it
   * exceeds the digits there. The result keeps x's type.
   */
  round: strict("ROUND", 2, 2, (args) => {
    const value = numberArg("ROUND", args[0], 1);
    const length = integerArg("ROUND", args[1], 2);
    if (length > 308) return value;
    if (length < -308) return 0;
    return finite("ROUND", roundTo(value, length));
  }),
};
