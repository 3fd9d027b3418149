// Reads a window call of GROUP BY (TumblingWindow, HoppingWindow, SlidingWindow, SessionWindow,
// Windows(Window('id', …), …)) into a plain description. Sizes may be written positionally
// (`TumblingWindow(second, 10, 2)`) or with Duration()/Hop()/Offset()/Timeout()/MaxDuration().
import { StreamkitError } from "../../core/errors";
import type { Expression, FunctionCall } from "../ast";
import { durationTicks, parseDateTimeUnit } from "../functions";
import { locationOf } from "./compile-expr";

/** A window's description; sizes, hops, offsets and timeouts in 100 ns ticks (lib/saql/instant.ts). */
export type WindowSpec =
  | { kind: "tumbling"; size: number; offset: number }
  | { kind: "hopping"; size: number; hop: number; offset: number }
  | { kind: "sliding"; size: number }
  | { kind: "session"; timeout: number; maxDuration: number; partitionBy: Expression[] }
  | { kind: "snapshot" };

/** One window of a GROUP BY; `id` is the Window('id', …) name, null outside Windows() or without ids. */
export interface NamedWindow {
  id: string | null;
  spec: WindowSpec;
}

const KINDS: Record<string, WindowSpec["kind"]> = {
  tumblingwindow: "tumbling", tumbling: "tumbling",
  hoppingwindow: "hopping", hopping: "hopping",
  slidingwindow: "sliding", sliding: "sliding",
  sessionwindow: "session", session: "session",
};

export function isWindowCall(expr: Expression): expr is FunctionCall {
  if (expr.kind !== "FunctionCall" || expr.namespace) return false;
  const name = expr.name.name.toLowerCase();
  return name === "windows" || KINDS[name] !== undefined;
}

/** System.Timestamp() in GROUP BY: a snapshot window. */
export function isSnapshotCall(expr: Expression): boolean {
  return expr.kind === "FunctionCall" && expr.namespace === "system" && expr.name.name.toLowerCase() === "timestamp";
}

/** The windows of one GROUP BY window expression (several for Windows(…)). */
export function readWindows(call: FunctionCall, file?: string): NamedWindow[] {
  const name = call.name.name.toLowerCase();
  if (name !== "windows") return [{ id: null, spec: readWindow(call, file) }];
  const result: NamedWindow[] = [];
  for (const arg of call.args) {
    if (arg.kind === "FunctionCall" && !arg.namespace && arg.name.name.toLowerCase() === "window") {
      const [idExpr, def] = arg.args;
      if (!idExpr || idExpr.kind !== "Literal" || typeof idExpr.value !== "string" || !def || def.kind !== "FunctionCall") {
        throw new StreamkitError("Window() takes a text id and a window definition: Window('id', TumblingWindow(…))", locationOf(arg.span, file), "SEMANTIC");
      }
      result.push({ id: idExpr.value, spec: readWindow(def, file) });
    } else if (arg.kind === "FunctionCall" && isWindowCall(arg) && arg.name.name.toLowerCase() !== "windows") {
      result.push({ id: null, spec: readWindow(arg, file) });
    } else {
      throw new StreamkitError("Windows() takes window definitions (Windows cannot be nested)", locationOf(arg.span, file), "SEMANTIC");
    }
  }
  const withIds = result.filter((w) => w.id !== null).length;
  if (withIds !== 0 && withIds !== result.length) {
    throw new StreamkitError("Windows(): give every window an id with Window('id', …), or none", locationOf(call.span, file), "SEMANTIC");
  }
  const ids = new Set<string>();
  for (const w of result) {
    if (w.id === null) continue;
    const key = w.id.toLowerCase();
    if (ids.has(key)) throw new StreamkitError(`Windows(): the window id '${w.id}' is used twice (ids are case-insensitive)`, locationOf(call.span, file), "SEMANTIC");
    ids.add(key);
  }
  return result;
}

function readWindow(call: FunctionCall, file?: string): WindowSpec {
  const kind = KINDS[call.name.name.toLowerCase()];
  const where = locationOf(call.span, file);
  if (!kind) throw new StreamkitError(`'${call.name.name}' is not a window`, where, "SEMANTIC");
  const named = new Map<string, number>();
  const positional: Expression[] = [];
  for (const arg of call.args) {
    const wrapper = arg.kind === "FunctionCall" && !arg.namespace ? arg.name.name.toLowerCase() : "";
    if (["duration", "hop", "offset", "timeout", "maxduration"].includes(wrapper)) {
      const inner = arg as FunctionCall;
      named.set(wrapper, durationOf(inner.args[0], inner.args[1], inner, file));
    } else positional.push(arg);
  }
  // Positional form: (unit, a[, b[, c]]).
  const sizes: number[] = [];
  if (positional.length > 0) {
    const [unitExpr, ...rest] = positional;
    for (const n of rest) sizes.push(durationOf(unitExpr, n, call, file));
  }
  const take = (name: string, index: number, what: string, optional = false): number => {
    const value = named.get(name) ?? sizes[index];
    if (value === undefined) {
      if (optional) return 0;
      throw new StreamkitError(`${call.name.name}: the ${what} is missing`, where, "SEMANTIC");
    }
    return value;
  };
  const positive = (value: number, what: string) => {
    if (!(value > 0)) throw new StreamkitError(`${call.name.name}: the ${what} must be positive`, where, "SEMANTIC");
    return value;
  };
  switch (kind) {
    case "tumbling":
      return { kind, size: positive(take("duration", 0, "window size"), "window size"), offset: take("offset", 1, "offset", true) };
    case "hopping": {
      const size = positive(take("duration", 0, "window size"), "window size");
      const hop = positive(named.get("hop") ?? sizes[named.has("duration") ? 0 : 1] ?? NaN, "hop size");
      const offset = named.get("offset") ?? (named.has("duration") ? 0 : sizes[2] ?? 0);
      return { kind, size, hop, offset };
    }
    case "sliding":
      return { kind, size: positive(take("duration", 0, "window size"), "window size") };
    case "session": {
      const timeout = positive(named.get("timeout") ?? sizes[0] ?? NaN, "timeout");
      const maxDuration = positive(named.get("maxduration") ?? sizes[named.has("timeout") ? 0 : 1] ?? NaN, "maximum duration");
      return { kind, timeout, maxDuration, partitionBy: call.over?.partitionBy ?? [] };
    }
  }
  throw new StreamkitError(`'${call.name.name}' is not a window`, where, "SEMANTIC");
}

function durationOf(unitExpr: Expression | undefined, sizeExpr: Expression | undefined, call: FunctionCall, file?: string): number {
  const where = locationOf(call.span, file);
  if (!unitExpr || unitExpr.kind !== "ColumnReference" || unitExpr.parts.length !== 1) {
    throw new StreamkitError(`${call.name.name}: expected a time unit (second, minute, …) as the first argument`, where, "SEMANTIC");
  }
  const unit = parseDateTimeUnit(unitExpr.parts[0].name);
  if (!unit) throw new StreamkitError(`${call.name.name}: '${unitExpr.parts[0].name}' is not a time unit`, locationOf(unitExpr.span, file), "SEMANTIC");
  const n = constantNumber(sizeExpr);
  if (n === undefined) throw new StreamkitError(`${call.name.name}: a window size must be a number constant`, where, "SEMANTIC");
  try {
    return durationTicks(unit, n);
  } catch (error) {
    throw new StreamkitError((error as Error).message, where, "SEMANTIC");
  }
}

function constantNumber(expr: Expression | undefined): number | undefined {
  if (!expr) return undefined;
  if (expr.kind === "Literal" && typeof expr.value === "number") return expr.value;
  if (expr.kind === "Unary" && (expr.op === "-" || expr.op === "+")) {
    const inner = constantNumber(expr.operand);
    return inner === undefined ? undefined : expr.op === "-" ? -inner : inner;
  }
  return undefined;
}
