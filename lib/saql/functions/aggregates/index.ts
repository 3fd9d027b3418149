// Every aggregate of SAQL, by lower-case name.
import type { AggregateDefinition } from "./types";

export const AGGREGATES: Record<string, AggregateDefinition> = {};
