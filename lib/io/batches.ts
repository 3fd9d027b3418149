// Any stream of events as batches, so a consumer (the run loop) awaits once per batch: a file
// source gives its reader's batches as they are; an array is one batch; other iterables are cut
// into batches; an async stream of single events, which has nothing to batch, gives one per event.
import type { BatchedEventSource, EventBatches, InputEvent } from "./types";

/** Events taken from a synchronous iterable per batch. */
const SYNC_BATCH = 1024;

export function hasBatches(events: unknown): events is BatchedEventSource {
  return typeof (events as Partial<BatchedEventSource>).batches === "function";
}

export function eventBatches(events: AsyncIterable<InputEvent> | Iterable<InputEvent>): EventBatches {
  if (hasBatches(events)) return events.batches();
  if (Array.isArray(events)) return oneBatch(events);
  if (Symbol.iterator in events) return syncBatches(events as Iterable<InputEvent>);
  return singles(events as AsyncIterable<InputEvent>);
}

async function* oneBatch(events: InputEvent[]): AsyncGenerator<InputEvent[]> {
  if (events.length) yield events;
}

async function* syncBatches(events: Iterable<InputEvent>): AsyncGenerator<InputEvent[]> {
  let batch: InputEvent[] = [];
  for (const event of events) {
    batch.push(event);
    if (batch.length === SYNC_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

async function* singles(events: AsyncIterable<InputEvent>): AsyncGenerator<InputEvent[]> {
  for await (const event of events) yield [event];
}
