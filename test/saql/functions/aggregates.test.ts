// Aggregates: aggregate-functions-azure-stream-analytics.md and each aggregate's page.
import fc from "fast-check";
import type { Value } from "../../../lib/saql/values";
import { AGGREGATES, FunctionArgumentError, type AggregateCall } from "../../../lib/saql/functions";
import { NotSupportedError } from "../../../lib/core/errors";
import { dt, plain } from "./helpers";

function run(name: string, values: Value[], call: Partial<AggregateCall> = {}, orderKeys?: Value[][]): Value {
  const acc = AGGREGATES[name].create({ constArgs: [], ...call });
  values.forEach((v, i) => acc.add(v, orderKeys?.[i]));
  return acc.result();
}

const LISTED = ["avg", "count", "collect", "collecttop", "max", "min", "percentile_cont", "percentile_disc", "stdev", "stdevp", "sum", "topone", "var", "varp"];

test("every aggregate of the Aggregate Functions page is registered", () => {
  expect(Object.keys(AGGREGATES).sort()).toEqual([...LISTED].sort());
});

describe("COUNT", () => {
  test("COUNT(*) counts rows, COUNT(x) skips NULL, COUNT(DISTINCT x) counts distinct non-NULL values", () => {
    expect(run("count", [1, null, 1], { star: true })).toBe(3);
    expect(run("count", [1, null, 1])).toBe(2);
    expect(run("count", [1, null, 1, 2, "1"], { distinct: true })).toBe(3);
    expect(run("count", [])).toBe(0);
  });
  test("COUNT(DISTINCT) tells records apart by content", () => {
    expect(run("count", [{ a: 1 }, { a: 1 }, { a: 2 }], { distinct: true })).toBe(2);
  });
});

describe("SUM / AVG / MIN / MAX", () => {
  test("NULLs are ignored; no non-NULL value gives NULL", () => {
    expect(run("sum", [1, null, 2])).toBe(3);
    expect(run("sum", [null, null])).toBeNull();
    expect(run("avg", [1, null, 2])).toBe(1.5);
    expect(run("avg", [])).toBeNull();
    expect(run("min", [3, null, 1])).toBe(1);
    expect(run("max", [null])).toBeNull();
  });
  test("SUM of floats is the in-order float sum", () => {
    expect(run("sum", [0.1, 0.2, 0.3])).toBe(0.1 + 0.2 + 0.3);
  });
  test("MIN/MAX compare datetimes and bits", () => {
    expect(plain(run("max", [dt("2021-01-01T00:00:00Z"), dt("2021-06-01T00:00:00Z")]))).toBe("2021-06-01T00:00:00.0000000Z");
    expect(run("min", [true, false])).toBe(false);
  });
  test("MAX page: strings are cast to float unless the argument is explicitly nvarchar(max)", () => {
    expect(run("max", ["9", "10"])).toBe(10);
    expect(run("max", ["9", "10"], { argType: "nvarchar(max)" })).toBe("9");
    expect(() => run("max", ["abc"])).toThrow(/float/);
  });
  test("SUM of text that is not a number fails; records fail", () => {
    expect(() => run("sum", ["x"])).toThrow();
    expect(() => run("avg", [{ a: 1 }])).toThrow(/numbers/);
  });
  test("DISTINCT is refused outside COUNT", () => {
    expect(() => run("sum", [1], { distinct: true })).toThrow(NotSupportedError);
  });
});

describe("STDEV / STDEVP / VAR / VARP", () => {
  const values = [2, 4, 4, 4, 5, 5, 7, 9];
  test("population and sample statistics", () => {
    expect(run("varp", values)).toBe(4);
    expect(run("stdevp", values)).toBe(2);
    expect(run("var", values)).toBeCloseTo(32 / 7, 12);
    expect(run("stdev", values)).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });
  test("one value: sample statistics are NULL, population ones 0; none: NULL", () => {
    expect(run("stdev", [5])).toBeNull();
    expect(run("var", [5])).toBeNull();
    expect(run("stdevp", [5])).toBe(0);
    expect(run("varp", [])).toBeNull();
  });
});

describe("Collect / CollectTop / TopOne", () => {
  test("Collect gathers values in arrival order, skipping NULL", () => {
    expect(run("collect", [{ a: 1 }, null, { a: 2 }])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(run("collect", [])).toEqual([]);
  });

  test("the CollectTop page's example: CollectTop(2) OVER (ORDER BY value2 ASC, value3 DESC) per value1", () => {
    const events = [
      { Value1: 1, Value2: 10, Value3: 10, Time: 0 },
      { Value1: 2, Value2: 70, Value3: 10, Time: 1 },
      { Value1: 1, Value2: 50, Value3: 10, Time: 2 },
      { Value1: 2, Value2: 80, Value3: 10, Time: 3 },
      { Value1: 1, Value2: 30, Value3: 10, Time: 3 },
    ];
    const top = (group: number) => {
      const acc = AGGREGATES.collecttop.create({ constArgs: [2], orderBy: [{ descending: false }, { descending: true }] });
      for (const e of events.filter((x) => x.Value1 === group)) acc.add(e, [e.Value2, e.Value3]);
      return acc.result();
    };
    expect(top(1)).toEqual([
      { rank: 1, value: events[0] },
      { rank: 2, value: events[4] },
    ]);
    expect(top(2)).toEqual([
      { rank: 1, value: events[1] },
      { rank: 2, value: events[3] },
    ]);
  });

  test("CollectTop: NULL keys are the minimum; ties share a rank", () => {
    const acc = AGGREGATES.collecttop.create({ constArgs: [3], orderBy: [{ descending: false }] });
    acc.add("a", [5]);
    acc.add("b", [null]);
    acc.add("c", [5]);
    acc.add("d", [7]);
    expect(acc.result()).toEqual([
      { rank: 1, value: "b" },
      { rank: 2, value: "a" },
      { rank: 2, value: "c" },
    ]);
  });

  test("CollectTop needs a positive count and ORDER BY keys of bigint, float or datetime", () => {
    expect(() => AGGREGATES.collecttop.create({ constArgs: [0], orderBy: [{ descending: false }] })).toThrow(FunctionArgumentError);
    expect(() => AGGREGATES.collecttop.create({ constArgs: [2] })).toThrow(/ORDER BY/);
    const acc = AGGREGATES.collecttop.create({ constArgs: [2], orderBy: [{ descending: false }] });
    expect(() => acc.add({}, ["text"])).toThrow(/bigint, float or datetime/);
  });

  test("TopOne returns the first row in the ordering; first arrived on ties; NULL when empty", () => {
    const acc = AGGREGATES.topone.create({ constArgs: [], orderBy: [{ descending: true }] });
    expect(acc.result()).toBeNull();
    acc.add({ id: 1 }, [dt("2021-01-01T00:00:00Z")]);
    acc.add({ id: 2 }, [dt("2021-01-02T00:00:00Z")]);
    acc.add({ id: 3 }, [dt("2021-01-02T00:00:00Z")]);
    expect(acc.result()).toEqual({ id: 2 });
  });
});

describe("PERCENTILE_CONT / PERCENTILE_DISC (their pages' example: serviceAvailability)", () => {
  const availability = [0.98, 0.93, 0.78, 0.99, 0.89];
  const keys = availability.map((v) => [v]);
  test("PERCENTILE_CONT(0.95) = 0.988", () => {
    expect(run("percentile_cont", availability.map(() => null), { constArgs: [0.95], orderBy: [{ descending: false }] }, keys)).toBeCloseTo(0.988, 12);
  });
  test("PERCENTILE_DISC(0.95) = 0.99", () => {
    expect(run("percentile_disc", availability.map(() => null), { constArgs: [0.95], orderBy: [{ descending: false }] }, keys)).toBe(0.99);
  });
  test("the median, DESC order, NULL keys ignored, no rows", () => {
    const call = (name: string, p: number, ks: Value[], descending = false) =>
      run(name, ks.map(() => null), { constArgs: [p], orderBy: [{ descending }] }, ks.map((k) => [k]));
    expect(call("percentile_cont", 0.5, [1, 2, 3, 4])).toBe(2.5);
    expect(call("percentile_disc", 0.5, [1, 2, 3, 4])).toBe(2);
    expect(call("percentile_disc", 0.25, [1, 2, 3, 4], true)).toBe(4);
    expect(call("percentile_cont", 0.5, [null, 10, null])).toBe(10);
    expect(call("percentile_cont", 0.5, [])).toBeNull();
    expect(call("percentile_disc", 0, [3, 1, 2])).toBe(1);
  });
  test("the fraction must be within 0 … 1", () => {
    expect(() => AGGREGATES.percentile_cont.create({ constArgs: [1.5], orderBy: [{ descending: false }] })).toThrow(/between 0 and 1/);
  });
});

describe("add / remove (sliding and hopping windows)", () => {
  // Removal evicts the oldest rows first; the result must equal a fresh aggregate over what is left.
  const numeric = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ min: -1000, max: 1000, noNaN: true }), fc.constant(null));
  const names = ["count", "sum", "avg", "min", "max", "stdev", "stdevp", "var", "varp", "collect"];
  test.each(names)("%s: add all, remove the oldest k → same as aggregating the rest", (name) => {
    fc.assert(
      fc.property(fc.array(numeric, { maxLength: 30 }), fc.nat(30), (values, k) => {
        const removed = Math.min(k, values.length);
        const acc = AGGREGATES[name].create({ constArgs: [] });
        values.forEach((v) => acc.add(v));
        values.slice(0, removed).forEach((v) => acc.remove!(v));
        const expected = run(name, values.slice(removed));
        return JSON.stringify(acc.result()) === JSON.stringify(expected);
      }),
    );
  });

  test("ordered aggregates agree after removal too", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 20 }), fc.nat(20), (keys, k) => {
        const removed = Math.min(k, keys.length);
        for (const [name, constArgs] of [["collecttop", [3]], ["topone", []], ["percentile_cont", [0.3]], ["percentile_disc", [0.7]]] as const) {
          const call = { constArgs: [...constArgs], orderBy: [{ descending: false }] };
          const acc = AGGREGATES[name].create(call);
          keys.forEach((key, i) => acc.add({ i }, [key]));
          keys.slice(0, removed).forEach((key, i) => acc.remove!({ i }, [key]));
          const fresh = AGGREGATES[name].create(call);
          keys.forEach((key, i) => i >= removed && fresh.add({ i }, [key]));
          if (JSON.stringify(acc.result()) !== JSON.stringify(fresh.result())) return false;
        }
        return true;
      }),
    );
  });

  test("every built-in aggregate supports removal", () => {
    for (const name of LISTED) expect(AGGREGATES[name].supportsRemove).toBe(true);
  });
});

describe("appendOnly (tumbling/snapshot/session windows): constant state, same results", () => {
  const numeric = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ min: -1000, max: 1000, noNaN: true }), fc.constant(null));
  test.each(["count", "sum", "avg", "min", "max", "stdev", "var", "collect"])("%s", (name) => {
    fc.assert(
      fc.property(fc.array(numeric, { maxLength: 40 }), (values) => {
        return JSON.stringify(run(name, values, { appendOnly: true })) === JSON.stringify(run(name, values));
      }),
    );
  });

  test("CollectTop and TopOne keep only the best rows but rank them the same", () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 5 })), { maxLength: 30 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), (keys, n, descending) => {
        for (const [name, constArgs] of [["collecttop", [n]], ["topone", []]] as const) {
          const results = [false, true].map((appendOnly) => {
            const acc = AGGREGATES[name].create({ constArgs: [...constArgs], orderBy: [{ descending }], appendOnly });
            keys.forEach((key, i) => acc.add({ i }, [key]));
            return JSON.stringify(acc.result());
          });
          if (results[0] !== results[1]) return false;
        }
        return true;
      }),
    );
  });

  test("an append-only accumulator has no remove", () => {
    for (const name of ["sum", "avg", "min", "max"]) expect(AGGREGATES[name].create({ constArgs: [], appendOnly: true }).remove).toBeUndefined();
    for (const [name, constArgs] of [["collecttop", [2]], ["topone", []]] as const) {
      expect(AGGREGATES[name].create({ constArgs: [...constArgs], orderBy: [{ descending: false }], appendOnly: true }).remove).toBeUndefined();
    }
  });
});
