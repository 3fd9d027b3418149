// String functions: cases from each reference page (stream-analytics-docs/<name>-azure-stream-analytics.md).
import fc from "fast-check";
import type { Value } from "../../../lib/saql/values";
import { FunctionArgumentError, SCALAR_FUNCTIONS } from "../../../lib/saql/functions";
import { call } from "./helpers";

const STRING_FUNCTIONS = [
  "charindex", "concat", "concat_ws", "left", "len", "lower", "ltrim", "nchar", "patindex", "regexmatch",
  "replace", "replicate", "reverse", "right", "rtrim", "space", "stuff", "substring", "translate", "trim",
  "unicode", "upper",
];

test("every function of the String Functions page is registered", () => {
  for (const name of STRING_FUNCTIONS) expect(SCALAR_FUNCTIONS[name]).toBeInstanceOf(Function);
});

describe("examples from the reference pages", () => {
  test.each([
    ["SUBSTRING", ["abcdefg", 2, 4], "bcde"],
    ["LEFT", ["abcdefg", 2], "ab"],
    ["RIGHT", ["abcdefg", 2], "fg"],
    ["REVERSE", ["abcdefg"], "gfedcba"],
    ["STUFF", ["abcdef", 2, 3, "ijklmn"], "aijklmnef"],
    ["TRANSLATE", ["2*[3+4]/{7-2}", "[]{}", "()()"], "2*(3+4)/(7-2)"],
    ["NCHAR", [33590], "茶"],
    ["UNICODE", ["茶"], 33590],
    ["TRIM", ["      a test    "], "a test"],
    ["LTRIM", ["      Left test"], "Left test"],
    ["RTRIM", ["Right test    "], "Right test"],
    ["CONCAT", ["Make: ", "Contoso", ", Model: ", "QRTZX22"], "Make: Contoso, Model: QRTZX22"],
    ["CONCAT_WS", [", ", "1 Microsoft Way", null, "Redmond", "WA", "98052", null], "1 Microsoft Way, Redmond, WA, 98052"],
    ["REPLACE", ["abcde", "cd", "xx"], "abxxe"],
    ["REPLACE", ["cdabcd", "cd", "x"], "xabx"],
    ["REPLACE", ["cd", "cd", "xxx"], "xxx"],
    ["REPLACE", ["abcde", "gh", "xx"], "abcde"],
    ["REPLACE", ["abcde", "cde", ""], "ab"],
    ["REPLACE", ["abcde", "", "xxx"], "abcde"],
    ["REPLACE", ["", "cde", "xxx"], ""],
    ["REPLACE", [null, "cde", "xxx"], null],
    ["REPLICATE", ["0", 3], "000"],
    ["REPLICATE", ["0", -5], null], // "If integer_expression is negative, NULL is returned."
    ["SPACE", [1], " "],
    ["SPACE", [-1], null],
  ] as [string, Value[], Value][])("%s(%j) = %j", (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  // The page's query writes `4 - LEN(ProductLine)` but its result table ('0000T', '0099A') pads
  // to five characters: the table is right for `5 - LEN(…)`, the query text is the mistake.
  test("REPLICATE page: CONCAT(REPLICATE('0', 5 - LEN(x)), x) pads codes, and NULL is ignored when x is too long", () => {
    const pad = (x: string) => call("CONCAT", call("REPLICATE", "0", 5 - (call("LEN", x) as number)), x);
    expect(["T", "1222X", "99A", "123456789"].map(pad)).toEqual(["0000T", "1222X", "0099A", "123456789"]);
  });

  test("SPACE page: RTRIM('LastName  ') + ',' + SPACE(1) + LTRIM('    FirstName')", () => {
    const parts = [call("RTRIM", "LastName  "), ",", call("SPACE", 1), call("LTRIM", "    FirstName")];
    expect(parts.join("")).toBe("LastName, FirstName");
  });

  test("NCHAR(UNICODE('茶')) round-trips (NCHAR page)", () => {
    expect(call("NCHAR", call("UNICODE", "茶"))).toBe("茶");
  });
});

describe("positions are 1-based", () => {
  test("CHARINDEX finds, misses (0) and honours start_location; start ≤ 0 searches from the beginning", () => {
    expect(call("CHARINDEX", "us", "Focus")).toBe(4);
    expect(call("CHARINDEX", "zz", "Focus")).toBe(0);
    expect(call("CHARINDEX", "a", "banana", 3)).toBe(4);
    expect(call("CHARINDEX", "a", "banana", 0)).toBe(2);
    expect(call("CHARINDEX", "a", "banana", -5)).toBe(2);
    expect(call("CHARINDEX", "a", "banana", 7)).toBe(0);
  });

  test("SUBSTRING with start < 1 returns max(start + length - 1, 0) characters (SUBSTRING page)", () => {
    expect(call("SUBSTRING", "abcdefg", 0, 3)).toBe("ab");
    expect(call("SUBSTRING", "abcdefg", -2, 3)).toBe("");
    expect(call("SUBSTRING", "abcdefg", 6, 10)).toBe("fg");
    expect(call("SUBSTRING", "abcdefg", 9, 2)).toBe("");
  });

  test("a negative length is an error (SUBSTRING, LEFT, RIGHT, STUFF pages)", () => {
    expect(() => call("SUBSTRING", "abc", 1, -1)).toThrow(FunctionArgumentError);
    expect(() => call("LEFT", "abc", -1)).toThrow(FunctionArgumentError);
    expect(() => call("RIGHT", "abc", -1)).toThrow(FunctionArgumentError);
    expect(() => call("STUFF", "abc", 1, -1, "x")).toThrow(FunctionArgumentError);
  });

  test("STUFF: start < 1 acts as 1, start past the end gives '', length past the end deletes the rest", () => {
    expect(call("STUFF", "abcdef", 0, 1, "X")).toBe("Xbcdef");
    expect(call("STUFF", "abcdef", 7, 1, "X")).toBe("");
    expect(call("STUFF", "abcdef", 5, 10, "X")).toBe("abcdX");
    expect(call("STUFF", "abcdef", 3, 0, "X")).toBe("abXcdef");
  });

  test("PATINDEX: % before and after; anchored patterns match at the start or the end", () => {
    expect(call("PATINDEX", "%100%", "AB100C")).toBe(3);
    expect(call("PATINDEX", "%ter%", "interesting")).toBe(3);
    expect(call("PATINDEX", "ter%", "interesting")).toBe(0);
    expect(call("PATINDEX", "in%", "interesting")).toBe(1);
    expect(call("PATINDEX", "%ing", "interesting")).toBe(9);
    expect(call("PATINDEX", "%[0-9][0-9]%", "ab1c23")).toBe(5);
    expect(call("PATINDEX", "%zz%", "interesting")).toBe(0);
  });

  test("REGEXMATCH: position of the first match, case-insensitive, 0 if none or invalid (REGEXMATCH page)", () => {
    expect(call("REGEXMATCH", "ABC123", "[0-9][0-9][0-9]")).toBe(4);
    expect(call("REGEXMATCH", "Hello", "^hello$")).toBe(1);
    expect(call("REGEXMATCH", "abc", "[0-9]")).toBe(0);
    expect(call("REGEXMATCH", "abc", "([")).toBe(0);
    expect(call("REGEXMATCH", null, "a")).toBeNull();
    expect(call("REGEXMATCH", "a", null)).toBeNull();
  });
});

describe("NULL handling", () => {
  test("CONCAT treats NULL as empty; all NULL gives an empty string (CONCAT page)", () => {
    expect(call("CONCAT", "a", null, "b")).toBe("ab");
    expect(call("CONCAT", null, null)).toBe("");
  });

  test("CONCAT converts numbers and datetimes to text", () => {
    expect(call("CONCAT", "n=", 42, ", x=", 1.5)).toBe("n=42, x=1.5");
  });

  test("CONCAT_WS skips NULLs and returns '' for all NULL (CONCAT_WS page)", () => {
    expect(call("CONCAT_WS", "-", null, null)).toBe("");
  });

  test("every other string function returns NULL for a NULL argument", () => {
    const sample: Record<string, Value[]> = {
      charindex: ["a", "abc"], left: ["abc", 1], len: ["abc"], lower: ["A"], ltrim: [" a"], nchar: [65],
      patindex: ["%a%", "abc"], regexmatch: ["abc", "a"], replace: ["abc", "a", "b"], replicate: ["a", 2],
      reverse: ["ab"], right: ["abc", 1], rtrim: ["a "], space: [2], stuff: ["abc", 1, 1, "x"],
      substring: ["abc", 1, 1], translate: ["abc", "a", "b"], trim: [" a "], unicode: ["a"], upper: ["a"],
    };
    for (const [name, args] of Object.entries(sample)) {
      expect(call(name, ...args)).not.toBeNull();
      for (let i = 0; i < args.length; i++) {
        const withNull = args.map((a, j) => (j === i ? null : a));
        expect([name, i, call(name, ...withNull)]).toEqual([name, i, null]);
      }
    }
  });
});

describe("edge cases", () => {
  test("LEN excludes trailing blanks but not leading ones", () => {
    expect(call("LEN", "  ab  ")).toBe(4);
    expect(call("LEN", "")).toBe(0);
  });

  test("TRIM removes .NET white space, not only U+0020 (TRIM page note)", () => {
    expect(call("TRIM", "\t\u00a0 x \u3000\n")).toBe("x");
    expect(call("LTRIM", "\u2028x ")).toBe("x ");
  });

  test("TRANSLATE does not replace a character twice and rejects lists of different lengths", () => {
    expect(call("TRANSLATE", "abc", "ab", "ba")).toBe("bac");
    expect(() => call("TRANSLATE", "abc", "ab", "b")).toThrow(/same number of characters/);
  });

  test("TRANSLATE page: GeoJSON point to WKT", () => {
    expect(call("TRANSLATE", "[137.4,72.3]", "[,]", "( )")).toBe("(137.4 72.3)");
  });

  test("NCHAR outside 0 … 0x10FFFF is NULL (NCHAR page)", () => {
    expect(call("NCHAR", 1114112)).toBeNull();
    expect(call("NCHAR", -1)).toBeNull();
  });

  test("UNICODE reads only the first character, including astral ones", () => {
    expect(call("UNICODE", "ab")).toBe(97);
    expect(call("UNICODE", "😀x")).toBe(0x1f600);
  });

  test("wrong argument counts and types are clear errors", () => {
    expect(() => call("LEN")).toThrow(/LEN: expects 1 argument/);
    expect(() => call("CONCAT", "a")).toThrow(/at least 2/);
    expect(() => call("LOWER", 5)).toThrow(/nvarchar/);
  });
});

describe("properties", () => {
  test("REVERSE is an involution on BMP text", () => {
    fc.assert(fc.property(fc.string(), (s) => call("REVERSE", call("REVERSE", s)) === s));
  });

  test("LEFT(s, n) + SUBSTRING(s, n + 1, LEN) rebuilds s", () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(20), (s, n) => (call("LEFT", s, n) as string) + (call("SUBSTRING", s, n + 1, s.length) as string) === s),
    );
  });

  test("CHARINDEX agrees with indexOf + 1", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3, minLength: 1 }), fc.string(), (find, text) => call("CHARINDEX", find, text) === text.indexOf(find) + 1),
    );
  });
});
