// Reads expected output rows (as ASA writes them: JSON lines or an array, CSV, Avro,
// Parquet). Unlike an input, an expected file must be entirely well-formed.
import { StreamkitError } from "../core/errors";
import type { Serialization } from "../job/schema";
import type { RecordValue } from "../saql/values";
import { requireSerializationFromPath } from "./formats";
import { openEventSource } from "./source";
import type { DeserializationError } from "./types";

export async function readExpectedRows(path: string, serialization: Serialization = requireSerializationFromPath(path)): Promise<RecordValue[]> {
  const errors: DeserializationError[] = [];
  const rows: RecordValue[] = [];
  for await (const event of openEventSource(path, serialization, { onDeserializationError: (e) => errors.push(e) })) {
    rows.push(event.record);
  }
  if (errors.length > 0) {
    const [first] = errors;
    throw new StreamkitError(`malformed expected output: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}`, first.location, "EXPECTED_FILE");
  }
  return rows;
}
