// A run's outputs stream through a spill file (lib/simulator/output-files.ts): every text format
// must come out byte for byte as lib/io's formatRows writes the same rows held in memory —
// across 1 MiB read chunks (multi-byte characters split between them) and fields first seen
// late; Parquet, written by the same writeParquet, must read back the rows across row groups.
import { readFileSync } from "node:fs";
import { gunzipSync, inflateSync } from "node:zlib";
import { formatRows } from "../../lib/io";
import { ROW_GROUP_ROWS } from "../../lib/io/writers/parquet";
import { OutputSet } from "../../lib/simulator/output-files";
import { DateTimeValue, type RecordValue } from "../../lib/saql/values";
import { readAll, ser, tempDir } from "../io/helpers";

// Past a row group for Parquet; past a 1 MiB spill chunk (~130 bytes a row) for the rest.
const ROWS = ROW_GROUP_ROWS + 1234;
const FEWER = 12_000;
const rows: RecordValue[] = Array.from({ length: ROWS }, (_, i) => ({
  id: i,
  name: `ßensor-${i} 😀 ${"é".repeat(i % 7)}`,
  value: i % 3 === 0 ? null : i / 4,
  at: new DateTimeValue(Date.UTC(2024, 0, 1) + i * 1000, i % 10000),
  ok: i % 2 === 0,
  ...(i === ROWS - 1 || i === FEWER - 1 ? { late: { nested: [1, "two"] } } : {}),
}));

describe("streamed outputs", () => {
  const t = tempDir();
  afterAll(t.cleanup);

  it.each([
    ["JSON lines", ser("json")],
    ["JSON array", ser("json", { format: "array" })],
    ["CSV", ser("csv", { fieldDelimiter: ";" })],
    ["gzip JSON lines", ser("json", { compression: "gzip" })],
    ["deflate CSV", ser("csv", { compression: "deflate" })],
  ])("%s: the same bytes as formatRows", async (name, serialization) => {
    const set = new OutputSet();
    const path = t.path(name.replace(/ /g, "-"));
    const out = set.open("o", path, serialization);
    const some = serialization.type === "parquet" ? rows : rows.slice(0, FEWER);
    for (const row of some) out.add(row);
    expect(await set.commit()).toEqual({ o: path });
    const unpack = (b: Uint8Array) => (serialization.compression === "gzip" ? gunzipSync(b) : serialization.compression === "deflate" ? inflateSync(b) : Buffer.from(b));
    expect(unpack(new Uint8Array(readFileSync(path))).equals(new Uint8Array(unpack(new Uint8Array(formatRows(some, serialization)))))).toBe(true);
  });

  it("Parquet (written from the spill, a row group at a time) reads back typed, every datetime to the millisecond", async () => {
    const path = t.path("Parquet");
    const set = new OutputSet();
    const out = set.open("o", path, ser("parquet"));
    for (const row of rows) out.add(row);
    await set.commit();
    const { records } = await readAll(path, ser("parquet"));
    expect(records).toHaveLength(ROWS);
    // Each row's datetime is its ms, never rounded up by the sub-millisecond ticks of the spilled text.
    expect(records.filter((r, i) => (r.at as DateTimeValue).ms !== (rows[i].at as DateTimeValue).ms)).toEqual([]);
    expect(records[100]).toEqual({ ...rows[100], at: new DateTimeValue((rows[100].at as DateTimeValue).ms), late: null });
    expect(records[ROWS - 1]).toEqual({ ...rows[ROWS - 1], at: new DateTimeValue((rows[ROWS - 1].at as DateTimeValue).ms) });
    expect(records[1].late).toBeNull();
  });
});
