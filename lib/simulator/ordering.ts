// The two orderings of a run's input events, and arrival times given as text. Kept apart from
// run.ts so the CLI and the test-case reader can name them without loading the engine.
import { parseDateTime } from "../saql/functions/datetime-text";
import type { DateTimeValue } from "../saql/values";

/**
 * How input events are ordered: "local" (ASA's local runs: by event time, no ordering policy; the
 * default) or "cloud" (arrival order with the job's late-arrival and out-of-order policies).
 */
export type Ordering = "local" | "cloud";
export const ORDERINGS: readonly Ordering[] = ["local", "cloud"];

/**
 * An arrival time given as text (`--arrival-time`, case.json `arrivalTime`): an ISO 8601 instant
 * with its zone (a bare local time would depend on the machine), exact to 100 ns; undefined when
 * it is not one.
 */
export function parseArrivalTime(text: string): DateTimeValue | undefined {
  if (!/^\d{4}-\d\d-\d\dT.*(Z|[+-]\d\d:?\d\d)$/i.test(text)) return undefined;
  return parseDateTime(text);
}
