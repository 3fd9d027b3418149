export * from "./streaming-pipeline";
export * from "./log-analytics";
export * from "./service-bus-queue";
export * from "./cosmos-container";
