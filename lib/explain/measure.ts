// A workload measured from a local input file: its event rate (events over the span of their event
// or arrival times), the average event size, and the distinct values of the query's grouping keys.
import type { Serialization } from "../job/schema";
import { openEventSource } from "../io";
import { parseDateTimeInstant } from "../saql/functions/datetime-text";
import { TICKS_PER_SECOND } from "../saql/instant";
import { getField, type RecordValue } from "../saql/values";

export interface Measured {
  file: string;
  events: number;
  /** Seconds between the first and last event time; undefined when the events carry no time. */
  seconds?: number;
  eventsPerSecond?: number;
  eventBytes: number;
  /** The most distinct key tuples among the key sets given. */
  keys?: number;
}

export async function measureInputFile(
  file: string,
  serialization: Serialization,
  options: { timeField?: string; arrivalTimeField?: string; keySets: string[][] },
): Promise<Measured> {
  const source = openEventSource(file, serialization, { arrivalTimeField: options.arrivalTimeField });
  let events = 0;
  let bytes = 0;
  let first = Infinity;
  let last = -Infinity;
  const distinct = options.keySets.map(() => new Set<string>());
  for await (const event of source) {
    events++;
    bytes += Buffer.byteLength(JSON.stringify(event.record));
    const t = timeOf(event.record, options.timeField) ?? event.arrivalTime;
    if (t !== undefined && Number.isFinite(t)) {
      first = Math.min(first, t);
      last = Math.max(last, t);
    }
    options.keySets.forEach((keys, i) => distinct[i]!.add(JSON.stringify(keys.map((k) => getField(event.record, k) ?? null))));
  }
  const seconds = last > first ? (last - first) / TICKS_PER_SECOND : undefined;
  return {
    file,
    events,
    seconds,
    eventsPerSecond: seconds ? events / seconds : undefined,
    eventBytes: events ? Math.round(bytes / events) : 0,
    keys: distinct.length ? Math.max(...distinct.map((d) => d.size)) : undefined,
  };
}

function timeOf(record: RecordValue, field: string | undefined): number | undefined {
  if (!field) return undefined;
  const value = getField(record, field);
  return typeof value === "string" ? parseDateTimeInstant(value) : undefined;
}
