// Mathematical functions: mathematical-functions-azure-stream-analytics.md and each page.
import fc from "fast-check";
import type { Value } from "../../../lib/saql/values";
import { ArithmeticError } from "../../../lib/saql/functions";
import { call } from "./helpers";

describe("ROUND (the ROUND page's table)", () => {
  test.each([
    [1, 0, 1],
    [0, 0, 0],
    [-1, 0, -1],
    [1.0, 0, 1],
    [0.5, 0, 1],
    [-0.5, 0, -1],
    [1.234, 2, 1.23],
    [1.234, 10, 1.234],
    [123.4, -1, 120],
    [123.4, -10, 0],
    [501.0101, -3, 1000],
    [123.9995, 3, 124],
  ])("ROUND(%p, %p) = %p", (x, length, expected) => {
    expect(call("ROUND", x, length)).toBe(expected);
  });

  test("input-validation.md's readings: ROUND(1.7145, 2) = 1.71, ROUND(2.378, 2) = 2.38, ROUND(-4.85436, 2) = -4.85, ROUND(1.2126, 2) = 1.21", () => {
    expect([1.7145, 2.378, -4.85436, 1.2126].map((x) => call("ROUND", x, 2))).toEqual([1.71, 2.38, -4.85, 1.21]);
  });

  test("input-validation.md: ROUND of a string fails ('Only bigint, float is allowed'); of NULL is NULL", () => {
    expect(() => call("ROUND", "NaN", 2)).toThrow(/must be a number/);
    expect(call("ROUND", null, 2)).toBeNull();
  });

  test("half away from zero, also where binary floats sit just below the half", () => {
    expect(call("ROUND", 2.675, 2)).toBe(2.68);
    expect(call("ROUND", 1.005, 2)).toBe(1.01);
    expect(call("ROUND", -2.5, 0)).toBe(-3);
  });

  test("ROUND takes exactly two arguments (its page's syntax)", () => {
    expect(() => call("ROUND", 1.5, 0, 1)).toThrow(/expects 2 arguments/);
  });
});

describe("the other functions", () => {
  test.each([
    ["ABS", [-3], 3],
    ["ABS", [2.5], 2.5],
    ["CEILING", [1.2], 2],
    ["CEILING", [-1.2], -1],
    ["CEILING", [3], 3],
    ["FLOOR", [1.8], 1],
    ["FLOOR", [-1.2], -2],
    ["EXP", [0], 1],
    ["POWER", [2, 10], 1024],
    ["POWER", [4, 0.5], 2],
    ["SIGN", [-4.2], -1],
    ["SIGN", [0], 0],
    ["SIGN", [7], 1],
    ["SQUARE", [3], 9],
    ["SQRT", [16], 4],
  ] as [string, Value[], number][])("%s(%j) = %p", (name, args, expected) => {
    expect(call(name, ...args)).toBe(expected);
  });

  test("CEILING(-0.5) is 0, not -0", () => {
    expect(Object.is(call("CEILING", -0.5), 0)).toBe(true);
  });

  test("domain errors fail the event", () => {
    expect(() => call("SQRT", -1)).toThrow(ArithmeticError);
    expect(() => call("POWER", -8, 0.5)).toThrow(/finite/);
    expect(() => call("EXP", 1000)).toThrow(ArithmeticError);
  });

  test("NULL in, NULL out, for every function and argument", () => {
    const sample: Record<string, Value[]> = {
      abs: [1], ceiling: [1], exp: [1], floor: [1], power: [2, 2], round: [1.5, 0], sign: [1], square: [1], sqrt: [1],
    };
    for (const [name, args] of Object.entries(sample)) {
      for (let i = 0; i < args.length; i++) {
        expect(call(name, ...args.map((a, j) => (j === i ? null : a)))).toBeNull();
      }
    }
  });

  test("text is not a number", () => {
    expect(() => call("ABS", "5")).toThrow(/must be a number/);
  });
});

describe("properties", () => {
  test("FLOOR(x) ≤ x ≤ CEILING(x), and they differ by at most 1", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), (x) => {
        const f = call("FLOOR", x) as number, c = call("CEILING", x) as number;
        return f <= x && x <= c && c - f <= 1;
      }),
    );
  });

  test("ROUND(x, 0) is within 0.5 of x", () => {
    fc.assert(fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (x) => Math.abs((call("ROUND", x, 0) as number) - x) <= 0.5 + 1e-9));
  });
});
