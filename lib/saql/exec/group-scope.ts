// Compiling SELECT and HAVING over grouped rows: a name is a GROUP BY key, an aggregate call
// gets a slot filled per group, System.Timestamp() is the window end.
import { NotSupportedError, StreamkitError, type SourceLocation } from "../../core/errors";
import type { Expression, FunctionCall } from "../ast";
import { AGGREGATES, type Accumulator, type AggregateCall, type AggregateDefinition } from "../functions";
import type { RecordValue, Value } from "../values";
import { canonical } from "./canonical";
import { compileExpression, locationOf, type CompileScope, type Evaluator } from "./compile-expr";
import * as instant from "../instant";

// Bound once: an imported name is a module getter, read on every call of per-event code.
const { dateTimeOf } = instant;

/** A grouped row: one group of one closed window. */
export interface GroupRow {
  ts: number;
  keys: Value[];
  aggs: Value[];
  windowId: string | null;
}

/** One aggregate call of the query, evaluated per event and accumulated per group. */
export interface AggregateSlot {
  name: string;
  def: AggregateDefinition;
  call: AggregateCall;
  /** The per-row value handed to `add` (the event record for COUNT(*), Collect(), TopOne()). */
  value: Evaluator;
  orderKeys: Evaluator[];
  /** The accumulator wants each row's event time (JavaScript UDAs). */
  timestamped?: boolean;
  /** COUNT(*): counts every row whatever it holds (a window may count rows instead of accumulating them). */
  countsRows?: boolean;
}

/** The argument of COUNT(*) for every row. */
const ROW: Evaluator = () => true;

/** Aggregates whose first argument configures them instead of being accumulated. */
const CONST_FIRST_ARG = new Set(["collecttop", "percentile_cont", "percentile_disc"]);
const NEEDS_ORDER = new Set(["collecttop", "topone", "percentile_cont", "percentile_disc"]);

export class GroupScopeBuilder {
  readonly slots: AggregateSlot[] = [];
  private readonly keyIndex = new Map<string, number>();
  private readonly keyNames = new Map<string, number>();

  constructor(
    keyExprs: Expression[],
    private readonly aliases: ReadonlyMap<string, number>,
    /** Scope of the events being grouped, to compile aggregate arguments. */
    private readonly eventScope: CompileScope,
    private readonly file?: string,
  ) {
    keyExprs.forEach((expr, i) => {
      this.keyIndex.set(canonical(expr, aliases), i);
      // A key that is a plain field can also be named by its last part (`GROUP BY i.Id` … `SELECT Id`).
      if (expr.kind === "ColumnReference") this.keyNames.set(expr.parts[expr.parts.length - 1].name.toLowerCase(), i);
    });
  }

  /**
   * Compiles a SELECT item or HAVING over grouped rows. `selectAliases` (for HAVING) lets a name
   * that is no GROUP BY key stand for the SELECT item of that alias (`COUNT(*) AS [Count] …
   * HAVING [Count] >= 3`, query-patterns article).
   */
  compile(expr: Expression, selectAliases?: ReadonlyMap<string, Expression>): Evaluator {
    const builder = this;
    const scope: CompileScope = {
      file: this.file,
      functions: this.eventScope.functions,
      column(ref) {
        const i = builder.keyFor(ref);
        const aliased = i === undefined && ref.parts.length === 1 ? selectAliases?.get(ref.parts[0].name.toLowerCase()) : undefined;
        if (aliased) return compileExpression(aliased, scope);
        if (i === undefined) {
          throw new StreamkitError(
            `'${ref.parts.map((p) => p.name).join(".")}' is neither in GROUP BY nor inside an aggregate`,
            locationOf(ref.span, builder.file),
            "SEMANTIC",
          );
        }
        return (row: GroupRow) => row.keys[i];
      },
      call(call) {
        return builder.compileCall(call);
      },
      intercept(sub) {
        // A sub-expression equal to a GROUP BY expression reads the key.
        if (sub.kind === "Literal") return undefined;
        const key = builder.keyIndex.get(canonical(sub, builder.aliases));
        return key === undefined ? undefined : (row: GroupRow) => row.keys[key];
      },
    };
    return compileExpression(expr, scope);
  }

  private keyFor(ref: Expression): number | undefined {
    const exact = this.keyIndex.get(canonical(ref, this.aliases));
    if (exact !== undefined) return exact;
    if (ref.kind === "ColumnReference" && ref.parts.length === 1) return this.keyNames.get(ref.parts[0].name.toLowerCase());
    return undefined;
  }

  private compileCall(call: FunctionCall): Evaluator | undefined {
    const name = call.name.name.toLowerCase();
    const where = locationOf(call.span, this.file);
    if (call.namespace === "system") {
      if (name === "timestamp") return (row: GroupRow) => dateTimeOf(row.ts);
      if (name === "window") return (row: GroupRow) => ({ Id: row.windowId }) as RecordValue;
      return undefined;
    }
    if (call.namespace === "uda") {
      const def = this.eventScope.functions?.udas[name];
      if (!def) throw new StreamkitError(`uda.${call.name.name} is not an aggregate of the job: declare it in the job's functions`, where, "UNDECLARED_FUNCTION");
      if (call.over) throw new NotSupportedError(`JavaScript aggregate 'uda.${call.name.name}' … OVER`, where);
      if (call.args.length !== 1) throw new StreamkitError(`uda.${call.name.name} takes one argument (a value or a record)`, where, "SEMANTIC");
      const index = this.slots.length;
      // accumulate(value, timestamp): the UDA receives the event time too.
      this.slots.push({ name, def: locatedUda(def, where), call: { constArgs: [] }, value: compileExpression(call.args[0], this.eventScope), orderKeys: [], timestamped: true });
      return (row: GroupRow) => row.aggs[index];
    }
    if (call.namespace) return undefined;
    const def = AGGREGATES[name];
    if (!def) return undefined;
    const index = this.slots.length;
    this.slots.push(this.slotFor(name, def, call));
    return (row: GroupRow) => row.aggs[index];
  }

  private slotFor(name: string, def: AggregateDefinition, call: FunctionCall): AggregateSlot {
    const where = locationOf(call.span, this.file);
    const args = [...call.args];
    const constArgs: Value[] = [];
    if (CONST_FIRST_ARG.has(name)) {
      const first = args.shift();
      if (!first || first.kind !== "Literal") {
        throw new StreamkitError(`${call.name.name.toUpperCase()} takes a constant as its first argument`, where, "SEMANTIC");
      }
      constArgs.push(first.value as Value);
    }
    // OVER (ORDER BY …) of CollectTop / TopOne / PERCENTILE_*.
    const orderBy = call.over?.orderBy;
    if (NEEDS_ORDER.has(name) && !orderBy?.length) {
      throw new NotSupportedError(`${call.name.name.toUpperCase()} without OVER (ORDER BY …)`, where);
    }
    if (call.over && !NEEDS_ORDER.has(name)) {
      throw new NotSupportedError(`aggregate ${call.name.name.toUpperCase()} … OVER`, where);
    }
    const record: Evaluator = (row) => row.rec;
    // COUNT(*) counts rows whatever they hold: its argument is a constant, so that a window that
    // keeps its rows' arguments (sliding) does not keep every event record alive.
    const countsRows = name === "count" && call.star && !call.distinct;
    const value = countsRows ? ROW : call.star || args.length === 0 ? record : compileExpression(args[0], this.eventScope);
    return {
      name,
      def,
      call: { constArgs, distinct: call.distinct, star: call.star, orderBy: orderBy?.map((o) => ({ descending: o.descending })) },
      value,
      orderKeys: (orderBy ?? []).map((o) => compileExpression(o.expr, this.eventScope)),
      countsRows,
    };
  }
}


/**
 * A JavaScript UDA whose failures (UdfError) carry the call's `file:line:col`, as a UDF call's do
 * (compile-expr): the run stops ("JavaScript runtime errors are considered fatal") and the engine
 * adds the event's `file:line`.
 */
function locatedUda(def: AggregateDefinition, where: SourceLocation | undefined): AggregateDefinition {
  const located = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (error instanceof StreamkitError && !error.location) throw new StreamkitError(error.message, where, error.code);
      throw error;
    }
  };
  return {
    supportsRemove: def.supportsRemove,
    create(call) {
      const acc = located(() => def.create(call));
      const wrapped: Accumulator = {
        add: (value, orderKeys, timestamp) => located(() => acc.add(value, orderKeys, timestamp)),
        result: () => located(() => acc.result()),
      };
      if (acc.remove) wrapped.remove = (value, orderKeys, timestamp) => located(() => acc.remove!(value, orderKeys, timestamp));
      return wrapped;
    },
  };
}
