// The query file a command is given: every command says the same thing when it is missing.
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { StreamkitError } from "../core/errors";

export function readQueryFile(path: string): string {
  const full = resolve(path);
  const stat = statSync(full, { throwIfNoEntry: false });
  if (!stat) throw new StreamkitError(`query file not found: ${full}`, undefined, "QUERY_FILE");
  if (stat.isDirectory()) throw new StreamkitError(`${full} is a folder, not a query file (for an ASA project, use --project)`, undefined, "QUERY_FILE");
  try {
    return readFileSync(full, "utf8");
  } catch (error) {
    throw new StreamkitError(`cannot read the query file ${full}: ${(error as Error).message}`, undefined, "QUERY_FILE");
  }
}
