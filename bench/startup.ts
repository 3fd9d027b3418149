// Startup of the `streamkit` command as a whole process: `--version`, `check` of a 200-line query
// and `run` of a one-event file (its time to the first event; goal: under 0.25 s each with the
// compiled JavaScript the package ships), beside the same
// commands run from TypeScript through tsx (this repository's bin) and `node -e 0`, the floor.
// Interleaved rounds, best and median of each: the machine is shared. Builds dist/ first, so the
// figures are those of the sources as they are.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildQuery } from "./check";
import { printLoad } from "./harness";

const ROUNDS = Math.max(3, Number(process.env.BENCH_STARTUP_ROUNDS ?? 9));
const GOAL_MS = 250;
const BIN = resolve(__dirname, "../bin/streamkit");

interface Contender {
  label: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  compiled: boolean;
}

/** GNU time gives the child's CPU time (user + system): on a loaded machine, steadier than the wall clock. */
const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Wall-clock and CPU milliseconds of one run. */
function timeProcess(c: Contender, cpuFile: string): [number, number] {
  const [command, args] = GNU_TIME ? [GNU_TIME, ["-f", "%U %S", "-o", cpuFile, process.execPath, ...c.args]] : [process.execPath, c.args];
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, ...c.env } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${c.label} failed (${result.status}): ${result.stdout}${result.stderr}`);
  const cpu = GNU_TIME ? readFileSync(cpuFile, "utf8").trim().split(/\s+/).slice(-2).reduce((sum, s) => sum + Number(s) * 1000, 0) : NaN;
  return [ms, cpu];
}

function bestAndMedian(values: number[]): { best: number; median: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { best: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
}

export function run(): Record<string, { wall: { best: number; median: number }; cpu: { best: number; median: number } }> {
  const build = spawnSync("npm", ["run", "build"], { cwd: resolve(__dirname, ".."), encoding: "utf8", shell: process.platform === "win32" });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stdout}${build.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), "streamkit-startup-"));
  try {
    const query = join(dir, "query.asaql");
    writeFileSync(query, buildQuery(200));
    // `run` to its first event: a one-event file through a one-line query (the process ends with it).
    const runQuery = join(dir, "run.asaql");
    const event = join(dir, "event.json");
    writeFileSync(runQuery, "SELECT * INTO output FROM input TIMESTAMP BY ts\n");
    writeFileSync(event, '{"deviceId":"dev-1","temp":21.5,"ts":"2021-06-01T00:00:00Z"}\n');
    const runArgs = [BIN, "run", runQuery, "-i", `input=${event}`, "-q"];
    const compiled = { STREAMKIT_COMPILED: "1" };
    const contenders: Contender[] = [
      { label: "node -e 0 (floor)", args: ["-e", "0"], env: {}, compiled: false },
      { label: "--version, tsx", args: [BIN, "--version"], env: {}, compiled: false },
      { label: "--version, compiled", args: [BIN, "--version"], env: compiled, compiled: true },
      { label: "check 200 lines, tsx", args: [BIN, "check", query], env: {}, compiled: false },
      { label: "check 200 lines, compiled", args: [BIN, "check", query], env: compiled, compiled: true },
      { label: "run 1 event, tsx", args: runArgs, env: {}, compiled: false },
      { label: "run 1 event, compiled", args: runArgs, env: compiled, compiled: true },
    ];
    const cpuFile = join(dir, "cpu.txt");
    for (const c of contenders) timeProcess(c, cpuFile); // warm the file cache and tsx's transform cache
    const wall = contenders.map(() => [] as number[]);
    const cpu = contenders.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      contenders.forEach((c, i) => {
        const [w, u] = timeProcess(c, cpuFile);
        wall[i]!.push(w);
        cpu[i]!.push(u);
      });
    }
    printLoad();
    const figures: Record<string, { wall: { best: number; median: number }; cpu: { best: number; median: number } }> = {};
    process.stdout.write(`startup, whole processes, ${ROUNDS} interleaved rounds (goal for the compiled commands: < ${GOAL_MS} ms)\n`);
    process.stdout.write(`  ${"".padEnd(28)} wall best / median      CPU (user+sys) best / median\n`);
    const ms = (n: number) => `${n.toFixed(0).padStart(5)} ms`;
    contenders.forEach((c, i) => {
      const w = bestAndMedian(wall[i]!);
      const u = bestAndMedian(cpu[i]!);
      figures[c.label] = { wall: w, cpu: u };
      const verdict = c.compiled ? (w.best < GOAL_MS ? "  ok" : "  OVER (wall)") : "";
      process.stdout.write(`  ${c.label.padEnd(28)} ${ms(w.best)} / ${ms(w.median)}     ${ms(u.best)} / ${ms(u.median)}${verdict}\n`);
    });
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) run();
