// The manifest of an ASA project: asaproj.json (VS Code) or <name>.asaproj (Visual Studio,
// MSBuild XML). Both list the query file and the configuration files with their SubType; the
// rest of the reader does not care which one it came from.
import { existsSync, readdirSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { StreamkitError, type SourceLocation } from "../core/errors";
import { readJsonFile, validate } from "./json-file";
import { asaprojSchema } from "./schemas";

export interface ManifestEntry {
  /** The path as written (Windows separators allowed). */
  path: string;
  subType?: string;
  /** Where the entry is written, for errors. */
  at: SourceLocation;
}

export interface ProjectManifest {
  /** asaproj.json or the .asaproj file, absolute. */
  file: string;
  name: string;
  startFile: ManifestEntry;
  configurations: ManifestEntry[];
}

/** `dir`, `dir/asaproj.json` or `dir/x.asaproj` → the manifest file. A folder's asaproj.json wins over an .asaproj beside it. */
export function findManifest(path: string): string {
  const full = resolve(path);
  if (!existsSync(full)) throw new StreamkitError(`ASA project not found: ${full}`, { file: full }, "ASA_PROJECT");
  if (!statSync(full).isDirectory()) return full;
  const json = join(full, "asaproj.json");
  if (existsSync(json)) return json;
  const vs = readdirSync(full).filter((n) => extname(n).toLowerCase() === ".asaproj");
  if (vs.length === 1) return join(full, vs[0]);
  if (vs.length > 1) throw new StreamkitError(`several Visual Studio projects in ${full} (${vs.join(", ")}): name one`, { file: full }, "ASA_PROJECT");
  throw new StreamkitError(`no asaproj.json in ${full} (nor a Visual Studio .asaproj)`, { file: full }, "ASA_PROJECT");
}

export function readManifest(file: string): ProjectManifest {
  if (extname(file).toLowerCase() === ".asaproj") {
    // The XML reader loads only for Visual Studio projects.
    const { readVsProject } = require("./vs-project") as typeof import("./vs-project");
    return readVsProject(file);
  }
  const proj = validate(asaprojSchema, readJsonFile(file, "asaproj.json"), file);
  return {
    file,
    name: proj.name,
    startFile: { path: proj.startFile, at: { file, jsonPath: "startFile" } },
    configurations: proj.configurations.map((c, i) => ({ path: c.filePath, subType: c.subType, at: { file, jsonPath: `configurations[${i}].filePath` } })),
  };
}
