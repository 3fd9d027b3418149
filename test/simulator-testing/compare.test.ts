import { compareRows, DEFAULT_COMPARE } from "../../lib/simulator/testing";
import { DateTimeValue } from "../../lib/saql/values";

const cmp = (expected: object[], actual: object[], options = {}) =>
  compareRows("out", "out.json", expected as never, actual as never, { ...DEFAULT_COMPARE, ...options });

describe("compareRows", () => {
  it("compares rows as a multiset by default", () => {
    expect(cmp([{ a: 1 }, { a: 2 }, { a: 2 }], [{ a: 2 }, { a: 1 }, { a: 2 }]).pass).toBe(true);
    const r = cmp([{ a: 1 }, { a: 2 }, { a: 2 }], [{ a: 2 }, { a: 1 }]);
    expect(r.pass).toBe(false);
    expect(r.missing).toEqual([{ a: 2 }]);
  });

  it("compares in order on request", () => {
    const r = cmp([{ a: 1 }, { a: 2 }], [{ a: 2 }, { a: 1 }], { orderSensitive: true });
    expect(r.pass).toBe(false);
    expect(r.changed.map((c) => c.fields)).toEqual([["a"], ["a"]]);
    expect(cmp([{ a: 1 }], [{ a: 1 }, { a: 3 }], { orderSensitive: true }).extra).toEqual([{ a: 3 }]);
  });

  it("compares numbers numerically: 70 equals 70.0, and numeric CSV text equals the number", () => {
    expect(cmp([JSON.parse('{"v": 70.0}')], [{ v: 70 }]).pass).toBe(true);
    expect(cmp([{ v: "70.0" }], [{ v: 70 }]).pass).toBe(true);
    expect(cmp([{ v: 70.5 }], [{ v: 70 }]).pass).toBe(false);
    expect(cmp([{ v: "seventy" }], [{ v: 70 }]).pass).toBe(false);
  });

  it("compares datetimes as instants: ISO text equals a datetime at the same instant", () => {
    const t = new DateTimeValue(Date.UTC(2021, 5, 1, 10), 5);
    expect(cmp([{ t: "2021-06-01T10:00:00.0000005Z" }], [{ t }]).pass).toBe(true);
    expect(cmp([{ t: "2021-06-01T12:00:00.0000005+02:00" }], [{ t }]).pass).toBe(true);
    expect(cmp([{ t: "2021-06-01T10:00:00.0000000Z" }], [{ t }]).pass).toBe(false);
  });

  it("compares nested records and arrays by value", () => {
    expect(cmp([{ r: { x: [1, { y: "2021-06-01T10:00:00Z" }] } }], [{ r: { x: [1.0, { y: new DateTimeValue(Date.UTC(2021, 5, 1, 10)) }] } }]).pass).toBe(true);
    expect(cmp([{ r: { x: [1, 2] } }], [{ r: { x: [2, 1] } }]).pass).toBe(false);
  });

  it("treats NULL and an absent field differently, and NULL and NaN", () => {
    expect(cmp([{ a: 1, b: null }], [{ a: 1 }]).pass).toBe(false);
    expect(cmp([{ a: null }], [{ a: NaN }]).pass).toBe(false);
    expect(cmp([{ a: NaN }], [{ a: NaN }]).pass).toBe(true);
  });

  it("accepts numbers within the float tolerance", () => {
    expect(cmp([{ v: 0.3 }], [{ v: 0.1 + 0.2 }]).pass).toBe(false);
    expect(cmp([{ v: 0.3 }, { v: 1 }], [{ v: 1 }, { v: 0.1 + 0.2 }], { floatTolerance: 1e-9 }).pass).toBe(true);
  });

  it("leaves ignored fields out (any case)", () => {
    expect(cmp([{ a: 1, EventProcessedUtcTime: "x" }], [{ a: 1, eventprocessedutctime: "y" }], { ignoreFields: ["EventProcessedUtcTime"] }).pass).toBe(true);
  });

  it("matches field names by case from compatibility level 1.1 on, ignoring case at 1.0", () => {
    expect(cmp([{ DeviceId: "d" }], [{ deviceid: "d" }]).pass).toBe(false);
    expect(cmp([{ DeviceId: "d" }], [{ deviceid: "d" }], { caseSensitiveNames: false }).pass).toBe(true);
  });

  it("pairs a missing row with the most similar extra row as a changed row", () => {
    const r = cmp(
      [
        { id: 1, v: 10, w: "x" },
        { id: 2, v: 20, w: "y" },
      ],
      [
        { id: 2, v: 21, w: "y" },
        { id: 1, v: 10, w: "x" },
        { id: 9, v: 0, w: "z" },
      ],
    );
    expect(r.changed).toEqual([{ expected: { id: 2, v: 20, w: "y" }, actual: { id: 2, v: 21, w: "y" }, fields: ["v"] }]);
    expect(r.missing).toEqual([]);
    expect(r.extra).toEqual([{ id: 9, v: 0, w: "z" }]);
  });
});
