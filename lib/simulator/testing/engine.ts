// The engine's runQuery (lib/simulator/run.ts), loaded when a test first runs, so the test
// runner works with an injected engine in unit tests and with the real one from the CLI.
import { StreamkitError } from "../../core/errors";
import type { RunQuery } from "./types";

export function loadRunQuery(): RunQuery {
  let engine: { runQuery?: RunQuery };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    engine = require("../run") as { runQuery?: RunQuery };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND" || !String((error as Error).message).includes("../run")) throw error;
    return async () => {
      throw new StreamkitError("the local engine (lib/simulator/run.ts) is not installed in this build: no query can run yet", undefined, "ENGINE_MISSING");
    };
  }
  if (typeof engine.runQuery !== "function") {
    throw new StreamkitError("lib/simulator/run.ts does not export runQuery", undefined, "ENGINE_MISSING");
  }
  return engine.runQuery;
}
