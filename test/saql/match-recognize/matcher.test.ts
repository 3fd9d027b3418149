// The pattern matcher against a brute-force oracle. Events carry the set of variables whose
// DEFINE holds for them; the oracle tries every mapping of every stretch of events to variables
// and asks a JavaScript RegExp (same pattern, variables as letters) whether the mapping spells a
// word of the pattern. For each starting event the matcher must end exactly at the first event
// where such a mapping exists, with a mapping that is a word of the pattern and respects DEFINE.
import fc from "fast-check";
import type { RowPattern, Span } from "../../../lib/saql/ast";
import { MatchAttempt, pathEvents, type PathNode } from "../../../lib/saql/exec/match-recognize/matcher";
import { ANY_VARIABLE, compilePattern, matchesEmpty } from "../../../lib/saql/exec/match-recognize/nfa";

const NAMES = ["A", "B", "C"];
const LETTERS = "abcz"; // z: the `.` variable
const span: Span = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, start: 0, end: 0 };
const ident = (name: string) => ({ kind: "Identifier" as const, name, quoted: false, span });

const patternArb: fc.Arbitrary<RowPattern> = fc.letrec<{ p: RowPattern }>((tie) => ({
  p: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...NAMES).map((n): RowPattern => ({ kind: "PatternVariable", name: ident(n), span })),
    fc.constant<RowPattern>({ kind: "PatternAny", span }),
    fc.array(tie("p"), { minLength: 2, maxLength: 3 }).map((items): RowPattern => ({ kind: "PatternSequence", items, span })),
    fc.array(tie("p"), { minLength: 2, maxLength: 3 }).map((options): RowPattern => ({ kind: "PatternAlternation", options, span })),
    fc
      .tuple(tie("p"), fc.constantFrom<[number, number | undefined]>([0, undefined], [1, undefined], [0, 1], [2, undefined], [2, 2], [1, 3]))
      .map(([body, [min, max]]): RowPattern => ({ kind: "PatternQuantified", body, min, max, span })),
  ),
})).p;

function toRegExp(p: RowPattern): string {
  switch (p.kind) {
    case "PatternVariable":
      return LETTERS[NAMES.indexOf(p.name.name)]!;
    case "PatternAny":
      return "z";
    case "PatternSequence":
      return p.items.map((i) => `(?:${toRegExp(i)})`).join("");
    case "PatternAlternation":
      return p.options.map((o) => `(?:${toRegExp(o)})`).join("|");
    case "PatternQuantified":
      return `(?:${toRegExp(p.body)}){${p.min},${p.max ?? ""}}`;
  }
}

type Ev = { id: number; holds: number[] };

/** Every mapping of events[from..to] to variables (or `.`) that DEFINE allows. */
function* mappings(events: Ev[], from: number, to: number): Generator<string> {
  if (from > to) {
    yield "";
    return;
  }
  for (const rest of mappings(events, from + 1, to)) {
    for (const v of events[from]!.holds) yield LETTERS[v] + rest;
    yield "z" + rest;
  }
}

/** The index of the first event where some mapping from `start` spells a word of the pattern. */
function oracleEnd(word: RegExp, events: Ev[], start: number): number | undefined {
  for (let end = start; end < events.length; end++) {
    for (const m of mappings(events, start, end)) if (word.test(m)) return end;
  }
  return undefined;
}

const eventsArb = fc.array(fc.subarray([0, 1, 2]), { maxLength: 6 }).map((sets) => sets.map((holds, id): Ev => ({ id, holds })));

test("ends each try at the first event that completes the pattern, with a mapping the pattern and DEFINE allow", () => {
  fc.assert(
    fc.property(patternArb, eventsArb, (pattern, events) => {
      const nfa = compilePattern(pattern, (name) => NAMES.indexOf(name));
      fc.pre(!matchesEmpty(nfa));
      const word = new RegExp(`^(?:${toRegExp(pattern)})$`);
      const test = (variable: number, _path: PathNode<Ev> | null, e: Ev) => e.holds.includes(variable);
      for (let start = 0; start < events.length; start++) {
        const attempt = new MatchAttempt<Ev>(nfa, 0);
        let found: { end: number; path: PathNode<Ev> } | undefined;
        for (let i = start; i < events.length && attempt.alive && !found; i++) {
          const path = attempt.step(events[i]!, test);
          if (path) found = { end: i, path };
        }
        expect(found?.end).toBe(oracleEnd(word, events, start));
        if (found) {
          const mapped = pathEvents(found.path);
          expect(mapped.map((n) => n.event.id)).toEqual(events.slice(start, found.end + 1).map((e) => e.id));
          for (const n of mapped) if (n.variable !== ANY_VARIABLE) expect(n.event.holds).toContain(n.variable);
          expect(word.test(mapped.map((n) => (n.variable === ANY_VARIABLE ? "z" : LETTERS[n.variable])).join(""))).toBe(true);
        }
      }
    }),
    { numRuns: 400 },
  );
});

test("empty-matching patterns are recognised", () => {
  fc.assert(
    fc.property(patternArb, (pattern) => {
      const nfa = compilePattern(pattern, (name) => NAMES.indexOf(name));
      expect(matchesEmpty(nfa)).toBe(new RegExp(`^(?:${toRegExp(pattern)})$`).test(""));
    }),
    { numRuns: 400 },
  );
});

describe("preference among mappings that complete at the same event", () => {
  const run = (pattern: RowPattern, events: Ev[]) => {
    const attempt = new MatchAttempt<Ev>(compilePattern(pattern, (n) => NAMES.indexOf(n)), 0);
    for (const e of events) {
      const path = attempt.step(e, (v, _p, ev) => ev.holds.includes(v));
      if (path) return pathEvents(path).map((n) => NAMES[n.variable] ?? ".");
    }
    return undefined;
  };
  const v = (n: string): RowPattern => ({ kind: "PatternVariable", name: ident(n), span });

  it("alternation prefers its left option", () => {
    expect(run({ kind: "PatternAlternation", options: [v("B"), v("A")], span }, [{ id: 0, holds: [0, 1] }])).toEqual(["B"]);
  });

  it("a greedy quantifier prefers one more round when both complete", () => {
    // (A | B)+ B on events that are both A and B: at the 2nd event A+B and B… complete; the loop prefers A.
    const both = { kind: "PatternAlternation" as const, options: [v("A"), v("B")], span };
    const pattern: RowPattern = { kind: "PatternSequence", items: [{ kind: "PatternQuantified", body: both, min: 1, span }, v("B")], span };
    expect(run(pattern, [{ id: 0, holds: [0, 1] }, { id: 1, holds: [0, 1] }])).toEqual(["A", "B"]);
  });
});

test("DEFINE sees the mapping so far: threads with different mappings stay apart", () => {
  // A+ B where B must exceed the last A: with values 5, 3, 4 the try from 5 maps 3 to A and
  // completes at 4 only if it kept the mapping [A, A] apart from [A, B?]
  const v = (n: string): RowPattern => ({ kind: "PatternVariable", name: ident(n), span });
  const pattern: RowPattern = { kind: "PatternSequence", items: [{ kind: "PatternQuantified", body: v("A"), min: 1, span }, v("B")], span };
  type Num = { x: number };
  const lastA = (path: PathNode<Num> | null) => {
    for (let n = path; n; n = n.prev) if (n.variable === 0) return n.event.x;
    return undefined;
  };
  const attempt = new MatchAttempt<Num>(compilePattern(pattern, (n) => NAMES.indexOf(n)), 0);
  const test = (variable: number, path: PathNode<Num> | null, e: Num) => (variable === 0 ? true : e.x > (lastA(path) ?? Infinity));
  expect(attempt.step({ x: 5 }, test)).toBeUndefined();
  expect(attempt.step({ x: 3 }, test)).toBeUndefined();
  const match = attempt.step({ x: 4 }, test);
  expect(pathEvents(match!).map((n) => [n.event.x, NAMES[n.variable]])).toEqual([
    [5, "A"],
    [3, "A"],
    [4, "B"],
  ]);
});
