// The contract between event readers (lib/io) and the engine (lib/saql, lib/simulator).
import type { DataErrorType } from "../core/data-errors";
import type { RecordValue } from "../saql/values";

/** Where an event came from: `file:line` (line of the JSON line / CSV row; for a JSON array, the line its object starts on; Avro/Parquet: record number). */
export interface EventLocation {
  file: string;
  line: number;
}

/** One deserialized event as it enters the job. */
export interface InputEvent {
  record: RecordValue;
  /**
   * Arrival time (EventEnqueuedUtcTime, IoTHub.EnqueuedTime, BlobLastModifiedUtcTime …), when the
   * reader knows it: an instant, 100 ns ticks since 2025-01-01 (lib/saql/instant.ts: instantOf, instantOfMs).
   */
  arrivalTime?: number;
  location: EventLocation;
}

/** A malformed event: skipped and counted, as ASA does; the run goes on. */
export interface DeserializationError {
  message: string;
  location: EventLocation;
  /** ASA's data error type; default InputDeserializerError.InvalidData (a malformed event). */
  type?: DataErrorType;
}

export interface ReadOptions {
  /** Called for each malformed event; the reader skips it and goes on. */
  onDeserializationError?: (error: DeserializationError) => void;
}

/** A stream of events in file order. */
export type EventSource = AsyncIterable<InputEvent>;

/** Events in file order, a batch at a time: one await per batch rather than per event. */
export type EventBatches = AsyncIterable<InputEvent[]>;

/** What `openEventSource` returns: its events one by one, or the same events a batch at a time. */
export interface BatchedEventSource extends EventSource {
  batches(): EventBatches;
  /**
   * The input partitions (PartitionId values) the events come from, when the source knows them
   * before reading (a Capture folder's partition folders): cloud ordering then holds each one's
   * watermark from the start, an idle one at the latest arrival − the late-arrival tolerance.
   */
  partitions?: readonly number[];
}
