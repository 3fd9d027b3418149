// The cdktf app: `cdktf synth` / `npx tsx main.ts` write every stack to cdktf.out/.
import { buildApp } from "./stacks/app";

const started = Date.now();
const app = buildApp(__dirname);
app.synth();
const stacks = app.node.children.map((c) => c.node.id);
process.stdout.write(`synthesized ${stacks.length} stack(s) into cdktf.out/ in ${Date.now() - started} ms: ${stacks.join(", ")}\n`);
