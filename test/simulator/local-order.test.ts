// Local ordering (the default of runQuery): each FROM … TIMESTAMP BY sees its input's events in
// event-time order, ties in file order, whatever order the file has and whichever way the run
// gets there (streamed while in order, read again sorted, sorted in memory, spilled to disk).
import fc from "fast-check";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openEventSource } from "../../lib/io";
import type { InputEvent } from "../../lib/io/types";
import { runQuery, type RunInput } from "../../lib/simulator/run";

const BASE = Date.UTC(2024, 0, 1);
const iso = (s: number) => new Date(BASE + s * 1000).toISOString();
const JSON_LINES = { type: "json", encoding: "utf8", compression: "none" } as const;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "local-order-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(name: string, records: Record<string, unknown>[]): string {
  const path = join(dir, name);
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return path;
}

function arrayOf(records: Record<string, unknown>[]): InputEvent[] {
  return records.map((record, i) => ({ record: record as InputEvent["record"], location: { file: "mem", line: i + 1 } }));
}

const PASS_THROUGH = "SELECT Id, System.Timestamp() AS T INTO out FROM input TIMESTAMP BY ts";

/** The oracle: a stable sort by time (ties keep file order). */
function expectedOrder(times: number[]): { Id: number; T: string }[] {
  return times
    .map((t, i) => ({ t, i }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map(({ t, i }) => ({ Id: i, T: `${iso(t).slice(0, 19)}.0000000Z` }));
}

const rowsOf = (rows: Record<string, unknown>[]) => rows.map((r) => ({ Id: r.Id, T: String(r.T) }));

describe("one input, every way of ordering it", () => {
  const times = fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 60 });

  test("a file streamed, then read again sorted when out of order (collecting run)", async () => {
    await fc.assert(
      fc.asyncProperty(times, async (ts) => {
        const path = fileOf("p.json", ts.map((t, i) => ({ Id: i, ts: iso(t) })));
        const result = await runQuery({ queryText: PASS_THROUGH, inputs: [{ alias: "input", events: openEventSource(path, JSON_LINES) }] });
        expect(rowsOf(result.outputs.out)).toEqual(expectedOrder(ts));
      }),
      { numRuns: 40 },
    );
  });

  test("an array sorted in memory, and a file spilled in runs of 3 events", async () => {
    await fc.assert(
      fc.asyncProperty(times, async (ts) => {
        const records = ts.map((t, i) => ({ Id: i, ts: iso(t) }));
        const fromArray = await runQuery({ queryText: PASS_THROUGH, inputs: [{ alias: "input", events: arrayOf(records) }] });
        expect(rowsOf(fromArray.outputs.out)).toEqual(expectedOrder(ts));
        // A single-pass stream is sorted before the run: with runs of 3, through the disk.
        async function* once() {
          yield* arrayOf(records);
        }
        const spillDir = mkdtempSync(join(dir, "spill-"));
        const spilled = await runQuery({ queryText: PASS_THROUGH, inputs: [{ alias: "input", events: once() }], sortRunSize: 3, tempDir: spillDir });
        expect(rowsOf(spilled.outputs.out)).toEqual(expectedOrder(ts));
        expect(readdirSync(spillDir)).toEqual([]); // the spill is gone
      }),
      { numRuns: 40 },
    );
  });
});

test("a streaming run whose rows cannot be taken back stops on an input out of order, naming it", async () => {
  const path = fileOf("unsorted.json", [
    { Id: 0, ts: iso(5) },
    { Id: 1, ts: iso(1) },
  ]);
  await expect(runQuery({ queryText: PASS_THROUGH, inputs: [{ alias: "input", events: openEventSource(path, JSON_LINES) }], collect: false, onRow: () => undefined })).rejects.toThrow(
    `input 'input' is not in event-time order (at ${path}:2)`,
  );
});

test("a streaming run with onRestart starts over once, then gives every row once, in event-time order", async () => {
  const path = fileOf("restart.json", [
    { Id: 0, ts: iso(5) },
    { Id: 1, ts: iso(6) },
    { Id: 2, ts: iso(1) },
  ]);
  let rows: Record<string, unknown>[] = [];
  let restarts = 0;
  await runQuery({
    queryText: PASS_THROUGH,
    inputs: [{ alias: "input", events: openEventSource(path, JSON_LINES) }],
    collect: false,
    onRow: (_alias, row) => rows.push(row),
    onRestart: () => {
      restarts++;
      rows = [];
    },
  });
  expect(restarts).toBe(1);
  expect(rowsOf(rows).map((r) => r.Id)).toEqual([2, 0, 1]);
});

test("two inputs merge by event time: a union sees both in time order", async () => {
  const a = fileOf("a.json", [
    { Id: "a1", ts: iso(3) },
    { Id: "a2", ts: iso(1) },
  ]);
  const b = fileOf("b.json", [
    { Id: "b1", ts: iso(2) },
    { Id: "b2", ts: iso(4) },
  ]);
  const inputs: RunInput[] = [
    { alias: "a", events: openEventSource(a, JSON_LINES) },
    { alias: "b", events: openEventSource(b, JSON_LINES) },
  ];
  const result = await runQuery({
    queryText: "SELECT Id, System.Timestamp() AS T INTO out FROM a TIMESTAMP BY ts UNION SELECT Id, System.Timestamp() AS T FROM b TIMESTAMP BY ts",
    inputs,
  });
  expect(result.outputs.out.map((r) => r.Id)).toEqual(["a2", "b1", "a1", "b2"]);
});

test("one input read by two FROMs with different TIMESTAMP BY: each sees its own order", async () => {
  const path = fileOf("two.json", [
    { Id: 0, sent: iso(5), received: iso(1) },
    { Id: 1, sent: iso(1), received: iso(2) },
  ]);
  const result = await runQuery({
    queryText: "SELECT Id INTO bySent FROM input TIMESTAMP BY sent\nSELECT Id INTO byReceived FROM input TIMESTAMP BY received",
    inputs: [{ alias: "input", events: openEventSource(path, JSON_LINES) }],
  });
  expect(result.outputs.bySent.map((r) => r.Id)).toEqual([1, 0]);
  expect(result.outputs.byReceived.map((r) => r.Id)).toEqual([0, 1]);
  expect(result.stats.lateAdjusted + result.stats.outOfOrderAdjusted).toBe(0);
});

test("without TIMESTAMP BY and arrival time, every event is at the arrival time given, and a self-join matches", async () => {
  const events = arrayOf([
    { Id: 1, v: "x" },
    { Id: 2, v: "y" },
  ]);
  const result = await runQuery({
    queryText:
      "SELECT a.Id AS A, b.Id AS B, System.Timestamp() AS T INTO out FROM input a JOIN input b ON a.Id = b.Id AND DATEDIFF(second, a, b) BETWEEN 0 AND 0",
    inputs: [{ alias: "input", events }],
    arrivalTime: BASE,
  });
  expect(result.outputs.out.map((r) => ({ A: r.A, B: r.B, T: String(r.T) }))).toEqual([
    { A: 1, B: 1, T: "2024-01-01T00:00:00.0000000Z" },
    { A: 2, B: 2, T: "2024-01-01T00:00:00.0000000Z" },
  ]);
  expect(result.stats.arrivalTime.toString()).toBe("2024-01-01T00:00:00.0000000Z");
});

test("without arrivalTime, events without a time are at the run's start", async () => {
  const before = Date.now();
  const result = await runQuery({ queryText: "SELECT Id, System.Timestamp() AS T INTO out FROM input", inputs: [{ alias: "input", events: arrayOf([{ Id: 1 }]) }] });
  const t = Date.parse(String(result.outputs.out[0].T));
  expect(t).toBeGreaterThanOrEqual(before);
  expect(t).toBeLessThanOrEqual(Date.now());
});

test("a single-pass stream of a run that could start over is sorted first (it could not be read again)", async () => {
  async function* once() {
    yield* arrayOf([
      { Id: 0, ts: iso(5) },
      { Id: 1, ts: iso(1) },
    ]);
  }
  const rows: Record<string, unknown>[] = [];
  let restarts = 0;
  await runQuery({ queryText: PASS_THROUGH, inputs: [{ alias: "input", events: once() }], collect: false, onRow: (_a, row) => rows.push(row), onRestart: () => restarts++ });
  expect(restarts).toBe(0);
  expect(rows.map((r) => r.Id)).toEqual([1, 0]);
});
