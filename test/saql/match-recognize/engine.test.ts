// MATCH_RECOGNIZE through the whole engine: DEFINE and MEASURES semantics, errors, flat state.
import { StreamkitError } from "../../../lib/core/errors";
import { toOutputJson } from "../../../lib/io";
import type { InputEvent } from "../../../lib/io/types";
import { compilePattern } from "../../../lib/saql/exec/match-recognize/nfa";
import { MatchRecognizeOperator } from "../../../lib/saql/exec/match-recognize/operator";
import type { Row } from "../../../lib/saql/exec/row";
import type { RowPattern, Span } from "../../../lib/saql/ast";
import { runQuery, type RunWarning } from "../../../lib/simulator/run";
import { TICKS_PER_SECOND } from "../../../lib/saql/instant";

const T0 = Date.parse("2024-03-01T08:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function events(rows: Record<string, unknown>[]): InputEvent[] {
  return rows.map((record, i) => ({ record: record as InputEvent["record"], location: { file: "in.json", line: i + 1 } }));
}

async function run(query: string, rows: Record<string, unknown>[], warnings: RunWarning[] = []) {
  const result = await runQuery({ queryText: query, queryFile: "q.asaql", inputs: [{ alias: "input", events: events(rows) }], onWarning: (w) => warnings.push(w) });
  return result.outputs.output ?? [];
}

const mr = (body: string, select = "*") => `SELECT ${select}\nFROM input TIMESTAMP BY ts\nMATCH_RECOGNIZE (\n${body}\n) AS m`;

describe("DEFINE", () => {
  it("an aggregate of the variable being defined includes the judged event (reference: A AS Last(A.bigint) > 5)", async () => {
    const q = mr("LIMIT DURATION(minute, 1) MEASURES Last(A.x) AS a, Last(B.x) AS b AFTER MATCH SKIP TO NEXT ROW PATTERN (A B) DEFINE A AS Last(A.x) > 5, B AS Last(A.x) < B.x");
    const out = await run(q, [
      { x: 4, ts: at(0) },
      { x: 6, ts: at(1) },
      { x: 7, ts: at(2) },
      { x: 3, ts: at(3) },
    ]);
    // 4 is not > 5; 6 then 7 (6 < 7); 7 then 3 fails.
    expect(out).toEqual([{ a: 6, b: 7 }]);
  });

  it("a variable's field without aggregate reads its last event; an unqualified field reads the judged event", async () => {
    const q = mr("LIMIT DURATION(minute, 1) MEASURES Last(B.x) AS b AFTER MATCH SKIP TO NEXT ROW PATTERN (A+ B) DEFINE A AS kind = 'a', B AS kind = 'b' AND x > A.x");
    const out = await run(q, [
      { kind: "a", x: 1, ts: at(0) },
      { kind: "a", x: 5, ts: at(1) },
      { kind: "b", x: 3, ts: at(2) },
      { kind: "b", x: 6, ts: at(3) },
    ]);
    // The tries from both a's fail at x=3 (3 > 5 is false for the first, whose last A is 5): nothing completes.
    expect(out).toEqual([]);
    const out2 = await run(q, [
      { kind: "a", x: 1, ts: at(0) },
      { kind: "a", x: 2, ts: at(1) },
      { kind: "b", x: 3, ts: at(2) },
    ]);
    expect(out2).toEqual([{ b: 3 }, { b: 3 }]);
  });

  it("the source's own name may qualify a field", async () => {
    const q = `SELECT * FROM input i TIMESTAMP BY ts MATCH_RECOGNIZE (LIMIT DURATION(minute, 1) MEASURES Last(A.x) AS a AFTER MATCH SKIP TO NEXT ROW PATTERN (A) DEFINE A AS i.x > 1) AS m`;
    expect(await run(q, [{ x: 1, ts: at(0) }, { x: 2, ts: at(1) }])).toEqual([{ a: 2 }]);
  });

  it("MIN and MAX skip NULLs; FIRST and LAST return the field of the first and last mapped event", async () => {
    const q = mr("LIMIT DURATION(minute, 1) MEASURES Min(A.x) AS lo, Max(A.x) AS hi, First(A.x) AS f, Last(A.x) AS l AFTER MATCH SKIP TO NEXT ROW PATTERN (A A A Z) DEFINE A AS kind = 'a', Z AS kind = 'z'");
    const out = await run(q, [
      { kind: "a", x: null, ts: at(0) },
      { kind: "a", x: 4, ts: at(1) },
      { kind: "a", x: 2, ts: at(2) },
      { kind: "z", ts: at(3) },
    ]);
    expect(out).toEqual([{ lo: 2, hi: 4, f: null, l: 2 }]);
  });

  it("a condition that cannot be computed skips that event for the try, and is reported", async () => {
    const warnings: RunWarning[] = [];
    const q = mr("LIMIT DURATION(minute, 1) MEASURES Last(A.x) AS a AFTER MATCH SKIP TO NEXT ROW PATTERN (A) DEFINE A AS CAST(x AS bigint) > 1");
    const out = await run(q, [{ x: "oops", ts: at(0) }, { x: "5", ts: at(1) }], warnings);
    expect(out).toEqual([{ a: "5" }]);
    expect(warnings.some((w) => w.kind === "data" && w.origin === "in.json:1")).toBe(true);
  });
});

describe("the match's row", () => {
  it("has System.Timestamp() of the event that completed it, and only the MEASURES", async () => {
    const q = mr("LIMIT DURATION(minute, 1) PARTITION BY dev MEASURES Last(B.x) AS b AFTER MATCH SKIP TO NEXT ROW PATTERN (A B) DEFINE A AS x = 1, B AS x = 2", "*, System.Timestamp() AS t");
    const out = await run(q, [
      { dev: "d", x: 1, ts: at(0) },
      { dev: "d", x: 2, ts: at(30) },
    ]);
    expect(out.map((r) => toOutputJson(r))).toEqual([{ b: 2, t: "2024-03-01T08:00:30.0000000Z" }]);
  });
});

describe("errors", () => {
  const expectError = async (q: string, fragments: string[]) => {
    let message = "";
    try {
      await run(q, [{ x: 1, ts: at(0) }]);
    } catch (e) {
      expect(e).toBeInstanceOf(StreamkitError);
      message = (e as StreamkitError).describe();
    }
    for (const f of fragments) expect(message).toContain(f);
  };

  it("Classifier() in DEFINE is not documented: a located stop", async () => {
    await expectError(mr("LIMIT DURATION(minute, 1) MEASURES Last(A.x) AS a PATTERN (A) DEFINE A AS GetArrayLength(Classifier()) > 0"), ["q.asaql:4:", "Classifier() in DEFINE", "not supported by the local engine"]);
  });

  it("without an event time every event is at the run's arrival time and still matches (input-validation.md: local runs put them on the run start)", async () => {
    const result = await runQuery({
      queryText: "SELECT * FROM input MATCH_RECOGNIZE (LIMIT DURATION(minute, 1) MEASURES Last(A.x) AS a PATTERN (A) DEFINE A AS A.x > 0) AS m",
      queryFile: "q.asaql",
      inputs: [{ alias: "input", events: events([{ x: 1 }]) }],
      arrivalTime: T0,
    });
    expect(result.outputs.output).toEqual([{ a: 1 }]);
  });

  it("a pattern too ambiguous to follow exactly stops with the clause's location", async () => {
    const q = mr("LIMIT DURATION(hour, 1) MEASURES Last(A.x) AS a AFTER MATCH SKIP TO NEXT ROW PATTERN ((A | B)+ C) DEFINE A AS x >= 0, B AS x >= 0, C AS x < 0");
    const rows = Array.from({ length: 20 }, (_, i) => ({ x: i, ts: at(i) }));
    let error: unknown;
    try {
      await run(q, rows);
    } catch (e) {
      error = e;
    }
    expect((error as StreamkitError).describe()).toMatch(/q\.asaql:3:1: MATCH_RECOGNIZE: the pattern can map the events to its variables in more than/);
  });
});

test("state stays flat: open tries never outlive LIMIT DURATION, however long the stream", () => {
  const span: Span = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, start: 0, end: 0 };
  const v = (name: string): RowPattern => ({ kind: "PatternVariable", name: { kind: "Identifier", name, quoted: false, span }, span });
  // A+ B where B never comes: every try stays open until its 10 s run out.
  const nfa = compilePattern({ kind: "PatternSequence", items: [{ kind: "PatternQuantified", body: v("A"), min: 1, span }, v("B")], span }, (n) => (n === "A" ? 0 : 1));
  const sink = { push: () => {}, watermark: () => {}, end: () => {} };
  const op = new MatchRecognizeOperator(
    { nfa, define: [() => true, () => false], measures: [], partitionBy: [(r: Row) => (r.rec as { k: number }).k], duration: 10 * TICKS_PER_SECOND },
    sink,
    (e) => {
      throw e;
    },
  );
  let most = 0;
  for (let i = 0; i < 50_000; i++) {
    const ts = i * (TICKS_PER_SECOND / 2); // two events a second, over 4 partitions (instants: 100 ns ticks)
    op.push({ ts, rec: { k: i % 4 } });
    op.watermark(ts);
    most = Math.max(most, op.openTries);
  }
  // 10 s at 2 events/s = 20 tries; swept once per duration, so at most about twice that.
  expect(most).toBeLessThanOrEqual(41);
  expect(most).toBeGreaterThanOrEqual(19);
});
