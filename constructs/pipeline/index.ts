export * from "./streaming-pipeline";
export * from "./log-analytics";
