// GROUP BY over windows: rows are digested once (group key, aggregate arguments), handed to
// each window of the GROUP BY, and the groups of every closed window become rows through
// HAVING and the SELECT list. Results leave in time order, as the watermark allows.
import type { RecordValue, Value } from "../values";
import type { Evaluator } from "./compile-expr";
import type { AggregateSlot, GroupRow } from "./group-scope";
import { OrderedBuffer } from "./ordered-buffer";
import type { Operator, Row, EventOrigin } from "./row";
import { keyText } from "./source";
import type { Digest, EmitWindow, GroupState, WindowState } from "./windows";

export interface AggregateWindow {
  id: string | null;
  state: WindowState;
  /** SessionWindow … OVER (PARTITION BY …) keys. */
  partitionBy: Evaluator[];
}

export interface AggregateOptions {
  keys: Evaluator[];
  slots: AggregateSlot[];
  windows: AggregateWindow[];
  having?: (group: GroupRow) => boolean;
  project: (group: GroupRow) => RecordValue;
  downstream: Operator;
  onDataError: (error: Error, origin: EventOrigin | undefined) => void;
}

export class AggregateOperator implements Operator {
  private readonly buffer = new OrderedBuffer();
  private lastWatermark = -Infinity;

  constructor(private readonly o: AggregateOptions) {
    this.keys = new Array(o.keys.length);
    this.vals = new Array(o.slots.length);
    this.pks = new Array(o.windows.length);
    this.emitters = o.windows.map((w): EmitWindow => (end, groups) => this.emitWindow(end, w.id, groups));
    this.checkFirst = o.windows.length > 1;
  }

  /**
   * GROUP BY Windows(…): a row is checked in every window before it is added to any (a sliding
   * window included: it checks the row against the rows it will enter beside), so that a row that
   * fails in one window is skipped in all, one data error.
   */
  private readonly checkFirst: boolean;

  /** Per window, what a closed window is handed to: made once, not per watermark (one per event). */
  private readonly emitters: EmitWindow[];

  // Scratch space reused for every row: window states copy what they keep (see windows.ts).
  private readonly keys: Value[];
  private readonly vals: Value[];
  private readonly pks: string[];
  private readonly digest: Digest = { ts: NaN, gk: "", keys: [], pk: "", rec: {}, vals: [], orders: null, origin: undefined };

  push(row: Row): void {
    const { keys: keyEvals, slots, windows } = this.o;
    const keys = this.keys;
    const vals = this.vals;
    const pks = this.pks;
    let orders: Value[][] | null = null;
    try {
      for (let i = 0; i < keyEvals.length; i++) keys[i] = keyEvals[i](row);
      // Each window's partition key, once per row (a failing PARTITION BY expression skips the row as a failing key does).
      for (let w = 0; w < windows.length; w++) {
        const by = windows[w].partitionBy;
        pks[w] = by.length ? by.map((p) => keyText(p(row))).join("\u0001") : "";
      }
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i];
        vals[i] = slot.value(row);
        if (slot.orderKeys.length) {
          orders ??= new Array(slots.length);
          orders[i] = slot.orderKeys.map((k) => k(row));
        }
      }
    } catch (error) {
      this.o.onDataError(error as Error, row.origin);
      return;
    }
    const digest = this.digest;
    digest.ts = row.ts;
    digest.gk = keys.length === 1 ? singleKey(keys[0]) : keys.map(keyText).join("\u0001");
    digest.keys = keys;
    digest.rec = row.rec;
    digest.vals = vals;
    digest.orders = orders;
    digest.origin = row.origin;
    if (this.checkFirst) {
      // GROUP BY Windows(…): a row that fails in one window is skipped in all.
      try {
        for (let w = 0; w < windows.length; w++) {
          digest.pk = pks[w];
          windows[w].state.check(digest);
        }
      } catch (error) {
        this.o.onDataError(error as Error, row.origin);
        return;
      }
    }
    for (let w = 0; w < windows.length; w++) {
      digest.pk = pks[w];
      try {
        windows[w].state.add(digest);
      } catch (error) {
        this.o.onDataError(error as Error, row.origin);
      }
    }
  }

  watermark(t: number): void {
    if (!(t > this.lastWatermark)) return;
    this.lastWatermark = t;
    const windows = this.o.windows;
    for (let i = 0; i < windows.length; i++) windows[i].state.advance(t, this.emitters[i], this.o.onDataError);
    const downstream = this.o.downstream;
    if (this.buffer.size) this.buffer.release(t, true, (row) => downstream.push(row));
    downstream.watermark(t);
  }

  end(): void {
    this.watermark(Infinity);
    this.o.downstream.end();
  }

  private emitWindow(end: number, windowId: string | null, groups: Iterable<GroupState>): void {
    const { having, project } = this.o;
    // One window state hands its closed windows over in time order (ties in the order it gives
    // them): its rows need no reordering and leave at once. Several are merged by the buffer.
    const direct = this.o.windows.length === 1 ? this.o.downstream : undefined;
    for (const group of groups) {
      const row: GroupRow = { ts: end, keys: group.keys, aggs: group.results ?? group.accs.map((a) => a.result()), windowId };
      let out: Row;
      try {
        if (having && !having(row)) continue;
        out = { ts: end, rec: project(row) };
      } catch (error) {
        this.o.onDataError(error as Error, undefined);
        continue;
      }
      if (direct) direct.push(out);
      else this.buffer.add(out);
    }
  }
}

/**
 * A one-column group key as a Map key without building a string per row: strings, numbers and
 * bits are distinct JS values already (1 and '1' stay apart, as in SAQL); other values go through
 * keyText behind a prefix no plain text key uses.
 */
function singleKey(v: Value): unknown {
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return `\u0000${keyText(v)}`;
}
