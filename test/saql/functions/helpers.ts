// Shared helpers for the function tests.
import { DateTimeValue, type Value } from "../../../lib/saql/values";
import { parseDateTime, SCALAR_FUNCTIONS, type FunctionContext } from "../../../lib/saql/functions";

/** A datetime from ISO 8601 text (throws on bad text, so a typo fails the test). */
export function dt(text: string): DateTimeValue {
  const value = parseDateTime(text);
  if (!value) throw new Error(`bad datetime in test: ${text}`);
  return value;
}

/** Calls a built-in by name, as the engine does. */
export function call(name: string, ...args: Value[]): Value {
  const fn = SCALAR_FUNCTIONS[name.toLowerCase()];
  if (!fn) throw new Error(`no built-in ${name}`);
  return fn(args, {});
}

export function callWith(ctx: FunctionContext, name: string, ...args: Value[]): Value {
  return SCALAR_FUNCTIONS[name.toLowerCase()](args, ctx);
}

/** Datetimes compare by text so that failures print readably. */
export function plain(value: Value): unknown {
  return value instanceof DateTimeValue ? value.toString() : JSON.parse(JSON.stringify(value));
}
