// How long `npx tsx main.ts` takes to synthesize every example stack (goal: ≤ 1.5 s), as a
// person or CI runs it: a fresh process each time, npx and tsx start-up included.
// `npm run bench -- synth`, or `npx tsx bench/synth.ts`.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const PROJECT = resolve(__dirname, "..");
const GOAL_MS = 1500;

function once(): { totalMs: number; synthMs: number; stacks: number } {
  const started = process.hrtime.bigint();
  const result = spawnSync("npx", ["tsx", "main.ts"], { cwd: PROJECT, encoding: "utf8" });
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`npx tsx main.ts failed (exit ${result.status}):\n${result.stderr}`);
  // main.ts prints "synthesized N stack(s) into cdktf.out/ in M ms: …"
  const match = /synthesized (\d+) stack\(s\) into cdktf\.out\/ in (\d+) ms/.exec(result.stdout);
  if (!match) throw new Error(`unexpected output of main.ts:\n${result.stdout}`);
  return { totalMs, synthMs: Number(match[2]), stacks: Number(match[1]) };
}

export function run(runs = Number(process.env.SYNTH_BENCH_RUNS ?? 5)): void {
  once(); // warm tsx's transform cache, as every run after the first finds it
  const samples = Array.from({ length: runs }, once);
  const totals = samples.map((s) => s.totalMs).sort((a, b) => a - b);
  const synths = samples.map((s) => s.synthMs).sort((a, b) => a - b);
  const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
  const verdict = totals[0]! <= GOAL_MS ? "within" : "over";
  process.stdout.write(
    [
      `npx tsx main.ts: ${samples[0]!.stacks} stacks, ${runs} runs`,
      `  wall time  min ${totals[0]!.toFixed(0)} ms, median ${median(totals).toFixed(0)} ms (goal ≤ ${GOAL_MS} ms: ${verdict})`,
      `  build + synth inside the process  min ${synths[0]} ms, median ${median(synths)} ms`,
      `  (2-core machine; other processes running inflate the median)`,
    ].join("\n") + "\n",
  );
}

if (require.main === module) run();
