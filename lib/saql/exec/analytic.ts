// Analytic functions over the stream feeding a SELECT: LAG, LAST and ISFIRST, each with
// OVER ([PARTITION BY …] [LIMIT DURATION(unit, n)] [WHEN cond]). They are computed for every
// event in time order before WHERE filters anything (the reference: "LAG … is evaluated before
// the WHERE clause"), and the SELECT reads the results from the row.
//  - LAG(expr [, offset [, default]]): expr of the offset-th previous event of the partition within
//    the duration (that satisfied WHEN), else default (NULL).
//  - LAST(expr [, default]): expr of the most recent event of the partition within the duration that satisfied
//    WHEN, the current event included; else default (NULL).
//  - an aggregate with OVER (… LIMIT DURATION …) (COUNT(*) OVER (PARTITION BY k LIMIT DURATION(hour, 1))):
//    the aggregate over the partition's events within the duration that satisfied WHEN, this one included.
//  - ISFIRST(unit, n): 1 when the event is the first of its partition (satisfying WHEN) in the
//    tumbling window of that size, aligned like TumblingWindow; else 0.
// The lookback of LIMIT DURATION covers (t − duration, t], like a window.
import type { AggregateCall, AggregateDefinition } from "../functions";
import type { Value } from "../values";
import type { Evaluator } from "./compile-expr";
import * as source from "./source";
import type { EventOrigin, Operator, Row } from "./row";
import * as instant from "../instant";

// Bound once: an imported name is a module getter, read on every call of per-event code.
const { keyText } = source;
const { alignUp, gridPhase } = instant;

export type AnalyticSpec =
  | {
      kind: "aggregate";
      def: AggregateDefinition;
      call: AggregateCall;
      value: Evaluator;
      orderKeys: Evaluator[];
      partitionBy: Evaluator[];
      duration: number;
      when?: (row: Row) => boolean;
    }
  | { kind: "lag"; value: Evaluator; offset: number; fallback: Evaluator; partitionBy: Evaluator[]; duration: number; when?: (row: Row) => boolean }
  | { kind: "last"; value: Evaluator; fallback?: Evaluator; partitionBy: Evaluator[]; duration: number; when?: (row: Row) => boolean }
  | { kind: "isfirst"; size: number; partitionBy: Evaluator[]; when?: (row: Row) => boolean };

interface Past {
  ts: number;
  value: Value;
  orderKeys?: Value[];
}

/** Rows carry their analytic results here, one slot per analytic call of the SELECT. */
export type AnalyticRow = Row & { analytics?: Value[] };

export class AnalyticOperator implements Operator {
  /** Per analytic call: partition key → remembered events (oldest first) or, for ISFIRST, the last window end. */
  private readonly history: Map<string, Past[]>[];
  /** The same for a PARTITION BY of one key whose value is a text, by the text itself (no key text built per event). */
  private readonly historyByText: Map<string, Past[]>[];
  private readonly firstSeen: Map<string, number>[];
  /** Per ISFIRST call: the phase of its tumbling grid (gridPhase); 0 for the others. */
  private readonly phases: number[];

  constructor(
    private readonly specs: AnalyticSpec[],
    private readonly downstream: Operator,
    private readonly onDataError: (error: Error, origin: EventOrigin | undefined) => void,
  ) {
    this.history = specs.map(() => new Map());
    this.historyByText = specs.map(() => new Map());
    this.firstSeen = specs.map(() => new Map());
    this.phases = specs.map((s) => (s.kind === "isfirst" ? gridPhase(s.size) : 0));
  }

  push(row: Row): void {
    const results: Value[] = new Array(this.specs.length);
    try {
      for (let i = 0; i < this.specs.length; i++) results[i] = this.compute(i, row);
    } catch (error) {
      this.onDataError(error as Error, row.origin);
      return;
    }
    // Fields spelled out: an object spread per event costs more than the analytics themselves.
    const out: AnalyticRow = { ts: row.ts, rec: row.rec, sides: row.sides, sideTs: row.sideTs, leftTs: row.leftTs, origin: row.origin, analytics: results };
    this.downstream.push(out);
  }

  private compute(i: number, row: Row): Value {
    const spec = this.specs[i];
    const by = spec.partitionBy;
    let history = this.history[i];
    let key: string;
    if (by.length === 1) {
      const v = by[0](row);
      if (typeof v === "string" && spec.kind !== "isfirst") {
        history = this.historyByText[i];
        key = v;
      } else key = keyText(v);
    } else key = by.length === 0 ? "" : by.map((p) => keyText(p(row))).join("\u0001");
    const qualifies = spec.when ? spec.when(row) : true;
    if (spec.kind === "isfirst") {
      const end = alignUp(row.ts, this.phases[i], spec.size);
      if (!qualifies) return 0;
      const seen = this.firstSeen[i].get(key);
      if (seen === end) return 0;
      this.firstSeen[i].set(key, end);
      return 1;
    }
    let past = history.get(key);
    if (!past) {
      past = [];
      history.set(key, past);
    }
    // Forget what the lookback no longer reaches: (t − duration, t].
    let drop = 0;
    while (drop < past.length && !(past[drop].ts > row.ts - spec.duration)) drop++;
    if (drop) past.splice(0, drop);
    let result: Value;
    if (spec.kind === "aggregate") {
      if (qualifies) past.push({ ts: row.ts, value: spec.value(row), orderKeys: spec.orderKeys.map((k) => k(row)) });
      const acc = spec.def.create(spec.call);
      for (const p of past) acc.add(p.value, p.orderKeys);
      result = acc.result();
    } else if (spec.kind === "lag") {
      const at = past.length - spec.offset;
      result = at >= 0 && at < past.length ? past[at].value : spec.fallback(row);
      if (qualifies) past.push({ ts: row.ts, value: spec.value(row) });
      // Only the last `offset` events are needed: mostly one leaves per event.
      if (past.length === spec.offset + 1) past.shift();
      else if (past.length > spec.offset) past.splice(0, past.length - spec.offset);
    } else {
      if (qualifies) {
        past.length = 0;
        past.push({ ts: row.ts, value: spec.value(row) });
      }
      // LAST(expr, default): the default when no event within the duration satisfied WHEN (LAST page).
      result = past.length ? past[past.length - 1].value : spec.fallback ? spec.fallback(row) : null;
    }
    if (!past.length) history.delete(key);
    return result;
  }

  watermark(t: number): void {
    this.downstream.watermark(t);
  }

  end(): void {
    this.downstream.end();
  }
}
