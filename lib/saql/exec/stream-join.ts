// JOIN of two streams, bounded in time by DATEDIFF in ON. Rows of both sides are merged in time
// order (as UNION does); each row meets the stored rows of the other side that are still within
// the bound, and is stored in turn until no future row can match it.
// Times (the System.Timestamp() page: "the earliest logical time at which this result could be
// determined"): an inner match is stamped with the later of the two events; for LEFT OUTER JOIN an
// unmatched left row is written when the last right row that could match it would have come, at
// left time + the bound's upper end.
// Equality conjuncts of ON between the two sides (`a.k = b.k`) bucket the stored rows by key, so a
// row meets only the rows that can be equal to it; ON is still evaluated on every candidate, except
// where ON is one equality and DATEDIFF bounds only and the key is a text: a candidate whose time is
// out of the bounds (by more than a DATEDIFF unit) is then false without ON (pairTimes).

import type { Evaluator } from "./compile-expr";
import * as joinKeys from "./join-keys";
import { OrderedBuffer } from "./ordered-buffer";
import type { EventOrigin, Operator, Row } from "./row";

// Bound once: an imported name is a module getter, read on every call of per-event code.
const ANY: typeof joinKeys.ANY = joinKeys.ANY;
const NONE: typeof joinKeys.NONE = joinKeys.NONE;
const { keyOf } = joinKeys;

export interface StreamJoinOptions {
  /** ON, evaluated on a probe row: the left row as it came, the right row as its next side (`sides[i]`, `sideTs[i]`). */
  on: (probe: Row) => boolean;
  left: boolean;
  /**
   * How far apart (100 ns ticks) two rows' times can be and still match, in either direction. After earlier
   * JOINs the left row's time is the latest of its events: the bound then includes their spread.
   */
  lookback: number;
  /** For LEFT OUTER JOIN: the latest right time that can match a left row at time t. */
  lastMatchTime: (leftTs: number) => number;
  /** Both sides of ON's equality conjuncts: `left[i]` read on a left row equals `right[i]` read on a right row. */
  keys?: { left: Evaluator[]; right: Evaluator[] };
  /**
   * With one equality key: the range of right − left event times (ticks) outside which ON is false,
   * and cannot fail, for two rows whose key is one text (plan/build.ts pairTimeRange). Such pairs are
   * skipped without a probe row or ON.
   */
  pairTimes?: { low: number; high: number };
  downstream: Operator;
  onDataError: (error: Error, origin: EventOrigin | undefined) => void;
}

interface Stored {
  row: Row;
  /** The row's time (row.ts), kept beside it for eviction. */
  ts: number;
  seq: number;
  matched: boolean;
  deadline: number;
}

/** Stored rows of one side, by key (all under "" without keys), each list in time order. */
class SideStore {
  readonly buckets = new Map<unknown, Stored[]>();
  readonly any: Stored[] = [];

  add(key: unknown, s: Stored): void {
    if (key === ANY) {
      this.any.push(s);
      return;
    }
    const bucket = this.buckets.get(key);
    if (bucket) bucket.push(s);
    else this.buckets.set(key, [s]);
  }

  /** The rows a row with this key may match, in storage order. */
  candidates(key: unknown): Stored[] {
    if (key === ANY) {
      const all = [...this.any];
      for (const bucket of this.buckets.values()) all.push(...bucket);
      return all.sort((a, b) => a.seq - b.seq);
    }
    const bucket = this.buckets.get(key) ?? NO_ROWS;
    if (!this.any.length) return bucket;
    return [...bucket, ...this.any].sort((a, b) => a.seq - b.seq);
  }

  /**
   * Drops the rows older than `limit` (no ON can match them any more): each list is in time order,
   * so they are its first rows, cut off in place.
   */
  evict(limit: number): void {
    for (const [key, bucket] of this.buckets) {
      const stale = staleRows(bucket, limit);
      if (stale === 0) continue;
      if (stale === bucket.length) this.buckets.delete(key);
      else bucket.splice(0, stale);
    }
    this.any.splice(0, staleRows(this.any, limit));
  }
}

/** How many of the list's first rows are older than `limit`. */
function staleRows(list: Stored[], limit: number): number {
  let n = 0;
  while (n < list.length && list[n].ts < limit) n++;
  return n;
}

const NO_ROWS: Stored[] = [];

/** A row waiting in the merge buffer, tagged with its side (0: FROM, 1: joined). */
type SidedRow = Row & { joinSide: 0 | 1 };

export class StreamJoinOperator {
  private readonly buffer = new OrderedBuffer();
  private readonly marks = [-Infinity, -Infinity];
  private readonly ended = [false, false];
  private readonly lefts = new SideStore();
  private readonly rights = new SideStore();
  /** LEFT OUTER JOIN: left rows not yet matched, in deadline order (deadlines grow with time). */
  private readonly unmatched: Stored[] = [];
  private unmatchedHead = 0;
  private seq = 0;
  /** Stored rows are swept when time has moved a lookback past the last sweep. */
  private lastSweep = -Infinity;
  private emittedWatermark = -Infinity;

  constructor(private readonly o: StreamJoinOptions) {}

  /** The port of the FROM side (0) or of the joined side (1). */
  port(side: 0 | 1): Operator {
    return {
      push: (input: Row) => {
        // Each side gets its own copy (a self-join pushes the same row object into both ports).
        const row: SidedRow = { ts: input.ts, rec: input.rec, sides: input.sides, sideTs: input.sideTs, leftTs: input.leftTs, origin: input.origin, joinSide: side };
        this.buffer.add(row);
        if (row.ts > this.marks[side]) this.marks[side] = row.ts;
      },
      watermark: (t: number) => {
        if (t > this.marks[side]) this.marks[side] = t;
        this.release();
      },
      end: () => {
        this.ended[side] = true;
        this.marks[side] = Infinity;
        if (this.ended[0] && this.ended[1]) {
          this.buffer.drain((row) => this.process(row));
          this.flushOuter(Infinity);
          this.o.downstream.end();
        } else this.release();
      },
    };
  }

  private release(): void {
    const bound = Math.min(this.marks[0], this.marks[1]);
    if (this.buffer.size) this.buffer.release(bound, true, (row) => this.process(row));
    this.flushOuter(bound);
    // Unmatched left rows still pending will be stamped at their deadline: time cannot pass it yet.
    let mark = bound;
    const pending = this.firstUnmatched();
    if (pending && pending.deadline < mark) mark = pending.deadline;
    if (mark > this.emittedWatermark && mark !== Infinity) {
      this.emittedWatermark = mark;
      this.o.downstream.watermark(mark);
    }
  }

  private process(row: Row): void {
    const t = row.ts;
    this.flushOuter(t);
    this.evict(t);
    const isLeft = (row as SidedRow).joinSide === 0;
    const key = this.keyOf(row, isLeft);
    const stored: Stored = { row, ts: t, seq: this.seq++, matched: false, deadline: isLeft ? this.o.lastMatchTime(t) : NaN };
    if (key !== NONE) {
      // Pairs of one text key (rows of a bucket: no row of any key among the candidates) whose times
      // are out of range cannot match (pairTimes).
      const times = this.o.pairTimes;
      if (isLeft) {
        const candidates = this.rights.candidates(key);
        if (times && typeof key === "string" && !this.rights.any.length) {
          const leftTime = row.leftTs ?? t;
          for (let i = 0; i < candidates.length; i++) {
            const right = candidates[i];
            const d = right.ts - leftTime;
            if (!(d < times.low || d > times.high) && this.match(row, right.row)) stored.matched = true;
          }
        } else for (const right of candidates) if (this.match(row, right.row)) stored.matched = true;
        this.lefts.add(key, stored);
      } else {
        const candidates = this.lefts.candidates(key);
        if (times && typeof key === "string" && !this.lefts.any.length) {
          for (let i = 0; i < candidates.length; i++) {
            const left = candidates[i];
            const d = t - (left.row.leftTs ?? left.ts);
            if (!(d < times.low || d > times.high) && this.match(left.row, row)) left.matched = true;
          }
        } else for (const left of candidates) if (this.match(left.row, row)) left.matched = true;
        this.rights.add(key, stored);
      }
    }
    if (isLeft && this.o.left && !stored.matched) this.unmatched.push(stored);
  }

  /** The bucket of a row (all rows in "" without keys). */
  private keyOf(row: Row, isLeft: boolean): unknown {
    const keys = this.o.keys;
    if (!keys) return "";
    return keyOf(isLeft ? keys.left : keys.right, row);
  }

  private match(left: Row, right: Row): boolean {
    const probe = joined(left, right.rec, right.ts);
    let ok: boolean;
    try {
      ok = this.o.on(probe);
    } catch (error) {
      this.o.onDataError(error as Error, left.origin);
      return false;
    }
    if (ok) {
      probe.ts = Math.max(left.ts, right.ts);
      this.o.downstream.push(probe);
    }
    return ok;
  }

  private firstUnmatched(): Stored | undefined {
    while (this.unmatchedHead < this.unmatched.length && this.unmatched[this.unmatchedHead].matched) this.unmatchedHead++;
    if (this.unmatchedHead > 1024 && this.unmatchedHead * 2 > this.unmatched.length) {
      this.unmatched.splice(0, this.unmatchedHead);
      this.unmatchedHead = 0;
    }
    return this.unmatched[this.unmatchedHead];
  }

  /** Writes the unmatched left rows whose last chance of a match is before `t`. */
  private flushOuter(t: number): void {
    if (!this.o.left) return;
    for (let l = this.firstUnmatched(); l && l.deadline < t; l = this.firstUnmatched()) {
      l.matched = true; // written once
      const row = joined(l.row, null, NaN);
      row.ts = l.deadline;
      this.o.downstream.push(row);
    }
  }

  /** Forgets rows too old to match anything at time `t` or later (a sweep per quarter lookback of time: at most 1.25 lookbacks kept). */
  private evict(t: number): void {
    if (!(t - this.lastSweep > this.o.lookback / 4)) return;
    this.lastSweep = t;
    const limit = t - this.o.lookback;
    this.lefts.evict(limit);
    this.rights.evict(limit);
  }
}

/**
 * A left row (the FROM source, or the row of earlier JOINs/APPLYs) with the right row as its next
 * side. `leftTs` stays the FROM source's own time; `sideTs` keeps each stream side's time.
 */
function joined(left: Row, right: Row["rec"] | null, rightTs: number): Row {
  if (!left.sides) return { ts: left.ts, rec: left.rec, sides: [right], sideTs: [rightTs], leftTs: left.leftTs ?? left.ts, origin: left.origin };
  const sides = left.sides ? [...left.sides, right] : [right];
  const sideTs = new Array<number>(sides.length).fill(NaN);
  if (left.sideTs) for (let i = 0; i < left.sideTs.length; i++) sideTs[i] = left.sideTs[i];
  sideTs[sides.length - 1] = rightTs;
  return { ts: left.ts, rec: left.rec, sides, sideTs, leftTs: left.leftTs ?? left.ts, origin: left.origin };
}
