// The engine's runQuery, the default for the CLI; tests of the runner inject their own.
import { runQuery } from "../run";
import type { RunQuery } from "./types";

export function loadRunQuery(): RunQuery {
  return runQuery;
}
