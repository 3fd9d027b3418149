// Property tests: mutated real queries never make the front end throw, and every
// diagnostic and every node span lies inside the text.
import fc from "fast-check";
import { checkQuery, parseQuery } from "../../../lib/saql";
import { loadCorpus, mutate, prng, wellFormednessProblem } from "./mutations";

const corpus = loadCorpus();

function assertWellFormed(text: string): void {
  const problem = wellFormednessProblem(text);
  if (problem) throw new Error(`${problem}\n--- input ---\n${text}`);
}

describe("front end under mutation (fast-check)", () => {
  it("never throws and keeps every diagnostic inside the text: mutated corpus queries", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: corpus.length - 1 }), fc.integer(), (index, seed) => {
        assertWellFormed(mutate(corpus[index]!, prng(seed)));
      }),
      { numRuns: 3000 },
    );
  });

  it("never throws on arbitrary unicode text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) => assertWellFormed(text)),
      { numRuns: 1000 },
    );
  });

  it("never throws on random SQL-ish token soup", () => {
    const token = fc.constantFrom("SELECT", "FROM", "WHERE", "GROUP BY", "(", ")", ",", "*", "x", "1", "'s'", "[a b]", "JOIN", "ON", "OVER", "LIMIT DURATION", "TumblingWindow", "WITH", "AS", "UNION", "CASE", "WHEN", "END", ";", "--c\n", "/*", "*/", "System.Timestamp", "udf.f", "MATCH_RECOGNIZE", "PATTERN", "DEFINE", "INTO", "TIMESTAMP BY", "CREATE TABLE");
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => assertWellFormed(tokens.join(" "))),
      { numRuns: 1000 },
    );
  });

  it("survives deep nesting without a stack overflow", () => {
    const deep = `SELECT ${"(".repeat(5000)}1${")".repeat(5000)} FROM i`;
    const result = parseQuery(deep);
    expect(result.diagnostics.some((d) => d.code === "SYNTAX")).toBe(true);
    const deepCalls = `SELECT ${"ABS(".repeat(3000)}1${")".repeat(3000)} FROM i`;
    expect(() => checkQuery(deepCalls)).not.toThrow();
    const longChain = `SELECT ${Array.from({ length: 20000 }, (_, i) => `a${i}`).join(" + ")} FROM i`;
    expect(checkQuery(longChain).diagnostics.map((d) => d.message)).toEqual(["this expression chains more than 1000 operators: split it into WITH steps"]);
    const fineChain = `SELECT ${Array.from({ length: 500 }, (_, i) => `a${i}`).join(" + ")} AS total FROM i`;
    expect(checkQuery(fineChain).diagnostics).toEqual([]);
  });
});
