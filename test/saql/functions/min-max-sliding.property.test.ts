// MIN/MAX as a sliding window uses them (rows added in time order, removed oldest first) against
// their definition: the earliest best value of the rows still in the window, NULLs ignored, a
// comparison that fails failing the result. Mixed types, ties between equal values of different
// types (1 and true), datetimes, numeric text, and a removal that is not the oldest row.
import fc from "fast-check";
import { AGGREGATES } from "../../../lib/saql/functions";
import { compareNonNull } from "../../../lib/saql/functions/compare";
import { toFloat } from "../../../lib/saql/functions/cast";
import { DateTimeValue, type Value } from "../../../lib/saql/values";

const BASE = Date.UTC(2021, 5, 1);
const valueArb: fc.Arbitrary<Value> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5, max: 5 }) },
  { weight: 2, arbitrary: fc.constantFrom(0.5, -0.5, 2.25) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom("3", "-1", "2.5", "a", "b") },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }).map((s) => new DateTimeValue(BASE + s * 1000)) },
);

type Op = { add: Value } | { remove: "oldest" | "other" } | { result: true };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: valueArb.map((add) => ({ add })) },
  { weight: 3, arbitrary: fc.constant({ remove: "oldest" as const }) },
  { weight: 1, arbitrary: fc.constant({ remove: "other" as const }) },
  { weight: 4, arbitrary: fc.constant({ result: true as const }) },
);

/** The definition: every value of the window scanned, the first strictly better one kept. */
function expected(window: Value[], direction: 1 | -1, textCompare: boolean): Value {
  let best: Value = null;
  for (const raw of window) {
    if (raw === null) continue;
    const v = typeof raw === "string" && !textCompare ? toFloat(raw) : raw;
    if (best === null || direction * compareNonNull(v, best) > 0) best = v;
  }
  return best;
}

const outcome = (f: () => Value): { value: Value } | { error: string } => {
  try {
    return { value: f() };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
};

const same = (a: Value, b: Value) => a === b || (a instanceof DateTimeValue && b instanceof DateTimeValue && a.compare(b) === 0);

for (const name of ["min", "max"] as const) {
  for (const argType of [undefined, "nvarchar(max)"] as const) {
    test(`${name.toUpperCase()}${argType ? " over nvarchar(max)" : ""} in a sliding window gives the earliest best value of the rows in it`, () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
          const acc = AGGREGATES[name].create({ constArgs: [], argType });
          const window: Value[] = [];
          for (const op of ops) {
            if ("add" in op) {
              const added = outcome(() => (acc.add(op.add), null));
              // A value MIN/MAX cannot take (text that is no number) fails the add and is not kept.
              if ("value" in added) window.push(op.add);
            } else if ("remove" in op) {
              if (!window.length) continue;
              const at = op.remove === "oldest" ? 0 : window.length - 1;
              acc.remove!(window[at]);
              // The accumulator removes the oldest equal value, as the window would.
              const v = window[at];
              const norm = (x: Value) => (typeof x === "string" && !argType ? toFloat(x) : x);
              const first = window.findIndex((w) => (w === null && v === null) || (w !== null && v !== null && same(norm(w), norm(v)) && typeof norm(w) === typeof norm(v)));
              window.splice(first, 1);
            } else {
              const got = outcome(() => acc.result());
              const want = outcome(() => expected(window, name === "max" ? 1 : -1, argType !== undefined));
              if ("error" in want) expect(got).toEqual(want);
              else {
                expect("value" in got).toBe(true);
                expect(same((got as { value: Value }).value, want.value)).toBe(true);
              }
            }
          }
        }),
        { numRuns: 400 },
      );
    });
  }
}

test("MIN and MAX stay exact over a long-lived window (thousands of rows in and out, the window never empty)", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 3000, maxLength: 3000 }), fc.integer({ min: 1, max: 200 }), (xs, width) => {
      for (const [name, direction] of [["min", -1], ["max", 1]] as const) {
        const acc = AGGREGATES[name].create({ constArgs: [] });
        xs.forEach((x, i) => {
          acc.add(x);
          if (i >= width) acc.remove!(xs[i - width]);
          expect(acc.result()).toBe(expected(xs.slice(Math.max(0, i - width + 1), i + 1), direction, false));
        });
      }
    }),
    { numRuns: 5 },
  );
});
