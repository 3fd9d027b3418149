// Window results against brute-force definitions, on random event streams (fast-check).
import fc from "fast-check";
import { runQuery } from "../../../lib/simulator/run";
import type { InputEvent } from "../../../lib/io/types";

const BASE = Date.UTC(2021, 5, 1, 10);
const iso = (ms: number) => new Date(ms).toISOString();

/** Sorted event times (seconds after BASE) with a key each. */
const streamArb = fc
  .array(fc.record({ t: fc.integer({ min: 0, max: 120 }), k: fc.constantFrom("a", "b", "c") }), { minLength: 1, maxLength: 40 })
  .map((events) => [...events].sort((x, y) => x.t - y.t));

function toEvents(events: { t: number; k: string }[]): InputEvent[] {
  return events.map((e, i) => ({ record: { K: e.k, T: iso(BASE + e.t * 1000) }, location: { file: "gen", line: i + 1 } }));
}

async function run(query: string, events: { t: number; k: string }[]) {
  const result = await runQuery({ queryText: query, inputs: [{ alias: "input", events: toEvents(events) }] });
  return result.outputs.output.map((r) => ({ K: r.K as string, N: r.N as number, E: String(r.E) }));
}

const key = (r: { K: string; N: number; E: string }) => `${r.E}|${r.K}|${r.N}`;
const sorted = (rows: { K: string; N: number; E: string }[]) => rows.map(key).sort();

test("hopping windows count what (end − size, end] holds, for every end on the hop grid", async () => {
  await fc.assert(
    fc.asyncProperty(streamArb, fc.constantFrom([10, 5], [10, 10], [6, 4], [30, 10]), async (events, [size, hop]) => {
      const rows = await run(`SELECT K, COUNT(*) AS N, System.Timestamp() AS E FROM input TIMESTAMP BY T GROUP BY K, HoppingWindow(second, ${size}, ${hop})`, events);
      const expected: { K: string; N: number; E: string }[] = [];
      for (let end = 0; end - size < 130; end += hop) {
        for (const k of ["a", "b", "c"]) {
          const n = events.filter((e) => e.k === k && e.t > end - size && e.t <= end).length;
          if (n) expected.push({ K: k, N: n, E: new Date(BASE + end * 1000).toISOString().replace(".000Z", ".0000000Z") });
        }
      }
      expect(sorted(rows)).toEqual(sorted(expected));
    }),
    { numRuns: 60 },
  );
});

test("sliding windows give one row per change of content, never an empty window", async () => {
  await fc.assert(
    fc.asyncProperty(streamArb, fc.constantFrom(5, 10), async (events, size) => {
      const rows = await run(`SELECT K, COUNT(*) AS N, System.Timestamp() AS E FROM input TIMESTAMP BY T GROUP BY K, SlidingWindow(second, ${size})`, events);
      const expected: { K: string; N: number; E: string }[] = [];
      for (const k of ["a", "b", "c"]) {
        const times = events.filter((e) => e.k === k).map((e) => e.t);
        // Points where the content changes: each event time, and each exit time t + size.
        const points = [...new Set([...times, ...times.map((t) => t + size)])].sort((x, y) => x - y);
        for (const p of points) {
          const n = times.filter((t) => t > p - size && t <= p).length;
          if (n) expected.push({ K: k, N: n, E: new Date(BASE + p * 1000).toISOString().replace(".000Z", ".0000000Z") });
        }
      }
      expect(sorted(rows)).toEqual(sorted(expected));
    }),
    { numRuns: 60 },
  );
});

test("sliding windows on long, dense streams of many groups: per-group results as brute force, in time order", async () => {
  // Hundreds of events of up to 12 groups in a short span: many groups are due at one time, and
  // they drop the events that left (their arrays are compacted) many times over. Results at one
  // time leave in first-seen order of their groups, a group seen anew once all its events left.
  // 1 to 12 groups: with few, a group holds hundreds of events and drops many at each compaction
  // (size "max": fast-check's default size keeps arrays to a few events).
  const denseArb = fc
    .integer({ min: 1, max: 12 })
    .chain((groups) =>
      fc.array(fc.record({ t: fc.integer({ min: 0, max: 150 }), k: fc.integer({ min: 0, max: groups - 1 }).map((i) => `g${i}`) }), { minLength: 1, maxLength: 400, size: "max" }),
    )
    .map((events) => [...events].sort((x, y) => x.t - y.t));
  // COUNT(*) alone is counted (no accumulator); COUNT(K) (K is never NULL) runs an accumulator: both as brute force.
  await fc.assert(
    fc.asyncProperty(denseArb, fc.constantFrom(1, 3, 20), fc.constantFrom("COUNT(*)", "COUNT(K)"), async (events, size, count) => {
      const rows = await run(`SELECT K, ${count} AS N, System.Timestamp() AS E FROM input TIMESTAMP BY T GROUP BY K, SlidingWindow(second, ${size})`, events);
      // Per event, when its group was first seen: at the event, unless the group still held an
      // event when it came. A local run gives a watermark per event, and a group's results (its
      // last exit, which empties it) are handled once the watermark passes them: the group's latest
      // event had not left if its exit t + size is not before the previous event's time.
      const seen: number[] = [];
      const latest = new Map<string, number>();
      events.forEach((e, i) => {
        const last = latest.get(e.k);
        seen[i] = last !== undefined && events[last].t + size >= events[i - 1].t ? seen[last] : i;
        latest.set(e.k, i);
      });
      const expected: { K: string; N: number; E: string; p: number; seen: number }[] = [];
      for (const k of new Set(events.map((e) => e.k))) {
        const mine = events.flatMap((e, i) => (e.k === k ? [i] : []));
        const times = mine.map((i) => events[i].t);
        const points = [...new Set([...times, ...times.map((t) => t + size)])];
        for (const p of points) {
          const inside = mine.filter((i) => events[i].t > p - size && events[i].t <= p);
          if (inside.length) {
            const E = new Date(BASE + p * 1000).toISOString().replace(".000Z", ".0000000Z");
            expected.push({ K: k, N: inside.length, E, p, seen: seen[inside[0]] });
          }
        }
      }
      expected.sort((x, y) => x.p - y.p || x.seen - y.seen);
      expect(rows).toEqual(expected.map(({ K, N, E }) => ({ K, N, E })));
    }),
    { numRuns: 40 },
  );
});

test("session windows split where a gap exceeds the timeout (max duration not reached)", async () => {
  await fc.assert(
    fc.asyncProperty(streamArb, async (events) => {
      // maxDuration 1 day: only the timeout closes sessions here.
      const rows = await run(`SELECT K, COUNT(*) AS N, System.Timestamp() AS E FROM input TIMESTAMP BY T GROUP BY K, SessionWindow(second, 7, 86400) OVER (PARTITION BY K)`, events);
      const expected: { K: string; N: number; E: string }[] = [];
      for (const k of ["a", "b", "c"]) {
        const times = events.filter((e) => e.k === k).map((e) => e.t);
        let n = 0;
        for (let i = 0; i < times.length; i++) {
          n++;
          if (i === times.length - 1 || times[i + 1] - times[i] > 7) {
            expected.push({ K: k, N: n, E: new Date(BASE + (times[i] + 7) * 1000).toISOString().replace(".000Z", ".0000000Z") });
            n = 0;
          }
        }
      }
      expect(sorted(rows)).toEqual(sorted(expected));
    }),
    { numRuns: 60 },
  );
});

test("rows leave every query in System.Timestamp order, whatever the input order and tolerance", async () => {
  const shuffled = fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 40 });
  await fc.assert(
    fc.asyncProperty(shuffled, fc.constantFrom(0, 3, 10), fc.constantFrom("adjust", "drop"), async (times, tolerance, policy) => {
      const events: InputEvent[] = times.map((t, i) => ({ record: { I: i, T: iso(BASE + t * 1000) }, location: { file: "gen", line: i + 1 } }));
      const result = await runQuery({
        queryText: "SELECT I, System.Timestamp() AS E FROM input TIMESTAMP BY T",
        job: {
          name: "prop",
          query: { text: "" },
          compatibilityLevel: "1.2",
          eventOrdering: { lateArrivalMaxDelaySeconds: 5, outOfOrderMaxDelaySeconds: tolerance, policy: policy as "adjust" | "drop" },
          outputErrorPolicy: "stop",
          dataLocale: "en-US",
          streamingUnits: 1,
          inputs: [{ alias: "input", type: "stream", kind: "kafka", serialization: { type: "json", encoding: "utf8", compression: "none" } }],
          outputs: [{ alias: "output", kind: "blob" }],
          functions: [],
        },
        inputs: [{ alias: "input", events }],
      });
      const stamps = result.outputs.output.map((r) => String(r.E));
      expect([...stamps].sort()).toEqual(stamps);
      const s = result.stats;
      // Every event is written, adjusted or dropped: nothing is lost silently.
      expect(stamps.length + s.outOfOrderDropped).toBe(times.length);
      if (policy === "adjust") expect(s.outOfOrderDropped).toBe(0);
      else expect(s.outOfOrderAdjusted).toBe(0);
    }),
    { numRuns: 100 },
  );
});

test("sliding windows keep SUM, MIN, MAX and AVG exact as events enter and leave", async () => {
  const valued = fc
    .array(fc.record({ t: fc.integer({ min: 0, max: 60 }), v: fc.integer({ min: -50, max: 50 }) }), { minLength: 1, maxLength: 40 })
    .map((events) => [...events].sort((x, y) => x.t - y.t));
  await fc.assert(
    fc.asyncProperty(valued, fc.constantFrom(3, 10), async (events, size) => {
      const result = await runQuery({
        queryText: `SELECT SUM(V) AS S, MIN(V) AS Mn, MAX(V) AS Mx, AVG(V) AS A, System.Timestamp() AS E FROM input TIMESTAMP BY T GROUP BY SlidingWindow(second, ${size})`,
        inputs: [{ alias: "input", events: events.map((e, i) => ({ record: { V: e.v, T: iso(BASE + e.t * 1000) }, location: { file: "gen", line: i + 1 } })) }],
      });
      const times = events.map((e) => e.t);
      const points = [...new Set([...times, ...times.map((t) => t + size)])].sort((x, y) => x - y);
      const expected: string[] = [];
      for (const p of points) {
        const inside = events.filter((e) => e.t > p - size && e.t <= p).map((e) => e.v);
        if (!inside.length) continue;
        const sum = inside.reduce((a, b) => a + b, 0);
        expected.push(`${new Date(BASE + p * 1000).toISOString().replace(".000Z", ".0000000Z")}|${sum}|${Math.min(...inside)}|${Math.max(...inside)}|${(sum / inside.length).toFixed(9)}`);
      }
      const got = result.outputs.output.map((r) => `${String(r.E)}|${r.S}|${r.Mn}|${r.Mx}|${(r.A as number).toFixed(9)}`);
      expect(got).toEqual(expected);
    }),
    { numRuns: 80 },
  );
});
