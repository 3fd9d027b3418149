// The window kinds as incremental state machines over rows that arrive in event-time order.
// Each holds only the groups of windows still open and releases them once the watermark has
// passed their end. A window covers (start, end] and its result carries ts = end. Times and sizes
// are instants and durations in 100 ns ticks (lib/saql/instant.ts): window ends are exact.
import type { Accumulator, OrderedValues } from "../functions";
import { DateTimeValue, type RecordValue, type Value } from "../values";
import type { AggregateSlot } from "./group-scope";
import type { EventOrigin } from "./row";
import * as instant from "../instant";
import { compareNonNull } from "../functions/compare";
import type { WindowSpec } from "./window-spec";

// Bound once: an imported name is a module getter, read on every call of per-event code.
const { alignUp, dateTimeOf, gridPhase } = instant;

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
  /** Where the event came from (file:line), for a data error found after `add` (sliding windows). */
  origin: EventOrigin | undefined;
}

export interface GroupState {
  keys: Value[];
  accs: Accumulator[];
  /** The aggregates' results, when the window computed them already (then `accs` is not read). */
  results?: Value[];
  /** Some accumulator takes the row's event time (a JavaScript UDA's accumulate(value, timestamp)). */
  timed?: boolean;
}

/** Called once per closed window with its groups, in first-seen order. */
export type EmitWindow = (end: number, groups: Iterable<GroupState>) => void;

/** A data error found while closing windows: of one event (its origin) or of a window's result (none). */
export type WindowDataError = (error: Error, origin: EventOrigin | undefined) => void;

export interface WindowState {
  /** Adds the row to its group(s), or (a data error: thrown) changes nothing. */
  add(d: Digest): void;
  /**
   * Throws what `add` would throw now, changing nothing: GROUP BY Windows(…) checks the row in
   * every window before adding it to any, so that a failing row is skipped in all of them. (A
   * sliding window checks the row against the rows it will enter beside, so that it does not fail
   * as it enters.)
   */
  check(d: Digest): void;
  /**
   * Closes every window that ends before `watermark`, in end order. A window kind that adds rows
   * to its aggregates only then (sliding) reports a failing row through `fail`, as if never added.
   */
  advance(watermark: number, emit: EmitWindow, fail: WindowDataError): void;
}

function newGroup(d: Digest, slots: AggregateSlot[]): GroupState {
  return { keys: d.keys.slice(), accs: slots.map((s) => s.def.create(s.call)), timed: isTimed(slots) };
}

/**
 * The slots as windows that never evict a row use them (tumbling, hopping, snapshot, session):
 * `remove` is never called, so SUM, AVG, MIN, MAX, TopOne and CollectTop keep constant state
 * instead of every row, with identical results (AggregateCall.appendOnly).
 */
function appendOnly(slots: AggregateSlot[]): AggregateSlot[] {
  return slots.map((s) => ({ ...s, call: { ...s.call, appendOnly: true } }));
}

function isTimed(slots: AggregateSlot[]): boolean {
  return slots.some((s) => s.timestamped);
}

function accumulate(group: GroupState, d: Digest): void {
  addAll(group.accs, d, group.timed === true);
}

/** Adds the row to its group among a window's groups, the group made on the group's first row. */
function accumulateInGroup(groups: Map<unknown, GroupState>, d: Digest, slots: AggregateSlot[]): void {
  const group = groups.get(d.gk);
  if (group) return accumulate(group, d);
  const created = newGroup(d, slots);
  accumulate(created, d); // throws on a data error: then no group is made for the skipped row
  groups.set(d.gk, created);
}

/**
 * Empty accumulators of the slots, whose check fails a row whatever a group holds (a text that is
 * no number): the check of a row for a group not made yet.
 */
class Checkers {
  /** The slots (their positions in a digest's `vals`) whose accumulators have a check, and those. */
  private readonly at: number[] = [];
  private readonly accs: Accumulator[] = [];

  constructor(slots: AggregateSlot[]) {
    for (let i = 0; i < slots.length; i++) {
      if (slots[i].timestamped) continue; // a JavaScript UDA: no check (and no instance made for nothing)
      const acc = slots[i].def.create(slots[i].call);
      if (acc.check) {
        this.at.push(i);
        this.accs.push(acc);
      }
    }
  }

  check(d: Digest): void {
    const { at, accs } = this;
    for (let i = 0; i < accs.length; i++) accs[i].check!(d.vals[at[i]], d.orders ? d.orders[at[i]] : undefined);
  }
}

/** Throws what adding the row to `group` (a group not made yet when undefined) would throw, changing nothing. */
function checkInGroup(group: GroupState | undefined, d: Digest, fresh: Checkers): void {
  if (!group) return fresh.check(d);
  const accs = group.accs;
  for (let i = 0; i < accs.length; i++) {
    const acc = accs[i];
    if (acc.check !== undefined) acc.check(d.vals[i], d.orders ? d.orders[i] : undefined);
  }
}

/** Adds the row to every accumulator of its group, or (a data error: thrown) to none. */
function addAll(accs: Accumulator[], d: Digest, timed: boolean): void {
  addRow(accs, d.vals, 0, d.orders, d.ts, timed);
}

/**
 * Adds a row whose aggregate arguments are `vals[at …]` (ORDER BY values `orders`, event time `ts`)
 * to every accumulator, or (a data error: thrown) to none.
 */
function addRow(accs: Accumulator[], vals: Value[], at: number, orders: Value[][] | null, ts: number, timed: boolean): void {
  for (let i = 0; i < accs.length; i++) {
    const acc = accs[i];
    if (acc.check !== undefined) acc.check(vals[at + i], orders ? orders[i] : undefined);
  }
  addUnchecked(accs, vals, at, orders, ts, timed);
}

/** Adds the row to every accumulator of a group it was checked in (checkInGroup). */
function addChecked(accs: Accumulator[], d: Digest, timed: boolean): void {
  addUnchecked(accs, d.vals, 0, d.orders, d.ts, timed);
}

function addUnchecked(accs: Accumulator[], vals: Value[], at: number, orders: Value[][] | null, ts: number, timed: boolean): void {
  const time = timed ? dateTimeOf(ts) : undefined;
  for (let i = 0; i < accs.length; i++) accs[i].add(vals[at + i], orders ? orders[i] : undefined, time);
}

function removeRow(accs: Accumulator[], vals: Value[], at: number, orders: Value[][] | null, ts: number, timed: boolean): void {
  const time = timed ? dateTimeOf(ts) : undefined;
  for (let i = 0; i < accs.length; i++) accs[i].remove!(vals[at + i], orders ? orders[i] : undefined, time);
}

/** Tumbling and hopping windows: ends on a fixed grid `origin + offset + k·hop`, each `size` long. */
export class HoppingWindows implements WindowState {
  private readonly open = new Map<number, Map<unknown, GroupState>>();
  /** The grid's phase: ends are `phase + k·hop` (gridPhase). */
  private readonly phase: number;
  /** The earliest end among open windows (Infinity when none): most watermarks close nothing. */
  private nextEnd = Infinity;
  /**
   * The windows the last row went to, from the one ending at `spanFirst` on: rows come in time
   * order, so the next one mostly goes to the same windows (no lookup of each by its end).
   */
  private spanFirst = NaN;
  private readonly span: Map<unknown, GroupState>[] = [];
  /**
   * Per group key, the group's state in each window of the span (`[k]` in `span[k]`) once a row
   * of the group went there: the group's next rows reach all their windows through one lookup.
   */
  private readonly spanGroups = new Map<unknown, GroupState[]>();

  constructor(
    private readonly size: number,
    private readonly hop: number,
    offset: number,
    slots: AggregateSlot[],
  ) {
    this.phase = gridPhase(hop, offset);
    this.slots = appendOnly(slots);
  }

  private readonly slots: AggregateSlot[];
  private checkers?: Checkers;

  check(d: Digest): void {
    if (Number.isNaN(d.ts)) throw missingTime();
    this.checkSpan(d, this.spanStates(d));
  }

  /** The group's states in the windows of the row's span (see spanGroups), the span moved to the row's first. */
  private spanStates(d: Digest): GroupState[] {
    const first = alignUp(d.ts, this.phase, this.hop);
    if (first !== this.spanFirst) {
      this.spanFirst = first;
      this.resetSpan();
    }
    let states = this.spanGroups.get(d.gk);
    if (states === undefined) {
      states = [];
      this.spanGroups.set(d.gk, states);
    }
    return states;
  }

  /**
   * Throws what adding the row to any of its windows would throw, changing no aggregate; fills in
   * `states` the group's states found in those windows. A row can fail in a later window only
   * (TopOne/CollectTop keep other rows in each window, so the row is compared with other keys):
   * it is checked in every window before it is added to any.
   */
  private checkSpan(d: Digest, states: GroupState[]): void {
    const fresh = (this.checkers ??= new Checkers(this.slots));
    for (let end = this.spanFirst, k = 0; end - this.size < d.ts; end += this.hop, k++) {
      let state = states[k];
      if (state === undefined) {
        const groups = this.span[k] ?? this.open.get(end);
        if (groups !== undefined) {
          this.span[k] = groups;
          const found = groups.get(d.gk);
          if (found !== undefined) state = states[k] = found;
        }
      }
      checkInGroup(state, d, fresh);
    }
  }

  add(d: Digest): void {
    const t = d.ts;
    if (Number.isNaN(t)) throw missingTime();
    const states = this.spanStates(d);
    this.checkSpan(d, states);
    for (let end = this.spanFirst, k = 0; end - this.size < t; end += this.hop, k++) {
      const state = states[k];
      if (state !== undefined) {
        addChecked(state.accs, d, state.timed === true);
        continue;
      }
      let groups: Map<unknown, GroupState> | undefined = this.span[k];
      if (groups === undefined) {
        groups = this.open.get(end);
        if (!groups) {
          groups = new Map();
          this.open.set(end, groups);
          if (end < this.nextEnd) this.nextEnd = end;
        }
        this.span[k] = groups;
      }
      const created = newGroup(d, this.slots);
      addChecked(created.accs, d, created.timed === true);
      groups.set(d.gk, created);
      states[k] = created;
    }
  }

  private resetSpan(): void {
    this.span.length = 0;
    this.spanGroups.clear();
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
      if (end >= this.spanFirst) {
        this.spanFirst = NaN;
        this.resetSpan();
      }
      emit(end, groups.values());
    }
  }
}

/** Snapshot windows (GROUP BY System.Timestamp()): the events that share one timestamp. */
export class SnapshotWindows implements WindowState {
  private readonly open = new Map<number, Map<unknown, GroupState>>();
  private readonly slots: AggregateSlot[];

  private checkers?: Checkers;

  constructor(slots: AggregateSlot[]) {
    this.slots = appendOnly(slots);
  }

  check(d: Digest): void {
    if (Number.isNaN(d.ts)) throw missingTime();
    checkInGroup(this.open.get(d.ts)?.get(d.gk), d, (this.checkers ??= new Checkers(this.slots)));
  }

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
  /** First-seen order: results of several groups at one time leave in this order. */
  seq: number;
  gk: unknown;
  keys: Value[];
  /**
   * The group's events still in (or ahead of) its window, from `head` on, in time order, in
   * parallel arrays (no object per event): event k's time `times[k]`, aggregate arguments
   * `vals[k·stride …]` (stride: the number of aggregates), ORDER BY values `orders[k]`. When every
   * aggregate is COUNT(*) (SlidingWindows.counting) only the times are kept.
   */
  times: number[];
  vals: Value[];
  orders: (Value[][] | null)[];
  origins: (EventOrigin | undefined)[];
  /**
   * Per ordered value j of the slots (SlidingWindows.ordered) and kind k (kindOf), the time and the
   * value of the group's latest row with a value of that kind, at [j·KINDS + k]: a row is in the
   * window of a later row at t while its time is after t − size.
   */
  kindTimes: number[];
  kindValues: Value[];
  head: number;
  /**
   * The first event that has not entered the window yet (times.length when none): events enter
   * their group's aggregates at their time, and one that fails then (a data error) is taken out
   * of the group as if it never came.
   */
  entered: number;
  /**
   * Running aggregates of events [head, entered) when every aggregate can remove a row: each
   * result then costs the events entering and leaving, not the whole window.
   */
  running?: Accumulator[];
}

/**
 * Sliding windows: per group, a result whenever the window's content changes: at each event
 * time t (window (t − size, t]) and when an event leaves at its ts + size, if any event remains.
 * Events come in time order, so their entries (at ts) and their exits (at ts + size) are two
 * time-ordered sequences over one log of (time, group): a watermark reads both from their cursors
 * up to itself and touches only the groups with a result before it, in time order (groups due at
 * one time in first-seen order); each group keeps only the events of one window (and those ahead
 * of its next result).
 */
export class SlidingWindows implements WindowState {
  private readonly groups = new Map<unknown, SlidingGroup>();
  /**
   * Every event still ahead of its exit, in arrival (so time) order: its time and its group.
   * `entries` is the first whose entry is still to come, `exits` the first whose exit is.
   */
  private logTimes: number[] = [];
  private logGroups: SlidingGroup[] = [];
  private entries = 0;
  private exits = 0;
  private seq = 0;
  private readonly timed: boolean;
  private readonly removable: boolean;
  /**
   * Every aggregate is COUNT(*) (or there is none): a result is the number of events in the
   * window, `entered − head`, with no accumulator and no argument kept; no row can fail as it
   * enters (COUNT(*) checks nothing and orders nothing).
   */
  private readonly counting: boolean;
  /** Values per event in a group's `vals`: one per aggregate, none when counting. */
  private readonly stride: number;

  constructor(
    private readonly size: number,
    private readonly slots: AggregateSlot[],
  ) {
    this.timed = isTimed(slots);
    this.removable = slots.every((slot) => slot.def.supportsRemove);
    this.counting = slots.every((slot) => slot.countsRows === true);
    this.stride = this.counting ? 0 : slots.length;
    this.checkers = new Checkers(slots);
    slots.forEach((slot, i) => {
      const ordered = slot.def.ordered?.(slot.call);
      for (let p = 0; ordered && p < ordered.count; p++) this.ordered.push({ slot: i, p, read: ordered });
    });
  }

  private readonly checkers: Checkers;
  /** The values of a row its aggregates order among the window's rows (AggregateDefinition.ordered). */
  private readonly ordered: { slot: number; p: number; read: OrderedValues }[] = [];

  /**
   * A row fails as it comes, as in the other window kinds: what fails it whatever the window holds
   * (a text that is no number), and a value of a kind that does not compare with a value of the
   * window it will enter (a datetime beside numbers: the rows of its group from t − size on, all
   * of them in the window at t since rows come in time order), as the row's aggregates would fail
   * as it enters. So in GROUP BY Windows(…) the row is skipped in every window.
   */
  check(d: Digest): void {
    if (Number.isNaN(d.ts)) throw missingTime();
    this.checkers.check(d);
    const g = this.groups.get(d.gk);
    if (g !== undefined) this.checkBeside(g, d);
  }

  /** Compares each ordered value of the row with the group's latest one of every other kind still in the row's window. */
  private checkBeside(g: SlidingGroup, d: Digest): void {
    const { ordered } = this;
    const since = d.ts - this.size;
    for (let j = 0; j < ordered.length; j++) {
      const { slot, p, read } = ordered[j];
      const v = read.at(d.vals[slot], d.orders ? d.orders[slot] : undefined, p);
      if (v === null) continue;
      const kind = kindOf(v);
      for (let k = 0; k < KINDS; k++) if (k !== kind && g.kindTimes[j * KINDS + k] > since) compareNonNull(v, g.kindValues[j * KINDS + k]!);
    }
  }

  /** Notes the row's ordered values as its group's latest of their kinds. */
  private noteKinds(g: SlidingGroup, d: Digest): void {
    const { ordered } = this;
    for (let j = 0; j < ordered.length; j++) {
      const { slot, p, read } = ordered[j];
      const v = read.at(d.vals[slot], d.orders ? d.orders[slot] : undefined, p);
      if (v === null) continue;
      const at = j * KINDS + kindOf(v);
      g.kindTimes[at] = d.ts;
      g.kindValues[at] = v;
    }
  }

  add(d: Digest): void {
    if (Number.isNaN(d.ts)) throw missingTime();
    this.checkers.check(d);
    let g = this.groups.get(d.gk);
    if (g !== undefined) this.checkBeside(g, d);
    else {
      const n = this.ordered.length * KINDS;
      g = {
        seq: this.seq++, gk: d.gk, keys: d.keys.slice(), times: [], vals: [], orders: [], origins: [],
        kindTimes: new Array<number>(n).fill(-Infinity), kindValues: new Array<Value>(n).fill(null),
        head: 0, entered: 0,
      };
      if (this.removable && !this.counting) g.running = this.slots.map((slot) => slot.def.create(slot.call));
      this.groups.set(d.gk, g);
    }
    g.times.push(d.ts);
    if (!this.counting) {
      if (this.ordered.length) this.noteKinds(g, d);
      // Copied: the operator reuses the digest and its arrays for the next row.
      for (let i = 0; i < d.vals.length; i++) g.vals.push(d.vals[i]);
      g.orders.push(d.orders && d.orders.slice());
      g.origins.push(d.origin);
    }
    this.logTimes.push(d.ts);
    this.logGroups.push(g);
  }

  /** The one group a result is handed over in (emit reads it at once). */
  private readonly single: GroupState[] = [];
  /** The result of a group whose aggregates run (emit reads it at once, before the next is computed). */
  private readonly scratch: GroupState = { keys: [], accs: NO_ACCUMULATORS, results: [] };
  /** The groups due at one time (scratch). */
  private readonly due: SlidingGroup[] = [];

  advance(watermark: number, emit: EmitWindow, fail: WindowDataError): void {
    const { logTimes: times, logGroups: log, size, due } = this;
    const n = times.length;
    let { entries, exits } = this;
    for (;;) {
      const entry = entries < n ? times[entries] : Infinity;
      const exit = exits < n ? times[exits] + size : Infinity;
      const point = entry < exit ? entry : exit;
      if (!(point < watermark)) break;
      // The groups whose next result is at `point` (the log also holds events taken out as they
      // entered, and a group's several events at one time: the group is due once, or not at all).
      let count = 0;
      while (exits < n && times[exits] + size === point) count = this.noteDue(log[exits++], point, count);
      while (entries < n && times[entries] === point) count = this.noteDue(log[entries++], point, count);
      for (let i = 0; i < count; i++) {
        const g = due[i];
        if (this.nextPoint(g) !== point) continue; // a second mention, already done
        const result = this.resultAt(g, point, fail);
        if (g.head >= g.times.length) this.groups.delete(g.gk); // no event left: nothing more to say
        if (result) {
          this.single[0] = result;
          emit(point, this.single);
        }
      }
    }
    if (exits > 1024 && exits * 2 > n) {
      this.logTimes = times.slice(exits);
      this.logGroups = log.slice(exits);
      entries -= exits;
      exits = 0;
    }
    this.entries = entries;
    this.exits = exits;
  }

  /**
   * Adds `g` to the `count` groups due at `point` if its next result is then, keeping them in
   * first-seen order; returns their new count.
   */
  private noteDue(g: SlidingGroup, point: number, count: number): number {
    if (this.nextPoint(g) !== point) return count;
    const due = this.due;
    if (count > 0 && due[count - 1] === g) return count; // its exit and its entry at once
    let i = count;
    while (i > 0 && due[i - 1].seq > g.seq) {
      due[i] = due[i - 1];
      i--;
    }
    due[i] = g;
    return count + 1;
  }

  private nextPoint(g: SlidingGroup): number {
    const times = g.times;
    const exit = g.head < times.length ? times[g.head] + this.size : Infinity;
    const entry = g.entered < times.length ? times[g.entered] : Infinity;
    return entry < exit ? entry : exit;
  }

  /**
   * The group's result at `point` (window (point − size, point]): undefined when the window is
   * empty, or when nothing entered or left it at `point` (its only entries failed).
   */
  private resultAt(g: SlidingGroup, point: number, fail: WindowDataError): GroupState | undefined {
    if (this.counting) return this.countAt(g, point);
    const stride = this.stride;
    const running = g.running;
    let changed = false;
    // Events with ts ≤ point − size have left the window (start exclusive).
    while (g.head < g.times.length && g.times[g.head] <= point - this.size) {
      if (running) removeRow(running, g.vals, g.head * stride, g.orders[g.head], g.times[g.head], this.timed);
      g.head++;
      changed = true;
    }
    let result: GroupState | undefined;
    if (running) {
      while (g.entered < g.times.length && g.times[g.entered] <= point) {
        const k = g.entered;
        try {
          addRow(running, g.vals, k * stride, g.orders[k], g.times[k], this.timed);
          g.entered++;
          changed = true;
        } catch (error) {
          this.reject(g, k, error as Error, fail);
        }
      }
      if (changed && g.head < g.entered) {
        // The results at this point (the running aggregates move on), in the scratch state: emit reads it at once.
        const scratch = this.scratch;
        const results = scratch.results!;
        try {
          for (let i = 0; i < running.length; i++) results[i] = running[i].result();
          scratch.keys = g.keys;
          result = scratch;
        } catch (error) {
          fail(error as Error, undefined);
        }
      }
    } else {
      // Aggregates that cannot remove a row: the window's events added again at each point.
      const accs = this.slots.map((slot) => slot.def.create(slot.call));
      let k = g.head;
      while (k < g.times.length && g.times[k] <= point) {
        try {
          addRow(accs, g.vals, k * stride, g.orders[k], g.times[k], this.timed);
          if (k >= g.entered) changed = true;
          k++;
        } catch (error) {
          this.reject(g, k, error as Error, fail);
        }
      }
      g.entered = k;
      if (changed && g.head < k) result = { keys: g.keys, accs };
    }
    if (g.head > 32 && g.head * 2 > g.times.length) {
      g.times = g.times.slice(g.head);
      g.vals = g.vals.slice(g.head * stride);
      g.orders = g.orders.slice(g.head);
      g.origins = g.origins.slice(g.head);
      g.entered -= g.head;
      g.head = 0;
    }
    return result;
  }

  /** resultAt when counting: the events that left and entered move the cursors; the count is what lies between. */
  private countAt(g: SlidingGroup, point: number): GroupState | undefined {
    const times = g.times;
    const n = times.length;
    const head = g.head;
    const entered = g.entered;
    // Events with ts ≤ point − size have left the window (start exclusive).
    const start = point - this.size;
    while (g.head < n && times[g.head] <= start) g.head++;
    while (g.entered < n && times[g.entered] <= point) g.entered++;
    let result: GroupState | undefined;
    if ((g.head !== head || g.entered !== entered) && g.head < g.entered) {
      const scratch = this.scratch;
      const results = scratch.results!;
      for (let i = 0; i < this.slots.length; i++) results[i] = g.entered - g.head;
      scratch.keys = g.keys;
      result = scratch;
    }
    if (g.head > 32 && g.head * 2 > n) {
      g.times = times.slice(g.head);
      g.entered -= g.head;
      g.head = 0;
    }
    return result;
  }

  /** Takes event k out of its group (a data error as it entered the window) and reports it. */
  private reject(g: SlidingGroup, k: number, error: Error, fail: WindowDataError): void {
    const origin = g.origins[k];
    g.times.splice(k, 1);
    g.vals.splice(k * this.stride, this.stride);
    g.orders.splice(k, 1);
    g.origins.splice(k, 1);
    if (k < g.entered) g.entered--;
    fail(error, origin);
  }
}

const NO_ACCUMULATORS: Accumulator[] = [];

/** Kinds of ordered values, any two of which may not compare: numbers and bits, texts, datetimes. */
const KINDS = 3;

function kindOf(v: Value): number {
  return typeof v === "string" ? 1 : v instanceof DateTimeValue ? 2 : 0;
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

  private readonly slots: AggregateSlot[];
  /** Max-duration checkpoints are multiples of maxDuration from the window origin: `phase + k·maxDuration`. */
  private readonly phase: number;

  constructor(
    private readonly timeout: number,
    private readonly maxDuration: number,
    slots: AggregateSlot[],
  ) {
    this.slots = appendOnly(slots);
    this.phase = gridPhase(maxDuration);
  }

  private closeAt(s: Session): number {
    return Math.min(s.last + this.timeout, s.checkpoint);
  }

  private open(start: number, last: number): Session {
    return { start, last, checkpoint: alignUp(start + this.maxDuration, this.phase, this.maxDuration), groups: new Map() };
  }

  private pendingEmits: { ts: number; groups: Map<unknown, GroupState> }[] = [];
  private checkers?: Checkers;

  check(d: Digest): void {
    const t = d.ts;
    if (Number.isNaN(t)) throw missingTime();
    // The row's session: the current one if the row's time does not close it, else a new one (empty).
    const s = this.sessions.get(d.pk);
    checkInGroup(s && !(t > this.closeAt(s)) ? s.groups.get(d.gk) : undefined, d, (this.checkers ??= new Checkers(this.slots)));
  }

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
    // The sessions the row's time closed stay closed (any later row or watermark closes them too),
    // but a row that fails (a data error: thrown) opens no session and extends none: the session
    // is as if the row never came (its start, timeout and max-duration checkpoint unchanged).
    if (s) this.sessions.set(d.pk, s);
    else this.sessions.delete(d.pk);
    const session = s ?? this.open(t, t);
    accumulateInGroup(session.groups, d, this.slots);
    if (!s) this.sessions.set(d.pk, session);
    session.last = t;
    this.minDue = Math.min(this.minDue, this.closeAt(session));
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
