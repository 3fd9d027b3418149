// A compiled comparison of two numbers or two texts takes a fast path (JavaScript's operators) beside
// the general one (operators.compare, which converts, returns NULL or raises). On random pairs of
// values — texts of any UTF-16 code units (surrogates, case variants, numeric-looking texts), numbers,
// bits, NULL, datetimes, records, arrays — every comparison operator gives what operators.compare
// gives, or raises the same error. (NaN is left out: the number path, older than the text one, finds
// NaN unequal to everything where compareNonNull finds it equal to every number.)
import fc from "fast-check";
import { parse } from "../../../lib/saql/syntax/parser";
import { compileExpression, sourceScope } from "../../../lib/saql/exec/compile-expr";
import { compare, type ComparisonOperator } from "../../../lib/saql/functions/operators";
import { DateTimeValue, type Value } from "../../../lib/saql/values";
import type { Expression, SelectQuery } from "../../../lib/saql/ast";

const OPS: ComparisonOperator[] = ["=", "!=", "<>", "<", ">", "<=", ">="];

const textArb = fc.oneof(
  fc.string({ unit: "binary", maxLength: 4 }),
  fc.constantFrom("", "a", "A", "b", "ab", "a\u0000", "10", "9", "1e0", " 1", "\ud83d\ude00", "\uffff", "\ud800"),
);
const valueArb: fc.Arbitrary<Value> = fc.oneof(
  { weight: 6, arbitrary: textArb },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.constantFrom(0, -0, 1.5)) },
  { weight: 1, arbitrary: fc.constantFrom<Value>(null, true, false, new DateTimeValue(Date.UTC(2021, 5, 1)), { a: 1 }, [1]) },
);

function compiled(op: ComparisonOperator) {
  const statement = parse(`SELECT * FROM input WHERE x ${op} y`).script!.statements[0] as { query: SelectQuery };
  return compileExpression(statement.query.where as Expression, sourceScope(["input"]));
}

const outcome = (f: () => Value) => {
  try {
    return { value: f() };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

test.each(OPS)("x %s y compiled gives operators.compare's result", (op) => {
  const evaluate = compiled(op);
  fc.assert(
    fc.property(valueArb, valueArb, (x, y) => {
      expect(outcome(() => evaluate({ ts: 0, rec: { x, y } }))).toEqual(outcome(() => compare(op, x, y)));
    }),
    { numRuns: 2000 },
  );
});
