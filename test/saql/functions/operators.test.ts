// Operators: arithmetic, three-valued comparison and logic, LIKE, IN, BETWEEN, bitwise.
// Sources: bitwise-*-azure-stream-analytics pages, Data Types page (bigint/float compare),
// T-SQL semantics for NULL and LIKE where the reference is silent.
import fc from "fast-check";
import type { Value } from "../../../lib/saql/values";
import {
  arithmetic,
  negate,
  compare,
  and,
  or,
  not,
  isTrue,
  between,
  inList,
  isNull,
  bitwise,
  bitwiseNot,
  like,
  ArithmeticError,
  ConversionError,
  compareForSort,
} from "../../../lib/saql/functions";
import { dt } from "./helpers";

describe("arithmetic", () => {
  test.each([
    ["+", 2, 3, 5],
    ["-", 2, 3, -1],
    ["*", 4, 2.5, 10],
    ["/", 7, 2, 3.5],
    ["%", 7, 3, 1],
    ["%", -7, 3, -1], // the sign follows the dividend, as T-SQL
    ["+", 0.1, 0.2, 0.1 + 0.2],
  ] as const)("%s: %p and %p → %p", (op, a, b, expected) => {
    expect(arithmetic(op, a, b)).toBe(expected);
  });

  test("NULL on either side gives NULL", () => {
    for (const op of ["+", "-", "*", "/", "%"] as const) {
      expect(arithmetic(op, null, 1)).toBeNull();
      expect(arithmetic(op, 1, null)).toBeNull();
    }
  });

  test("+ of two strings concatenates", () => {
    expect(arithmetic("+", "Last", ",")).toBe("Last,");
  });

  test("division and modulo by zero fail the event", () => {
    expect(() => arithmetic("/", 1, 0)).toThrow(ArithmeticError);
    expect(() => arithmetic("%", 1, 0)).toThrow(/modulo by zero/);
  });

  test("bigint overflow fails; float does not", () => {
    expect(() => arithmetic("*", 2 ** 62, 4)).toThrow(/overflow/);
    expect(arithmetic("*", 2 ** 62, 4, { left: "float" })).toBe(2 ** 64);
  });

  test("datetimes and records are not numbers; the message points to DATEADD", () => {
    expect(() => arithmetic("+", dt("2021-01-01T00:00:00Z"), 1)).toThrow(/DATEADD/);
    expect(() => arithmetic("-", { a: 1 }, 1)).toThrow(ArithmeticError);
  });

  test("unary minus keeps NULL and avoids -0", () => {
    expect(negate(null)).toBeNull();
    expect(negate(3)).toBe(-3);
    expect(Object.is(negate(0), 0)).toBe(true);
  });
});

describe("comparison with three-valued logic", () => {
  test("NULL compared with anything is unknown (NULL)", () => {
    for (const op of ["=", "!=", "<>", "<", ">", "<=", ">="] as const) {
      expect(compare(op, null, 1)).toBeNull();
      expect(compare(op, null, null)).toBeNull();
    }
  });

  test("bigint and float compare numerically (Data Types page)", () => {
    expect(compare("=", 2, 2.0)).toBe(true);
    expect(compare("<", 2, 2.5)).toBe(true);
  });

  test("bit compares as 0/1 with numbers", () => {
    expect(compare("=", true, 1)).toBe(true);
    expect(compare(">", true, false)).toBe(true);
  });

  test("a string compared with a datetime is read as a datetime", () => {
    expect(compare("=", dt("2014-09-10T12:00:00Z"), "2014-09-10 12:00:00")).toBe(true);
    expect(compare("<", "2014-09-10T11:59:59Z", dt("2014-09-10T12:00:00Z"))).toBe(true);
  });

  test("strings compare ordinally and case-sensitively", () => {
    expect(compare("=", "abc", "ABC")).toBe(false);
    expect(compare("<", "B", "a")).toBe(true);
  });

  test("a string compared with a number is read as a number; text that is not one fails", () => {
    expect(compare("=", "5", 5)).toBe(true);
    expect(() => compare("=", "five", 5)).toThrow(ConversionError);
  });

  test("records and arrays cannot be compared", () => {
    expect(() => compare("=", { a: 1 }, { a: 1 })).toThrow(/cannot be compared/);
    expect(() => compare("<", [1], "x")).toThrow(ConversionError);
  });

  test("sorting puts NULL lowest", () => {
    const sorted = [3, null, 1].sort(compareForSort);
    expect(sorted).toEqual([null, 1, 3]);
  });
});

describe("AND / OR / NOT truth tables (SQL three-valued logic)", () => {
  const T = true, F = false, U = null;
  test.each([
    [T, T, T, T], [T, F, F, T], [T, U, U, T],
    [F, T, F, T], [F, F, F, F], [F, U, F, U],
    [U, T, U, T], [U, F, F, U], [U, U, U, U],
  ] as const)("%p AND/OR %p = %p / %p", (a, b, andResult, orResult) => {
    expect(and(a, b)).toBe(andResult);
    expect(or(a, b)).toBe(orResult);
  });

  test("NOT unknown is unknown", () => {
    expect(not(null)).toBeNull();
    expect(not(true)).toBe(false);
  });

  test("WHERE keeps only true rows", () => {
    expect(isTrue(null)).toBe(false);
    expect(isTrue(false)).toBe(false);
    expect(isTrue(true)).toBe(true);
  });
});

describe("IN, BETWEEN, IS NULL", () => {
  test("IN is true on a match, NULL when no match and a NULL is involved, else false", () => {
    expect(inList(2, [1, 2, null])).toBe(true);
    expect(inList(3, [1, 2, null])).toBeNull();
    expect(inList(3, [1, 2])).toBe(false);
    expect(inList(null, [1])).toBeNull();
    expect(inList(3, [1, 2, null], true)).toBeNull();
    expect(inList(3, [1, 2], true)).toBe(true);
  });

  test("BETWEEN includes both ends and follows NULL logic", () => {
    expect(between(5, 1, 5)).toBe(true);
    expect(between(0, 1, 5)).toBe(false);
    expect(between(null, 1, 5)).toBeNull();
    expect(between(0, null, 5)).toBeNull(); // 0 >= NULL is unknown, 0 <= 5 true
    expect(between(9, null, 5)).toBe(false); // 9 <= 5 is false
    expect(between(0, 1, 5, true)).toBe(true);
  });

  test("IS [NOT] NULL never returns unknown", () => {
    expect(isNull(null)).toBe(true);
    expect(isNull(0)).toBe(false);
    expect(isNull(null, true)).toBe(false);
  });
});

describe("bitwise operators (bitwise-*-azure-stream-analytics pages)", () => {
  test("the page's examples: 170 & 75 = 10, 170 | 75 = 235", () => {
    expect(bitwise("&", 170, 75)).toBe(10);
    expect(bitwise("|", 170, 75)).toBe(235);
    expect(bitwise("^", 170, 75)).toBe(225);
  });

  test("bit with bit gives bit; with a bigint gives bigint", () => {
    expect(bitwise("&", true, false)).toBe(false);
    expect(bitwise("|", true, false)).toBe(true);
    expect(bitwise("&", true, 3)).toBe(1);
  });

  test("NULL propagates; ~ is the 64-bit complement", () => {
    expect(bitwise("&", null, 1)).toBeNull();
    expect(bitwiseNot(170)).toBe(-171);
    expect(bitwiseNot(true)).toBe(false);
    expect(bitwiseNot(null)).toBeNull();
  });
});

describe("LIKE", () => {
  test.each([
    ["abc", "a%", true],
    ["abc", "%c", true],
    ["abc", "_b_", true],
    ["abc", "a_", false],
    ["Carsen", "[C-P]arsen", true],
    ["Xarsen", "[C-P]arsen", false],
    ["Xarsen", "[^C-P]arsen", true],
    ["a.c", "a.c", true],
    ["abc", "a.c", false],
    ["50%", "50[%]", true],
    ["line1\nline2", "line1%", true],
    ["ABC", "abc", false],
    ["", "%", true],
    ["(x)", "(%)", true],
  ] as const)("%j LIKE %j = %p", (value, pattern, expected) => {
    expect(like(value, pattern)).toBe(expected);
  });

  test("an escape character makes a wildcard literal", () => {
    expect(like("10%", "10!%", false, "!")).toBe(true);
    expect(like("100", "10!%", false, "!")).toBe(false);
  });

  test("NULL operands give NULL; NOT LIKE negates", () => {
    expect(like(null, "a%")).toBeNull();
    expect(like("a", null)).toBeNull();
    expect(like("abc", "a%", true)).toBe(false);
  });

  test("LIKE matches a hand-written oracle for % and _ patterns", () => {
    // Oracle: recursive matcher over code units.
    const oracle = (s: string, p: string): boolean => {
      if (p === "") return s === "";
      if (p[0] === "%") return oracle(s, p.slice(1)) || (s !== "" && oracle(s.slice(1), p));
      if (s === "") return false;
      return (p[0] === "_" || p[0] === s[0]) && oracle(s.slice(1), p.slice(1));
    };
    const alphabet = fc.constantFrom("a", "b", ".", "*", "(");
    const patternChars = fc.constantFrom("a", "b", ".", "*", "(", "%", "_");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 8 }), fc.array(patternChars, { maxLength: 6 }), (s, p) => {
        return like(s.join(""), p.join("")) === oracle(s.join(""), p.join(""));
      }),
    );
  });
});

describe("properties of comparison", () => {
  test("for numbers, exactly one of <, =, > holds", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
        const results = [compare("<", a, b), compare("=", a, b), compare(">", a, b)];
        return results.filter((r) => r === true).length === 1;
      }),
    );
  });

  test("NOT (a AND b) = (NOT a) OR (NOT b) in three-valued logic", () => {
    const tv = fc.constantFrom<Value>(true, false, null);
    fc.assert(fc.property(tv, tv, (a, b) => not(and(a, b)) === or(not(a), not(b))));
  });
});
