// Date and time functions: dateadd/datediff/datename/datepart/datetimefromparts/day/month/year pages.
import fc from "fast-check";
import { DateTimeValue, type Value } from "../../../lib/saql/values";
import {
  parseDateTimeUnit,
  durationTicks,
  isFixedDurationUnit,
  dateAdd,
  dateDiff,
  FunctionArgumentError,
  ConversionError,
  type DateTimeUnit,
} from "../../../lib/saql/functions";
import { call, dt, plain } from "./helpers";

describe("datepart names and abbreviations (DATEADD / DATEDIFF pages)", () => {
  test.each([
    ["year", "year"], ["yy", "year"], ["yyyy", "year"],
    ["quarter", "quarter"], ["qq", "quarter"], ["q", "quarter"],
    ["month", "month"], ["mm", "month"], ["m", "month"],
    ["dayofyear", "dayofyear"], ["dy", "dayofyear"], ["y", "dayofyear"],
    ["day", "day"], ["dd", "day"], ["d", "day"],
    ["week", "week"], ["wk", "week"], ["ww", "week"],
    ["weekday", "weekday"], ["dw", "weekday"], ["w", "weekday"],
    ["hour", "hour"], ["hh", "hour"],
    ["minute", "minute"], ["mi", "minute"], ["n", "minute"],
    ["second", "second"], ["ss", "second"], ["s", "second"],
    ["millisecond", "millisecond"], ["ms", "millisecond"],
    ["microsecond", "microsecond"], ["mcs", "microsecond"],
    ["SECOND", "second"], ["hours", "hour"],
  ])("%s → %s", (name, unit) => {
    expect(parseDateTimeUnit(name)).toBe(unit);
  });

  test("unknown units are undefined; nanosecond is not a SAQL datepart", () => {
    expect(parseDateTimeUnit("fortnight")).toBeUndefined();
    expect(parseDateTimeUnit("ns")).toBeUndefined();
  });

  test("durations: fixed units only", () => {
    expect(durationTicks("second", 10)).toBe(100_000_000);
    expect(durationTicks("hour", 1)).toBe(36_000_000_000);
    expect(durationTicks("microsecond", 500)).toBe(5_000);
    expect(durationTicks("microsecond", 1)).toBe(10);
    expect(durationTicks("week", 1)).toBe(6_048_000_000_000);
    expect(isFixedDurationUnit("month")).toBe(false);
    expect(() => durationTicks("month", 1)).toThrow(/not a fixed length/);
  });
});

describe("DATEADD", () => {
  test.each([
    ["hour", 2, "2021-06-01T10:00:00Z", "2021-06-01T12:00:00.0000000Z"], // DATEADD page: DATEADD(hour,2,EntryTime)
    ["minute", -30, "2021-06-01T10:00:00Z", "2021-06-01T09:30:00.0000000Z"],
    ["day", 1, "2021-12-31T23:00:00Z", "2022-01-01T23:00:00.0000000Z"],
    ["week", 2, "2021-06-01T00:00:00Z", "2021-06-15T00:00:00.0000000Z"],
    ["dayofyear", 1, "2021-06-01T00:00:00Z", "2021-06-02T00:00:00.0000000Z"],
    ["weekday", 1, "2021-06-01T00:00:00Z", "2021-06-02T00:00:00.0000000Z"],
    ["month", 1, "2021-01-31T10:00:00Z", "2021-02-28T10:00:00.0000000Z"], // clamped to the month's last day
    ["month", 1, "2020-01-31T10:00:00Z", "2020-02-29T10:00:00.0000000Z"],
    ["quarter", 1, "2021-11-30T00:00:00Z", "2022-02-28T00:00:00.0000000Z"],
    ["year", 1, "2020-02-29T00:00:00Z", "2021-02-28T00:00:00.0000000Z"],
    ["year", -2021, "2021-06-01T00:00:00Z", null],
    ["millisecond", 1500, "2021-06-01T00:00:00Z", "2021-06-01T00:00:01.5000000Z"],
    ["microsecond", 1, "2021-06-01T00:00:00Z", "2021-06-01T00:00:00.0000010Z"],
    ["microsecond", -1, "2021-06-01T00:00:00Z", "2021-05-31T23:59:59.9999990Z"],
    ["second", 2.9, "2021-06-01T00:00:00Z", "2021-06-01T00:00:02.0000000Z"], // "the fraction is truncated and not rounded"
    ["second", -2.9, "2021-06-01T00:00:00Z", "2021-05-31T23:59:58.0000000Z"],
  ] as [string, number, string, string | null][])("DATEADD(%s, %p, %s) = %s", (unit, n, date, expected) => {
    if (expected === null) expect(() => call("DATEADD", unit, n, date)).toThrow(ConversionError);
    else expect(plain(call("DATEADD", unit, n, date))).toBe(expected);
  });

  test("NULL number or date gives NULL; a bad unit is an error even then", () => {
    expect(call("DATEADD", "hour", null, "2021-06-01T00:00:00Z")).toBeNull();
    expect(call("DATEADD", "hour", 1, null)).toBeNull();
    expect(() => call("DATEADD", "fortnight", 1, null)).toThrow(FunctionArgumentError);
  });

  test("a date string that is not ISO 8601 fails the event", () => {
    expect(() => call("DATEADD", "hour", 1, "yesterday")).toThrow(ConversionError);
  });
});

describe("DATEDIFF counts boundaries crossed (DATEDIFF page)", () => {
  test("the page's example: DATEDIFF(minute, EntryTime, DATEADD(hour, 2, EntryTime)) = 120", () => {
    const entry = dt("2014-09-10T09:17:33.25Z");
    expect(call("DATEDIFF", "minute", entry, call("DATEADD", "hour", 2, entry))).toBe(120);
  });

  test("the page's example with a string: DATEDIFF(minute, EntryTime, CAST('2014-09-10 12:00:00' AS datetime))", () => {
    expect(call("DATEDIFF", "minute", "2014-09-10T11:59:59.999Z", "2014-09-10 12:00:00")).toBe(1);
  });

  test.each([
    ["year", "2020-12-31T23:59:59Z", "2021-01-01T00:00:00Z", 1],
    ["year", "2021-01-01T00:00:00Z", "2021-12-31T23:59:59Z", 0],
    ["quarter", "2021-03-31T00:00:00Z", "2021-04-01T00:00:00Z", 1],
    ["month", "2021-01-31T00:00:00Z", "2021-02-01T00:00:00Z", 1],
    ["month", "2021-03-01T00:00:00Z", "2021-01-31T00:00:00Z", -2],
    ["day", "2021-06-01T23:59:59Z", "2021-06-02T00:00:00Z", 1],
    ["dayofyear", "2021-06-01T00:00:00Z", "2021-06-03T12:00:00Z", 2],
    ["weekday", "2021-06-01T00:00:00Z", "2021-06-03T12:00:00Z", 2],
    ["week", "2021-01-02T00:00:00Z", "2021-01-03T00:00:00Z", 1], // Saturday → Sunday crosses a week boundary
    ["week", "2021-01-03T00:00:00Z", "2021-01-09T23:59:59Z", 0], // Sunday → Saturday does not
    ["week", "1969-12-27T00:00:00Z", "1970-01-04T00:00:00Z", 2],
    ["hour", "2021-06-01T10:59:59Z", "2021-06-01T11:00:00Z", 1],
    ["second", "2021-06-01T10:00:00.9Z", "2021-06-01T10:00:01.1Z", 1],
    ["second", "2021-06-01T10:00:01.1Z", "2021-06-01T10:00:00.9Z", -1],
    ["millisecond", "2021-06-01T10:00:00.0009Z", "2021-06-01T10:00:00.0011Z", 1],
    ["microsecond", "2021-06-01T10:00:00.0000009Z", "2021-06-01T10:00:00.0000011Z", 1],
    ["ms", "1960-01-01T00:00:00Z", "1960-01-01T00:00:00.5Z", 500],
  ] as [string, string, string, number][])("DATEDIFF(%s, %s, %s) = %p", (unit, start, end, expected) => {
    expect(call("DATEDIFF", unit, start, end)).toBe(expected);
  });

  test("NULL dates give NULL", () => {
    expect(call("DATEDIFF", "second", null, "2021-06-01T00:00:00Z")).toBeNull();
    expect(call("DATEDIFF", "second", "2021-06-01T00:00:00Z", null)).toBeNull();
  });
});

describe("DATEPART, DATENAME, DAY, MONTH, YEAR", () => {
  const d = "2021-06-01T10:20:30.1234567Z"; // a Tuesday
  test.each([
    ["year", 2021], ["quarter", 2], ["month", 6], ["dayofyear", 152], ["day", 1],
    ["week", 23], ["weekday", 3], ["hour", 10], ["minute", 20], ["second", 30],
    ["millisecond", 123], ["microsecond", 123456],
  ])("DATEPART(%s, 2021-06-01T10:20:30.1234567Z) = %p", (unit, expected) => {
    expect(call("DATEPART", unit, d)).toBe(expected);
  });

  test("weeks start on Sunday and week 1 holds January 1st", () => {
    expect(call("DATEPART", "week", "2022-01-01T00:00:00Z")).toBe(1); // a Saturday
    expect(call("DATEPART", "week", "2022-01-02T00:00:00Z")).toBe(2); // the next day, a Sunday
    expect(call("DATEPART", "weekday", "2021-06-06T00:00:00Z")).toBe(1); // Sunday
    expect(call("DATEPART", "dayofyear", "2020-12-31T00:00:00Z")).toBe(366);
  });

  test("DATENAME gives English month and weekday names, numbers as text otherwise", () => {
    expect(call("DATENAME", "month", d)).toBe("June");
    expect(call("DATENAME", "weekday", d)).toBe("Tuesday");
    expect(call("DATENAME", "year", d)).toBe("2021");
    expect(call("DATENAME", "dy", d)).toBe("152");
  });

  test("DAY, MONTH, YEAR", () => {
    expect([call("DAY", d), call("MONTH", d), call("YEAR", d)]).toEqual([1, 6, 2021]);
    expect([call("DAY", null), call("MONTH", null), call("YEAR", null)]).toEqual([null, null, null]);
    expect(call("DATEPART", "hour", null)).toBeNull();
    expect(call("DATENAME", "month", null)).toBeNull();
  });
});

describe("DATETIMEFROMPARTS", () => {
  test("builds a UTC datetime", () => {
    expect(plain(call("DATETIMEFROMPARTS", 2021, 6, 1, 10, 20, 30, 500))).toBe("2021-06-01T10:20:30.5000000Z");
  });
  test("NULL in any part gives NULL", () => {
    for (let i = 0; i < 7; i++) {
      const parts: Value[] = [2021, 6, 1, 10, 20, 30, 0];
      parts[i] = null;
      expect(call("DATETIMEFROMPARTS", ...parts)).toBeNull();
    }
  });
  test("an impossible date is an error", () => {
    expect(() => call("DATETIMEFROMPARTS", 2021, 2, 29, 0, 0, 0, 0)).toThrow(/not a valid date/);
    expect(() => call("DATETIMEFROMPARTS", 2021, 6, 1, 24, 0, 0, 0)).toThrow(FunctionArgumentError);
    expect(() => call("DATETIMEFROMPARTS", 2021, 6, 1)).toThrow(/expects 7 arguments/);
  });
});

describe("properties", () => {
  const dates = fc
    .integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) })
    .chain((ms) => fc.integer({ min: 0, max: 9999 }).map((ticks) => new DateTimeValue(ms, ticks)));
  const exactUnits = fc.constantFrom<DateTimeUnit>("year", "quarter", "month", "day", "week", "hour", "minute", "second", "millisecond", "microsecond");

  test("DATEDIFF(unit, d, DATEADD(unit, n, d)) = n", () => {
    fc.assert(
      fc.property(dates, exactUnits, fc.integer({ min: -500, max: 500 }), (d, unit, n) => dateDiff(unit, d, dateAdd(unit, n, d)) === n),
    );
  });

  test("DATEDIFF is antisymmetric", () => {
    fc.assert(fc.property(dates, dates, exactUnits, (a, b, unit) => dateDiff(unit, a, b) === -dateDiff(unit, b, a)));
  });

  test("DATEADD of fixed units moves the instant by exactly n × unit", () => {
    fc.assert(
      fc.property(dates, fc.constantFrom<DateTimeUnit>("day", "hour", "minute", "second", "millisecond"), fc.integer({ min: -10000, max: 10000 }), (d, unit, n) => {
        const moved = dateAdd(unit, n, d);
        return (moved.ms - d.ms) * 10_000 === durationTicks(unit, n) && moved.ticks === d.ticks;
      }),
    );
  });
});
