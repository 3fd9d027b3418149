// The reorder buffer against its definition: rows leave in (ts, arrival) order, NaN first, each
// release handing out exactly the rows at or before its bound (up to a row without a time). Streams are mostly in order with
// some disorder (the run and the heap both hold rows), as the engine sees them.
import fc from "fast-check";
import { OrderedBuffer } from "../../../lib/saql/exec/ordered-buffer";
import type { Row } from "../../../lib/saql/exec/row";

type Step = { add: number } | { release: number; strict: boolean } | { drain: true };

const timeArb = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 30 }) }, { weight: 1, arbitrary: fc.constant(NaN) });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: timeArb.map((add) => ({ add })) },
  { weight: 2, arbitrary: fc.record({ release: fc.integer({ min: -1, max: 31 }), strict: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ drain: true as const }) },
);

/** Mostly ascending times: each added time is a running maximum, sometimes stepped back. */
const stepsArb = fc.array(fc.tuple(stepArb, fc.boolean()), { maxLength: 80 }).map((steps) => {
  let t = 0;
  return steps.map(([step, back]): Step => {
    if (!("add" in step) || Number.isNaN(step.add)) return step;
    t = Math.max(t, step.add);
    return { add: back ? step.add : t };
  });
});

function byTimeThenArrival(a: { ts: number; seq: number }, b: { ts: number; seq: number }): number {
  const na = Number.isNaN(a.ts);
  const nb = Number.isNaN(b.ts);
  if (na !== nb) return na ? -1 : 1;
  if (!na && a.ts !== b.ts) return a.ts - b.ts;
  return a.seq - b.seq;
}

test("rows leave in (ts, arrival) order, NaN first, each release up to its bound, whatever the disorder", () => {
  fc.assert(
    fc.property(stepsArb, (steps) => {
      const buffer = new OrderedBuffer();
      let held: { ts: number; seq: number; row: Row }[] = [];
      let seq = 0;
      for (const step of steps) {
        if ("add" in step) {
          const row: Row = { ts: step.add, rec: { seq } };
          held.push({ ts: step.add, seq: seq++, row });
          buffer.add(row);
          expect(buffer.size).toBe(held.length);
          continue;
        }
        held.sort(byTimeThenArrival);
        const out: Row[] = [];
        let expected: Row[];
        if ("drain" in step) {
          buffer.drain((r) => out.push(r));
          expected = held.map((h) => h.row);
          held = [];
        } else {
          buffer.release(step.release, step.strict, (r) => out.push(r));
          // Rows sorted by time: the released ones are a prefix (a row without a time sorts first and
          // holds the others until the end).
          let n = 0;
          while (n < held.length && (step.strict ? held[n].ts < step.release : held[n].ts <= step.release)) n++;
          expected = held.slice(0, n).map((h) => h.row);
          held = held.slice(n);
        }
        expect(out).toEqual(expected);
        expect(out.every((r, i) => r === expected[i])).toBe(true);
        expect(buffer.size).toBe(held.length);
        const first = [...held].sort(byTimeThenArrival)[0];
        expect(buffer.peekTs()).toBe(first ? first.ts : Infinity);
      }
    }),
    { numRuns: 500 },
  );
});
