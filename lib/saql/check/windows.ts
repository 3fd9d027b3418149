// Window definitions in GROUP BY: both argument forms of every window kind, validated as the
// window reference pages describe them (units, positive sizes, hop ≤ size, 7-day limit).
import type * as A from "../ast";
import { TIME_UNITS, TIME_UNIT_MICROS, WINDOW_ALIASES } from "../catalog";
import { diagnosticAt, type Diagnostic } from "./diagnostics";

const MAX_WINDOW_MICROS = 7 * TIME_UNIT_MICROS.day!;
const UNIT_LIST = "day (dd, d), hour (hh), minute (mi, n), second (ss, s), millisecond (ms), microsecond (mcs)";

/** A validated size: the number as written and its length in microseconds. */
interface Size {
  micros: number;
  node: A.Node;
}

/** The canonical window name (`tumblingwindow`) of a call, or undefined when it is not a window. */
export function windowKind(call: A.FunctionCall): string | undefined {
  if (call.namespace) return undefined;
  const lower = call.name.name.toLowerCase();
  const name = WINDOW_ALIASES[lower] ?? lower;
  return ["tumblingwindow", "hoppingwindow", "slidingwindow", "sessionwindow", "snapshotwindow", "windows"].includes(name) ? name : undefined;
}

/** True for `System.Timestamp()` in GROUP BY: the snapshot-window form. */
export function isSnapshotTimestamp(e: A.Expression): boolean {
  return e.kind === "FunctionCall" && e.namespace === "system" && e.name.name.toLowerCase() === "timestamp";
}

/** A bare time unit as written (`second`, `ss`): its canonical name, or undefined. */
export function timeUnitOf(e: A.Expression | undefined): string | undefined {
  if (!e || e.kind !== "ColumnReference" || e.parts.length !== 1 || e.parts[0]!.quoted) return undefined;
  return TIME_UNITS[e.parts[0]!.name.toLowerCase()];
}

function numberOf(e: A.Expression | undefined): number | undefined {
  if (!e) return undefined;
  if (e.kind === "Literal" && typeof e.value === "number") return e.value;
  if (e.kind === "Unary" && e.op === "-" && e.operand.kind === "Literal" && typeof e.operand.value === "number") return -e.operand.value;
  return undefined;
}

export class WindowChecker {
  constructor(private readonly diagnostics: Diagnostic[]) {}

  private error(node: { span: A.Span }, message: string): void {
    this.diagnostics.push(diagnosticAt(node.span, "INVALID_WINDOW", message));
  }

  /** Validates one window call from GROUP BY (including `Windows(…)`). */
  check(call: A.FunctionCall, insideWindows = false): void {
    const kind = windowKind(call)!;
    const display = call.name.name;
    if (call.star || call.distinct) this.error(call, `${display}(…) takes a time unit and sizes, not * or DISTINCT`);
    if (call.over && kind !== "sessionwindow") this.error(call.over, `${display} does not take OVER (…); only SessionWindow takes OVER (PARTITION BY …)`);
    switch (kind) {
      case "windows":
        return this.checkWindows(call, insideWindows);
      case "tumblingwindow":
        return this.checkSized(call, display, ["Duration", "Offset"], 1, 1);
      case "hoppingwindow":
        return this.checkSized(call, display, ["Duration", "Hop", "Offset"], 2, 2);
      case "slidingwindow":
        return this.checkSized(call, display, ["Duration"], 1, 1);
      case "sessionwindow":
        this.checkSessionOver(call);
        return this.checkSized(call, display, ["Timeout", "MaxDuration"], 2, 2);
      case "snapshotwindow":
        if (call.args.length > 0) this.error(call, "SnapshotWindow() takes no arguments");
        return;
    }
  }

  private checkSessionOver(call: A.FunctionCall): void {
    const over = call.over;
    if (!over) return;
    if (over.limitDuration || over.when || over.orderBy || over.partitionBy.length === 0) {
      this.error(over, "a session window's OVER takes PARTITION BY only: OVER (PARTITION BY key)");
    }
  }

  private checkWindows(call: A.FunctionCall, insideWindows: boolean): void {
    if (insideWindows) {
      this.error(call, "Windows(…) cannot be nested");
      return;
    }
    if (call.args.length === 0) {
      this.error(call, "Windows(…) needs at least one window definition");
      return;
    }
    const ids = new Map<string, A.Node>();
    let named = 0;
    for (const arg of call.args) {
      // The snapshot form System.Timestamp() may sit among the windows (Snapshot window page).
      if (isSnapshotTimestamp(arg)) continue;
      if (arg.kind !== "FunctionCall") {
        this.error(arg, "Windows(…) takes window definitions, e.g. Windows(TumblingWindow(minute, 1), Window('5min', TumblingWindow(minute, 5)))");
        continue;
      }
      if (!arg.namespace && arg.name.name.toLowerCase() === "window") {
        named++;
        const [id, def] = arg.args;
        if (arg.args.length !== 2) this.error(arg, "Window takes an id and a window definition: Window('id', TumblingWindow(minute, 1))");
        if (!id || id.kind !== "Literal" || typeof id.value !== "string") {
          this.error(id ?? arg, "a window id must be a string constant, e.g. Window('hourly', …)");
        } else {
          const key = id.value.toLowerCase();
          if (ids.has(key)) this.error(id, `window id '${id.value}' is used twice in Windows(…): ids are case-insensitive and must be unique`);
          ids.set(key, id);
        }
        if (def && isSnapshotTimestamp(def)) continue;
        if (def && def.kind === "FunctionCall" && windowKind(def) && windowKind(def) !== "windows") this.check(def, true);
        else if (def) this.error(def, "expected a window definition (TumblingWindow, HoppingWindow, SlidingWindow, SessionWindow)");
        continue;
      }
      const kind = windowKind(arg);
      if (kind === "windows") {
        this.error(arg, "the Windows constructs cannot be nested: list every window in one Windows(…)");
        continue;
      }
      if (!kind) {
        this.error(arg, `expected a window definition inside Windows(…), found ${arg.name.name}`);
        continue;
      }
      this.check(arg, true);
    }
    if (named > 0 && named < call.args.length) {
      this.error(call, "Windows(…) takes either all windows with ids (Window('id', …)) or none");
    }
  }

  /**
   * `(unit, a, b, …)` or `(Helper(unit, a), Helper(unit, b), …)`. `helpers` lists the named
   * form's helpers in order; `required` how many sizes are mandatory, `positional` how many
   * sizes the short form takes before an optional offset.
   */
  private checkSized(call: A.FunctionCall, display: string, helpers: string[], required: number, positional: number): void {
    const args = call.args;
    const first = args[0];
    const sizes: (Size | undefined)[] = [];
    const names = helpers.map((h) => (h === "Duration" ? "window size" : h === "Hop" ? "hop size" : h === "Offset" ? "offset" : h === "Timeout" ? "timeout" : "maximum duration"));
    if (!first) {
      this.error(call, `${display} needs a time unit and a size, e.g. ${display}(second, 10)`);
      return;
    }
    if (first.kind === "FunctionCall" && !first.namespace) {
      // Named form: Duration(unit, n), Hop(unit, n), Offset(unit, n) / Timeout(…), MaxDuration(…).
      const seen = new Set<string>();
      for (const arg of args) {
        const helperName = arg.kind === "FunctionCall" && !arg.namespace ? helpers.find((h) => h.toLowerCase() === arg.name.name.toLowerCase()) : undefined;
        if (!helperName || arg.kind !== "FunctionCall") {
          this.error(arg, `${display} in its named form takes ${helpers.map((h) => `${h}(unit, n)`).join(", ")}`);
          continue;
        }
        const index = helpers.indexOf(helperName);
        if (seen.has(helperName)) this.error(arg, `${helperName}(…) is given twice`);
        seen.add(helperName);
        sizes[index] = this.helperSize(arg, helperName, names[index]!, helperName !== "Offset");
      }
      for (let i = 0; i < required; i++) {
        if (!seen.has(helpers[i]!)) this.error(call, `${display} needs ${helpers[i]}(unit, n) for its ${names[i]}`);
      }
    } else {
      const unit = timeUnitOf(first);
      if (!unit) {
        this.error(first, `'${first.kind === "ColumnReference" ? first.parts.map((p) => p.name).join(".") : "this"}' is not a time unit: use ${UNIT_LIST}`);
        return;
      }
      const values = args.slice(1);
      const maxSizes = positional + (helpers.includes("Offset") ? 1 : 0);
      if (values.length < required) {
        this.error(call, `${display} needs ${required === 1 ? "a size" : `${required} sizes`} after the time unit, e.g. ${display}(second, ${Array.from({ length: required }, (_, i) => (i === 0 ? 10 : 5)).join(", ")})`);
      }
      if (values.length > maxSizes) this.error(values[maxSizes]!, `${display} takes at most ${maxSizes} value(s) after the time unit`);
      values.slice(0, maxSizes).forEach((v, i) => {
        const isOffset = helpers[i] === "Offset";
        sizes[i] = this.sizeOf(v, unit, names[i]!, !isOffset);
      });
    }
    this.checkRelations(display, helpers, sizes);
  }

  private helperSize(call: A.FunctionCall, helper: string, what: string, positive: boolean): Size | undefined {
    if (call.args.length !== 2) {
      this.error(call, `${helper} takes a time unit and a number: ${helper}(second, 10)`);
      return undefined;
    }
    const unit = timeUnitOf(call.args[0]);
    if (!unit) {
      this.error(call.args[0]!, `not a time unit: use ${UNIT_LIST}`);
      return undefined;
    }
    return this.sizeOf(call.args[1]!, unit, what, positive);
  }

  private sizeOf(e: A.Expression, unit: string, what: string, positive: boolean): Size | undefined {
    const n = numberOf(e);
    if (n === undefined) {
      this.error(e, `the ${what} must be a number constant (a window cannot change size at run time)`);
      return undefined;
    }
    if (positive && n <= 0) {
      this.error(e, `the ${what} must be positive, found ${n}`);
      return undefined;
    }
    const micros = n * TIME_UNIT_MICROS[unit]!;
    if (Math.abs(micros) > MAX_WINDOW_MICROS) {
      this.error(e, `the ${what} exceeds the 7-day maximum of a window`);
      return undefined;
    }
    return { micros, node: e };
  }

  private checkRelations(display: string, helpers: string[], sizes: (Size | undefined)[]): void {
    const at = (name: string) => sizes[helpers.indexOf(name)];
    const size = at("Duration");
    const hop = helpers.includes("Hop") ? at("Hop") : undefined;
    if (size && hop && hop.micros > size.micros) {
      this.error(hop.node, `the hop size of ${display} must not exceed its window size (a hop larger than the window skips events)`);
    }
    const timeout = helpers.includes("Timeout") ? at("Timeout") : undefined;
    const maxDuration = helpers.includes("MaxDuration") ? at("MaxDuration") : undefined;
    if (timeout && maxDuration && timeout.micros > maxDuration.micros) {
      this.error(timeout.node, `the timeout of ${display} must not exceed its maximum duration`);
    }
  }
}
