// Argument checks shared by the scalar functions: arity, and reading an argument as a given type
// with the implicit conversions SAQL allows (a string where a datetime is expected, …).
import * as values from "../../values";
import type { DateTimeValue, Value } from "../../values";
import { FunctionArgumentError } from "../errors";
import { describeValue } from "../describe";
import * as cast from "../cast";
import type { ScalarFunction } from "../context";

// Bound once: an imported name is a module getter read on every call (DATEDIFF reads its datetimes per row).
const { toDateTime } = cast;
const DateTimeValueClass = values.DateTimeValue;

export function arity(name: string, args: Value[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new FunctionArgumentError(name, `expects ${expected} argument${max === 1 && min === 1 ? "" : "s"}, got ${args.length}`);
  }
}

export function textArg(name: string, value: Value, position: number): string {
  if (typeof value === "string") return value;
  throw new FunctionArgumentError(name, `argument ${position} must be nvarchar(max), got ${describeValue(value)}`);
}

export function numberArg(name: string, value: Value, position: number): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  throw new FunctionArgumentError(name, `argument ${position} must be a number, got ${describeValue(value)}`);
}

/** A bigint argument; a float is truncated toward zero (DATEADD's page: "the fraction is truncated and not rounded"). */
export function integerArg(name: string, value: Value, position: number): number {
  return Math.trunc(numberArg(name, value, position));
}

/** A datetime argument; strings are read as ISO 8601 ("date can be an expression, column expression, or string literal"). */
export function dateTimeArg(value: Value): DateTimeValue {
  return value instanceof DateTimeValueClass ? value : toDateTime(value);
}

/**
 * The rule most built-ins follow: check the argument count, then give NULL when any argument
 * is NULL, else run `fn`.
 */
export function strict(name: string, min: number, max: number, fn: ScalarFunction): ScalarFunction {
  return (args, ctx) => {
    arity(name, args, min, max);
    return args.some((a) => a === null) ? null : fn(args, ctx);
  };
}
