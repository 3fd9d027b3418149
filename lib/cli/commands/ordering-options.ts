// The options `run` and `test` share about event time: --ordering and --arrival-time.
import type { Command } from "commander";
import { StreamkitError } from "../../core/errors";
import { ORDERINGS, parseArrivalTime, type Ordering } from "../../simulator/ordering";
import type { DateTimeValue } from "../../saql/values";

export interface OrderingOptions {
  ordering?: string;
  arrivalTime?: string;
}

export function addOrderingOptions(command: Command): Command {
  return command
    .option(
      "--ordering <local|cloud>",
      "local (default): each input's events in event-time order, no ordering policy, as ASA's local runs; cloud: arrival order with the job's late-arrival and out-of-order policies",
    )
    .option("--arrival-time <instant>", "arrival time of events that carry none, e.g. 2024-01-01T00:00:00Z (default: the run's start); without TIMESTAMP BY every such event has this time");
}

/** The parsed options; a bad value is a usage error (exit 2). */
export function readOrderingOptions(options: OrderingOptions): { ordering?: Ordering; arrivalTime?: DateTimeValue } {
  let ordering: Ordering | undefined;
  if (options.ordering !== undefined) {
    if (!ORDERINGS.includes(options.ordering as Ordering)) throw new StreamkitError(`--ordering takes local or cloud, got '${options.ordering}'`, undefined, "USAGE");
    ordering = options.ordering as Ordering;
  }
  let arrivalTime: DateTimeValue | undefined;
  if (options.arrivalTime !== undefined) {
    arrivalTime = parseArrivalTime(options.arrivalTime);
    if (arrivalTime === undefined) throw new StreamkitError(`--arrival-time takes an ISO 8601 instant with its zone, e.g. 2024-01-01T00:00:00Z; got '${options.arrivalTime}'`, undefined, "USAGE");
  }
  return { ordering, arrivalTime };
}
