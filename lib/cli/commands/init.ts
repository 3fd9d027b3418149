import type { Command } from "commander";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { StreamkitError } from "../../core/errors";
import { streamkitPackage } from "../../core/package-info";
import { SOLUTION_NAME, scaffoldFiles } from "../init/template";

interface InitOptions {
  solution: string;
  streamkit?: string;
}

/** `streamkit init <dir>`: a new cdktf app with one pipeline stack, its query and tests. */
export function registerInit(program: Command): void {
  program
    .command("init")
    .description("create a cdktf app that uses streamkit: one pipeline stack per environment (Event Hubs → job → ADLS), its query with a test case, a synth snapshot test")
    .argument("<dir>", "the new project's folder (missing or empty)")
    .option("--solution <name>", "the solution's short name, 2-10 lowercase letters and digits (goes into Azure resource names)", "telemetry")
    .option("--streamkit <spec>", "what package.json depends on for streamkit (default: this version; a tarball or folder as file:<path>)")
    .action((dir: string, options: InitOptions) => {
      if (!SOLUTION_NAME.test(options.solution)) {
        throw new StreamkitError(`--solution '${options.solution}' is not a solution name: 2-10 lowercase letters and digits, starting with a letter`, undefined, "USAGE");
      }
      const target = resolve(dir);
      if (existsSync(target) && readdirSync(target).length > 0) {
        throw new StreamkitError(`${dir} is not empty: give a new or empty folder`, { file: dir }, "USAGE");
      }
      const pkg = streamkitPackage();
      const pin = (name: string): string => {
        const version = pkg.devDependencies[name] ?? pkg.dependencies[name];
        if (!version) throw new Error(`streamkit's package.json pins no version of ${name}`);
        return version;
      };
      const files = scaffoldFiles({
        project: npmName(basename(target)),
        solution: options.solution,
        streamkitSpec: options.streamkit ?? pkg.version,
        versions: {
          cdktf: pin("cdktf"),
          constructs: pin("constructs"),
          cdktfCli: pin("cdktf-cli"),
          tsx: pin("tsx"),
          typescript: pin("typescript"),
          typesNode: pin("@types/node"),
        },
        projectId: randomUUID(),
      });
      for (const [path, text] of Object.entries(files)) {
        const file = join(target, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text, { flag: "wx" });
      }
      const rel = relative(process.cwd(), target);
      const shown = rel === "" ? "." : rel.startsWith("..") ? target : rel;
      process.stdout.write(
        `created ${shown}/ (${Object.keys(files).length} files): stacks ${options.solution}-dev and ${options.solution}-prod, query queries/${options.solution}/query.asaql\n\n` +
          `next:\n  cd ${shown}\n  npm install\n  npm run synth\n  npm test\n`,
      );
    });
}

/** A folder name as an npm package name: lowercase, letters, digits, '-', '.', '_'. */
function npmName(folder: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+/, "");
  return name || "streaming-app";
}
