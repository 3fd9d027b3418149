// Where events enter the query: each FROM of an input gets its event time here (TIMESTAMP BY,
// or arrival time). Two ways in:
//  - local files (the default, `pushInOrder`): ASA's local runs apply no ordering policy ("only to
//    cloud input sources", event-ordering.md); the run hands each source its events already sorted
//    by event time (lib/simulator/local-order.ts), and every event goes through unchanged;
//  - cloud inputs (`push`, events in arrival order): the job's event-ordering policy is applied as
//    stream-analytics-time-handling.md and event-ordering.md describe:
//  1. early arrival (fixed 5 min): an event whose time is more than 5 min ahead of its arrival is dropped;
//  2. late arrival: event time < arrival − lateTolerance → adjusted up to arrival − lateTolerance, or dropped;
//  3. out of order: event time < watermark (largest time seen − outOfOrderTolerance) → adjusted up to
//     the watermark, or dropped; events within the tolerance wait in a reorder buffer and leave in time order.
// With TIMESTAMP BY … OVER key each key has its own watermark (substreams). Without TIMESTAMP BY
// the event time is the arrival time and both tolerances are disregarded.
// Input partitions (events carrying PartitionId): out-of-order is judged against the event's own
// partition, and the merged stream advances as far as every partition has (an idle partition: latest
// arrival − late tolerance). Simplified locally: partitions are known from their first event on (a
// file does not say how many the hub has; a Capture folder does: declarePartitions), and `FROM … PARTITION BY PartitionId`, where ASA lets each
// partition progress on its own, runs on the same merged timeline — the same rows when the query keeps
// partitions apart (GROUP BY PartitionId, …), only their order across partitions may differ.
import type { DataErrorType } from "../../core/data-errors";
import { StreamkitError } from "../../core/errors";
import * as values from "../values";
import type { RecordValue, Value } from "../values";
import * as instant from "../instant";
import * as datetimeText from "../functions/datetime-text";
import * as time from "./time";
import type { Evaluator } from "./compile-expr";
import { OrderedBuffer } from "./ordered-buffer";
import type { Operator, Row, EventOrigin } from "./row";

// Bound once: imported names are module getters, read on every call of per-event code.
const { EARLY_ARRIVAL, valueToInstant } = time;
const { dateTimeOf } = instant;
const { getField } = values;
const { parseDateTimeInstant } = datetimeText;

/** The job's event-ordering policy; tolerances in 100 ns ticks (event times are instants: lib/saql/instant.ts). */
export interface OrderingPolicy {
  lateArrival: number;
  outOfOrder: number;
  drop: boolean;
}

export interface OrderingStats {
  lateAdjusted: number;
  lateDropped: number;
  outOfOrderAdjusted: number;
  outOfOrderDropped: number;
  earlyDropped: number;
}

export interface SourceOptions {
  /** TIMESTAMP BY expression, compiled against the event; absent: arrival time. */
  timestampBy?: Evaluator;
  /**
   * When `timestampBy` is a plain column (`T`, `alias.T`): its name. A text read there as the
   * column reads it (the exact name, else case-insensitively) is parsed without evaluating
   * `timestampBy`; anything else (no such field, NULL, another type) takes the general path.
   */
  timestampField?: string;
  /** TIMESTAMP BY on a plain column: the event with that column as a datetime, given the instant `timeOf` read from it (timestamp-column.ts). */
  settle?: (rec: RecordValue, instant: number) => RecordValue;
  /** TIMESTAMP BY … OVER keys (substreams). */
  over?: Evaluator[];
  /**
   * The input partition an event came from (Event Hubs / IoT Hub add `PartitionId` to each event).
   * ASA makes a watermark per input partition and lets the merged stream advance only as far as
   * every partition has (stream-analytics-time-handling.md, event-ordering.md); absent or NULL: one partition.
   */
  partitionOf?: (rec: RecordValue) => Value;
  policy: OrderingPolicy;
  stats: OrderingStats;
  downstream: Operator;
  /**
   * An event this source cannot use (its TIMESTAMP BY value is not a datetime, its OVER key is NULL):
   * skipped and reported; also each event the ordering policy adjusts or drops.
   */
  onDataError: (message: string, origin: EventOrigin | undefined, type: DataErrorType) => void;
}

export class SourceIngest {
  private readonly buffer = new OrderedBuffer();
  /** Largest event time seen, per substream key (TIMESTAMP BY … OVER). */
  private readonly maxSeen = new Map<string, number>();
  /** Largest event time seen, without OVER (of the first partition). */
  private maxSeenOne = -Infinity;
  /** Without OVER, when events name more than one input partition: the largest time seen per partition. */
  private partitions?: Map<string, number>;
  private firstPartition: string | undefined;
  private lastArrival = -Infinity;
  private emittedWatermark = -Infinity;
  private lastTs = -Infinity;
  private readonly row: { rec: RecordValue; ts: number } = { rec: {}, ts: NaN };

  constructor(private readonly options: SourceOptions) {}

  /** Whether the event time is a TIMESTAMP BY expression (else the arrival time). */
  get hasTimestampBy(): boolean {
    return this.options.timestampBy !== undefined;
  }

  /** How far this source's time has progressed (its watermark), for interleaving inputs that carry no arrival time. */
  get progress(): number {
    return this.emittedWatermark;
  }

  /**
   * The event time of an event for this source: its TIMESTAMP BY value, else its arrival time
   * (`arrival`, an instant). Undefined when the event has none it can use: reported and to be skipped.
   */
  timeOf(rec: RecordValue, arrival: number, origin?: EventOrigin): number | undefined {
    const { timestampBy, over, timestampField } = this.options;
    if (!timestampBy) return arrival;
    if (timestampField !== undefined && !over) {
      // The usual TIMESTAMP BY: a field holding a datetime text, read as timestampBy would read it.
      const v = rec[timestampField];
      const text = v !== undefined ? v : getField(rec, timestampField);
      if (typeof text === "string") {
        const ts = parseDateTimeInstant(text);
        if (ts !== undefined) return ts;
      }
    }
    this.row.rec = rec;
    this.row.ts = NaN;
    let value: Value;
    try {
      value = timestampBy(this.row);
    } catch (error) {
      // A JavaScript function that fails (or cannot run locally) stops the run, as everywhere else.
      if (error instanceof StreamkitError && (error.code === "UDF" || error.code === "NOT_SUPPORTED")) {
        throw new StreamkitError(`${error.message}${origin ? ` (on the event at ${origin.file}:${origin.line})` : ""}`, error.location, error.code);
      }
      this.options.onDataError(`TIMESTAMP BY: ${(error as Error).message}`, origin, "InputEventTimestampNotFound");
      return undefined;
    }
    const ts = valueToInstant(value);
    if (ts === undefined) {
      this.options.onDataError(
        `TIMESTAMP BY gave ${value === null ? "NULL" : JSON.stringify(value)}, not a datetime; the event is skipped`,
        origin,
        "InputEventTimestampNotFound",
      );
      return undefined;
    }
    if (over) {
      for (const key of over) {
        if (key(this.row) === null) {
          this.options.onDataError("the TIMESTAMP BY … OVER value is NULL; the event is skipped", origin, "InputEventTimestampByOverValueNotFound");
          return undefined;
        }
      }
    }
    return ts;
  }

  /**
   * One event of a local file, in event-time order (`ts` from `timeOf`, never less than the last
   * one's): no ordering policy applies, and the event is at once the source's watermark.
   */
  pushInOrder(rec: RecordValue, ts: number, origin?: EventOrigin): void {
    const { downstream, settle } = this.options;
    downstream.push({ ts, rec: settle ? settle(rec, ts) : rec, origin });
    if (ts > this.emittedWatermark) {
      this.emittedWatermark = ts;
      downstream.watermark(ts);
    }
  }

  /** One event of a cloud input in arrival order; `arrival` an instant (undefined when unknown). */
  push(rec: RecordValue, arrival: number | undefined, origin?: EventOrigin): void {
    const { timestampBy, policy, stats, downstream } = this.options;
    if (arrival !== undefined && arrival > this.lastArrival) this.lastArrival = arrival;
    if (!timestampBy) {
      // Arrival time is increasing at the broker; a file out of arrival order is kept monotonic.
      let ts = arrival ?? NaN;
      if (ts < this.lastTs) ts = this.lastTs;
      if (!Number.isNaN(ts)) this.lastTs = ts;
      downstream.push({ ts, rec, origin });
      if (!Number.isNaN(ts) && ts > this.emittedWatermark) {
        this.emittedWatermark = ts;
        downstream.watermark(ts);
      }
      return;
    }
    let ts = this.timeOf(rec, NaN, origin);
    if (ts === undefined) return;
    if (this.options.settle) rec = this.options.settle(rec, ts);
    if (arrival !== undefined) {
      if (ts > arrival + EARLY_ARRIVAL) {
        stats.earlyDropped++;
        this.options.onDataError(
          `Input event arrival time '${isoText(arrival)}' is earlier than input event application timestamp '${isoText(ts)}' by more than 5 minutes; the event is dropped`,
          origin,
          "InputEventEarlyBeyondThreshold",
        );
        return; // dropped; the watermark does not move
      }
      if (ts < arrival - policy.lateArrival) {
        this.options.onDataError(
          `Input event with application timestamp '${isoText(ts)}' and arrival time '${isoText(arrival)}' was sent later than configured tolerance; the event is ${policy.drop ? "dropped" : "adjusted"}`,
          origin,
          "InputEventLateBeyondThreshold",
        );
        if (policy.drop) {
          stats.lateDropped++;
          return;
        }
        stats.lateAdjusted++;
        ts = arrival - policy.lateArrival;
      }
    }
    // One timeline (a field), one per substream key, or one per input partition (maps).
    const over = this.options.over;
    const partitions = over ? undefined : this.partitionTimes(rec);
    const key = over ? substreamKey(over, this.row) : partitions ? this.partitionKey(rec) : "";
    const seen = over ? this.maxSeen.get(key) ?? -Infinity : partitions ? partitions.get(key) ?? -Infinity : this.maxSeenOne;
    // A partition seen for the first time may be behind what the merged stream already promised.
    const watermark = partitions ? Math.max(seen - policy.outOfOrder, this.emittedWatermark) : seen - policy.outOfOrder;
    if (ts < watermark) {
      this.options.onDataError(
        `Out of order event received: application timestamp '${isoText(ts)}' is before the watermark '${isoText(watermark)}'; the event is ${policy.drop ? "dropped" : "adjusted"}`,
        origin,
        "InputEventOutOfOrderBeyondThreshold",
      );
      if (policy.drop) {
        stats.outOfOrderDropped++;
        return;
      }
      stats.outOfOrderAdjusted++;
      ts = watermark;
    }
    if (ts > seen) {
      if (over) this.maxSeen.set(key, ts);
      else if (partitions) partitions.set(key, ts);
      else this.maxSeenOne = ts;
    }
    if (policy.outOfOrder === 0 && !this.options.over && !partitions && this.buffer.size === 0) {
      // No reorder window: this event is the latest so far (or adjusted up to it), leave at once.
      downstream.push({ ts, rec, origin });
      if (ts > this.emittedWatermark) {
        this.emittedWatermark = ts;
        downstream.watermark(ts);
      }
      return;
    }
    this.buffer.add({ ts, rec, origin });
    this.release();
  }

  private partitionKey(rec: RecordValue): string {
    const v = this.options.partitionOf!(rec);
    return v === null ? "" : keyText(v);
  }

  /**
   * The per-partition times once a second partition shows up (undefined while there is one): the
   * first partition's time so far becomes its entry.
   */
  private partitionTimes(rec: RecordValue): Map<string, number> | undefined {
    if (this.partitions || !this.options.partitionOf) return this.partitions;
    const key = this.partitionKey(rec);
    if (this.firstPartition === undefined) this.firstPartition = key;
    if (key === this.firstPartition) return undefined;
    this.partitions = new Map([[this.firstPartition, this.maxSeenOne]]);
    return this.partitions;
  }

  /**
   * The input partitions the events will come from, known before the first (a Capture folder): each
   * gets its own watermark from the start, so a partition whose first event comes later is judged
   * against its own (idle) watermark, not the others' progress. Called before any event.
   */
  declarePartitions(partitionIds: readonly Value[]): void {
    if (!this.options.partitionOf || this.options.over || partitionIds.length < 2) return;
    this.partitions = new Map(partitionIds.map((p) => [p === null ? "" : keyText(p), -Infinity]));
  }

  /** Everything still buffered leaves; no more events will come. */
  end(): void {
    const downstream = this.options.downstream;
    this.buffer.drain((row) => downstream.push(row));
    downstream.end();
  }

  private release(): void {
    const { over, policy, downstream } = this.options;
    let bound: number;
    if (!over && this.partitions) {
      // The merged stream advances as far as every partition has; an idle partition's watermark is
      // the latest arrival time minus the late-arrival tolerance (time-handling article).
      const idle = this.lastArrival - policy.lateArrival;
      bound = Infinity;
      for (const seen of this.partitions.values()) bound = Math.min(bound, Math.max(seen - policy.outOfOrder, idle));
    } else if (!over) {
      bound = this.maxSeenOne - policy.outOfOrder;
    } else {
      // A new substream can still bring any time ≥ latest arrival − late tolerance.
      bound = this.lastArrival - policy.lateArrival;
    }
    if (this.buffer.size) this.buffer.release(bound, false, (row) => downstream.push(row));
    if (bound > this.emittedWatermark) {
      this.emittedWatermark = bound;
      downstream.watermark(bound);
    }
  }
}

function isoText(t: number): string {
  return dateTimeOf(t).toString();
}

function substreamKey(over: Evaluator[], row: Row | { rec: RecordValue; ts: number }): string {
  if (over.length === 1) return keyText(over[0](row));
  return over.map((e) => keyText(e(row))).join("\u0001");
}

/** A value as a map key; distinct values give distinct keys. */
export function keyText(v: Value): string {
  if (v === null) return "n";
  switch (typeof v) {
    case "string":
      return `s${v}`;
    case "number":
      return `d${v}`;
    case "boolean":
      return v ? "b1" : "b0";
  }
  return `j${JSON.stringify(v)}`;
}

