// The direction of imports (../shared/DESIGN.md), as a checker that tests run over the tree.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname, sep } from "node:path";

export interface ImportViolation {
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

const IMPORT_RE = /(?:\bimport\s[^'"]*?from\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+|\bexport\s[^'"]*?from\s*)["']([^"']+)["']/g;

/** Every module specifier of a source text, with its line. */
export function importsOf(text: string): { specifier: string; line: number }[] {
  const found: { specifier: string; line: number }[] = [];
  for (const match of text.matchAll(IMPORT_RE)) {
    const line = text.slice(0, match.index).split("\n").length;
    found.push({ specifier: match[1]!, line });
  }
  return found;
}

function topFolder(projectRelative: string): string {
  return projectRelative.split(/[\\/]/)[0] ?? "";
}

/** The rules for one file (path relative to the project) importing one specifier. */
export function checkImport(file: string, specifier: string): string | undefined {
  const from = file.split(sep).join("/");
  // Every prebuilt provider (azurerm, databricks) goes through the same seam.
  const provider = /^@cdktf\/(provider-[a-z0-9-]+)(\/lib(\/index)?)?$/.exec(specifier);
  if (provider) {
    return `import provider classes by deep path (@cdktf/${provider[1]}/lib/<resource>), never from the package root`;
  }
  const deep = /^@cdktf\/(provider-[a-z0-9-]+)\//.exec(specifier);
  if (deep && !from.startsWith("constructs/") && !from.startsWith("test/architecture/")) {
    return `only constructs/ imports @cdktf/${deep[1]}`;
  }
  if (from.startsWith("lib/")) {
    if (specifier.startsWith(".")) {
      const target = relative(".", join(dirname(from), specifier)).split(sep).join("/");
      if (["constructs", "stacks"].includes(topFolder(target)) || target === "main") {
        return "lib/ never imports constructs/, stacks/ or main.ts";
      }
    }
    if (from.startsWith("lib/saql/") && (/^(cdktf|constructs)(\/|$)/.test(specifier) || specifier.startsWith("@azure/") || specifier.startsWith("@cdktf/"))) {
      return "lib/saql/ knows nothing of cdktf or the Azure SDK";
    }
  }
  return undefined;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "cdktf.out" || name === "dist" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|js)$/.test(name)) out.push(path);
  }
  return out;
}

/** Checks every source file under the given project folders. */
export function findImportViolations(projectDir: string, folders: string[]): ImportViolation[] {
  const root = resolve(projectDir);
  const violations: ImportViolation[] = [];
  for (const folder of folders) {
    const abs = join(root, folder);
    let files: string[];
    try {
      files = statSync(abs).isDirectory() ? sourceFiles(abs) : [abs];
    } catch {
      continue;
    }
    for (const path of files) {
      const file = relative(root, path);
      // The checker and its tests hold forbidden imports as data.
      if (file.split(sep).join("/").startsWith("test/architecture/")) continue;
      for (const { specifier, line } of importsOf(readFileSync(path, "utf8"))) {
        const rule = checkImport(file, specifier);
        if (rule) violations.push({ file, line, specifier, rule });
      }
    }
  }
  return violations;
}
