// JOIN of two streams, bounded in time by DATEDIFF in ON. Rows of both sides are merged in time
// order (as UNION does); each row meets the stored rows of the other side that are still within
// the bound, and is stored in turn until no future row can match it.
// Times (the System.Timestamp() page: "the earliest logical time at which this result could be
// determined"): an inner match is stamped with the later of the two events; for LEFT OUTER JOIN an
// unmatched left row is written when the last right row that could match it would have come, at
// left time + the bound's upper end.

import { OrderedBuffer } from "./ordered-buffer";
import type { EventOrigin, Operator, Row } from "./row";

export interface StreamJoinOptions {
  /** ON, evaluated on a probe row: the left row as it came, the right row as its next side (`sides[i]`, `sideTs[i]`). */
  on: (probe: Row) => boolean;
  left: boolean;
  /**
   * How far apart (ms) two rows' times can be and still match, in either direction. After earlier
   * JOINs the left row's time is the latest of its events: the bound then includes their spread.
   */
  lookbackMs: number;
  /** For LEFT OUTER JOIN: the latest right time that can match a left row at time t. */
  lastMatchTime: (leftTs: number) => number;
  downstream: Operator;
  onDataError: (error: Error, origin: EventOrigin | undefined) => void;
}

interface StoredLeft {
  row: Row;
  matched: boolean;
  deadline: number;
}

export class StreamJoinOperator {
  private readonly buffer = new OrderedBuffer();
  private readonly sideOf = new WeakMap<Row, 0 | 1>();
  private readonly marks = [-Infinity, -Infinity];
  private readonly ended = [false, false];
  private lefts: StoredLeft[] = [];
  private rights: Row[] = [];
  private emittedWatermark = -Infinity;

  constructor(private readonly o: StreamJoinOptions) {}

  /** The port of the FROM side (0) or of the joined side (1). */
  port(side: 0 | 1): Operator {
    return {
      push: (input: Row) => {
        // A self-join pushes the same row object into both ports: the right side gets its own copy.
        const row = side === 0 ? input : { ...input };
        this.sideOf.set(row, side);
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
    for (const l of this.lefts) if (this.o.left && !l.matched && l.deadline < mark) mark = l.deadline;
    if (mark > this.emittedWatermark && mark !== Infinity) {
      this.emittedWatermark = mark;
      this.o.downstream.watermark(mark);
    }
  }

  private process(row: Row): void {
    const t = row.ts;
    this.flushOuter(t);
    this.evict(t);
    if (this.sideOf.get(row) === 0) {
      const stored: StoredLeft = { row, matched: false, deadline: this.o.lastMatchTime(t) };
      for (const right of this.rights) if (this.match(row, right)) stored.matched = true;
      this.lefts.push(stored);
    } else {
      for (const left of this.lefts) if (this.match(left.row, row)) left.matched = true;
      this.rights.push(row);
    }
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
    if (ok) this.o.downstream.push({ ...probe, ts: Math.max(left.ts, right.ts) });
    return ok;
  }

  /** Writes the unmatched left rows whose last chance of a match is before `t`. */
  private flushOuter(t: number): void {
    if (!this.o.left) return;
    const due = this.lefts.filter((l) => !l.matched && l.deadline < t).sort((a, b) => a.deadline - b.deadline);
    for (const l of due) {
      l.matched = true; // written once
      this.o.downstream.push({ ...joined(l.row, null, NaN), ts: l.deadline });
    }
  }

  /** Forgets rows too old to match anything at time `t` or later. */
  private evict(t: number): void {
    const limit = t - this.o.lookbackMs;
    if (this.lefts.length && this.lefts[0].row.ts < limit) {
      this.lefts = this.lefts.filter((l) => !(l.row.ts < limit) || (this.o.left && !l.matched));
    }
    if (this.rights.length && this.rights[0].ts < limit) this.rights = this.rights.filter((r) => !(r.ts < limit));
  }
}


/**
 * A left row (the FROM source, or the row of earlier JOINs/APPLYs) with the right row as its next
 * side. `leftTs` stays the FROM source's own time; `sideTs` keeps each stream side's time.
 */
function joined(left: Row, right: Row["rec"] | null, rightTs: number): Row {
  const sides = left.sides ? [...left.sides, right] : [right];
  const sideTs = new Array<number>(sides.length).fill(NaN);
  if (left.sideTs) for (let i = 0; i < left.sideTs.length; i++) sideTs[i] = left.sideTs[i];
  sideTs[sides.length - 1] = rightTs;
  return { ts: left.ts, rec: left.rec, sides, sideTs, leftTs: left.leftTs ?? left.ts, origin: left.origin };
}
