// EventSorter: a stable sort by event time with bounded memory (runs spilled to disk, merged).
import fc from "fast-check";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventSorter, type TimedEvent } from "../../lib/simulator/event-sorter";
import { DateTimeValue } from "../../lib/saql/values";

let parent: string;
beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), "sorter-"));
});
afterEach(() => rmSync(parent, { recursive: true, force: true }));

async function all(sorter: EventSorter): Promise<TimedEvent[]> {
  const out: TimedEvent[] = [];
  for await (const batch of sorter.sorted()) out.push(...batch);
  return out;
}

test("sorted by time, ties in the order added, across spilled runs of any size; the spill is removed", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 80 }), fc.integer({ min: 1, max: 10 }), async (times, runSize) => {
      const sorter = new EventSorter(runSize, parent);
      times.forEach((t, i) => sorter.add(t + 0.5, { i }, { file: "f.json", line: i + 1 }));
      const out = await all(sorter);
      const expected = times.map((t, i) => ({ t: t + 0.5, i })).sort((a, b) => a.t - b.t || a.i - b.i);
      expect(out.map((e) => ({ t: e.ts, i: e.record.i }))).toEqual(expected);
      expect(out.map((e) => e.location.line)).toEqual(expected.map((e) => e.i + 1));
      expect(readdirSync(parent)).toEqual([]);
    }),
    { numRuns: 60 },
  );
});

test("records survive the spill: datetimes (top level and nested), unicode across read buffers, files named once", async () => {
  const sorter = new EventSorter(2, parent);
  const dt = new DateTimeValue(Date.UTC(2024, 0, 1), 1234);
  const long = "é€😀".repeat(30_000); // several read buffers of UTF-8, cut anywhere
  sorter.add(3, { at: dt, nested: { list: [dt, "x"] } }, { file: "a.avro", line: 1 });
  sorter.add(2, { text: long }, { file: "b.json", line: 7 });
  sorter.add(1, { n: 1.5, b: true, z: null }, { file: "a.avro", line: 2 });
  expect(sorter.spilledRuns).toBe(1);
  const out = await all(sorter);
  expect(out.map((e) => e.location)).toEqual([
    { file: "a.avro", line: 2 },
    { file: "b.json", line: 7 },
    { file: "a.avro", line: 1 },
  ]);
  expect(out[0].record).toEqual({ n: 1.5, b: true, z: null });
  expect(out[1].record.text).toBe(long);
  const back = out[2].record as { at: DateTimeValue; nested: { list: [DateTimeValue, string] } };
  expect(back.at).toBeInstanceOf(DateTimeValue);
  expect(back.at.toString()).toBe(dt.toString());
  expect(back.nested.list[0].toString()).toBe(dt.toString());
  expect(back.nested.list[1]).toBe("x");
});

test("discard removes a spill never merged", () => {
  const sorter = new EventSorter(1, parent);
  sorter.add(1, {}, { file: "f", line: 1 });
  sorter.add(0, {}, { file: "f", line: 2 });
  const dirs = readdirSync(parent);
  expect(dirs.length).toBe(1);
  sorter.discard();
  expect(existsSync(join(parent, dirs[0]))).toBe(false);
});
