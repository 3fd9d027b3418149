// What a scalar function sees besides its arguments.
import type { RecordValue, Value } from "../values";
import type { SaqlType } from "./types";

/**
 * Per-call context the engine passes to every scalar function.
 * Everything is optional: a function that needs a missing piece raises a clear error.
 */
export interface FunctionContext {
  /**
   * The metadata of the event the call reads, as GetMetadataPropertyValue sees it:
   * adapter properties grouped by adapter (`{ EventHub: { EventEnqueuedUtcTime, PartitionId, … } }`,
   * `{ IoTHub: { ConnectionDeviceId, … } }`, `{ BlobName, BlobLastModifiedUtcTime }` …), user
   * properties under `User` (`{ User: { myProp: … } }`) and `EventId` when known.
   * Lookups are case-insensitive. For a join, the engine passes the metadata of the input the
   * first argument names.
   */
  metadata?: RecordValue;
  /**
   * Static types of the arguments from the checker, where known. Only needed where a JS
   * number alone cannot tell bigint from float (GetType, CAST to nvarchar(max) of a float 2.0).
   */
  argTypes?: (SaqlType | undefined)[];
  /**
   * The job's compatibility level (default 1.2). Geospatial predicates use projected geometry
   * from 1.2 and geography (ring orientation matters) before, as
   * stream-analytics-compatibility-level.md describes.
   */
  compatibilityLevel?: "1.0" | "1.1" | "1.2";
}

/** A scalar built-in: evaluated once per row. Throws ConversionError / FunctionArgumentError where ASA fails the event. */
export type ScalarFunction = (args: Value[], ctx: FunctionContext) => Value;

/**
 * A table-valued helper used with CROSS APPLY / OUTER APPLY (GetArrayElements,
 * GetRecordProperties): one row per element. NULL or a value of the wrong type yields no rows.
 */
export type TableFunction = (args: Value[], ctx: FunctionContext) => RecordValue[];
