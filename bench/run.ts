// `npm run bench`: every benchmark in one run, each printing its figures next to its baseline.
// Run one: `npm run bench -- engine` (names: the files of bench/ that export run()).
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";

interface Bench {
  run: () => Promise<void> | void;
}

async function main(): Promise<void> {
  const wanted = new Set(process.argv.slice(2));
  const names = readdirSync(__dirname)
    .filter((f) => f.endsWith(".ts") && !["run.ts", "fuzz.ts"].includes(f))
    .map((f) => basename(f, ".ts"))
    .filter((n) => wanted.size === 0 || wanted.has(n))
    .sort();
  for (const name of wanted) {
    if (!names.includes(name)) throw new Error(`no benchmark named '${name}' in bench/`);
  }
  for (const name of names) {
    const bench = require(join(__dirname, name)) as Partial<Bench>;
    if (typeof bench.run !== "function") continue;
    process.stdout.write(`\n== ${name}\n`);
    await bench.run();
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
