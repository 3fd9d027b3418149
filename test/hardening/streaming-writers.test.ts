// A run's outputs stream through a spill file (lib/simulator/output-files.ts): every text format
// must come out byte for byte as lib/io's formatRows writes the same rows held in memory —
// across 1 MiB read chunks (multi-byte characters split between them) and fields first seen
// late; Parquet, written by the same writeParquet, must read back the rows across row groups.
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync, inflateSync } from "node:zlib";
import { formatRows } from "../../lib/io";
import { MAX_JSON_DEPTH, ROW_GROUP_ROWS, writeParquet } from "../../lib/io/writers/parquet";
import { ColumnProfile } from "../../lib/io/writers";
import { AVRO_BLOCK_BYTES } from "../../lib/io/writers/avro";
import avro from "avsc";
import { OutputSet } from "../../lib/simulator/output-files";
import { DateTimeValue, type RecordValue, type Value } from "../../lib/saql/values";
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

  it("Parquet (written from the spill, a row group at a time) reads back typed, every datetime to the microsecond", async () => {
    const path = t.path("Parquet");
    const set = new OutputSet();
    const out = set.open("o", path, ser("parquet"));
    for (const row of rows) out.add(row);
    await set.commit();
    const { records } = await readAll(path, ser("parquet"));
    expect(records).toHaveLength(ROWS);
    // Each row's datetime is its µs (TIMESTAMP_MICROS), never rounded up by the sub-µs tick of the spilled text.
    const micros = (at: Value) => new DateTimeValue((at as DateTimeValue).ms, (at as DateTimeValue).ticks - ((at as DateTimeValue).ticks % 10));
    expect(records.filter((r, i) => String(r.at) !== String(micros(rows[i].at)))).toEqual([]);
    expect(records[100]).toEqual({ ...rows[100], at: micros(rows[100].at), late: null });
    expect(records[ROWS - 1]).toEqual({ ...rows[ROWS - 1], at: micros(rows[ROWS - 1].at) });
    expect(records[1].late).toBeNull();
  });

  it(`a Parquet JSON column takes values ${MAX_JSON_DEPTH} levels deep; a deeper one is that row's error, the others are written`, async () => {
    const nest = (levels: number): RecordValue => {
      let v: RecordValue = { leaf: 1 };
      for (let i = 1; i < levels; i++) v = i % 2 ? ([v] as never) : { a: v };
      return v;
    };
    const depth = (v: unknown): number => (v !== null && typeof v === "object" ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0);
    // nest(k): k records and arrays, one inside the other.
    const rows: RecordValue[] = [{ j: nest(MAX_JSON_DEPTH) }, { j: nest(MAX_JSON_DEPTH + 1) }, { j: { b: 2 } }];
    expect(rows.map((r) => depth(r.j))).toEqual([MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1, 1]);
    const profile = new ColumnProfile();
    rows.forEach((r) => profile.observe(r));
    const errors: [number, string][] = [];
    const chunks: Uint8Array[] = [];
    writeParquet(rows, profile, (c) => chunks.push(c), (row, message) => errors.push([row, message]));
    expect(errors).toEqual([[2, expect.stringContaining(`nested more than ${MAX_JSON_DEPTH} levels deep`)]]);
    const path = t.path("deep.parquet");
    writeFileSync(path, new Uint8Array(Buffer.concat(chunks)));
    const { records } = await readAll(path, ser("parquet"));
    expect(records.map((r) => depth(r.j))).toEqual([MAX_JSON_DEPTH, 1]);
    expect(() => writeParquet(rows, profile, () => undefined)).toThrow(/row 2: column 'j' holds a value nested more than/);
  });

  it.each([["Avro", ser("avro")], ["gzip Avro", ser("avro", { compression: "gzip" })]])(
    "%s (avsc's block encoder, from the spill) reads back every row: nullable typed fields, datetimes as ASA's text, records as JSON text",
    async (name, serialization) => {
      const path = t.path(name.replace(/ /g, "-"));
      const set = new OutputSet();
      const out = set.open("o", path, serialization);
      const odd: RecordValue[] = [{ "temp °C": 1, "1st": "a", temp__C: 2 }];
      for (const row of rows) out.add(row);
      for (const row of odd) out.add(row);
      await set.commit();
      const bytes = new Uint8Array(serialization.compression === "gzip" ? gunzipSync(new Uint8Array(readFileSync(path))) : readFileSync(path));
      expect(bytes.length).toBeGreaterThan(4 * AVRO_BLOCK_BYTES); // several blocks
      if (serialization.compression === "none") {
        const header = avro.extractFileHeader(path, { decode: true }) as { meta: Record<string, unknown> } | null;
        expect((header!.meta["avro.schema"] as { fields: unknown[] }).fields).toEqual([
          { name: "id", type: ["null", "long"], default: null },
          { name: "name", type: ["null", "string"], default: null },
          { name: "value", type: ["null", "double"], default: null },
          { name: "at", type: ["null", "string"], default: null },
          { name: "ok", type: ["null", "boolean"], default: null },
          { name: "late", type: ["null", "string"], default: null },
          { name: "temp__C", type: ["null", "long"], default: null },
          { name: "_1st", type: ["null", "string"], default: null },
          { name: "temp__C_2", type: ["null", "long"], default: null },
        ]);
      }
      const { records, errors } = await readAll(path, serialization);
      expect(errors).toEqual([]);
      expect(records).toHaveLength(ROWS + odd.length);
      const expected = (r: RecordValue) => ({
        id: r.id,
        name: r.name,
        value: r.value,
        at: (r.at as DateTimeValue).toString(),
        ok: r.ok,
        late: r.late ? JSON.stringify(r.late) : null,
        temp__C: null,
        _1st: null,
        temp__C_2: null,
      });
      expect(records.filter((r, i) => i < ROWS && JSON.stringify(r) !== JSON.stringify(expected(rows[i])))).toEqual([]);
      expect(records[ROWS]).toEqual({ id: null, name: null, value: null, at: null, ok: null, late: null, temp__C: 1, _1st: "a", temp__C_2: 2 });
    },
  );

  it("an Avro output without rows is an Avro file without records", async () => {
    const path = t.path("empty.avro");
    const set = new OutputSet();
    set.open("o", path, ser("avro"));
    await set.commit();
    expect(await readAll(path, ser("avro"))).toMatchObject({ records: [], errors: [] });
  });
});
