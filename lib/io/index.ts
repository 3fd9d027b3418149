// Event I/O: readers that turn local files into InputEvents, writers that turn output rows into
// files the way ASA writes them.
export * from "./types";
export { openEventSource, type EventSourceOptions } from "./source";
export { serializationFromPath, requireSerializationFromPath, serializationTypeFromName } from "./formats";
export { parseDateTime } from "./datetime";
export { formatRows, writeOutputFile, toOutputJson } from "./writers";
export { readExpectedRows } from "./expected";
