// Issue 16 rule 8: a row whose aggregate evaluation fails enters no aggregate of its group and
// changes no window state (session start, timeout, max-duration checkpoint; sliding entries and
// exits); its data error is reported once, with the event's location.
import { runQuery } from "../../../lib/simulator/run";
import type { InputEvent } from "../../../lib/io/types";

const BASE = Date.UTC(2021, 5, 1, 10);
const at = (s: number) => new Date(BASE + s * 1000).toISOString().replace(".000Z", ".0000000Z");

/** Rows: time t (seconds after BASE), value V, key K ("a" by default); D = 1 marks a row whose V stands for its time. */
function events(rows: Row[]): InputEvent[] {
  return rows.map((r, i) => ({
    record: { K: r.k ?? "a", V: r.v as never, D: r.v === "date" ? 1 : 0, T: new Date(BASE + r.t * 1000).toISOString() },
    location: { file: "in.json", line: i + 1 },
  }));
}

interface Row {
  t: number;
  v: unknown;
  k?: string;
}

async function run(query: string, rows: Row[]) {
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

test("TopOne/CollectTop: a row whose ORDER BY key cannot be compared with the window's counts nowhere", async () => {
  // An ORDER BY key that is a datetime for one row and a number for another cannot be ordered.
  const rows = [{ t: 1, v: 5 }, { t: 2, v: "date" }, { t: 3, v: 7 }];
  const key = "CASE WHEN D = 1 THEN T ELSE V END";
  for (const win of ["TumblingWindow(second, 10)", "SlidingWindow(second, 10)"]) {
    const { rows: out, stats } = await run(
      `SELECT COUNT(*) AS N, TopOne() OVER (ORDER BY ${key} DESC) AS Best, CollectTop(2) OVER (ORDER BY ${key}) AS Low, System.Timestamp() AS E FROM input TIMESTAMP BY T GROUP BY ${win}`,
      rows,
    );
    const last = out.find((r) => String(r.E) === at(win.startsWith("Tumbling") ? 10 : 3))!;
    expect({ win, N: last.N, Top: (last.Best as { V: unknown }).V, Low: (last.Low as { value: { V: unknown } }[]).map((x) => x.value.V) }).toEqual({ win, N: 2, Top: 7, Low: [5, 7] });
    expect(stats.dataErrors).toBe(1);
    expect(stats.errors[0].first[0].origin).toBe("in.json:2");
  }
});

test("MIN/MAX: a row whose value cannot be compared with the window's counts nowhere (datetime beside numbers)", async () => {
  const rows = [{ t: 1, v: 5 }, { t: 2, v: "date" }, { t: 3, v: 7 }];
  const value = "CASE WHEN D = 1 THEN T ELSE V END";
  for (const win of ["TumblingWindow(second, 10)", "SlidingWindow(second, 10)", "HoppingWindow(second, 10, 5)", "SessionWindow(second, 5, 10)"]) {
    const { rows: out, stats } = await run(`SELECT COUNT(*) AS N, MAX(${value}) AS Hi, System.Timestamp() AS E FROM input TIMESTAMP BY T GROUP BY ${win}`, rows);
    // The window(s) holding both numbers: MAX 7; no row counts the datetime.
    const both = out.filter((r) => r.N === 2);
    expect({ win, both: both.length > 0 && both.every((r) => r.Hi === 7), numbers: out.every((r) => typeof r.Hi === "number" && (r.N as number) <= 2) }).toEqual({ win, both: true, numbers: true });
    expect(stats.dataErrors).toBe(1);
    expect(stats.errors[0].first[0].origin).toBe("in.json:2");
  }
});

test("Windows(): a row that fails is one data error, however many windows it falls in", async () => {
  const rows = [{ t: 1, v: 5 }, { t: 2, v: "n/a" }, { t: 3, v: 7 }];
  const windows = "Windows(TumblingWindow(second, 10), HoppingWindow(second, 10, 5), SlidingWindow(second, 10), SessionWindow(second, 5, 10))";
  const { rows: out, stats } = await run(`SELECT COUNT(*) AS N, MIN(V) AS Lo, System.Window().Id AS W FROM input TIMESTAMP BY T GROUP BY ${windows}`, rows);
  expect(out.every((r) => (r.N as number) <= 2 && (r.Lo === 5 || r.Lo === 7))).toBe(true);
  expect(stats.dataErrors).toBe(1);
  expect(stats.errors[0].first.map((f) => f.origin)).toEqual(["in.json:2"]);
});

test("HAVING sees the groups without the failing rows, in every window kind", async () => {
  const rows = [{ t: 1, v: 5 }, { t: 2, v: "n/a" }, { t: 3, v: 7 }, { t: 1, v: 4, k: "b" }, { t: 2, v: "n/a", k: "b" }];
  for (const win of ["TumblingWindow(second, 10)", "HoppingWindow(second, 10, 5)", "SlidingWindow(second, 10)", "SessionWindow(second, 5, 10)", "System.Timestamp()"]) {
    const { rows: out } = await run(`${select} GROUP BY K, ${win} HAVING COUNT(*) >= 2`, rows);
    // Only a's windows holding both of its good rows: b never has two events.
    expect({ win, rows: out.map((r) => [r.K, r.N, r.Lo]) }).toEqual({ win, rows: win === "System.Timestamp()" ? [] : out.map(() => ["a", 2, 5]) });
    if (win !== "System.Timestamp()") expect(out.length).toBeGreaterThan(0);
  }
});

test("Windows(): a row that fails in one of its windows is skipped in all", async () => {
  // At 12 s the datetime cannot be compared with the number at 7 s in the hopping window (5, 15]:
  // the tumbling window (10, 20], which holds no number yet, does not take it either.
  const rows = [{ t: 7, v: 7 }, { t: 12, v: "date" }, { t: 14, v: 14 }];
  const X = "CASE WHEN D = 1 THEN T ELSE V END";
  const windows = "Windows(Window('T', TumblingWindow(second, 10)), Window('H', HoppingWindow(second, 10, 5)))";
  const { rows: out, stats } = await run(`SELECT COUNT(*) AS N, MAX(${X}) AS Hi, System.Window().Id AS W, System.Timestamp() AS E FROM input TIMESTAMP BY T GROUP BY ${windows}`, rows);
  expect(out.map((r) => `${r.W} ${String(r.E).slice(17, 19)} ${r.N} ${r.Hi}`).sort()).toEqual(["H 10 1 7", "H 15 2 14", "H 20 1 14", "T 10 1 7", "T 20 1 14"]);
  expect(stats.dataErrors).toBe(1);
});

test("hopping window: a row that fails in a later window only (TopOne by two keys) counts in none", async () => {
  // TopOne ORDER BY K1 DESC, K2: the window ending at 10 s keeps (9, 0) from 3 s, ahead of the row
  // at 8 s on K1 alone; the window ending at 15 s keeps (1, 5) from 7 s, which ties on K1, so the
  // row's K2 (a datetime) is compared with 5 there and fails. It counts in neither window.
  const events: InputEvent[] = [
    { t: 3, k1: 9, k2: 0 },
    { t: 7, k1: 1, k2: 5 },
    { t: 8, k1: 1, k2: "date" },
  ].map((r, i) => ({ record: { K1: r.k1, K2: r.k2 === "date" ? null : r.k2, D: r.k2 === "date" ? 1 : 0, T: new Date(BASE + r.t * 1000).toISOString() }, location: { file: "in.json", line: i + 1 } }));
  const result = await runQuery({
    queryText: "SELECT COUNT(*) AS N, TopOne() OVER (ORDER BY K1 DESC, CASE WHEN D = 1 THEN T ELSE K2 END) AS Best, System.Timestamp() AS E FROM input TIMESTAMP BY T GROUP BY HoppingWindow(second, 10, 5)",
    inputs: [{ alias: "input", events }],
  });
  expect(result.outputs.output.map((r) => [String(r.E).slice(17, 19), r.N, (r.Best as { K1: number }).K1])).toEqual([
    ["05", 1, 9],
    ["10", 2, 9],
    ["15", 1, 1],
  ]);
  expect(result.stats.dataErrors).toBe(1);
  expect(result.stats.errors[0].first[0].origin).toBe("in.json:3");
});

test("Windows(): a row that fails beside a sliding window's values is skipped in the tumbling window too", async () => {
  // At 12 s the datetime cannot be compared with the number at 7 s in the sliding window (2, 12]:
  // the tumbling window (10, 20], which holds no number yet, does not take it either.
  const rows = [{ t: 7, v: 7 }, { t: 12, v: "date" }, { t: 14, v: 14 }];
  const X = "CASE WHEN D = 1 THEN T ELSE V END";
  for (const agg of [`MAX(${X})`, `TopOne() OVER (ORDER BY ${X})`]) {
    const windows = "Windows(Window('T', TumblingWindow(second, 10)), Window('S', SlidingWindow(second, 10)))";
    const { rows: out, stats } = await run(`SELECT COUNT(*) AS N, ${agg} AS A, System.Window().Id AS W, System.Timestamp() AS E FROM input TIMESTAMP BY T GROUP BY ${windows}`, rows);
    expect({ agg, out: out.map((r) => `${r.W} ${String(r.E).slice(17, 19)} ${r.N}`).sort() }).toEqual({ agg, out: ["S 07 1", "S 14 2", "S 17 1", "T 10 1", "T 20 1"] });
    expect(stats.dataErrors).toBe(1);
    expect(stats.errors[0].first[0].origin).toBe("in.json:2");
  }
});

test("session window: a row whose PARTITION BY expression fails is skipped as a data error, as a failing GROUP BY key is (the run goes on)", async () => {
  const rows = [{ t: 0, v: 1, k: "1" }, { t: 1, v: 2, k: "x" }, { t: 2, v: 3, k: "1" }];
  const query = `${select} GROUP BY K, SessionWindow(second, 5, 60) OVER (PARTITION BY CAST(K AS bigint))`;
  const { rows: out, stats } = await run(query, rows);
  expect(out.map((r) => [r.K, r.N, r.Lo, String(r.E)])).toEqual([["1", 2, 1, at(7)]]);
  expect(stats.dataErrors).toBe(1);
  expect(stats.errors[0].first[0].origin).toBe("in.json:2");
});
