// Values the checker needs from the job model, kept here so that loading the front end does
// not load zod (about 150 ms of a CLI start). The types come from lib/job, and the
// assertions below fail to compile if the job model's lists change.
import type { OutputKind, SaqlType } from "../../job/schema";

/** SAQL's data types, as CREATE TABLE and CAST accept them. */
export const SAQL_TYPE_NAMES = ["bigint", "float", "nvarchar(max)", "datetime", "bit", "record", "array"] as const satisfies readonly SaqlType[];

/** Sinks whose rows must fit a declared table (lib/job's TABLE_OUTPUT_KINDS). */
export const TABLE_SINKS: readonly OutputKind[] = ["sql", "synapse"];

type Unlisted = Exclude<SaqlType, (typeof SAQL_TYPE_NAMES)[number]>;
const everyTypeListed: [Unlisted] extends [never] ? true : never = true;
void everyTypeListed;
