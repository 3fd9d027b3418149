// Stream–stream JOIN against a nested loop over all pairs, on random streams (fast-check).
import fc from "fast-check";
import type { InputEvent } from "../../../lib/io/types";
import { runQuery } from "../../../lib/simulator/run";

const BASE = Date.UTC(2021, 5, 1, 10);
const stamp = (s: number) => new Date(BASE + s * 1000).toISOString().replace(".000Z", ".0000000Z");
const side = fc
  .array(fc.record({ t: fc.integer({ min: 0, max: 60 }), k: fc.constantFrom(1, 2) }), { maxLength: 25, size: "max" })
  .map((events) => [...events].sort((x, y) => x.t - y.t).map((e, i) => ({ ...e, id: i })));

function events(list: { t: number; k: number; id: number }[]): InputEvent[] {
  return list.map((e) => ({ record: { Id: e.id, K: e.k, T: new Date(BASE + e.t * 1000).toISOString() }, location: { file: "gen", line: e.id + 1 } }));
}

test("inner and left outer joins match a nested loop over all pairs, with the documented timestamps", async () => {
  await fc.assert(
    fc.asyncProperty(side, side, fc.constantFrom([0, 5], [-3, 3], [2, 10]), fc.boolean(), async (left, right, [lo, hi], outer) => {
      const result = await runQuery({
        queryText: `SELECT a.Id AS A, b.Id AS B, System.Timestamp() AS T
          FROM l a TIMESTAMP BY T ${outer ? "LEFT OUTER JOIN" : "JOIN"} r b TIMESTAMP BY T
          ON a.K = b.K AND DATEDIFF(second, a, b) BETWEEN ${lo} AND ${hi}`,
        inputs: [
          { alias: "l", events: events(left) },
          { alias: "r", events: events(right) },
        ],
      });
      const expected: string[] = [];
      for (const a of left) {
        let matched = false;
        for (const b of right) {
          const d = b.t - a.t;
          if (a.k === b.k && d >= lo && d <= hi) {
            matched = true;
            expected.push(`${a.id}|${b.id}|${stamp(Math.max(a.t, b.t))}`);
          }
        }
        if (outer && !matched) expected.push(`${a.id}|null|${stamp(a.t + Math.max(hi, 0))}`);
      }
      const rows = result.outputs.output;
      const got = rows.map((r) => `${r.A}|${r.B}|${String(r.T)}`);
      expect([...got].sort()).toEqual(expected.sort());
      // Rows leave in time order.
      const times = rows.map((r) => String(r.T));
      expect([...times].sort()).toEqual(times);
    }),
    { numRuns: 80 },
  );
});

test("join keys of mixed types match as SAQL's '=' compares them ('1' = 1; NULL equals nothing)", async () => {
  type Key = number | string | null;
  const keyed = fc
    .array(fc.record({ t: fc.integer({ min: 0, max: 30 }), k: fc.constantFrom<Key>(1, 2, "1", " 2", "x", null) }), { maxLength: 20, size: "max" })
    .map((list) => [...list].sort((x, y) => x.t - y.t).map((e, i) => ({ ...e, id: i })));
  const toEvents = (list: { t: number; k: Key; id: number }[]): InputEvent[] =>
    list.map((e) => ({ record: { Id: e.id, K: e.k, T: new Date(BASE + e.t * 1000).toISOString() }, location: { file: "gen", line: e.id + 1 } }));
  // SAQL '=': NULL is unknown; two strings compare as text; a number against a string converts the string.
  const equal = (a: Key, b: Key) =>
    a !== null && b !== null && (typeof a === "string" && typeof b === "string" ? a === b : Number(a) === Number(b) && String(a).trim() !== "x" && String(b).trim() !== "x");
  await fc.assert(
    fc.asyncProperty(keyed, keyed, async (left, right) => {
      const result = await runQuery({
        queryText: `SELECT a.Id AS A, b.Id AS B FROM l a TIMESTAMP BY T JOIN r b TIMESTAMP BY T ON a.K = b.K AND DATEDIFF(second, a, b) BETWEEN -5 AND 5`,
        inputs: [
          { alias: "l", events: toEvents(left) },
          { alias: "r", events: toEvents(right) },
        ],
      });
      const expected: string[] = [];
      for (const a of left) for (const b of right) if (equal(a.k, b.k) && Math.abs(b.t - a.t) <= 5) expected.push(`${a.id}|${b.id}`);
      expect(result.outputs.output.map((r) => `${r.A}|${r.B}`).sort()).toEqual(expected.sort());
    }),
    { numRuns: 80 },
  );
});

test("a JOIN on one text key and DATEDIFF bounds matches a nested loop over all pairs, at millisecond times and bounds of any form", async () => {
  // ON of one equality and DATEDIFF bounds only: pairs of one text key far outside the bounds are
  // skipped without evaluating ON; pairs at and near the bounds are evaluated as any other.
  const texts = fc
    // Times on a 250 ms grid (pairs exactly at a bound) or anywhere.
    .array(fc.record({ t: fc.oneof(fc.integer({ min: 0, max: 160 }).map((q) => q * 250), fc.integer({ min: 0, max: 40_000 })), k: fc.constantFrom("a", "b", "dev-1") }), { maxLength: 30, size: "max" })
    .map((events) => [...events].sort((x, y) => x.t - y.t).map((e, i) => ({ ...e, id: i })));
  const toEvents = (list: { t: number; k: string; id: number }[]): InputEvent[] =>
    list.map((e) => ({ record: { Id: e.id, K: e.k, T: new Date(BASE + e.t).toISOString() }, location: { file: "gen", line: e.id + 1 } }));
  // Each ON bounds d = b − a (ms) to [lo, hi]; the forms write it in other units and argument orders.
  const forms: { on: string; lo: number; hi: number }[] = [
    { on: "a.K = b.K AND DATEDIFF(second, a, b) BETWEEN 0 AND 5", lo: 0, hi: 5000 },
    { on: "DATEDIFF(second, b, a) BETWEEN -5 AND 0 AND b.K = a.K", lo: 0, hi: 5000 },
    { on: "a.K = b.K AND DATEDIFF(millisecond, a, b) >= -1500 AND DATEDIFF(millisecond, a, b) <= 2500", lo: -1500, hi: 2500 },
    { on: "a.K = b.K AND DATEDIFF(minute, a, b) BETWEEN -0.05 AND 0.1", lo: -3000, hi: 6000 },
  ];
  await fc.assert(
    fc.asyncProperty(texts, texts, fc.constantFrom(...forms), fc.boolean(), async (left, right, form, outer) => {
      const result = await runQuery({
        queryText: `SELECT a.Id AS A, b.Id AS B, System.Timestamp() AS T FROM l a TIMESTAMP BY T ${outer ? "LEFT OUTER JOIN" : "JOIN"} r b TIMESTAMP BY T ON ${form.on}`,
        inputs: [
          { alias: "l", events: toEvents(left) },
          { alias: "r", events: toEvents(right) },
        ],
      });
      const stampMs = (ms: number) => new Date(BASE + ms).toISOString().replace("Z", "0000Z");
      const expected: string[] = [];
      for (const a of left) {
        let matched = false;
        for (const b of right) {
          const d = b.t - a.t;
          if (a.k === b.k && d >= form.lo && d <= form.hi) {
            matched = true;
            expected.push(`${a.id}|${b.id}|${stampMs(Math.max(a.t, b.t))}`);
          }
        }
        if (outer && !matched) expected.push(`${a.id}|null|${stampMs(a.t + Math.max(form.hi, 0))}`);
      }
      expect(result.outputs.output.map((r) => `${r.A}|${r.B}|${String(r.T)}`).sort()).toEqual(expected.sort());
      expect(result.stats?.dataErrors ?? 0).toBe(0);
    }),
    { numRuns: 100 },
  );
});
