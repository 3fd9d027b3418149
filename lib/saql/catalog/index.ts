// The signature catalogue of every SAQL built-in, keyed by lower-case name, as the Stream
// Analytics Query Language reference lists them (one page per function). The checker
// validates calls against it; the engine implements the functions under the same keys.
// Source: MicrosoftDocs/azure-reference-other, stream-analytics-docs/*.md (toc.yml lists them all).
import { DATEPART_NAMES, DATETIME_UNIT_NAMES, nameTable } from "../functions/units";

/** SAQL's value types, plus `numeric` (bigint or float) and `any` for arguments that accept more than one. */
export type CatalogType = "bigint" | "float" | "nvarchar(max)" | "datetime" | "bit" | "record" | "array" | "numeric" | "any";

export type FunctionKind =
  | "scalar"
  | "aggregate"
  | "analytic"
  | "window"
  | "table-valued"
  | "geospatial"
  | "anomaly";

/**
 * How an argument is written:
 * - `expression`: any expression of `type`;
 * - `datetime-unit`: a bare datepart name or abbreviation (`second`, `ss`, `s`, …);
 * - `literal`: a constant (number or string) fixed at compile time;
 * - `window`: a window definition (inside `Windows(...)` / `Window('id', …)`);
 * - `duration`: a `Duration(unit, n)`-style helper call or a bare size (window argument forms);
 * - `source`: an input alias (GetMetadataPropertyValue's first argument).
 */
export type ArgumentKind = "expression" | "datetime-unit" | "literal" | "window" | "duration" | "source";

export interface ArgumentSpec {
  name: string;
  kind: ArgumentKind;
  type: CatalogType;
}

/** Which `OVER (…)` forms a function takes. */
export type OverForm =
  /** LAG, LAST, aggregates used as analytic functions, anomaly detection: `OVER ([PARTITION BY …] LIMIT DURATION(unit, n) [WHEN …])`. */
  | "limit-duration"
  /** ISFIRST: `OVER ([PARTITION BY …] [WHEN …])`, the duration is an argument. */
  | "partition-when"
  /** TopOne, CollectTop, Percentile_*: `OVER ([PARTITION BY …] ORDER BY … [LIMIT DURATION(…)] [WHEN …])`. */
  | "order-by"
  /** SessionWindow: `OVER (PARTITION BY …)`. */
  | "partition";

export interface FunctionSignature {
  /** The name as the reference writes it, for messages. */
  name: string;
  kind: FunctionKind;
  minArgs: number;
  /** `Infinity` for variadic functions (the last argument spec repeats). */
  maxArgs: number;
  args: ArgumentSpec[];
  /** The result type when fixed; `undefined` when it follows the arguments. */
  returns?: CatalogType;
  /** The OVER forms it accepts, if any. */
  over?: OverForm[];
  /** The OVER clause is mandatory (LAG, LAST, TopOne, …). */
  overRequired?: boolean;
  /** `COUNT(*)`, `LAG(*)`: `*` stands for the first argument. */
  allowsStar?: boolean;
  /** `COUNT(DISTINCT x)`. */
  allowsDistinct?: boolean;
  /** Also an aggregate when used without OVER (AVG, SUM, …); `kind` says its main role. */
  aggregate?: boolean;
  /** The reference page (file name under stream-analytics-docs/). */
  page: string;
}

const expr = (name: string, type: CatalogType = "any"): ArgumentSpec => ({ name, kind: "expression", type });
const unit = (name = "datepart"): ArgumentSpec => ({ name, kind: "datetime-unit", type: "nvarchar(max)" });
const literal = (name: string, type: CatalogType): ArgumentSpec => ({ name, kind: "literal", type });

type Entry = Omit<FunctionSignature, "page"> & { page?: string };

function fn(entry: Entry, page: string): FunctionSignature {
  return { ...entry, page };
}

const AGG_OVER: OverForm[] = ["limit-duration"];

const entries: FunctionSignature[] = [
  // ------------------------------------------------------------ aggregate functions
  // AVG's page: "The return type is determined by the type of the evaluated result of expression" (not fixed).
  fn({ name: "AVG", kind: "aggregate", aggregate: true, minArgs: 1, maxArgs: 1, args: [expr("expression", "numeric")], over: AGG_OVER, allowsDistinct: true }, "avg-azure-stream-analytics.md"),
  fn({ name: "COUNT", kind: "aggregate", aggregate: true, minArgs: 0, maxArgs: 1, args: [expr("expression")], returns: "bigint", over: AGG_OVER, allowsStar: true, allowsDistinct: true }, "count-azure-stream-analytics.md"),
  fn({ name: "Collect", kind: "aggregate", aggregate: true, minArgs: 0, maxArgs: 1, args: [expr("scalar_expression")], returns: "array", over: AGG_OVER }, "collect-azure-stream-analytics.md"),
  fn({ name: "CollectTop", kind: "aggregate", aggregate: true, minArgs: 1, maxArgs: 2, args: [literal("number_of_events", "bigint"), expr("scalar_expression")], returns: "array", over: ["order-by"], overRequired: true }, "collecttop-azure-stream-analytics.md"),
  fn({ name: "MAX", kind: "aggregate", aggregate: true, minArgs: 1, maxArgs: 1, args: [expr("expression")], over: AGG_OVER }, "max-azure-stream-analytics.md"),
  fn({ name: "MIN", kind: "aggregate", aggregate: true, minArgs: 1, maxArgs: 1, args: [expr("expression")], over: AGG_OVER }, "min-azure-stream-analytics.md"),
  fn({ name: "Percentile_Cont", kind: "aggregate", aggregate: true, minArgs: 1, maxArgs: 1, args: [literal("numeric_literal", "float")], returns: "float", over: ["order-by"], overRequired: true }, "percentile-cont-azure-stream-analytics.md"),
  fn({ name: "Percentile_Disc", kind: "aggregate", aggregate: true, minArgs: 1, maxArgs: 1, args: [literal("numeric_literal", "float")], over: ["order-by"], overRequired: true }, "percentile-disc-azure-stream-analytics.md"),
  fn({ name: "STDEV", kind: "aggregate", aggregate: true, minArgs: 1, maxArgs: 1, args: [expr("expression", "numeric")], returns: "float", over: AGG_OVER, allowsDistinct: true }, "stdev-azure-stream-analytics.md"),
  fn({ name: "STDEVP", kind: "aggregate", aggregate: true, minArgs: 1, maxArgs: 1, args: [expr("expression", "numeric")], returns: "float", over: AGG_OVER, allowsDistinct: true }, "stdevp-azure-stream-analytics.md"),
  fn({ name: "SUM", kind: "aggregate", aggregate: true, minArgs: 1, maxArgs: 1, args: [expr("expression", "numeric")], over: AGG_OVER, allowsDistinct: true }, "sum-azure-stream-analytics.md"),
  // TopOne returns the projected value, or the whole event (a record) without an argument.
  fn({ name: "TopOne", kind: "aggregate", aggregate: true, minArgs: 0, maxArgs: 1, args: [expr("scalar_expression")], over: ["order-by"], overRequired: true }, "topone-azure-stream-analytics.md"),
  fn({ name: "VAR", kind: "aggregate", aggregate: true, minArgs: 1, maxArgs: 1, args: [expr("expression", "numeric")], returns: "float", over: AGG_OVER, allowsDistinct: true }, "var-azure-stream-analytics.md"),
  fn({ name: "VARP", kind: "aggregate", aggregate: true, minArgs: 1, maxArgs: 1, args: [expr("expression", "numeric")], returns: "float", over: AGG_OVER, allowsDistinct: true }, "varp-azure-stream-analytics.md"),

  // ------------------------------------------------------------ analytic functions
  fn({ name: "ISFIRST", kind: "analytic", minArgs: 2, maxArgs: 2, args: [unit("timeunit"), literal("duration", "bigint")], returns: "bigint", over: ["partition-when"] }, "isfirst-azure-stream-analytics.md"),
  // LAG(*) / LAST(*) return the whole event (the reference's "wildcard expression").
  fn({ name: "LAG", kind: "analytic", minArgs: 1, maxArgs: 3, args: [expr("scalar_expression"), literal("offset", "bigint"), expr("default")], over: ["limit-duration"], overRequired: true, allowsStar: true }, "lag-azure-stream-analytics.md"),
  fn({ name: "LAST", kind: "analytic", minArgs: 1, maxArgs: 2, args: [expr("scalar_expression"), expr("default")], over: ["limit-duration"], overRequired: true, allowsStar: true }, "last-azure-stream-analytics.md"),

  // ------------------------------------------------------------ anomaly detection (analytic, ML-based)
  fn({ name: "AnomalyDetection_SpikeAndDip", kind: "anomaly", minArgs: 4, maxArgs: 4, args: [expr("scalar_expression", "numeric"), literal("confidence", "float"), literal("historySize", "bigint"), literal("mode", "nvarchar(max)")], returns: "record", over: ["limit-duration"], overRequired: true }, "anomalydetection-spikeanddip-azure-stream-analytics.md"),
  fn({ name: "AnomalyDetection_ChangePoint", kind: "anomaly", minArgs: 3, maxArgs: 3, args: [expr("scalar_expression", "numeric"), literal("confidence", "float"), literal("historySize", "bigint")], returns: "record", over: ["limit-duration"], overRequired: true }, "anomalydetection-changepoint-azure-stream-analytics.md"),

  // ------------------------------------------------------------ array functions
  fn({ name: "GetArrayElement", kind: "scalar", minArgs: 2, maxArgs: 2, args: [expr("array_expression", "array"), expr("bigint_expression", "bigint")] }, "getarrayelement-azure-stream-analytics.md"),
  fn({ name: "GetArrayElements", kind: "table-valued", minArgs: 1, maxArgs: 1, args: [expr("column_reference", "array")], returns: "record" }, "getarrayelements-azure-stream-analytics.md"),
  fn({ name: "GetArrayLength", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("array_expression", "array")], returns: "bigint" }, "getarraylength-azure-stream-analytics.md"),

  // ------------------------------------------------------------ conversion (CAST / TRY_CAST are syntax, see ast CastExpression)
  fn({ name: "GetType", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("expression")], returns: "nvarchar(max)" }, "gettype-azure-stream-analytics.md"),

  // ------------------------------------------------------------ date and time
  fn({ name: "DATEADD", kind: "scalar", minArgs: 3, maxArgs: 3, args: [unit(), expr("number", "bigint"), expr("date", "datetime")], returns: "datetime" }, "dateadd-azure-stream-analytics.md"),
  fn({ name: "DATEDIFF", kind: "scalar", minArgs: 3, maxArgs: 3, args: [unit(), expr("startdate", "datetime"), expr("enddate", "datetime")], returns: "bigint" }, "datediff-azure-stream-analytics.md"),
  fn({ name: "DATENAME", kind: "scalar", minArgs: 2, maxArgs: 2, args: [unit(), expr("date", "datetime")], returns: "nvarchar(max)" }, "datename-azure-stream-analytics.md"),
  fn({ name: "DATEPART", kind: "scalar", minArgs: 2, maxArgs: 2, args: [unit(), expr("date", "datetime")], returns: "bigint" }, "datepart-azure-stream-analytics.md"),
  fn({ name: "DATETIMEFROMPARTS", kind: "scalar", minArgs: 7, maxArgs: 7, args: ["year", "month", "day", "hour", "minute", "seconds", "milliseconds"].map((n) => expr(n, "bigint")), returns: "datetime" }, "datetimefromparts-azure-stream-analytics.md"),
  fn({ name: "DAY", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("date", "datetime")], returns: "bigint" }, "day-azure-stream-analytics.md"),
  fn({ name: "MONTH", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("date", "datetime")], returns: "bigint" }, "month-azure-stream-analytics.md"),
  fn({ name: "YEAR", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("date", "datetime")], returns: "bigint" }, "year-azure-stream-analytics.md"),

  // ------------------------------------------------------------ geospatial
  fn({ name: "CreatePoint", kind: "geospatial", minArgs: 2, maxArgs: 2, args: [expr("latitude", "numeric"), expr("longitude", "numeric")], returns: "record" }, "createpoint.md"),
  fn({ name: "CreatePolygon", kind: "geospatial", minArgs: 3, maxArgs: Infinity, args: [expr("point", "record")], returns: "record" }, "createpolygon.md"),
  fn({ name: "CreateLineString", kind: "geospatial", minArgs: 2, maxArgs: Infinity, args: [expr("point", "record")], returns: "record" }, "createlinestring.md"),
  fn({ name: "ST_DISTANCE", kind: "geospatial", minArgs: 2, maxArgs: 2, args: [expr("pointA"), expr("pointB")], returns: "float" }, "st-distance.md"),
  fn({ name: "ST_OVERLAPS", kind: "geospatial", minArgs: 2, maxArgs: 2, args: [expr("polygonA"), expr("polygonB")], returns: "bigint" }, "st-overlaps.md"),
  fn({ name: "ST_INTERSECTS", kind: "geospatial", minArgs: 2, maxArgs: 2, args: [expr("lineStringA"), expr("lineStringB")], returns: "bigint" }, "st-intersects.md"),
  fn({ name: "ST_WITHIN", kind: "geospatial", minArgs: 2, maxArgs: 2, args: [expr("geography"), expr("polygon")], returns: "bigint" }, "st-within.md"),

  // ------------------------------------------------------------ input metadata
  fn({ name: "GetMetadataPropertyValue", kind: "scalar", minArgs: 2, maxArgs: 2, args: [{ name: "input_alias", kind: "source", type: "any" }, literal("property_name", "nvarchar(max)")] }, "getmetadatapropertyvalue.md"),

  // ------------------------------------------------------------ mathematical
  fn({ name: "ABS", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("expression", "numeric")] }, "abs-azure-stream-analytics.md"),
  fn({ name: "CEILING", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("expression", "numeric")] }, "ceiling-azure-stream-analytics.md"),
  fn({ name: "EXP", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("float_expression", "numeric")], returns: "float" }, "exp-azure-stream-analytics.md"),
  fn({ name: "FLOOR", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("expression", "numeric")] }, "floor-azure-stream-analytics.md"),
  // POWER returns the type of its first argument (bigint in, bigint out).
  fn({ name: "POWER", kind: "scalar", minArgs: 2, maxArgs: 2, args: [expr("float_expression", "numeric"), expr("y", "numeric")] }, "power-azure-stream-analytics.md"),
  fn({ name: "ROUND", kind: "scalar", minArgs: 2, maxArgs: 2, args: [expr("numericExpression", "numeric"), expr("length", "bigint")] }, "round-azure-stream-analytics.md"),
  fn({ name: "SIGN", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("expression", "numeric")] }, "sign-azure-stream-analytics.md"),
  fn({ name: "SQUARE", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("float_expression", "numeric")], returns: "float" }, "square-azure-stream-analytics.md"),
  fn({ name: "SQRT", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("float_expression", "numeric")], returns: "float" }, "sqrt-azure-stream-analytics.md"),

  // ------------------------------------------------------------ record
  fn({ name: "GetRecordProperties", kind: "table-valued", minArgs: 1, maxArgs: 1, args: [expr("column_reference", "record")], returns: "record" }, "getrecordproperties-azure-stream-analytics.md"),
  fn({ name: "GetRecordPropertyValue", kind: "scalar", minArgs: 2, maxArgs: 2, args: [expr("record_expression", "record"), expr("string_expression", "nvarchar(max)")] }, "getrecordpropertyvalue-azure-stream-analytics.md"),

  // ------------------------------------------------------------ string
  fn({ name: "CHARINDEX", kind: "scalar", minArgs: 2, maxArgs: 3, args: [expr("expressionToFind", "nvarchar(max)"), expr("expressionToSearch", "nvarchar(max)"), expr("start_location", "bigint")], returns: "bigint" }, "charindex-azure-stream-analytics.md"),
  fn({ name: "CONCAT", kind: "scalar", minArgs: 2, maxArgs: Infinity, args: [expr("string_value")], returns: "nvarchar(max)" }, "concat-azure-stream-analytics.md"),
  fn({ name: "CONCAT_WS", kind: "scalar", minArgs: 3, maxArgs: Infinity, args: [expr("separator", "nvarchar(max)"), expr("string_value")], returns: "nvarchar(max)" }, "concat-ws-azure-stream-analytics.md"),
  fn({ name: "JSON_PARSE", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("jsonString", "nvarchar(max)")], returns: "record" }, "json-parse-azure-stream-analytics.md"),
  fn({ name: "LEFT", kind: "scalar", minArgs: 2, maxArgs: 2, args: [expr("expression", "nvarchar(max)"), expr("length", "bigint")], returns: "nvarchar(max)" }, "left-azure-stream-analytics.md"),
  fn({ name: "LEN", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("string_expression", "nvarchar(max)")], returns: "bigint" }, "len-azure-stream-analytics.md"),
  fn({ name: "LOWER", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("string_expression", "nvarchar(max)")], returns: "nvarchar(max)" }, "lower-azure-stream-analytics.md"),
  fn({ name: "LTRIM", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("string_expression", "nvarchar(max)")], returns: "nvarchar(max)" }, "ltrim-azure-stream-analytics.md"),
  fn({ name: "NCHAR", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("integer_expression", "bigint")], returns: "nvarchar(max)" }, "nchar-azure-stream-analytics.md"),
  fn({ name: "PATINDEX", kind: "scalar", minArgs: 2, maxArgs: 2, args: [expr("pattern", "nvarchar(max)"), expr("expression", "nvarchar(max)")], returns: "bigint" }, "patindex-azure-stream-analytics.md"),
  fn({ name: "REGEXMATCH", kind: "scalar", minArgs: 2, maxArgs: 2, args: [expr("expression", "nvarchar(max)"), expr("pattern", "nvarchar(max)")], returns: "bigint" }, "regexmatch-azure-stream-analytics.md"),
  fn({ name: "REPLACE", kind: "scalar", minArgs: 3, maxArgs: 3, args: [expr("stringExpression", "nvarchar(max)"), expr("stringPattern", "nvarchar(max)"), expr("stringReplacement", "nvarchar(max)")], returns: "nvarchar(max)" }, "replace-azure-stream-analytics.md"),
  fn({ name: "REPLICATE", kind: "scalar", minArgs: 2, maxArgs: 2, args: [expr("expression", "nvarchar(max)"), expr("integer_expression", "bigint")], returns: "nvarchar(max)" }, "replicate-azure-stream-analytics.md"),
  fn({ name: "REVERSE", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("expression", "nvarchar(max)")], returns: "nvarchar(max)" }, "reverse-azure-stream-analytics.md"),
  fn({ name: "RIGHT", kind: "scalar", minArgs: 2, maxArgs: 2, args: [expr("expression", "nvarchar(max)"), expr("length", "bigint")], returns: "nvarchar(max)" }, "right-azure-stream-analytics.md"),
  fn({ name: "RTRIM", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("string_expression", "nvarchar(max)")], returns: "nvarchar(max)" }, "rtrim-azure-stream-analytics.md"),
  fn({ name: "SPACE", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("integer_expression", "bigint")], returns: "nvarchar(max)" }, "space-azure-stream-analytics.md"),
  fn({ name: "STUFF", kind: "scalar", minArgs: 4, maxArgs: 4, args: [expr("expression", "nvarchar(max)"), expr("start", "bigint"), expr("length", "bigint"), expr("inserted_expression", "nvarchar(max)")], returns: "nvarchar(max)" }, "stuff-azure-stream-analytics.md"),
  fn({ name: "SUBSTRING", kind: "scalar", minArgs: 3, maxArgs: 3, args: [expr("expression", "nvarchar(max)"), expr("start", "bigint"), expr("length", "bigint")], returns: "nvarchar(max)" }, "substring-azure-stream-analytics.md"),
  fn({ name: "TRANSLATE", kind: "scalar", minArgs: 3, maxArgs: 3, args: [expr("expression", "nvarchar(max)"), expr("replaced_characters", "nvarchar(max)"), expr("translations", "nvarchar(max)")], returns: "nvarchar(max)" }, "translate-azure-stream-analytics.md"),
  fn({ name: "TRIM", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("string_expression", "nvarchar(max)")], returns: "nvarchar(max)" }, "trim-azure-stream-analytics.md"),
  fn({ name: "UNICODE", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("character_expression", "nvarchar(max)")], returns: "bigint" }, "unicode-azure-stream-analytics.md"),
  fn({ name: "UPPER", kind: "scalar", minArgs: 1, maxArgs: 1, args: [expr("string_expression", "nvarchar(max)")], returns: "nvarchar(max)" }, "upper-azure-stream-analytics.md"),

  // ------------------------------------------------------------ language elements written as calls
  fn({ name: "COALESCE", kind: "scalar", minArgs: 1, maxArgs: Infinity, args: [expr("expression")] }, "coalesce-azure-stream-analytics.md"),
  fn({ name: "NULLIF", kind: "scalar", minArgs: 2, maxArgs: 2, args: [expr("expression"), expr("expression")] }, "nullif-azure-stream-analytics.md"),

  // ------------------------------------------------------------ windows (GROUP BY only)
  fn({ name: "TumblingWindow", kind: "window", minArgs: 1, maxArgs: 3, args: [unit("timeunit"), literal("windowsize", "bigint"), literal("offsetsize", "bigint")] }, "tumbling-window-azure-stream-analytics.md"),
  fn({ name: "HoppingWindow", kind: "window", minArgs: 2, maxArgs: 4, args: [unit("timeunit"), literal("windowsize", "bigint"), literal("hopsize", "bigint"), literal("offsetsize", "bigint")] }, "hopping-window-azure-stream-analytics.md"),
  fn({ name: "SlidingWindow", kind: "window", minArgs: 1, maxArgs: 2, args: [unit("timeunit"), literal("windowsize", "bigint")] }, "sliding-window-azure-stream-analytics.md"),
  fn({ name: "SessionWindow", kind: "window", minArgs: 2, maxArgs: 3, args: [unit("timeunit"), literal("timeoutSize", "bigint"), literal("maxDurationSize", "bigint")], over: ["partition"] }, "session-window-azure-stream-analytics.md"),
  fn({ name: "SnapshotWindow", kind: "window", minArgs: 0, maxArgs: 0, args: [] }, "snapshot-window-azure-stream-analytics.md"),
  fn({ name: "Windows", kind: "window", minArgs: 1, maxArgs: Infinity, args: [{ name: "window_definition", kind: "window", type: "any" }] }, "windows-azure-stream-analytics.md"),
  fn({ name: "Window", kind: "window", minArgs: 2, maxArgs: 2, args: [literal("id", "nvarchar(max)"), { name: "window_definition", kind: "window", type: "any" }] }, "windows-azure-stream-analytics.md"),
  // The named-argument helpers of the window functions: Duration(unit, n), Hop(…), Offset(…), Timeout(…), MaxDuration(…).
  fn({ name: "Duration", kind: "window", minArgs: 2, maxArgs: 2, args: [unit("timeunit"), literal("size", "bigint")] }, "hopping-window-azure-stream-analytics.md"),
  fn({ name: "Hop", kind: "window", minArgs: 2, maxArgs: 2, args: [unit("timeunit"), literal("hopsize", "bigint")] }, "hopping-window-azure-stream-analytics.md"),
  fn({ name: "Offset", kind: "window", minArgs: 2, maxArgs: 2, args: [unit("timeunit"), literal("offsetsize", "bigint")] }, "hopping-window-azure-stream-analytics.md"),
  fn({ name: "Timeout", kind: "window", minArgs: 2, maxArgs: 2, args: [unit("timeunit"), literal("timeoutSize", "bigint")] }, "session-window-azure-stream-analytics.md"),
  fn({ name: "MaxDuration", kind: "window", minArgs: 2, maxArgs: 2, args: [unit("timeunit"), literal("maxDurationSize", "bigint")] }, "session-window-azure-stream-analytics.md"),

  // ------------------------------------------------------------ system functions (namespace `system`)
  fn({ name: "System.Timestamp", kind: "scalar", minArgs: 0, maxArgs: 0, args: [], returns: "datetime" }, "system-timestamp-stream-analytics.md"),
  fn({ name: "System.Window", kind: "scalar", minArgs: 0, maxArgs: 0, args: [], returns: "record" }, "windows-azure-stream-analytics.md"),
];

/** Short window names the reference allows (`Tumbling(…)` for `TumblingWindow(…)`). */
export const WINDOW_ALIASES: Readonly<Record<string, string>> = {
  tumbling: "tumblingwindow",
  hopping: "hoppingwindow",
  sliding: "slidingwindow",
  session: "sessionwindow",
};

/** Every built-in by lower-case name; system functions as `system.timestamp`. */
export const BUILTIN_FUNCTIONS: ReadonlyMap<string, FunctionSignature> = (() => {
  const map = new Map<string, FunctionSignature>();
  for (const entry of entries) map.set(entry.name.toLowerCase(), entry);
  for (const [alias, target] of Object.entries(WINDOW_ALIASES)) map.set(alias, map.get(target)!);
  return map;
})();

/** The signature of a built-in, by any casing of its name (`system.timestamp` for System.Timestamp). */
export function lookupFunction(name: string): FunctionSignature | undefined {
  return BUILTIN_FUNCTIONS.get(name.toLowerCase());
}

/** The window functions a `GROUP BY` can hold (full and short names). */
export const WINDOW_FUNCTIONS = new Set(["tumblingwindow", "hoppingwindow", "slidingwindow", "sessionwindow", "snapshotwindow", "windows", "tumbling", "hopping", "sliding", "session"]);

/**
 * Datetime units with their abbreviations, by the reference's table (DATEADD, DATEDIFF,
 * DATENAME, DATEPART): canonical unit for each spelling. One table serves the checker and
 * the engine (lib/saql/functions/units.ts).
 */
export const DATEPARTS: Readonly<Record<string, string>> = nameTable(DATEPART_NAMES);

/** Length of one time unit in microseconds (for window-size comparisons). */
export const TIME_UNIT_MICROS: Readonly<Record<string, number>> = {
  day: 86_400_000_000,
  hour: 3_600_000_000,
  minute: 60_000_000,
  second: 1_000_000,
  millisecond: 1_000,
  microsecond: 1,
};

/**
 * Units a window, LIMIT DURATION or ISFIRST accepts (the window pages' "timeunit" table):
 * day down to microsecond, no calendar units; plural spellings as the reference's samples use them.
 */
export const TIME_UNITS: Readonly<Record<string, string>> = nameTable(
  Object.fromEntries(Object.entries(DATETIME_UNIT_NAMES).filter(([, unit]) => unit in TIME_UNIT_MICROS)),
);

/** The catalogue as a list (for docs and tests). */
export function allFunctions(): FunctionSignature[] {
  return [...entries];
}
