// TIMESTAMP BY on a plain field reads that field's text straight from the event (SourceIngest's
// timestampField) instead of evaluating the compiled expression. On random events whose time field
// is a datetime text in many spellings, a broken text, another type, NULL, missing, or spelled in
// another case (beside the exact one or alone), or is named like the source's alias, `TIMESTAMP BY T` (the fast path) must give the same event times, rows and data errors
// as `TIMESTAMP BY COALESCE(T, T)` (the same value, evaluated). Events come as a file source does (in
// batches, streamed by the local-order pump); the run starts over sorted when they are out of order.
import fc from "fast-check";
import { toOutputJson } from "../../../lib/io";
import type { BatchedEventSource, InputEvent } from "../../../lib/io/types";
import { runQuery } from "../../../lib/simulator/run";
import type { RecordValue, Value } from "../../../lib/saql/values";

const textArb = fc.oneof(
  fc.date({ min: new Date(Date.UTC(1990, 0, 1)), max: new Date(Date.UTC(2060, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    "2021-06-01T10:00:00Z",
    "2021-06-01T10:00:00.1234567Z",
    "2021-06-01T10:00:00.12345678Z",
    "2021-06-01T10:00:00.Z",
    "2021-06-01T10:00:59.9999999Z",
    "2021-06-01T12:00:00+02:00",
    "2021-06-01T10:00:00",
    "2021-06-01",
    "2021-02-30T10:00:00Z",
    "2021-06-01T24:00:00Z",
    "2021-06-01T10:00:00.1x3Z",
    "not a date",
    "",
  ),
);
const valueArb: fc.Arbitrary<Value | undefined> = fc.oneof(
  { weight: 6, arbitrary: textArb },
  { weight: 1, arbitrary: fc.constantFrom<Value | undefined>(null, undefined, 42, 1.5, true, { a: 1 }, [1, 2]) },
);
/** Fields that may hold the time: the exact name, another case of it, the source's alias, another field. */
const KEYS = ["T", "t", "i", "T2"];
const eventArb = fc.array(fc.tuple(fc.constantFrom(...KEYS), valueArb), { maxLength: 3 });

/** The events as a file source gives them: batches, read once per run (the run may read them again, sorted). */
function fileLike(events: InputEvent[]): BatchedEventSource {
  const batches = async function* () {
    for (let i = 0; i < events.length; i += 3) yield events.slice(i, i + 3);
  };
  return {
    batches,
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches()) yield* batch;
    },
  };
}

async function run(timestampBy: string, events: [string, Value | undefined][][]) {
  const warnings: string[] = [];
  const records = events.map((fields, i) => {
    const record: RecordValue = { I: i };
    for (const [key, value] of fields) if (value !== undefined) record[key] = value;
    return { record, location: { file: "gen", line: i + 1 } };
  });
  const result = await runQuery({
    queryText: `SELECT I, System.Timestamp() AS At FROM input i TIMESTAMP BY ${timestampBy}`,
    inputs: [{ alias: "input", events: fileLike(records) }],
    arrivalTime: Date.UTC(2021, 0, 1),
    onWarning: (w) => warnings.push(`${w.origin}: ${w.type}: ${w.message}`),
  });
  return { rows: result.outputs.output.map((r) => toOutputJson(r)), warnings, dataErrors: result.stats.dataErrors };
}

test.each([
  ["T", "COALESCE(T, T)"],
  ["i.T", "COALESCE(i.T, i.T)"],
  ["i", "COALESCE(i, i)"],
])("TIMESTAMP BY %s reads the field as its evaluation does", async (field, evaluated) => {
  await fc.assert(
    fc.asyncProperty(fc.array(eventArb, { maxLength: 12 }), async (events) => {
      expect(await run(field, events)).toEqual(await run(evaluated, events));
    }),
    { numRuns: 200 },
  );
});
