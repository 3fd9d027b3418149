// case.json beside a streamkit test case: what the case needs beyond its files.
import { z } from "zod";
import { eventOrderingSchema } from "../../job/schema";
import { parseArrivalTime } from "../ordering";

export const caseFileSchema = z.strictObject({
  /** What the case shows, for people reading it. */
  description: z.string().optional(),
  /** Compare rows in order (default: as a multiset). */
  orderSensitive: z.boolean().default(false),
  /** Fields left out of the comparison, e.g. EventProcessedUtcTime. */
  ignoreFields: z.array(z.string().min(1)).default([]),
  /** Numbers within this absolute difference are equal. */
  floatTolerance: z.number().min(0).default(0),
  /** The case fails when more events than this fail to deserialize or convert (like `streamkit run --max-errors`). */
  maxErrors: z.number().int().min(0).optional(),
  /** The run must fail with an error whose message or code contains this text. */
  expectedError: z.string().min(1).optional(),
  /** Overrides of the job's event-ordering policy for this case. */
  eventOrdering: eventOrderingSchema.partial().optional(),
  /** Inputs read as reference data (jobs without job.json; a job.json says it itself). */
  referenceInputs: z.array(z.string().min(1)).default([]),
  /**
   * How input events are ordered: "local" (ASA's local runs: by event time, no ordering policy) or
   * "cloud" (arrival order with the job's late-arrival and out-of-order policies). Default: the
   * test command's --ordering, else local.
   */
  ordering: z.enum(["local", "cloud"]).optional(),
  /** The arrival time of events that carry none (ISO 8601), so a case without TIMESTAMP BY is reproducible. */
  arrivalTime: z
    .string()
    .refine((t) => parseArrivalTime(t) !== undefined, "an ISO 8601 instant with its zone, e.g. 2024-01-01T00:00:00Z")
    .optional(),
  /** Per input alias read from Event Hubs Capture files (`inputs/<alias>/`): the Capture path format, when not the default. */
  capturePathFormats: z.record(z.string(), z.string().min(1)).default({}),
  /** Per input alias: the field holding each event's arrival time. */
  arrivalTimeFields: z.record(z.string(), z.string().min(1)).default({}),
});
export type CaseFile = z.infer<typeof caseFileSchema>;
