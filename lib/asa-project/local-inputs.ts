// What `streamkit run --project <dir>` reads: each local input of the project (Local_*.json)
// opened as a RunInput for the engine.
import { existsSync } from "node:fs";
import { StreamkitError } from "../core/errors";
import { openEventSource } from "../io/source";
import type { EventSource, ReadOptions } from "../io/types";
import type { AsaProject, ProjectLocalInput } from "./project";

export interface ProjectRunInput {
  alias: string;
  type: "stream" | "reference";
  path: string;
  events: EventSource;
}

/** Opens every local input of a project; a missing data file fails here, naming its Local_*.json. */
export function localInputsOfProject(project: AsaProject, options: ReadOptions = {}): ProjectRunInput[] {
  return project.localInputs.map((local) => {
    const input = project.job.spec.inputs.find((i) => i.alias.toLowerCase() === local.alias.toLowerCase());
    try {
      return {
        alias: local.alias,
        type: local.type,
        path: local.path,
        events: openEventSource(local.path, local.serialization, { ...options, arrivalTimeField: input?.local?.arrivalTimeField }),
      };
    } catch (error) {
      if (error instanceof StreamkitError && error.code === "IO_FILE") {
        throw new StreamkitError(`local input '${local.alias}': ${error.message}`, { file: local.declaredIn, jsonPath: "FilePath" }, "ASA_PROJECT");
      }
      throw error;
    }
  });
}

/** The local input files that do not exist, each named at its Local_*.json: what `run --project` stops on. */
export function missingLocalFiles(locals: readonly ProjectLocalInput[]): StreamkitError[] {
  return locals
    .filter((local) => !existsSync(local.path))
    .map((local) => new StreamkitError(`local input '${local.alias}': input file not found: ${local.path}`, { file: local.declaredIn, jsonPath: "FilePath" }, "IO_FILE"));
}
