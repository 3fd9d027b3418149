// Reads expected output rows (as ASA writes them: JSON lines or an array, CSV, Avro,
// Parquet, or the objects joined by commas of an ASA local run's output.json). Unlike an input,
// an expected file must be entirely well-formed.
import { readFileSync } from "node:fs";
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
  if (errors.length > 0 && serialization.type === "json") {
    const joined = commaJoinedObjects(path);
    if (joined) return joined;
  }
  if (errors.length > 0) {
    const [first] = errors;
    throw new StreamkitError(`malformed expected output: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}`, first.location, "EXPECTED_FILE");
  }
  return rows;
}

/**
 * The rows of an ASA local run's `output.json` (ASALocalRun/<time>/output.json): the objects
 * joined by commas, no brackets (`{"a":1},{"a":2}`), which is neither JSON lines nor an array.
 */
function commaJoinedObjects(path: string): RecordValue[] | undefined {
  let text = readFileSync(path, "utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trimStart().startsWith("{")) return undefined;
  try {
    const rows: unknown = JSON.parse(`[${text}]`);
    return Array.isArray(rows) && rows.every((r) => typeof r === "object" && r !== null && !Array.isArray(r)) ? (rows as RecordValue[]) : undefined;
  } catch {
    return undefined;
  }
}
