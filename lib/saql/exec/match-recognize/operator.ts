// The MATCH_RECOGNIZE operator: per PARTITION BY key, a try to match the pattern starts at every
// event ("AFTER MATCH SKIP TO NEXT ROW … once a pattern is matched starting at event S, the
// next try to match pattern will start at event S+1. Matches can overlap"), in event-time order
// ("The events are ordered by time"). A try ends at the event that completes the pattern (one
// row per match: "ONE ROW PER MATCH … the only matching available"), when no mapping of its
// events can go on, or when LIMIT DURATION has passed since its first event. So the state is
// the tries of the last LIMIT DURATION, whatever the stream's length.
//
// The match's row holds the MEASURES (in order, named by their aliases); its System.Timestamp()
// is the time of the event that completed the match.
import { StreamkitError } from "../../../core/errors";
import type { Value } from "../../values";
import type { Evaluator } from "../compile-expr";
import type { EventOrigin, Operator, Row } from "../row";
import { keyText } from "../source";
import { MatchAttempt, PatternTooAmbiguous, type PathNode } from "./matcher";
import type { Nfa } from "./nfa";
import { NO_VARIABLE, type MatchContext } from "./expressions";

export interface MatchRecognizeSpec {
  nfa: Nfa;
  /** DEFINE condition per variable index. */
  define: ((ctx: MatchContext) => boolean)[];
  measures: { name: string; value: Evaluator }[];
  partitionBy: Evaluator[];
  /** LIMIT DURATION in 100 ns ticks: a match spans less than this, like LAG's lookback (t − duration, t]. */
  duration: number;
  /** The clause's location, for errors that concern the query rather than an event. */
  location?: StreamkitError["location"];
}

export class MatchRecognizeOperator implements Operator {
  /** Partition key → the tries still open, oldest first. */
  private readonly partitions = new Map<string, MatchAttempt<Row>[]>();
  private lastSweep = -Infinity;
  private readonly test = (variable: number, path: PathNode<Row> | null, event: Row) => this.spec.define[variable]!({ event, path, variable });

  constructor(
    private readonly spec: MatchRecognizeSpec,
    private readonly downstream: Operator,
    private readonly onDataError: (error: Error, origin: EventOrigin | undefined) => void,
  ) {}

  /** Tries still open over all partitions: what the operator holds in memory. */
  get openTries(): number {
    let n = 0;
    for (const tries of this.partitions.values()) n += tries.length;
    return n;
  }

  push(row: Row): void {
    if (Number.isNaN(row.ts)) {
      // Tries are ordered and bounded by event time: without one, nothing could ever match.
      throw new StreamkitError(
        "MATCH_RECOGNIZE needs an event time: add TIMESTAMP BY, or give the input an arrival time (local.arrivalTimeField)",
        this.spec.location,
        "NO_EVENT_TIME",
      );
    }
    let key: string;
    try {
      key = this.spec.partitionBy.map((p) => keyText(p(row))).join("\u0001");
    } catch (error) {
      this.onDataError(error as Error, row.origin);
      return;
    }
    let tries = this.partitions.get(key);
    if (!tries) this.partitions.set(key, (tries = []));
    tries.push(new MatchAttempt(this.spec.nfa, row.ts));
    const open: MatchAttempt<Row>[] = [];
    for (const attempt of tries) {
      if (!(row.ts - attempt.startTs < this.spec.duration)) continue;
      let match: PathNode<Row> | undefined;
      try {
        match = attempt.step(row, this.test);
      } catch (error) {
        if (error instanceof PatternTooAmbiguous) throw new StreamkitError(error.message, this.spec.location, "NOT_SUPPORTED");
        this.onDataError(error as Error, row.origin);
        continue;
      }
      if (match) this.emit(match, row);
      else if (attempt.alive) open.push(attempt);
    }
    if (open.length) this.partitions.set(key, open);
    else this.partitions.delete(key);
  }

  private emit(match: PathNode<Row>, last: Row): void {
    const ctx: MatchContext = { path: match, variable: NO_VARIABLE };
    const rec: Record<string, Value> = {};
    try {
      for (const m of this.spec.measures) rec[m.name] = m.value(ctx);
    } catch (error) {
      this.onDataError(error as Error, last.origin);
      return;
    }
    this.downstream.push({ ts: last.ts, rec, origin: last.origin });
  }

  watermark(t: number): void {
    // A try whose LIMIT DURATION ends before t can take no later event. Swept once per duration,
    // so a try outlives its duration by at most one more.
    if (t - this.lastSweep >= this.spec.duration) this.sweep(t);
    this.downstream.watermark(t);
  }

  private sweep(t: number): void {
    this.lastSweep = t;
    for (const [key, tries] of this.partitions) {
      const open = tries.filter((a) => t - a.startTs < this.spec.duration);
      if (open.length) this.partitions.set(key, open);
      else this.partitions.delete(key);
    }
  }

  end(): void {
    this.partitions.clear();
    this.downstream.end();
  }
}
