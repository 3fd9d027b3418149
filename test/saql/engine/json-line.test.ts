// streamkit run formats JSON lines itself (no copy per row): it must write what lib/io's writer writes.
import fc from "fast-check";
import { toOutputJson } from "../../../lib/io";
import { jsonLine } from "../../../lib/simulator/json-line";
import { DateTimeValue, type RecordValue, type Value } from "../../../lib/saql/values";

const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.tuple(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 0, max: 9999 })).map(([ms, ticks]) => new DateTimeValue(ms, ticks)),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), tie("v"), { maxKeys: 3 }),
  ),
})).v;

test("jsonLine writes exactly what lib/io's toOutputJson + JSON.stringify writes", () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 6 }), (row) => {
      expect(jsonLine(row as RecordValue)).toBe(JSON.stringify(toOutputJson(row as RecordValue)));
    }),
    { numRuns: 300 },
  );
});
