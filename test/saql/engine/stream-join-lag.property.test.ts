// Stream JOIN and LAG results against brute-force definitions, on random small streams (fast-check).
// JOIN (reference page): every pair of rows that satisfies ON, the DATEDIFF bound included; LEFT OUTER
// JOIN adds each unmatched left row with NULLs; a match's System.Timestamp() is the later of its two
// events. LAG: the previous event of the same partition within LIMIT DURATION, else NULL.
// Times are whole seconds, so DATEDIFF(second, …) in ON is the same whether read as an exact difference
// or as boundaries crossed; BETWEEN's ends are inclusive.
import { instantOfMs } from "../../../lib/saql/instant";
import fc from "fast-check";
import { toOutputJson } from "../../../lib/io";
import type { InputEvent } from "../../../lib/io/types";
import { runQuery } from "../../../lib/simulator/run";

const BASE = Date.UTC(2021, 5, 1, 10);
const iso = (s: number) => new Date(BASE + s * 1000).toISOString();
const outIso = (s: number) => iso(s).replace(".000Z", ".0000000Z");

interface Ev {
  id: number;
  k: number;
  t: number;
}

/** A stream sorted by time; ids are unique across both streams (offset). */
const streamArb = (offset: number) =>
  fc
    .array(fc.record({ k: fc.integer({ min: 1, max: 2 }), t: fc.integer({ min: 0, max: 40 }) }), { maxLength: 8 })
    .map((events) => [...events].sort((x, y) => x.t - y.t).map((e, i) => ({ ...e, id: offset + i })));

function toEvents(events: Ev[]): InputEvent[] {
  // Arrival = event time: no event is late or out of order, so no policy moves it.
  return events.map((e, i) => ({ record: { Id: e.id, K: e.k, T: iso(e.t) }, arrivalTime: instantOfMs(BASE + e.t * 1000), location: { file: "gen", line: i + 1 } }));
}

const boundArb = fc.tuple(fc.integer({ min: -10, max: 10 }), fc.integer({ min: 0, max: 10 })).map(([lo, width]) => [lo, lo + width] as const);

async function join(kind: "JOIN" | "LEFT OUTER JOIN", a: Ev[], b: Ev[], lo: number, hi: number) {
  const query = `SELECT A.Id AS AId, B.Id AS BId, System.Timestamp() AS T
FROM StreamA A TIMESTAMP BY T
${kind} StreamB B TIMESTAMP BY T
ON A.K = B.K AND DATEDIFF(second, A, B) BETWEEN ${lo} AND ${hi}`;
  const result = await runQuery({
    queryText: query,
    inputs: [
      { alias: "StreamA", events: toEvents(a) },
      { alias: "StreamB", events: toEvents(b) },
    ],
  });
  // As written to an output: datetimes as ISO text with seven fractional digits.
  return result.outputs.output.map((r) => toOutputJson(r) as { AId: number; BId: number | null; T: string });
}

function bruteForcePairs(a: Ev[], b: Ev[], lo: number, hi: number) {
  const rows: { AId: number; BId: number | null; T?: string }[] = [];
  for (const x of a) for (const y of b) if (x.k === y.k && y.t - x.t >= lo && y.t - x.t <= hi) rows.push({ AId: x.id, BId: y.id, T: outIso(Math.max(x.t, y.t)) });
  return rows;
}

function outputKeys(rows: { AId: number; BId: number | null; T?: string }[], withTime: boolean) {
  return rows.map((r) => JSON.stringify([r.AId, r.BId, withTime ? r.T : null])).sort();
}

test("an inner stream JOIN writes exactly the pairs a brute-force join finds", async () => {
  await fc.assert(
    fc.asyncProperty(streamArb(100), streamArb(200), boundArb, async (a, b, [lo, hi]) => {
      const rows = await join("JOIN", a, b, lo, hi);
      expect(outputKeys(rows, false)).toEqual(outputKeys(bruteForcePairs(a, b, lo, hi), false));
    }),
    { numRuns: 80 },
  );
});

test("a joined row is stamped with the later of its two events", async () => {
  await fc.assert(
    fc.asyncProperty(streamArb(100), streamArb(200), boundArb, async (a, b, [lo, hi]) => {
      const rows = await join("JOIN", a, b, lo, hi);
      expect(outputKeys(rows, true)).toEqual(outputKeys(bruteForcePairs(a, b, lo, hi), true));
    }),
    { numRuns: 40 },
  );
});

test("a LEFT OUTER stream JOIN adds each unmatched left row once, with NULL on the right", async () => {
  await fc.assert(
    fc.asyncProperty(streamArb(100), streamArb(200), boundArb, async (a, b, [lo, hi]) => {
      const rows = await join("LEFT OUTER JOIN", a, b, lo, hi);
      const pairs: { AId: number; BId: number | null }[] = bruteForcePairs(a, b, lo, hi);
      for (const x of a) if (!pairs.some((p) => p.AId === x.id)) pairs.push({ AId: x.id, BId: null });
      expect(outputKeys(rows, false)).toEqual(outputKeys(pairs, false));
    }),
    { numRuns: 80 },
  );
});

test("LAG per partition returns the previous event of the partition within LIMIT DURATION", async () => {
  // Distinct whole-second times, and a duration of n.5 s, so no event sits on the lookback's edge.
  const distinctStream = fc
    .uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 15 })
    .chain((times) => fc.tuple(fc.constant([...times].sort((x, y) => x - y)), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: times.length, maxLength: times.length })))
    .map(([times, keys]) => times.map((t, i) => ({ id: i + 1, k: keys[i], t })));
  await fc.assert(
    fc.asyncProperty(distinctStream, fc.integer({ min: 1, max: 20 }), async (events, seconds) => {
      const ms = seconds * 1000 + 500;
      const result = await runQuery({
        queryText: `SELECT Id, LAG(Id) OVER (PARTITION BY K LIMIT DURATION(millisecond, ${ms})) AS Prev FROM input TIMESTAMP BY T`,
        inputs: [{ alias: "input", events: toEvents(events) }],
      });
      const expected = events.map((e, i) => {
        const earlier = events.slice(0, i).filter((p) => p.k === e.k && (e.t - p.t) * 1000 < ms);
        return { Id: e.id, Prev: earlier.length ? earlier[earlier.length - 1].id : null };
      });
      const got = result.outputs.output.map((r) => toOutputJson(r) as { Id: number; Prev: number | null });
      expect([...got].sort((x, y) => Number(x.Id) - Number(y.Id))).toEqual(expected);
    }),
    { numRuns: 80 },
  );
});
