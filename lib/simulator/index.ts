// The local simulator's API: run a job's query on events in memory or in files, and run query tests.
export * from "./run";
export * from "./run-files";
export * from "./testing";
