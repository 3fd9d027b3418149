import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface StreamkitPackage {
  version: string;
  /** Where the package is: its folder holds package.json, bin/ and dist/ (or lib/ in a checkout). */
  dir: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

let cached: StreamkitPackage | undefined;

/**
 * streamkit's own package.json, found upwards from this module: two folders up from lib/core in
 * a source checkout, three from dist/lib/core in the installed package.
 */
export function streamkitPackage(): StreamkitPackage {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, "utf8")) as Partial<StreamkitPackage> & { name?: string };
      if (json.name === "streamkit") {
        return (cached = { version: json.version ?? "0.0.0", dir, dependencies: json.dependencies ?? {}, devDependencies: json.devDependencies ?? {} });
      }
    }
    if (dirname(dir) === dir) throw new Error(`streamkit's package.json not found above ${__dirname}`);
  }
}

/** streamkit's version, as its package.json says. */
export function streamkitVersion(): string {
  return streamkitPackage().version;
}
