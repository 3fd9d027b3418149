// Event I/O: readers that turn local files into InputEvents, writers that turn output rows into
// files the way ASA writes them.
export * from "./types";
export { openEventSource, openEventBatches, type EventSourceOptions } from "./source";
export { eventBatches, hasBatches } from "./batches";
export { serializationFromPath, requireSerializationFromPath, serializationTypeFromName } from "./formats";
export { compressionOfFile, compressionFromBytes } from "./compression-sniff";
export { parseDateTime } from "./datetime";
export { formatRows, writeOutputFile, toOutputJson } from "./writers";
export { readExpectedRows } from "./expected";
