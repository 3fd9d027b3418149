// JavaScript user-defined functions and aggregates: loading, sandboxing, type mapping.
export * from "./javascript";
export { loadJobFunctions, type JobFunctions } from "./job-functions";
