import fc from "fast-check";
import { parseDateTime } from "../../lib/io";

describe("parseDateTime (event datetimes, ISO 8601)", () => {
  it.each([
    ["2021-06-01T10:00:00Z", "2021-06-01T10:00:00.0000000Z"],
    ["2021-06-01T10:00:00.1234567Z", "2021-06-01T10:00:00.1234567Z"],
    ["2021-06-01T10:00:00.5Z", "2021-06-01T10:00:00.5000000Z"],
    ["2020-02-29T23:59:59.9999999Z", "2020-02-29T23:59:59.9999999Z"],
    ["2021-06-01T12:30:00+02:30", "2021-06-01T10:00:00.0000000Z"],
    ["2021-06-01T10:00:00", "2021-06-01T10:00:00.0000000Z"],
    ["2021-06-01 10:00", "2021-06-01T10:00:00.0000000Z"],
    ["2021-06-01", "2021-06-01T00:00:00.0000000Z"],
  ])("%s is %s", (text, expected) => {
    expect(String(parseDateTime(text))).toBe(expected);
  });

  it.each(["2021-02-29T10:00:00Z", "2021-13-01T00:00:00Z", "2021-06-01T24:00:00Z", "yesterday", "", "2021-06-01T10:00:00.Z"])("%j is not a datetime", (text) => {
    expect(parseDateTime(text)).toBeUndefined();
  });

  it("reads event datetimes as CAST reads them (one parser): ',' fractions, ±hh offsets, years before 100; impossible offsets refused", () => {
    expect(String(parseDateTime("2021-06-01T10:00:00,5+01"))).toBe("2021-06-01T09:00:00.5000000Z");
    expect(String(parseDateTime("0050-06-01T00:00:00Z"))).toBe("0050-06-01T00:00:00.0000000Z");
    expect(parseDateTime("2021-06-01T10:00:00+15:00")).toBeUndefined();
    expect(parseDateTime("2021-06-01T10:00:00+01:75")).toBeUndefined();
  });

  it("reads back what DateTimeValue writes, for any instant", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), fc.integer({ min: 0, max: 9999 }), (ms, ticks) => {
        const text = `${new Date(ms).toISOString().slice(0, 23)}${String(ticks).padStart(4, "0")}Z`;
        const parsed = parseDateTime(text)!;
        expect([parsed.ms, parsed.ticks]).toEqual([ms, ticks]);
      }),
    );
  });
});
