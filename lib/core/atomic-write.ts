import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { releaseTemp, removeStaleTemps, removeTemp, tempPathFor } from "./temp-files";

/** Writes a file whole or not at all: a temporary file beside it, then a rename. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  removeStaleTemps(path);
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
    releaseTemp(tmp);
  } catch (error) {
    removeTemp(tmp);
    throw error;
  }
}
