// The single entry point of SAQL's built-in functions, operators, types and aggregates.
// Pure code: no parser, no engine, no cdktf, no Azure SDK.
//
// How the engine uses it:
// - Scalar call `f(a, b)`: `SCALAR_FUNCTIONS[name.toLowerCase()](values, ctx)`. Datetime units
//   (DATEADD(second, …)) are passed as the unit's identifier text, e.g. "second", "ss".
// - CAST / TRY_CAST: `cast(value, type)` throws ConversionError (the event fails);
//   `tryCast(value, type)` gives NULL instead. Type names: see `parseTypeName`.
// - Operators: `arithmetic`, `compare`, `and`/`or`/`not`/`isTrue`, `between`, `inList`, `like`,
//   `bitwise`, `negate` (also as the plain object `operators`), all NULL-aware.
// - CROSS APPLY GetArrayElements / GetRecordProperties: `TABLE_FUNCTIONS[name](values, ctx)` → rows.
// - Aggregates: `AGGREGATES[name].create(call)` → Accumulator with add / remove? / result;
//   `call.appendOnly` when remove is never called (constant state).
// - Windows and LIMIT DURATION: `parseDateTimeUnit(name)` and `durationTicks(unit, n)` (100 ns ticks).
// - JavaScript UDF/UDA: `loadJobFunctions(job.functions, jobDir)` → { udfs, udas }; see udf/.
// Per-row code should bind what it calls once (`const compare = functions.compare`): each access
// to an imported binding is a getter call under the CommonJS interop the CLI runs with.
export * from "./types";
export * from "./errors";
export * from "./context";
export * from "./units";
export { describeValue } from "./describe";
export { SCALAR_FUNCTIONS, TABLE_FUNCTIONS } from "./scalar";
export { AGGREGATES } from "./aggregates";
export type { Accumulator, AggregateCall, AggregateDefinition, OrderedValues } from "./aggregates/types";
export { cast, tryCast, toBigint, toFloat, toText, toDateTime, toBit } from "./cast";
export { parseDateTime, formatDateTime } from "./datetime-text";
export { formatFloat, formatBigint } from "./number-text";
export { compareNonNull, compareForSort, deepEqual, valueKey } from "./compare";
import * as operatorsModule from "./operators";
/**
 * The operators as one plain object: `ops.compare(…)` is a data-property read. (A re-exported
 * module namespace costs a getter call per access, about 75 ns, under the CommonJS interop the
 * CLI runs with; per-row code should still bind functions once.)
 */
export const operators = Object.freeze({ ...operatorsModule });
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace operators {
  type ArithmeticOperator = operatorsModule.ArithmeticOperator;
  type ComparisonOperator = operatorsModule.ComparisonOperator;
  type BitwiseOperator = operatorsModule.BitwiseOperator;
  type OperandTypes = operatorsModule.OperandTypes;
}
export {
  arithmetic,
  negate,
  unaryPlus,
  compare,
  truth,
  and,
  or,
  not,
  isTrue,
  between,
  inList,
  isNull,
  bitwise,
  bitwiseNot,
  like,
} from "./operators";
export type { ArithmeticOperator, ComparisonOperator, BitwiseOperator, OperandTypes } from "./operators";
export {
  loadJavaScriptUdf,
  loadJavaScriptUda,
  readJavaScriptFunctionFile,
  detectJavaScriptFunctionKind,
  DEFAULT_UDF_TIMEOUT_MS,
  DEFAULT_UDF_MEMORY_MB,
  FunctionThread,
  loadJobFunctions,
} from "./udf";
export type { JavaScriptFunctionSource, JavaScriptFunctionOptions, JobFunctions } from "./udf";
export { dateAdd, dateDiff, datePart } from "./scalar/datetime";
