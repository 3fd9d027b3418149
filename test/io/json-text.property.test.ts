// jsonText must write exactly what JSON.stringify writes, whichever path it takes: records holding
// datetimes (objects with toJSON) are written by hand, everything else by JSON.stringify.
import fc from "fast-check";
import { jsonText } from "../../lib/io/writers/json-text";
import { DateTimeValue } from "../../lib/saql/values";

/** Strings with what JSON must escape: quotes, backslashes, control characters, lone and paired surrogates. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", "\"", "\\", "\n", "\u0000", "\u001f", "\u007f", "\ud800", "\udfff", "\ud83d\ude00", "a\"b", "\u2028"),
);

const datetime = fc
  .tuple(fc.integer({ min: -62135596800000, max: 253402300799999 }), fc.integer({ min: 0, max: 9999 }))
  .map(([ms, ticks]) => new DateTimeValue(ms, ticks));

const scalar = fc.oneof(
  text,
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e21, 5e-324, Number.MAX_SAFE_INTEGER + 2),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  datetime,
);

const withToJson = fc.oneof(
  fc.constant({ toJSON: (key: string) => `key:${key}` }),
  fc.jsonValue().map((v) => ({ toJSON: () => v })),
  fc.constant({ toJSON: () => undefined }),
  fc.constant({ toJSON: () => ({ inner: new DateTimeValue(0, 1) }) }),
);

const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, withToJson, tie("record"), tie("array")),
  record: fc.dictionary(text, tie("value"), { maxKeys: 6 }),
  array: fc.array(tie("value"), { maxLength: 4 }),
})).value;

describe("jsonText", () => {
  it("writes what JSON.stringify writes, for records of scalars and datetimes", () => {
    fc.assert(
      fc.property(fc.dictionary(text, scalar, { maxKeys: 8 }), (record) => {
        expect(jsonText(record)).toBe(JSON.stringify(record));
      }),
      { numRuns: 2000 },
    );
  });

  it("writes what JSON.stringify writes, for any value", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(jsonText(v)).toBe(JSON.stringify(v));
      }),
      { numRuns: 2000 },
    );
  });

  it("writes rows of one shape, then of another, with each one's own names", () => {
    const ts = new DateTimeValue(Date.UTC(2021, 5, 1), 5);
    const rows = [{ a: 1, ts }, { a: 2, ts }, { b: "x", ts }, { a: 3, ts }, { ts }, { ts, a: undefined, c: 1 }];
    for (const row of rows) expect(jsonText(row)).toBe(JSON.stringify(row));
  });

  it("writes a datetime with seven fractional digits, keys and strings escaped", () => {
    const row = { "a\"b": "x\ny", ts: new DateTimeValue(Date.UTC(2021, 5, 1), 5), n: -0, f: NaN, u: undefined, ok: true };
    expect(jsonText(row)).toBe('{"a\\"b":"x\\ny","ts":"2021-06-01T00:00:00.0000005Z","n":0,"f":null,"ok":true}');
  });

  it("leaves a record with a prototype of its own, or a bigint, to JSON.stringify", () => {
    const inherited = Object.assign(Object.create({ hidden: 1 }), { ts: new DateTimeValue(0) });
    expect(jsonText(inherited)).toBe(JSON.stringify(inherited));
    expect(() => jsonText({ ts: new DateTimeValue(0), big: 1n })).toThrow(TypeError);
  });
});
