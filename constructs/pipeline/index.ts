export * from "./streaming-pipeline";
