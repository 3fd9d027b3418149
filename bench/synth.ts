// How long `npx tsx main.ts` takes to synthesize every example stack (goal: ≤ 1.5 s), as a
// person or CI runs it: a fresh process each time, npx and tsx start-up included.
// `npm run bench -- synth`, or `npx tsx bench/synth.ts`. Wall time depends on what else the
// machine runs, so the CPU time of the process tree and the load average are printed too.
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";

const PROJECT = resolve(__dirname, "..");
const GOAL_MS = 1500;

interface Sample {
  wallMs: number;
  /** user + system CPU of every process of the command (bash's `time`). */
  cpuMs: number;
  synthMs: number;
  stacks: number;
}

function once(command: string): Sample {
  const started = process.hrtime.bigint();
  const result = spawnSync("bash", ["-c", `TIMEFORMAT='cpu %U %S'; time ${command}`], { cwd: PROJECT, encoding: "utf8" });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} failed (exit ${result.status}):\n${result.stderr}`);
  // main.ts prints "synthesized N stack(s) into cdktf.out/ in M ms: …"
  const synth = /synthesized (\d+) stack\(s\) into cdktf\.out\/ in (\d+) ms/.exec(result.stdout);
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(result.stderr);
  if (!synth || !cpu) throw new Error(`unexpected output of main.ts:\n${result.stdout}\n${result.stderr}`);
  return { wallMs, cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000, synthMs: Number(synth[2]), stacks: Number(synth[1]) };
}

/**
 * `npx tsx main.ts` as the goal names it, and `node --require tsx/cjs main.ts`: the same app
 * without npx and tsx's CLI, which together cost ~0.9 s of CPU before main.ts starts.
 */
const COMMANDS = ["npx tsx main.ts", "node --require tsx/cjs main.ts"];

export function run(runs = Number(process.env.SYNTH_BENCH_RUNS ?? 5)): void {
  for (const command of COMMANDS) {
    once(command); // warm tsx's transform cache, as every run after the first finds it
    const load = loadavg()[0]!;
    const samples = Array.from({ length: runs }, () => once(command));
    const stat = (pick: (s: Sample) => number) => {
      const xs = samples.map(pick).sort((a, b) => a - b);
      return `min ${xs[0]!.toFixed(0)} ms, median ${xs[Math.floor(xs.length / 2)]!.toFixed(0)} ms`;
    };
    const best = Math.min(...samples.map((s) => s.wallMs));
    process.stdout.write(
      [
        `${command}: ${samples[0]!.stacks} stacks, ${runs} runs, load average ${load.toFixed(1)} on ${cpus().length} cores`,
        `  wall time                  ${stat((s) => s.wallMs)}  (goal ≤ ${GOAL_MS} ms: ${best <= GOAL_MS ? "met" : "not met"})`,
        `  CPU time, all processes    ${stat((s) => s.cpuMs)}`,
        `  build + synth in-process   ${stat((s) => s.synthMs)}`,
      ].join("\n") + "\n",
    );
  }
}

if (require.main === module) run();
