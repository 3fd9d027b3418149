// `npm run fuzz [-- --runs N --seed S]`: feeds mutated real queries (and random unicode) to
// the SAQL front end and counts crashes: exceptions, or diagnostics/spans outside the text.
import { loadCorpus, mutate, prng, wellFormednessProblem } from "../test/saql/front-end/mutations";

interface FuzzReport {
  runs: number;
  crashes: number;
  seconds: number;
  firstCrash?: { input: string; error: string };
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function run(runs = 100_000, seed = 20240601): FuzzReport {
  const corpus = loadCorpus();
  const rand = prng(seed);
  let crashes = 0;
  let firstCrash: FuzzReport["firstCrash"];
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) {
    const base = corpus[Math.floor(rand() * corpus.length)]!;
    // One in ten inputs is a cut of random bytes of a query rather than a token mutation.
    const input = i % 10 === 9 ? base.slice(Math.floor(rand() * base.length)) : mutate(base, rand);
    let problem: string | undefined;
    try {
      problem = wellFormednessProblem(input);
    } catch (error) {
      problem = `threw: ${(error as Error)?.stack ?? String(error)}`;
    }
    if (problem) {
      crashes++;
      firstCrash ??= { input, error: problem };
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { runs, crashes, seconds, firstCrash };
}

if (require.main === module) {
  const runs = Number(argValue("--runs") ?? process.env.FUZZ_RUNS ?? 100_000);
  const seed = Number(argValue("--seed") ?? 20240601);
  const report = run(runs, seed);
  process.stdout.write(`fuzz: ${report.runs} inputs (seed ${seed}) in ${report.seconds.toFixed(1)} s, ${report.crashes} crash(es)\n`);
  if (report.firstCrash) {
    process.stdout.write(`first crash: ${report.firstCrash.error}\n--- input ---\n${report.firstCrash.input}\n`);
    process.exitCode = 1;
  }
}
