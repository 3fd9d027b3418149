// Every aggregate of SAQL, by lower-case name. Reference: "Aggregate Functions" lists AVG,
// COUNT, Collect, CollectTOP, MAX, MIN, Percentile_Cont, Percentile_Disc, STDEV, STDEVP, SUM,
// TopOne, VAR, VARP.
import { NotSupportedError } from "../../../core/errors";
import type { AggregateDefinition } from "./types";
import { NUMERIC_AGGREGATES } from "./numeric";
import { ORDERED_AGGREGATES } from "./ordered";

/** DISTINCT is documented for COUNT only; elsewhere it is a clear stop rather than a silent ignore. */
function rejectDistinct(name: string, definition: AggregateDefinition): AggregateDefinition {
  if (name === "count") return definition;
  return {
    supportsRemove: definition.supportsRemove,
    ordered: definition.ordered,
    create: (call) => {
      if (call.distinct) throw new NotSupportedError(`${name.toUpperCase()}(DISTINCT …)`);
      return definition.create(call);
    },
  };
}

const ALL: Record<string, AggregateDefinition> = { ...NUMERIC_AGGREGATES, ...ORDERED_AGGREGATES };

export const AGGREGATES: Record<string, AggregateDefinition> = Object.fromEntries(
  Object.entries(ALL).map(([name, definition]) => [name, rejectDistinct(name, definition)]),
);
