// Opens a local event file with an input's serialization and yields its events in file order.
import { resolve } from "node:path";
import { NotSupportedError, StreamkitError } from "../core/errors";
import type { Serialization } from "../job/schema";
import { getField } from "../saql/values";
import { assertReadableFile, fileError, openByteStream, openTextChunks } from "./byte-stream";
import { compressionOfFile } from "./compression-sniff";
import { arrivalInstant } from "./datetime";
import { readJsonRecords, type Report } from "./readers/json";
import type { BatchedEventSource, EventBatches, InputEvent, ReadOptions } from "./types";

export interface EventSourceOptions extends ReadOptions {
  /** Field holding each event's arrival time (e.g. EventEnqueuedUtcTime); absent: none. */
  arrivalTimeField?: string;
}

/**
 * The events of a local file. A missing file or an unsupported format fails here, at once;
 * a malformed event is reported through `onDeserializationError` and skipped while reading.
 * Iterate it for one event at a time, or call `batches()` for the same events a batch at a
 * time (what the run loop does: one await per batch instead of per event).
 */
export function openEventSource(path: string, serialization: Serialization, options: EventSourceOptions = {}): BatchedEventSource {
  const batches = openEventBatches(path, serialization, options);
  return {
    batches: () => batches,
    [Symbol.asyncIterator]: () => flatten(batches),
  };
}

/** The events of a local file, a batch at a time (a batch per chunk, block or row group read). */
export function openEventBatches(path: string, serialization: Serialization, options: EventSourceOptions = {}): EventBatches {
  const file = resolve(path);
  assertReadableFile(file);
  if (serialization.type === "delta") throw new NotSupportedError("Delta Lake input", { file });
  if (serialization.encoding !== "utf8") throw new NotSupportedError(`input encoding '${serialization.encoding}'`, { file });
  // A local file says itself whether it is compressed: the job's input declares the live
  // stream's compression (an Event Hub's GZip), and a sample of it saved to disk is often plain.
  const read = { ...serialization, compression: compressionOfFile(file) };
  return {
    [Symbol.asyncIterator]: () => readEvents(file, read, options),
  };
}

async function* flatten(batches: EventBatches): AsyncGenerator<InputEvent> {
  for await (const batch of batches) yield* batch;
}

async function* readEvents(file: string, serialization: Serialization, options: EventSourceOptions): AsyncGenerator<InputEvent[]> {
  const report: Report = ({ message, line, type }) => options.onDeserializationError?.({ message, location: { file, line }, type });
  let batches: AsyncGenerator<InputEvent[]>;
  switch (serialization.type) {
    case "json":
      batches = readJsonRecords(openTextChunks(file, serialization.compression, (message) => report({ message, line: 1 })), file, report);
      break;
    case "csv":
      // The CSV, Avro and Parquet readers (and their libraries) load when a file of theirs is opened.
      batches = (require("./readers/csv") as typeof import("./readers/csv")).readCsvRecords(openByteStream(file, serialization.compression), file, serialization.fieldDelimiter ?? ",", report);
      break;
    case "avro":
      batches = (require("./readers/avro") as typeof import("./readers/avro")).readAvroRecords(openByteStream(file, serialization.compression), file, report);
      break;
    case "parquet":
      batches = (require("./readers/parquet") as typeof import("./readers/parquet")).readParquetRecords(file, serialization.compression, report);
      break;
    default:
      throw new NotSupportedError(`input serialization '${serialization.type}'`, { file });
  }
  const field = options.arrivalTimeField;
  try {
    for await (const batch of batches) {
      if (field === undefined) {
        if (batch.length) yield batch;
        continue;
      }
      // Events without a readable arrival time are reported and left out of the batch.
      const events: InputEvent[] = [];
      for (let i = 0; i < batch.length; i++) {
        const event = batch[i];
        const raw = getField(event.record, field);
        const t = arrivalInstant(raw);
        if (t === undefined) {
          report({
            message: raw === null ? `the arrival-time field '${field}' is missing` : `the arrival-time field '${field}' is not a datetime: ${JSON.stringify(raw)}`,
            line: event.location.line,
            type: "InputEventTimestampNotFound",
          });
          continue;
        }
        event.arrivalTime = t;
        events.push(event);
      }
      if (events.length) yield events;
    }
  } catch (error) {
    throw error instanceof StreamkitError ? error : fileError(file, error, serialization.type.toUpperCase());
  }
}
