// Issue 16 rule 8: a row whose aggregate evaluation fails enters no aggregate of its group and
// changes no window state (session start, timeout, max-duration checkpoint; sliding entries and
// exits); its data error is reported once, with the event's location.
import { runQuery } from "../../../lib/simulator/run";
import type { InputEvent } from "../../../lib/io/types";

const BASE = Date.UTC(2021, 5, 1, 10);
const at = (s: number) => new Date(BASE + s * 1000).toISOString().replace(".000Z", ".0000000Z");

function events(rows: { t: number; v: unknown; k?: string }[]): InputEvent[] {
  return rows.map((r, i) => ({ record: { K: r.k ?? "a", V: r.v as never, T: new Date(BASE + r.t * 1000).toISOString() }, location: { file: "in.json", line: i + 1 } }));
}

async function run(query: string, rows: { t: number; v: unknown; k?: string }[]) {
  const result = await runQuery({ queryText: query, inputs: [{ alias: "input", events: events(rows) }] });
  return { rows: result.outputs.output, stats: result.stats };
}

const select = "SELECT K, COUNT(*) AS N, MIN(V) AS Lo, System.Timestamp() AS E FROM input TIMESTAMP BY T";

test("session window: a failing row opens no session (its time sets no max-duration checkpoint)", async () => {
  // Without the row at 0 s, the session starts at 8 s: its first checkpoint is 120 s, and it
  // closes by timeout at 64 + 10 s. Had the failing row opened it, it would close at 60 s.
  const rows = [{ t: 0, v: "n/a" }, ...[8, 16, 24, 32, 40, 48, 56, 64].map((t) => ({ t, v: t }))];
  const { rows: out, stats } = await run(`${select} GROUP BY K, SessionWindow(second, 10, 60)`, rows);
  expect(out).toEqual([{ K: "a", N: 8, Lo: 8, E: expect.anything() }]);
  expect(String(out[0].E)).toBe(at(74));
  expect(stats.dataErrors).toBe(1);
  expect(stats.errors[0].first[0].origin).toBe("in.json:1");
});

test("session window: a failing row does not extend the session's timeout", async () => {
  const rows = [{ t: 0, v: 1 }, { t: 8, v: "n/a" }, { t: 16, v: 2 }];
  const { rows: out } = await run(`${select} GROUP BY K, SessionWindow(second, 10, 60)`, rows);
  expect(out.map((r) => [r.N, r.Lo, String(r.E)])).toEqual([
    [1, 1, at(10)],
    [1, 2, at(26)],
  ]);
});

test("sliding window: a failing row is neither an entry nor an exit, and counts nowhere", async () => {
  const rows = [{ t: 0, v: 5 }, { t: 1, v: "n/a" }, { t: 2, v: 3 }];
  const { rows: out, stats } = await run(`${select} GROUP BY K, SlidingWindow(second, 10)`, rows);
  expect(out.map((r) => [r.N, r.Lo, String(r.E)])).toEqual([
    [1, 5, at(0)],
    [2, 3, at(2)],
    [1, 3, at(10)],
  ]);
  expect(stats.dataErrors).toBe(1);
  expect(stats.errors).toEqual([expect.objectContaining({ count: 1, first: [expect.objectContaining({ origin: "in.json:2" })] })]);
});

test("sliding window: a group whose only row fails gives no result", async () => {
  const rows = [{ t: 0, v: 5 }, { t: 1, v: "n/a", k: "b" }];
  const { rows: out } = await run(`${select} GROUP BY K, SlidingWindow(second, 10)`, rows);
  expect(out.map((r) => [r.K, r.N, String(r.E)])).toEqual([
    ["a", 1, at(0)],
  ]);
});

test("analytic functions: a row whose analytic aggregate fails enters no history (LAG, COUNT and SUM OVER LIMIT DURATION)", async () => {
  const over = "OVER (PARTITION BY K LIMIT DURATION(second, 10))";
  const rows = [{ t: 0, v: 1 }, { t: 1, v: "n/a" }, { t: 2, v: 2 }];
  const { rows: out, stats } = await run(`SELECT LAG(V) ${over} AS Prev, COUNT(*) ${over} AS N, SUM(V) ${over} AS S FROM input TIMESTAMP BY T`, rows);
  expect(out).toEqual([
    { Prev: null, N: 1, S: 1 },
    { Prev: 1, N: 2, S: 3 },
  ]);
  expect(stats.dataErrors).toBe(1);
  expect(stats.errors[0].first[0].origin).toBe("in.json:2");
});

test("analytic functions: ISFIRST is not taken by a row whose other analytic fails", async () => {
  const rows = [{ t: 1, v: "n/a" }, { t: 2, v: 2 }];
  const { rows: out } = await run(`SELECT ISFIRST(second, 10) OVER (PARTITION BY K) AS F, SUM(V) OVER (PARTITION BY K LIMIT DURATION(second, 10)) AS S FROM input TIMESTAMP BY T`, rows);
  expect(out).toEqual([{ F: 1, S: 2 }]);
});
