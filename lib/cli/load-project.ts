// An ASA project as the CLI loads it: what the reader decided is said once, on stderr.
import type { AsaProject, LoadProjectOptions } from "../asa-project";

export function loadProjectWithNotes(path: string, options: LoadProjectOptions = {}): AsaProject {
  // The project reader (zod, XML, file layouts) loads only when a project is named.
  const { loadAsaProject } = require("../asa-project") as typeof import("../asa-project");
  const project = loadAsaProject(path, options);
  for (const note of project.notes) process.stderr.write(`note: ${note}\n`);
  return project;
}
