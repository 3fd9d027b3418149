// The reference join's key index must not change a result: on random streams and tables whose keys
// mix numbers, numeric and other texts, bits, NULLs and missing fields, a query whose ON the index
// uses gives the same rows, in the same order, and the same data errors as the same condition
// written so that no equality conjunct can be extracted (`(…) OR 1 = 0`: ON on every record, the
// engine's behaviour before the index). Three-valued logic makes both conditions the same. One
// difference is by design (docs/architecture.md): a conjunct that would fail on a record whose key
// cannot match raises no data error with the index, so the conditions compared with that oracle
// cannot fail.
import fc from "fast-check";
import { toOutputJson } from "../../../lib/io";
import { parseJobSpec } from "../../../lib/job";
import { runQuery } from "../../../lib/simulator/run";
import type { RecordValue } from "../../../lib/saql/values";

const keyArb = fc.oneof(
  fc.constantFrom(1, 2, 2.5, 0, -1),
  fc.constantFrom("1", "2", " 2 ", "2.50", "1e0", "a", "b", "A", ""),
  fc.constantFrom(true, false, null),
  fc.constant(undefined),
);

const recordArb = (id: number) =>
  fc.record({ k: keyArb, j: keyArb }).map(({ k, j }) => {
    const rec: RecordValue = { Id: id };
    if (k !== undefined) rec.K = k;
    if (j !== undefined) rec.J = j;
    return rec;
  });

const tableArb = (offset: number) => fc.array(fc.nat(), { maxLength: 10 }).chain((xs) => fc.tuple(...xs.map((_, i) => recordArb(offset + i))));

const BASE = Date.UTC(2021, 5, 1, 10);

async function run(on: string, kind: string, stream: RecordValue[], table: RecordValue[]) {
  const query = `SELECT s.Id AS SId, r.Id AS RId INTO out FROM Stream s TIMESTAMP BY T ${kind} Ref r ON ${on}`;
  const job = parseJobSpec({
    name: "ref-index",
    query: { text: query },
    inputs: [
      { alias: "Stream", kind: "eventhub" },
      { alias: "Ref", type: "reference", kind: "blob" },
    ],
    outputs: [{ alias: "out", kind: "blob" }],
  });
  const warnings: string[] = [];
  const result = await runQuery({
    queryText: query,
    job,
    inputs: [
      { alias: "Stream", events: stream.map((record, i) => ({ record: { ...record, T: new Date(BASE + i * 1000).toISOString() }, location: { file: "s", line: i + 1 } })) },
      { alias: "Ref", events: table.map((record, i) => ({ record, location: { file: "r", line: i + 1 } })) },
    ],
    onWarning: (w) => warnings.push(`${w.origin}: ${w.message}`),
  });
  return { rows: (result.outputs.out ?? []).map((r) => toOutputJson(r)), warnings, dataErrors: result.stats.dataErrors };
}

/** ON on every record: no equality conjunct can be extracted from an OR. */
const scanned = (on: string) => `(${on}) OR 1 = 0`;
/**
 * With one equality, a row whose key is a text that is no number meets the records of its bucket with
 * ON without that conjunct (it holds there: the same text). This oracle writes the equality twice (two
 * keys: the same candidates, ON evaluated whole), whatever the other conjuncts give (`r.J <> 'a'`
 * fails on a number J) and wherever the equality stands among them.
 */
const evaluatedWhole = (on: string) => `${on} AND r.K = s.K`;

describe.each(["JOIN", "LEFT OUTER JOIN"])("reference %s with a key index", (kind) => {
  test.each([
    ["one key", "s.K = r.K", scanned],
    ["two keys", "s.K = r.K AND r.J = s.J", scanned],
    ["a key and another condition", "s.K = r.K AND s.Id < r.Id + 5", scanned],
    ["one key, ON without it", "s.K = r.K", evaluatedWhole],
    ["the key first, ON without it", "s.K = r.K AND r.J <> 'a'", evaluatedWhole],
    ["the key last, ON without it", "(r.Id > 101 OR r.J <> 'a') AND s.K = r.K", evaluatedWhole],
    ["the key between conditions, ON without it", "s.Id < r.Id + 5 AND (s.K = r.K AND r.J <> 'a')", evaluatedWhole],
  ])("%s: the same rows and errors as the oracle", async (_name, on, oracle) => {
    await fc.assert(
      fc.asyncProperty(tableArb(0), tableArb(100), async (stream, table) => {
        expect(await run(on, kind, stream, table)).toEqual(await run(oracle(on), kind, stream, table));
      }),
      { numRuns: 150 },
    );
  });
});

test("a refreshed table is indexed anew: each snapshot's own keys", async () => {
  const query = "SELECT s.Id AS SId, r.Room AS Room INTO out FROM Stream s TIMESTAMP BY T JOIN Ref r ON s.K = r.K";
  const job = parseJobSpec({
    name: "ref-refresh-index",
    query: { text: query },
    inputs: [
      { alias: "Stream", kind: "eventhub" },
      { alias: "Ref", type: "reference", kind: "blob" },
    ],
    outputs: [{ alias: "out", kind: "blob" }],
  });
  const at = (s: number) => new Date(BASE + s * 1000).toISOString();
  const result = await runQuery({
    queryText: query,
    job,
    inputs: [
      { alias: "Stream", events: [1, 2, 3].map((id, i) => ({ record: { Id: id, K: "a", T: at(i * 10) }, location: { file: "s", line: i + 1 } })) },
      {
        alias: "Ref",
        events: [],
        snapshots: [
          { validFrom: BASE, events: [{ record: { K: "a", Room: "Kitchen" }, location: { file: "r1", line: 1 } }] },
          { validFrom: BASE + 5000, events: [{ record: { K: "b", Room: "Attic" }, location: { file: "r2", line: 1 } }] },
          { validFrom: BASE + 15_000, events: [{ record: { K: "a", Room: "Garage" }, location: { file: "r3", line: 1 } }] },
        ],
      },
    ],
  });
  expect(result.outputs.out.map((r) => toOutputJson(r))).toEqual([
    { SId: 1, Room: "Kitchen" },
    { SId: 3, Room: "Garage" },
  ]);
});
