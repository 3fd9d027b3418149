// CAST / TRY_CAST / GetType / datetime text. Sources: "CAST", "TRY_CAST", "Data Types" and
// "GetType" reference pages (stream-analytics-docs), T-SQL where they are silent.
import fc from "fast-check";
import { DateTimeValue, type Value } from "../../../lib/saql/values";
import {
  cast,
  tryCast,
  typeOf,
  parseTypeName,
  parseDateTime,
  formatFloat,
  ConversionError,
  FunctionArgumentError,
} from "../../../lib/saql/functions";
import { call, dt, plain } from "./helpers";
import { parseDateTimeInstant, parseDateTimeValue } from "../../../lib/saql/functions/datetime-text";
import { INSTANT_EPOCH_MS, instantOf } from "../../../lib/saql/instant";

describe("CAST succeeds (Data Types page conversions)", () => {
  const cases: [Value, string, unknown][] = [
    ["42", "bigint", 42],
    [" -7 ", "bigint", -7],
    [42, "float", 42],
    ["1.5", "float", 1.5],
    ["1e3", "float", 1000],
    [2.9, "bigint", 2], // float → bigint truncates toward zero (T-SQL)
    [-2.9, "bigint", -2],
    [true, "bigint", 1],
    [false, "float", 0],
    [1.0, "bit", true], // "(FLOAT) any other value → (BIT) 1"
    [0.0, "bit", false], // "(FLOAT) 0.0 → (BIT) 0"
    [0.25, "bit", true],
    [-3, "bit", true],
    ["true", "bit", true],
    ["FALSE", "bit", false],
    ["1", "bit", true],
    ["0", "bit", false],
    [42, "nvarchar(max)", "42"],
    [1.5, "nvarchar(max)", "1.5"],
    [true, "nvarchar(max)", "true"], // Data Types page: bit → "true"/"false" text (CSV out)
    [false, "nvarchar(max)", "false"],
    ["2014-09-10 12:00:00", "datetime", "2014-09-10T12:00:00.0000000Z"], // DATEDIFF page's literal
    ["2021-06-01T10:00:00Z", "datetime", "2021-06-01T10:00:00.0000000Z"],
    ["2021-06-01T10:00:00.1234567Z", "datetime", "2021-06-01T10:00:00.1234567Z"],
    ["2021-06-01T12:00:00+02:00", "datetime", "2021-06-01T10:00:00.0000000Z"],
    ["2017-06-10T05:01:00-07:00", "datetime", "2017-06-10T12:01:00.0000000Z"], // UDA article's sample
    ["2021-06-01", "datetime", "2021-06-01T00:00:00.0000000Z"],
    ["2021-12-10T10:00:00", "datetime", "2021-12-10T10:00:00.0000000Z"], // input-validation.md: no offset reads as UTC
    [{ a: 1 }, "record", { a: 1 }],
    [[1, 2], "array", [1, 2]],
    ["text", "NVARCHAR(MAX)", "text"],
  ];
  test.each(cases)("CAST(%j AS %s)", (value, type, expected) => {
    expect(plain(cast(value, type))).toEqual(expected);
  });

  test("CAST(datetime AS nvarchar(max)) writes ISO 8601 with seven fractional digits", () => {
    expect(cast(dt("2021-06-01T10:00:00.5Z"), "nvarchar(max)")).toBe("2021-06-01T10:00:00.5000000Z");
  });

  test("a float-typed integral value keeps its float text only when the static type says float", () => {
    expect(cast(2, "nvarchar(max)", "float")).toBe("2");
    expect(cast(1e20, "nvarchar(max)", "float")).toBe("1E+20");
  });
});

describe("CAST fails the event where TRY_CAST gives NULL (CAST / TRY_CAST pages)", () => {
  const failures: [Value, string][] = [
    ["this is a string", "bigint"], // the page's own example
    ["1.5", "bigint"],
    ["12abc", "float"],
    ["", "float"],
    ["NaN", "float"], // input-validation.md: TRY_CAST('NaN' AS float) is NULL
    [{}, "array"], // input-validation.md: TRY_CAST({} AS array) is NULL
    ["yes", "bit"],
    ["not a date", "datetime"],
    ["2021-02-30T00:00:00Z", "datetime"],
    ["2021-06-01T25:00:00Z", "datetime"],
    [42, "datetime"],
    [dt("2021-06-01T00:00:00Z"), "bigint"],
    [{ a: 1 }, "nvarchar(max)"],
    [[1], "record"],
    ["x", "array"],
    [1e19, "bigint"], // beyond 2^63 - 1 (a float, so its conversion overflows)
    ["99999999999999999999", "bigint"],
    [Number.POSITIVE_INFINITY, "bigint"],
  ];
  test.each(failures)("CAST(%j AS %s) throws ConversionError; TRY_CAST gives NULL", (value, type) => {
    expect(() => cast(value, type)).toThrow(ConversionError);
    expect(tryCast(value, type)).toBeNull();
  });

  test("the error names the value and the target type", () => {
    expect(() => cast("this is a string", "bigint")).toThrow(/'this is a string'.*bigint/);
  });

  test("NULL casts to NULL for every type", () => {
    for (const type of ["bigint", "float", "nvarchar(max)", "datetime", "bit", "record", "array"]) {
      expect(cast(null, type)).toBeNull();
      expect(tryCast(null, type)).toBeNull();
    }
  });

  test("an unknown type name is not a conversion failure: TRY_CAST raises it too", () => {
    expect(() => tryCast(1, "int")).toThrow(FunctionArgumentError);
    expect(() => cast(1, "nvarchar(50)")).toThrow(/unknown data type/);
  });
});

describe("type names and GetType (GetType page: WHERE GetType(EntryTime) = 'datetime')", () => {
  test.each([
    [1, "bigint"],
    [1.5, "float"],
    ["a", "nvarchar(max)"],
    [true, "bit"],
    [new DateTimeValue(0), "datetime"],
    [{}, "record"],
    [[], "array"],
  ] as [Value, string][])("GetType(%j) = %s", (value, name) => {
    expect(call("GetType", value)).toBe(name);
    expect(typeOf(value)).toBe(name);
  });

  test("GetType of NULL is NULL, and the static type decides for integral floats", () => {
    expect(call("GetType", null)).toBeNull();
    expect(typeOf(2, "float")).toBe("float");
    expect(call("GetType", 2)).toBe("bigint");
  });

  test("a round number beyond bigint's range is a float (the UDF article's Number mapping)", () => {
    expect(typeOf(1e19)).toBe("float");
    expect(typeOf(-(2 ** 63))).toBe("bigint");
    expect(typeOf(2 ** 63)).toBe("float");
  });

  test("parseTypeName accepts any case and spacing, and only SAQL's types", () => {
    expect(parseTypeName("NVARCHAR ( MAX )")).toBe("nvarchar(max)");
    expect(parseTypeName("DateTime")).toBe("datetime");
    expect(parseTypeName("int")).toBeUndefined();
  });
});

describe("datetime text", () => {
  test("seven fractional digits are kept; beyond seven they are dropped", () => {
    expect(parseDateTime("2021-01-01T00:00:00.123456789Z")!.toString()).toBe("2021-01-01T00:00:00.1234567Z");
  });
  test("a comma decimal separator and a compact offset are read", () => {
    expect(parseDateTime("2021-01-01T00:00:00,5+0100")!.toString()).toBe("2020-12-31T23:00:00.5000000Z");
  });
  test("the year 0001 and 9999 bounds are valid", () => {
    expect(parseDateTime("0001-01-01T00:00:00Z")!.toString()).toBe("0001-01-01T00:00:00.0000000Z");
    expect(parseDateTime("9999-12-31T23:59:59.9999999Z")!.toString()).toBe("9999-12-31T23:59:59.9999999Z");
  });
  test("the common shape and its variants read the same as the general ISO 8601 reader", () => {
    const expected = "2021-06-01T10:20:30.1200000Z";
    for (const text of ["2021-06-01T10:20:30.12Z", "2021-06-01 10:20:30.12", "2021-06-01t10:20:30.120z", "2021-06-01T10:20:30.1200000000Z", " 2021-06-01T10:20:30.12Z ", "2021-06-01T12:20:30.12+02:00"]) {
      expect([text, parseDateTime(text)?.toString()]).toEqual([text, expected]);
    }
  });

  test("impossible dates and stray characters are refused", () => {
    for (const text of ["2021-02-29T00:00:00Z", "2021-06-01T24:00:00Z", "2021-06-01T10:00:60Z", "2021-06-01T10:00:00.Z", "2021-06-01T10:00:00ZZ", "2021-13-01T10:00:00Z", "2021-06-00T10:00:00Z"]) {
      expect([text, parseDateTime(text)]).toEqual([text, undefined]);
    }
    expect(parseDateTime("2020-02-29T00:00:00Z")?.toString()).toBe("2020-02-29T00:00:00.0000000Z");
    expect(parseDateTime("1900-02-29T00:00:00Z")).toBeUndefined();
    expect(parseDateTime("2000-02-29T00:00:00Z")?.toString()).toBe("2000-02-29T00:00:00.0000000Z");
  });

  test("the per-event instant reader (TIMESTAMP BY, arrival times) gives the instant of parseDateTime's value, fast path and same-second reuse included", () => {
    const texts = ["2021-06-01T10:20:30Z", "2021-06-01T10:20:30.5Z", "2021-06-01T10:20:30.1234567Z", "2021-06-01T10:20:30.12345678Z", "2021-06-01T10:20:31Z", "1969-12-31T23:59:59.9Z", "0050-06-01T00:00:00Z", "2021-06-01 10:20:30", "2021-06-01T10:20:30,5+01", "2021-02-29T00:00:00Z", "2021-06-01T10:20:30.Z", "2021-06-01T10:20:30+15:00"];
    const exact = (text: string) => {
      const d = parseDateTime(text);
      return d && (BigInt(d.ms) - BigInt(INSTANT_EPOCH_MS)) * 10_000n + BigInt(d.ticks);
    };
    for (const text of [...texts, ...texts]) {
      const t = parseDateTimeInstant(text);
      expect([text, t === undefined ? undefined : BigInt(t)]).toEqual([text, exact(text)]);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), fc.integer({ min: 0, max: 7 }), fc.nat(9_999_999), (ms, digits, f) => {
        const text = `${new Date(ms).toISOString().slice(0, 19)}${digits ? "." + String(f).padStart(7, "0").slice(0, digits) : ""}Z`;
        const d = parseDateTime(text)!;
        expect(parseDateTimeInstant(text)).toBe(instantOf(d));
        // Within ±2⁵³ ticks of the epoch (1996 … 2053) the instant is the exact tick count.
        const ticks = (BigInt(d.ms) - BigInt(INSTANT_EPOCH_MS)) * 10_000n + BigInt(d.ticks);
        if (ticks < 2n ** 53n && ticks > -(2n ** 53n)) expect(BigInt(parseDateTimeInstant(text)!)).toBe(ticks);
      }),
    );
  });

  test("the per-event exact reader (TIMESTAMP BY columns) gives parseDateTime's ms and ticks, fast path and same-second reuse included", () => {
    const exact = (v: ReturnType<typeof parseDateTime>) => v && [v.ms, v.ticks];
    const texts = ["2021-06-01T10:20:30.1234567Z", "2021-06-01T10:20:30Z", "2021-06-01T10:20:30.9999999Z", "2021-06-01T10:20:30.12345678Z", "1969-12-31T23:59:59.9Z", "2021-06-01 10:20:30", "2021-02-29T00:00:00Z", "2021-06-01T10:20:30.Z"];
    for (const text of [...texts, ...texts]) expect([text, exact(parseDateTimeValue(text))]).toEqual([text, exact(parseDateTime(text))]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), fc.integer({ min: 0, max: 7 }), fc.nat(9_999_999), (ms, digits, f) => {
        const text = `${new Date(ms).toISOString().slice(0, 19)}${digits ? "." + String(f).padStart(7, "0").slice(0, digits) : ""}Z`;
        expect(exact(parseDateTimeValue(text))).toEqual(exact(parseDateTime(text)));
        expect(exact(parseDateTimeValue(text))).toEqual(exact(parseDateTime(text))); // second call: from the cached second
      }),
    );
  });

  test("a datetime is written with seven fractional digits, the same text whichever second was written before", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -62135596800000 /* 0001-01-01 */, max: Date.UTC(9999, 11, 31) }), fc.nat(9_999)), { minLength: 1, maxLength: 5 }), (instants) => {
        for (const [ms, ticks] of instants) {
          const text = new DateTimeValue(ms, ticks).toString();
          expect(text).toBe(`${new Date(ms).toISOString().slice(0, 23)}${String(ticks).padStart(4, "0")}Z`);
          expect([parseDateTime(text)!.ms, parseDateTime(text)!.ticks]).toEqual([ms, ticks]);
        }
      }),
    );
  });

  test("shapes other than ISO 8601 are refused, not guessed", () => {
    for (const text of ["9/10/2014 12:00 PM", "2021-6-1", "20210601T100000Z", "2021-06-01T10"]) {
      expect(parseDateTime(text)).toBeUndefined();
    }
  });
});

describe("float text (.NET round-trip form)", () => {
  test.each([
    [1.5, "1.5"],
    [100, "100"],
    [1e14, "100000000000000"],
    [1e15, "1E+15"],
    [1.2345678901234568e20, "1.2345678901234568E+20"],
    [0.0001, "0.0001"],
    [0.00001, "1E-05"],
    [-2.5e-7, "-2.5E-07"],
  ])("%p → %s", (value, text) => {
    expect(formatFloat(value)).toBe(text);
  });
});

describe("properties", () => {
  test("bigint → nvarchar(max) → bigint round-trips", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), (n) => cast(cast(n, "nvarchar(max)"), "bigint") === n),
    );
  });

  test("float → nvarchar(max) → float round-trips exactly", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const back = cast(cast(x, "nvarchar(max)", "float"), "float") as number;
        return Object.is(back, x) || (x === 0 && back === 0);
      }),
    );
  });

  test("datetime → nvarchar(max) → datetime round-trips to the tick", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -62135596800000, max: 253402300799999 }), // 0001-01-01 … 9999-12-31T23:59:59.999
        fc.integer({ min: 0, max: 9999 }),
        (ms, ticks) => {
          const value = new DateTimeValue(ms, ticks);
          const back = cast(cast(value, "nvarchar(max)"), "datetime") as DateTimeValue;
          return back.compare(value) === 0;
        },
      ),
    );
  });

  test("TRY_CAST never throws a conversion error, and agrees with CAST when CAST succeeds", () => {
    const anyValue = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
    const types = fc.constantFrom("bigint", "float", "nvarchar(max)", "datetime", "bit", "record", "array");
    fc.assert(
      fc.property(anyValue, types, (value, type) => {
        const tried = tryCast(value, type);
        let casted: Value | undefined;
        try {
          casted = cast(value, type);
        } catch (e) {
          if (!(e instanceof ConversionError)) throw e;
          return tried === null;
        }
        return JSON.stringify(plain(casted)) === JSON.stringify(plain(tried));
      }),
    );
  });
});
