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
    this.pendingHistory = new Array(specs.length);
    this.pendingKey = new Array(specs.length);
    this.pendingEntry = new Array(specs.length);
    this.pendingPast = new Array(specs.length);
  }

  // What each call of the row would remember, kept until every call has succeeded: a row whose
  // analytic call fails (a data error) is skipped whole and enters no call's history (issue 16,
  // rule 8), so a later event sees the partition as if the row never came.
  private readonly pendingHistory: Map<string, Past[]>[];
  private readonly pendingKey: string[];
  private readonly pendingEntry: (Past | undefined)[];
  /** The partition's remembered events as compute found them (undefined: none), so that commit looks the key up only for a new partition. */
  private readonly pendingPast: (Past[] | undefined)[];

  push(row: Row): void {
    const results: Value[] = new Array(this.specs.length);
    try {
      for (let i = 0; i < this.specs.length; i++) results[i] = this.compute(i, row);
    } catch (error) {
      this.onDataError(error as Error, row.origin);
      return;
    }
    for (let i = 0; i < this.specs.length; i++) this.commit(i);
    // Fields spelled out: an object spread per event costs more than the analytics themselves.
    const out: AnalyticRow = { ts: row.ts, rec: row.rec, sides: row.sides, sideTs: row.sideTs, leftTs: row.leftTs, origin: row.origin, analytics: results };
    this.downstream.push(out);
  }

  /** Call i's result for the row; what the row adds to the call's history waits for commit. */
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
    this.pendingKey[i] = key;
    this.pendingEntry[i] = undefined;
    const qualifies = spec.when ? spec.when(row) : true;
    if (spec.kind === "isfirst") {
      const end = alignUp(row.ts, this.phases[i], spec.size);
      if (!qualifies || this.firstSeen[i].get(key) === end) return 0;
      this.pendingEntry[i] = { ts: end, value: null };
      return 1;
    }
    this.pendingHistory[i] = history;
    let past = history.get(key);
    if (past) {
      // Forget what the lookback no longer reaches: (t − duration, t] (any later row forgets it too).
      let drop = 0;
      while (drop < past.length && !(past[drop].ts > row.ts - spec.duration)) drop++;
      if (drop) past.splice(0, drop);
      if (!past.length) {
        history.delete(key);
        past = undefined;
      }
    }
    this.pendingPast[i] = past;
    if (spec.kind === "aggregate") {
      const entry = qualifies ? { ts: row.ts, value: spec.value(row), orderKeys: spec.orderKeys.map((k) => k(row)) } : undefined;
      const acc = spec.def.create(spec.call);
      if (past) for (const p of past) acc.add(p.value, p.orderKeys);
      if (entry) acc.add(entry.value, entry.orderKeys);
      this.pendingEntry[i] = entry;
      return acc.result();
    }
    if (spec.kind === "lag") {
      const at = past ? past.length - spec.offset : -1;
      const result = past && at >= 0 ? past[at].value : spec.fallback(row);
      if (qualifies) this.pendingEntry[i] = { ts: row.ts, value: spec.value(row) };
      return result;
    }
    if (qualifies) {
      const entry = { ts: row.ts, value: spec.value(row) };
      this.pendingEntry[i] = entry;
      return entry.value;
    }
    // LAST(expr, default): the default when no event within the duration satisfied WHEN (LAST page).
    return past ? past[past.length - 1].value : spec.fallback ? spec.fallback(row) : null;
  }

  /** Call i remembers what the row computed for it (the row succeeded in every call). */
  private commit(i: number): void {
    const entry = this.pendingEntry[i];
    if (!entry) return;
    const spec = this.specs[i];
    const key = this.pendingKey[i];
    if (spec.kind === "isfirst") {
      this.firstSeen[i].set(key, entry.ts);
      return;
    }
    let past = this.pendingPast[i];
    if (!past) {
      past = [];
      this.pendingHistory[i].set(key, past);
    }
    if (spec.kind === "last") past.length = 0;
    past.push(entry);
    // LAG needs only the last `offset` events: mostly one leaves per event.
    if (spec.kind === "lag") {
      if (past.length === spec.offset + 1) past.shift();
      else if (past.length > spec.offset) past.splice(0, past.length - spec.offset);
    }
  }

  watermark(t: number): void {
    this.downstream.watermark(t);
  }

  end(): void {
    this.downstream.end();
  }
}
