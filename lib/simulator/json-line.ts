// One output row as a JSON line, the way lib/io's writer formats it (toOutputJson, then
// JSON.stringify), without copying the row first: engine rows hold no `undefined`, and a
// datetime's toJSON() is the same seven-digit text toOutputJson writes. A test keeps the two equal.
// jsonText also writes rows nested deeper than JSON.stringify's stack allows.
import { jsonText } from "../io/writers/json-text";
import type { RecordValue } from "../saql/values";

export function jsonLine(row: RecordValue): string {
  return jsonText(row);
}
