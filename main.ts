// The cdktf app: `cdktf synth` / `npm run synth` write every stack to cdktf.out/ and each
// example job's model to queries/<solution>/job.json. `--example` (npm start) then runs the
// example jobs' test cases on their bundled sample events with the local simulator.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { buildApp, writeJobFiles } from "./stacks/app";

async function main(): Promise<void> {
  const started = Date.now();
  // cdktf captures a full stack trace for every token it makes (thousands per stack); with
  // tsx's source maps on, each costs a source-map lookup: a third of the synth time. Our
  // errors say where they are in their messages, so synthesize without source maps.
  setSourceMaps(false);
  const app = buildApp(__dirname);
  app.synth();
  setSourceMaps(true);
  const stacks = app.node.children.map((c) => c.node.id);
  removeStaleStacks(app.outdir, stacks);
  const changed = writeJobFiles(app, __dirname);
  process.stdout.write(`synthesized ${stacks.length} stack(s) into cdktf.out/ in ${Date.now() - started} ms: ${stacks.join(", ")}\n`);
  for (const file of changed) process.stdout.write(`updated job file ${relative(process.cwd(), file)}\n`);
  if (process.argv.includes("--example")) await runExampleTests();
}

/** `process.setSourceMapsEnabled` (Node ≥ 16.6; missing from @types/node 20.9). */
function setSourceMaps(enabled: boolean): void {
  (process as NodeJS.Process & { setSourceMapsEnabled?: (on: boolean) => void }).setSourceMapsEnabled?.(enabled);
}

/** Stacks synthesized earlier but no longer in the app (renamed, removed): `streamkit policy cdktf.out` must not check them. */
function removeStaleStacks(outdir: string, current: string[]): void {
  const stacksDir = join(outdir, "stacks");
  if (!existsSync(stacksDir)) return;
  for (const name of readdirSync(stacksDir)) {
    if (!current.includes(name)) rmSync(join(stacksDir, name), { recursive: true, force: true });
  }
}

/** The example jobs' test cases, as `streamkit test queries` runs them. */
async function runExampleTests(): Promise<void> {
  // require, not import(): under `node --require tsx/cjs` an import() goes to Node's ES module
  // loader, which neither resolves a directory nor compiles TypeScript.
  const { discoverCases, runCases, loadRunQuery, formatCaseLine, formatFailure, summaryLine } = require("./lib/simulator/testing") as typeof import("./lib/simulator/testing");
  const report = { color: false, cwd: process.cwd() };
  process.stdout.write("\nrunning the example jobs' test cases (streamkit test queries):\n");
  const results = await runCases(discoverCases([`${__dirname}/queries`]), {
    runQuery: loadRunQuery(),
    onResult: (result) => {
      process.stdout.write(formatCaseLine(result, report) + "\n");
      if (result.status === "failed") process.stdout.write(formatFailure(result, report) + "\n");
    },
  });
  process.stdout.write(`${summaryLine(results)}\n`);
  if (results.some((r) => r.status === "failed")) process.exitCode = 1;
}

main().catch((error: unknown) => {
  const described = (error as { describe?: () => string }).describe?.() ?? (error as Error).message;
  process.stderr.write(`synth failed: ${described}\n`);
  process.exitCode = 1;
});
