// `streamkit run --report run.json`: what a run read, wrote and skipped, for machines (CI
// dashboards, alerting on data errors). Data errors are counted by ASA's DataErrorType
// (articles/stream-analytics/data-errors.md) with their first locations, like the example events
// of ASA's diagnostic logs. Every type of DATA_ERROR_TYPES is present, 0 when it did not occur.
import { DATA_ERROR_TYPES } from "../core/data-errors";
import type { RunStats } from "./run";

export interface RunReport {
  /** Version of this format. */
  version: 1;
  query?: string;
  ordering: RunStats["ordering"];
  /** The arrival time given to events that carry none (ISO 8601). */
  arrivalTime: string;
  inputs: Record<string, { eventsRead: number }>;
  outputs: Record<string, { rowsWritten: number; file?: string }>;
  /** Cloud ordering only: what the job's policy did. */
  orderingPolicy?: { lateAdjusted: number; lateDropped: number; outOfOrderAdjusted: number; outOfOrderDropped: number; earlyDropped: number };
  dataErrors: {
    total: number;
    byType: Record<string, { count: number; first: { location?: string; message: string }[] }>;
  };
}

export function runReport(stats: RunStats, files: Record<string, string>, queryFile?: string): RunReport {
  const byType: RunReport["dataErrors"]["byType"] = {};
  for (const type of DATA_ERROR_TYPES) byType[type] = { count: 0, first: [] };
  let total = 0;
  for (const e of stats.errors) {
    byType[e.type] = { count: e.count, first: e.first.map((f) => (f.origin === undefined ? { message: f.message } : { location: f.origin, message: f.message })) };
    total += e.count;
  }
  return {
    version: 1,
    ...(queryFile ? { query: queryFile } : {}),
    ordering: stats.ordering,
    arrivalTime: stats.arrivalTime.toString(),
    inputs: Object.fromEntries(Object.entries(stats.eventsRead).map(([alias, n]) => [alias, { eventsRead: n }])),
    outputs: Object.fromEntries(Object.entries(stats.rowsWritten).map(([alias, n]) => [alias, { rowsWritten: n, ...(files[alias] ? { file: files[alias] } : {}) }])),
    ...(stats.ordering === "cloud"
      ? {
          orderingPolicy: {
            lateAdjusted: stats.lateAdjusted,
            lateDropped: stats.lateDropped,
            outOfOrderAdjusted: stats.outOfOrderAdjusted,
            outOfOrderDropped: stats.outOfOrderDropped,
            earlyDropped: stats.earlyDropped,
          },
        }
      : {}),
    dataErrors: { total, byType },
  };
}

export function formatRunReport(stats: RunStats, files: Record<string, string>, queryFile?: string): string {
  return JSON.stringify(runReport(stats, files, queryFile), null, 2) + "\n";
}
