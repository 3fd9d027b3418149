// Issue 16 rule 8 as a property (fast-check): a row whose aggregate fails is skipped whole, so
// every window kind gives the same rows as the same query over the input without the failing
// rows (the oracle), and that input has no error left. Times are whole seconds, so rows fall
// exactly on window ends (end inclusive), on hops, and exactly at session timeouts.
import fc from "fast-check";
import type { InputEvent } from "../../../lib/io/types";
import { runQuery } from "../../../lib/simulator/run";

const BASE = Date.UTC(2021, 5, 1, 10);

interface Gen {
  t: number;
  k: string;
  /** A number, a text MIN/MAX cannot read as one (fails in any window), or a datetime (fails beside numbers). */
  v: number | "n/a" | "date";
  /**
   * TopOne's ORDER BY keys: P, then Y (the row's time when `q`, else V), so a row whose Y is a
   * datetime fails only in the windows whose kept row ties with it on P and has a number Y (it
   * can be a later hopping window only). MIN/MAX do not see Y.
   */
  p: number | null;
  q: boolean;
}

const rowsArb = fc
  .array(
    fc.record({
      t: fc.integer({ min: 0, max: 60 }),
      k: fc.constantFrom("a", "b"),
      v: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -50, max: 50 }) }, { weight: 2, arbitrary: fc.constant("n/a" as const) }, { weight: 1, arbitrary: fc.constant("date" as const) }),
      p: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant(null)),
      q: fc.boolean(),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rows) => [...rows].sort((x, y) => x.t - y.t));

function toEvents(rows: Gen[]): InputEvent[] {
  return rows.map((r, i) => ({
    record: { K: r.k, P: r.p, Q: r.q ? 1 : 0, V: r.v === "date" ? null : r.v, D: r.v === "date" ? 1 : 0, T: new Date(BASE + r.t * 1000).toISOString() },
    location: { file: "gen", line: i + 1 },
  }));
}

const X = "CASE WHEN D = 1 THEN T ELSE V END";
const Y = "CASE WHEN Q = 1 THEN T ELSE V END";

async function run(window: string, rows: Gen[]): Promise<{ out: string[]; failed: number[] }> {
  const failed: number[] = [];
  const result = await runQuery({
    queryText: `SELECT K, COUNT(*) AS N, MIN(${X}) AS Lo, MAX(${X}) AS Hi, CollectTop(2) OVER (ORDER BY ${X} DESC) AS Top2, TopOne() OVER (ORDER BY P DESC, ${Y}) AS Best, System.Timestamp() AS E${window.startsWith("Windows") ? ", System.Window().Id AS W" : ""} FROM input TIMESTAMP BY T GROUP BY K, ${window}`,
    inputs: [{ alias: "input", events: toEvents(rows) }],
    onWarning: (w) => failed.push(Number(w.origin!.split(":")[1]) - 1),
  });
  return { out: result.outputs.output.map((r) => `${String(r.E)}|${r.K}|${r.N}|${String(r.Lo)}|${String(r.Hi)}|${JSON.stringify(r.Top2)}|${JSON.stringify(r.Best)}|${r.W}`).sort(), failed };
}

for (const window of [
  "System.Timestamp()",
  "TumblingWindow(second, 10)",
  "HoppingWindow(second, 10, 5)",
  "SlidingWindow(second, 10)",
  "SessionWindow(second, 5, 10) OVER (PARTITION BY K)",
  "SessionWindow(second, 3, 6)",
  // A row that fails in one window of Windows(…) is skipped in all.
  "Windows(Window('t', TumblingWindow(second, 10)), Window('h', HoppingWindow(second, 10, 5)), Window('s', SessionWindow(second, 5, 10)))",
  "Windows(Window('t', TumblingWindow(second, 10)), Window('l', SlidingWindow(second, 10)))",
  "Windows(Window('h', HoppingWindow(second, 10, 5)), Window('l', SlidingWindow(second, 7)))",
]) {
  test(`${window}: a failing row is as if it never came (oracle: the input without it), one error each`, async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, async (rows) => {
        const { out, failed } = await run(window, rows);
        // Every text that is not a number fails, once; a datetime fails only beside numbers.
        expect(new Set(failed).size).toBe(failed.length);
        for (let i = 0; i < rows.length; i++) if (rows[i].v === "n/a") expect(failed).toContain(i);
        const kept = rows.filter((_, i) => !failed.includes(i));
        const oracle = await run(window, kept);
        expect(oracle.failed).toEqual([]);
        expect(out).toEqual(oracle.out);
      }),
      { numRuns: 150 },
    );
  });
}
