// The window kinds as incremental state machines over rows that arrive in event-time order.
// Each holds only the groups of windows still open and releases them once the watermark has
// passed their end. A window covers (start, end] and its result carries ts = end.
import type { Accumulator } from "../functions";
import type { RecordValue, Value } from "../values";
import type { AggregateSlot } from "./group-scope";
import { msToDateTime, WINDOW_ORIGIN_MS } from "./time";
import type { WindowSpec } from "./window-spec";

/**
 * One event as the windows see it: its group and its aggregate arguments, computed once.
 * The aggregate operator reuses one digest (and its arrays) for every row: a state that keeps
 * a digest past `add` must copy it (see `keep`).
 */
export interface Digest {
  ts: number;
  /** The group key as a Map key (a primitive or a text); `keys` the values. */
  gk: unknown;
  keys: Value[];
  /** Session partition key as text ("" without PARTITION BY). */
  pk: string;
  rec: RecordValue;
  vals: Value[];
  orders: Value[][] | null;
}

export interface GroupState {
  keys: Value[];
  accs: Accumulator[];
  /** Some accumulator takes the row's event time (a JavaScript UDA's accumulate(value, timestamp)). */
  timed?: boolean;
}

/** Called once per closed window with its groups, in first-seen order. */
export type EmitWindow = (end: number, groups: Iterable<GroupState>) => void;

export interface WindowState {
  add(d: Digest): void;
  /** Closes every window that ends before `watermark`, in end order. */
  advance(watermark: number, emit: EmitWindow): void;
}

function newGroup(d: Digest, slots: AggregateSlot[]): GroupState {
  return { keys: d.keys.slice(), accs: slots.map((s) => s.def.create(s.call)), timed: isTimed(slots) };
}

function isTimed(slots: AggregateSlot[]): boolean {
  return slots.some((s) => s.timestamped);
}

/** A digest copy that outlives the row (the operator reuses the original). */
function keep(d: Digest): Digest {
  return { ...d, keys: d.keys.slice(), vals: d.vals.slice(), orders: d.orders && d.orders.slice() };
}

function accumulate(group: GroupState, d: Digest): void {
  addAll(group.accs, d, group.timed === true);
}

/** Adds the row to its group among a window's groups, the group made on the group's first row. */
function accumulateInGroup(groups: Map<unknown, GroupState>, d: Digest, slots: AggregateSlot[]): void {
  let group = groups.get(d.gk);
  if (!group) {
    group = newGroup(d, slots);
    groups.set(d.gk, group);
  }
  accumulate(group, d);
}

function addAll(accs: Accumulator[], d: Digest, timed: boolean): void {
  const vals = d.vals;
  const orders = d.orders;
  const ts = timed ? msToDateTime(d.ts) : undefined;
  for (let i = 0; i < accs.length; i++) accs[i].add(vals[i], orders ? orders[i] : undefined, ts);
}

function unaccumulate(accs: Accumulator[], d: Digest, timed: boolean): void {
  const ts = timed ? msToDateTime(d.ts) : undefined;
  for (let i = 0; i < accs.length; i++) accs[i].remove!(d.vals[i], d.orders ? d.orders[i] : undefined, ts);
}

/** An accumulator that only repeats a result computed earlier. */
function frozen(value: Value): Accumulator {
  return { add() {}, result: () => value };
}

/** Smallest `base + k·step` that is ≥ t. */
function alignUp(t: number, base: number, step: number): number {
  return base + Math.ceil((t - base) / step) * step;
}

/** Tumbling and hopping windows: ends on a fixed grid `origin + offset + k·hop`, each `size` long. */
export class HoppingWindows implements WindowState {
  private readonly open = new Map<number, Map<unknown, GroupState>>();
  private readonly base: number;
  /** The earliest end among open windows (Infinity when none): most watermarks close nothing. */
  private nextEnd = Infinity;
  /** The window the last row went to: rows come in time order, so the next one mostly goes there too. */
  private lastEnd = NaN;
  private lastGroups: Map<unknown, GroupState> | undefined;

  constructor(
    private readonly size: number,
    private readonly hop: number,
    offset: number,
    private readonly slots: AggregateSlot[],
  ) {
    this.base = WINDOW_ORIGIN_MS + offset;
  }

  add(d: Digest): void {
    const t = d.ts;
    if (Number.isNaN(t)) throw missingTime();
    for (let end = alignUp(t, this.base, this.hop); end - this.size < t; end += this.hop) {
      let groups = end === this.lastEnd ? this.lastGroups : this.open.get(end);
      if (!groups) {
        groups = new Map();
        this.open.set(end, groups);
        if (end < this.nextEnd) this.nextEnd = end;
      }
      this.lastEnd = end;
      this.lastGroups = groups;
      accumulateInGroup(groups, d, this.slots);
    }
  }

  advance(watermark: number, emit: EmitWindow): void {
    if (!(this.nextEnd < watermark)) return;
    // Windows open in increasing end order, because rows arrive in time order.
    this.nextEnd = Infinity;
    for (const [end, groups] of this.open) {
      if (!(end < watermark)) {
        this.nextEnd = end;
        break;
      }
      this.open.delete(end);
      if (end === this.lastEnd) {
        this.lastEnd = NaN;
        this.lastGroups = undefined;
      }
      emit(end, groups.values());
    }
  }
}

/** Snapshot windows (GROUP BY System.Timestamp()): the events that share one timestamp. */
export class SnapshotWindows implements WindowState {
  private readonly open = new Map<number, Map<unknown, GroupState>>();

  constructor(private readonly slots: AggregateSlot[]) {}

  add(d: Digest): void {
    if (Number.isNaN(d.ts)) throw missingTime();
    let groups = this.open.get(d.ts);
    if (!groups) {
      groups = new Map();
      this.open.set(d.ts, groups);
    }
    accumulateInGroup(groups, d, this.slots);
  }

  advance(watermark: number, emit: EmitWindow): void {
    for (const [end, groups] of this.open) {
      if (!(end < watermark)) break;
      this.open.delete(end);
      emit(end, groups.values());
    }
  }
}

interface SlidingGroup {
  keys: Value[];
  events: Digest[];
  head: number;
  /** Time of the latest event, not yet output (NaN when output). */
  pending: number;
  /**
   * Running aggregates of events[head, added) when every aggregate can remove a row: each
   * result then costs the events entering and leaving, not the whole window.
   */
  running?: Accumulator[];
  added: number;
}

/**
 * Sliding windows: per group, a result whenever the window's content changes: at each event
 * time t (window (t − size, t]) and when an event leaves at its ts + size, if any event remains.
 */
export class SlidingWindows implements WindowState {
  private readonly groups = new Map<unknown, SlidingGroup>();
  private minDue = Infinity;
  /** Results already computed, waiting for the watermark. */
  private ready: { ts: number; group: GroupState }[] = [];

  constructor(
    private readonly size: number,
    private readonly slots: AggregateSlot[],
  ) {}

  add(d: Digest): void {
    if (Number.isNaN(d.ts)) throw missingTime();
    let g = this.groups.get(d.gk);
    if (!g) {
      g = { keys: d.keys.slice(), events: [], head: 0, pending: NaN, added: 0 };
      if (this.slots.every((slot) => slot.def.supportsRemove)) g.running = this.slots.map((slot) => slot.def.create(slot.call));
      this.groups.set(d.gk, g);
    }
    // Results before this event's time no longer change: compute them now.
    this.flush(g, d.ts, (ts, group) => this.ready.push({ ts, group }));
    g.events.push(keep(d));
    g.pending = d.ts;
    if (d.ts < this.minDue) this.minDue = d.ts;
  }

  advance(watermark: number, emit: EmitWindow): void {
    if (!(this.minDue < watermark) && !this.ready.length) return;
    // Results of different groups interleave in time: collect, then emit in time order.
    const results = this.ready;
    this.ready = [];
    if (this.minDue < watermark) {
      let minDue = Infinity;
      for (const [gk, g] of this.groups) {
        this.flush(g, watermark, (ts, group) => results.push({ ts, group }));
        if (g.head >= g.events.length && Number.isNaN(g.pending)) this.groups.delete(gk);
        else minDue = Math.min(minDue, this.nextPoint(g));
      }
      this.minDue = minDue;
    }
    results.sort((a, b) => a.ts - b.ts);
    for (const r of results) {
      if (r.ts < watermark) emit(r.ts, [r.group]);
      else this.ready.push(r);
    }
  }

  private nextPoint(g: SlidingGroup): number {
    const exit = g.head < g.events.length ? g.events[g.head].ts + this.size : Infinity;
    return Number.isNaN(g.pending) ? exit : Math.min(g.pending, exit);
  }

  /** Produces every result of the group at a time before `bound`. */
  private flush(g: SlidingGroup, bound: number, out: (ts: number, group: GroupState) => void): void {
    for (;;) {
      const point = this.nextPoint(g);
      if (!(point < bound)) break;
      // Events with ts ≤ point − size have left the window (start exclusive).
      while (g.head < g.events.length && g.events[g.head].ts <= point - this.size) {
        if (g.running && g.head < g.added) unaccumulate(g.running, g.events[g.head], isTimed(this.slots));
        g.head++;
      }
      if (g.added < g.head) g.added = g.head;
      if (point === g.pending) g.pending = NaN;
      if (g.head < g.events.length) out(point, this.aggregate(g, point));
      if (g.head > 1024 && g.head * 2 > g.events.length) {
        g.events = g.events.slice(g.head);
        g.added -= g.head;
        g.head = 0;
      }
    }
  }

  private aggregate(g: SlidingGroup, point: number): GroupState {
    if (g.running) {
      const running = g.running;
      while (g.added < g.events.length && g.events[g.added].ts <= point) {
        addAll(running, g.events[g.added++], isTimed(this.slots));
      }
      // Freeze the results at this point: the running aggregates move on.
      return { keys: g.keys, accs: running.map((acc) => frozen(acc.result())) };
    }
    const state: GroupState = { keys: g.keys, accs: this.slots.map((s) => s.def.create(s.call)), timed: isTimed(this.slots) };
    for (let i = g.head; i < g.events.length && g.events[i].ts <= point; i++) accumulate(state, g.events[i]);
    return state;
  }
}

interface Session {
  start: number;
  last: number;
  /** The first max-duration checkpoint at which the window would have lasted maxDuration. */
  checkpoint: number;
  groups: Map<unknown, GroupState>;
}

/**
 * Session windows: a window starts with an event and grows while the next event comes within
 * `timeout` of the previous one. Its length is checked at checkpoints aligned on multiples of
 * maxDuration; at the first checkpoint where it has lasted maxDuration it closes and a new
 * window opens there. One timeline per PARTITION BY key (one in all without it).
 */
export class SessionWindows implements WindowState {
  private readonly sessions = new Map<string, Session>();
  private minDue = Infinity;

  constructor(
    private readonly timeout: number,
    private readonly maxDuration: number,
    private readonly slots: AggregateSlot[],
  ) {}

  private closeAt(s: Session): number {
    return Math.min(s.last + this.timeout, s.checkpoint);
  }

  private open(start: number, last: number): Session {
    return { start, last, checkpoint: alignUp(start + this.maxDuration, WINDOW_ORIGIN_MS, this.maxDuration), groups: new Map() };
  }

  private pendingEmits: { ts: number; groups: Map<unknown, GroupState> }[] = [];

  add(d: Digest): void {
    const t = d.ts;
    if (Number.isNaN(t)) throw missingTime();
    let s = this.sessions.get(d.pk);
    while (s && t > this.closeAt(s)) {
      const end = this.closeAt(s);
      if (s.groups.size) this.pendingEmits.push({ ts: end, groups: s.groups });
      // Closed by a checkpoint while events keep coming within the timeout: the next window opens at the checkpoint.
      s = end === s.checkpoint && t <= s.last + this.timeout ? this.open(end, s.last) : undefined;
    }
    if (!s) s = this.open(t, t);
    this.sessions.set(d.pk, s);
    accumulateInGroup(s.groups, d, this.slots);
    s.last = t;
    this.minDue = Math.min(this.minDue, this.closeAt(s));
  }

  advance(watermark: number, emit: EmitWindow): void {
    if (!(this.minDue < watermark) && !this.pendingEmits.length) return;
    let minDue = Infinity;
    for (const [pk, s] of this.sessions) {
      const end = this.closeAt(s);
      if (end < watermark) {
        if (s.groups.size) this.pendingEmits.push({ ts: end, groups: s.groups });
        this.sessions.delete(pk);
      } else minDue = Math.min(minDue, end);
    }
    this.minDue = minDue;
    const ready = this.pendingEmits.filter((p) => p.ts < watermark).sort((a, b) => a.ts - b.ts);
    this.pendingEmits = this.pendingEmits.filter((p) => !(p.ts < watermark));
    for (const p of ready) emit(p.ts, p.groups.values());
  }
}

export function createWindowState(spec: WindowSpec, slots: AggregateSlot[]): WindowState {
  switch (spec.kind) {
    case "tumbling":
      return new HoppingWindows(spec.size, spec.size, spec.offset, slots);
    case "hopping":
      return new HoppingWindows(spec.size, spec.hop, spec.offset, slots);
    case "sliding":
      return new SlidingWindows(spec.size, slots);
    case "session":
      return new SessionWindows(spec.timeout, spec.maxDuration, slots);
    case "snapshot":
      return new SnapshotWindows(slots);
  }
}

function missingTime(): Error {
  return new Error(
    "a window needs event times, but this input has neither TIMESTAMP BY nor an arrival time (declare local.arrivalTimeField or add TIMESTAMP BY)",
  );
}
