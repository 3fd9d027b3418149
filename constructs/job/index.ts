export * from "./stream-analytics-job";
export * from "./alerts";
export * from "./functions";
export * from "./inputs";
export * from "./outputs";
export * from "./role-assignments";
export * from "./sql-setup";
export * from "./streaming-units";
export { formatDiagnostic, checkJobQuery } from "./query-check";
