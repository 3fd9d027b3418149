// TIMESTAMP BY on a plain column writes the column as the datetime its text denotes, to the tick,
// whether the source makes it from the event time it read (instants within ±2⁵³ ticks of 2025)
// or parses the text again (outside that range), for every spelling of the instant.
import { runQuery } from "../../../lib/simulator/run";
import { parseDateTimeValue } from "../../../lib/saql/functions/datetime-text";

const texts = [
  "2021-06-01T10:00:00.1234567Z",
  "2021-06-01T10:00:00Z",
  "2021-06-01T12:00:00.9999999+02:00",
  "2021-06-01T10:00:01.5",
  "1990-01-01T00:00:00.0000001Z", // before 1996: outside the exact-instant range
  "2080-12-31T23:59:59.9999999Z", // after 2053
];

test("the TIMESTAMP BY column holds the exact datetime of its text", async () => {
  const events = texts.map((T, i) => ({ record: { T, I: i }, location: { file: "gen", line: i + 1 } }));
  // One input per text: each is its own timeline, so none is reordered or adjusted.
  for (const [i, event] of events.entries()) {
    const result = await runQuery({ queryText: "SELECT T, I FROM input TIMESTAMP BY T", inputs: [{ alias: "input", events: [event] }] });
    const [row] = result.outputs.output;
    expect(String(row.T)).toBe(parseDateTimeValue(texts[i])!.toString());
  }
});
