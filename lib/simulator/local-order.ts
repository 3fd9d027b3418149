// Local ordering, what ASA's engine does with local files (event-ordering.md: the ordering
// policies apply "only to cloud input sources"): each FROM … TIMESTAMP BY sees its input's events
// sorted by event time, ties in file order, and stream inputs merge by event time. An input is a
// lane: streamed as it is while each source sees it in order (a file already sorted costs one
// comparison per event), or sorted first with bounded memory (EventSorter); lanes merge by time.
// An input found out of order while streamed throws OutOfOrderInput: runQuery starts over with
// that input sorted (or stops, when the rows already given cannot be taken back).
import { StreamkitError } from "../core/errors";
import { eventBatches } from "../io/batches";
import type { InputEvent } from "../io/types";
import type { TypedRecord } from "../saql/exec/input-schema";
import type { EventOrigin } from "../saql/exec/row";
import type { SourceIngest } from "../saql/exec/source";
import type { RecordValue } from "../saql/values";
import { EventSorter } from "./event-sorter";

/** A local input found out of event-time order while it was streamed: the run starts over, sorting it. */
export class OutOfOrderInput extends StreamkitError {
  constructor(
    readonly alias: string,
    origin: EventOrigin | undefined,
    /** The run can start over with this input sorted; else this error stops it. */
    readonly restartable: boolean,
  ) {
    super(
      `input '${alias}' is not in event-time order${origin ? ` (at ${origin.file}:${origin.line})` : ""}, and this run cannot read it again sorted: give its events as an array or a file source, collect the rows or pass onRestart`,
      undefined,
      "NOT_IN_ORDER",
    );
  }
}

/** A stream input of the run. */
export interface Feed {
  alias: string;
  events: AsyncIterable<InputEvent> | Iterable<InputEvent>;
  arrivalOf: (record: RecordValue) => number | undefined;
  read: number;
  typing?: (record: RecordValue) => TypedRecord;
  sources: SourceIngest[];
}

export interface LocalOptions {
  arrivalTime: number;
  /** Reports an event too deeply nested to process (a RangeError); rethrows anything else. */
  tooDeep: (error: unknown, origin: EventOrigin) => void;
  sort: Set<string>;
  restartable: Set<string>;
  typed: (f: Feed, event: InputEvent) => RecordValue | undefined;
  progress: () => void;
  sortRunSize?: number;
  tempDir?: string;
}

/** One stream of events in event-time order for some sources of a feed: the unit the local run merges. */
interface Lane {
  feed: Feed;
  /** The next events, a batch at a time; undefined at the end. */
  next(): Promise<LaneEvent[] | undefined>;
  /** Hands one event to its sources. */
  deliver(event: LaneEvent): void;
  /** The lane alone in the run: every event to its sources at once, with no LaneEvent made per event. */
  pump?(): Promise<void>;
  close(): Promise<void>;
}

interface LaneEvent {
  /** The merge key: the event's time (the earliest over the sources it goes to). */
  ts: number;
  record: RecordValue;
  location: EventOrigin;
  /** Per source of a streamed lane: the event's time there (NaN: skipped by that source). */
  times?: number[];
}

/**
 * Local ordering: each input streamed while it stays in event-time order (a lane for all its
 * sources), or sorted first (a lane per source); the lanes merged by event time, ties in input order.
 */
export async function runLocal(feeds: Feed[], o: LocalOptions): Promise<void> {
  const lanes: Lane[] = [];
  try {
    for (const f of feeds) {
      if (o.sort.has(f.alias.toLowerCase())) lanes.push(...(await sortedLanes(f, o)));
      else lanes.push(streamedLane(f, o));
    }
    const deliver = (lane: Lane, event: LaneEvent) => {
      try {
        lane.deliver(event);
      } catch (error) {
        if (error instanceof OutOfOrderInput) throw error;
        o.tooDeep(error, event.location);
      }
    };
    if (lanes.length === 1) {
      const lane = lanes[0];
      if (lane.pump) return await lane.pump();
      for (let batch = await lane.next(); batch; batch = await lane.next()) for (let i = 0; i < batch.length; i++) deliver(lane, batch[i]);
      return;
    }
    const heads: (LaneEvent[] | undefined)[] = await Promise.all(lanes.map((l) => l.next()));
    const at = lanes.map(() => 0);
    for (;;) {
      let pick = -1;
      let best = Infinity;
      for (let i = 0; i < lanes.length; i++) {
        const batch = heads[i];
        if (batch === undefined) continue;
        const t = batch[at[i]].ts;
        if (pick < 0 || t < best) {
          pick = i;
          best = t;
        }
      }
      if (pick < 0) break;
      deliver(lanes[pick], heads[pick]![at[pick]]);
      if (++at[pick] >= heads[pick]!.length) {
        heads[pick] = await lanes[pick].next();
        at[pick] = 0;
      }
    }
  } finally {
    // A run stopped by an error closes the files it was reading and removes its spill.
    await Promise.all(lanes.map((l) => l.close()));
  }
}

/** An input read as it is, its order checked per source: out of order, the run starts over sorting it. */
function streamedLane(f: Feed, o: LocalOptions): Lane {
  const reader = eventBatches(f.events)[Symbol.asyncIterator]();
  const sources = f.sources;
  const last = sources.map(() => -Infinity);
  const restartable = o.restartable.has(f.alias.toLowerCase());
  return {
    feed: f,
    async next() {
      for (;;) {
        const next = await reader.next();
        if (next.done) return undefined;
        const out: LaneEvent[] = [];
        for (const event of next.value) {
          f.read++;
          o.progress();
          const record = o.typed(f, event);
          if (record === undefined) continue;
          const arrival = event.arrivalTime ?? f.arrivalOf(record) ?? o.arrivalTime;
          if (sources.length === 1) {
            const ts = sources[0].timeOf(record, arrival, event.location);
            if (ts !== undefined) out.push({ ts, record, location: event.location });
            continue;
          }
          const times = sources.map((s) => s.timeOf(record, arrival, event.location) ?? NaN);
          let ts = Infinity;
          for (const t of times) if (t < ts) ts = t;
          if (ts !== Infinity) out.push({ ts, record, location: event.location, times });
        }
        if (out.length) return out;
      }
    },
    deliver(event) {
      for (let i = 0; i < sources.length; i++) {
        const ts = event.times ? event.times[i] : event.ts;
        if (Number.isNaN(ts)) continue;
        if (ts < last[i]) throw new OutOfOrderInput(f.alias, event.location, restartable);
        last[i] = ts;
        sources[i].pushInOrder(event.record, ts, event.location);
      }
    },
    async pump() {
      // The arrival time is read only for a source without TIMESTAMP BY (the others do not use it).
      const arrivals = sources.some((s) => !s.hasTimestampBy);
      const typing = f.typing !== undefined;
      for (let next = await reader.next(); !next.done; next = await reader.next()) {
        const batch = next.value;
        for (let k = 0; k < batch.length; k++) {
          const event = batch[k];
          f.read++;
          o.progress();
          const record = typing ? o.typed(f, event) : event.record;
          if (record === undefined) continue;
          const arrival = arrivals ? event.arrivalTime ?? f.arrivalOf(record) ?? o.arrivalTime : NaN;
          for (let i = 0; i < sources.length; i++) {
            const ts = sources[i].timeOf(record, arrival, event.location);
            if (ts === undefined) continue;
            if (ts < last[i]) throw new OutOfOrderInput(f.alias, event.location, restartable);
            last[i] = ts;
            try {
              sources[i].pushInOrder(record, ts, event.location);
            } catch (error) {
              o.tooDeep(error, event.location);
            }
          }
        }
      }
    },
    async close() {
      await reader.return?.();
    },
  };
}

/** An input read whole first: its events sorted by each source's event time (bounded memory, spilled to disk). */
async function sortedLanes(f: Feed, o: LocalOptions): Promise<Lane[]> {
  const sorters = f.sources.map(() => new EventSorter(o.sortRunSize, o.tempDir));
  try {
    for await (const batch of eventBatches(f.events)) {
      for (const event of batch) {
        f.read++;
        o.progress();
        const record = o.typed(f, event);
        if (record === undefined) continue;
        const arrival = event.arrivalTime ?? f.arrivalOf(record) ?? o.arrivalTime;
        for (let i = 0; i < sorters.length; i++) {
          const ts = f.sources[i].timeOf(record, arrival, event.location);
          // The event as read: CREATE TABLE typing is applied again when it leaves the sorter.
          if (ts !== undefined) sorters[i].add(ts, event.record, event.location);
        }
      }
    }
  } catch (error) {
    for (const s of sorters) s.discard();
    throw error;
  }
  return sorters.map((sorter, i) => {
    const source = f.sources[i];
    const reader = sorter.sorted()[Symbol.asyncIterator]();
    return {
      feed: f,
      async next() {
        const next = await reader.next();
        if (next.done) return undefined;
        const batch = next.value as LaneEvent[];
        if (f.typing) for (const e of batch) e.record = (f.typing(e.record) as { record: RecordValue }).record;
        return batch;
      },
      deliver(event) {
        source.pushInOrder(event.record, event.ts, event.location);
      },
      async close() {
        await reader.return?.(undefined);
        sorter.discard();
      },
    };
  });
}
