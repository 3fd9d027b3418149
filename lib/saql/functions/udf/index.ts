// JavaScript user-defined functions and aggregates: loading, their thread (time and memory limits), type mapping.
export * from "./javascript";
export { loadJobFunctions, type JobFunctions } from "./job-functions";
