// The engine's runQuery, the default for the CLI; tests of the runner inject their own.
// Loaded on first use, so reading, comparing and reporting cases never load the engine.
import type { RunQuery } from "./types";

export function loadRunQuery(): RunQuery {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const engine = require("../run") as typeof import("../run");
  return engine.runQuery;
}
