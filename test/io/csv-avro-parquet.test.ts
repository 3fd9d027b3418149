import avro from "avsc";
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { DateTimeValue } from "../../lib/saql/values";
import { readAll, ser, tempDir } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parquetWriteBuffer } = require("hyparquet-writer") as typeof import("hyparquet-writer");

const tmp = tempDir();
afterAll(tmp.cleanup);

describe("CSV reader", () => {
  it("names fields from the header row and reads every value as text (nvarchar(max))", async () => {
    const file = tmp.path("cars.csv");
    writeFileSync(file, "Make,Time,Weight\nHonda,2015-01-01T00:00:01.0000000Z,2000\nToyota,2015-01-01T00:00:02.0000000Z,25000.5\n");
    const { records, lines } = await readAll(file, ser("csv", { fieldDelimiter: "," }));
    expect(records).toEqual([
      { Make: "Honda", Time: "2015-01-01T00:00:01.0000000Z", Weight: "2000" },
      { Make: "Toyota", Time: "2015-01-01T00:00:02.0000000Z", Weight: "25000.5" },
    ]);
    expect(lines).toEqual([2, 3]);
  });

  it.each([
    [";", "a;b\n1;x\n"],
    ["\t", "a\tb\n1\tx\n"],
    ["|", "a|b\n1|x\n"],
    [" ", "a b\n1 x\n"],
  ] as const)("reads the delimiter %j", async (delimiter, text) => {
    const file = tmp.path(`d${text.length}${delimiter.charCodeAt(0)}.csv`);
    writeFileSync(file, text);
    expect((await readAll(file, ser("csv", { fieldDelimiter: delimiter }))).records).toEqual([{ a: "1", b: "x" }]);
  });

  it("reads quoted fields holding the delimiter, quotes and line breaks; a row is located at its first line", async () => {
    const file = tmp.path("quoted.csv");
    writeFileSync(file, '\ufeffname,note\n"Smith, J","said ""hi""\nthen left"\nDoe,ok\n');
    const { records, lines } = await readAll(file, ser("csv"));
    expect(records).toEqual([
      { name: "Smith, J", note: 'said "hi"\nthen left' },
      { name: "Doe", note: "ok" },
    ]);
    expect(lines).toEqual([2, 4]);
  });

  it("reads CRLF and mixed line endings without leaving a carriage return in the last field", async () => {
    const file = tmp.path("crlf.csv");
    writeFileSync(file, "a,b\n1,x\r\n\r\n2,y\r\n3,z");
    const { records, lines } = await readAll(file, ser("csv"));
    expect(records).toEqual([
      { a: "1", b: "x" },
      { a: "2", b: "y" },
      { a: "3", b: "z" },
    ]);
    expect(lines).toEqual([2, 4, 5]);
  });

  it("skips a row with the wrong number of fields, reporting its line, and reads on", async () => {
    const file = tmp.path("bad.csv");
    writeFileSync(file, "a,b\n1,x\n2,y,z\n3\n4,w\n");
    const { records, errors } = await readAll(file, ser("csv"));
    expect(records).toEqual([
      { a: "1", b: "x" },
      { a: "4", b: "w" },
    ]);
    expect(errors.map((e) => [e.location.file, e.location.line])).toEqual([
      [file, 3],
      [file, 4],
    ]);
    expect(errors[0].message).toMatch(/malformed CSV row/);
  });

  it("requires unique header fields, case-insensitively", async () => {
    const file = tmp.path("dup.csv");
    writeFileSync(file, "Temp,temp\n1,2\n");
    await expect(readAll(file, ser("csv"))).rejects.toThrow(expect.objectContaining({ location: { file, line: 1 }, message: "the CSV header names the field 'temp' twice (as 'Temp'; names are case-insensitive)" }));
  });

  it("reads a gzip-compressed CSV file", async () => {
    const file = tmp.path("z.csv.gz");
    writeFileSync(file, new Uint8Array(gzipSync("a,b\n1,2\n")));
    expect((await readAll(file, ser("csv", { compression: "gzip" }))).records).toEqual([{ a: "1", b: "2" }]);
  });
});

describe("Avro reader", () => {
  const schema = avro.Type.forSchema({
    type: "record",
    name: "Reading",
    fields: [
      { name: "deviceId", type: "string" },
      { name: "temperature", type: "double" },
      { name: "count", type: "long" },
      { name: "tags", type: { type: "array", items: "string" } },
      { name: "location", type: ["null", { type: "record", name: "Loc", fields: [{ name: "lat", type: "double" }] }] },
      { name: "attributes", type: { type: "map", values: "int" } },
    ],
  });
  const rows = [
    { deviceId: "d1", temperature: 21.5, count: 1, tags: ["a"], location: { lat: 47.5 }, attributes: { x: 1 } },
    { deviceId: "d2", temperature: 19, count: 2, tags: [], location: null, attributes: {} },
  ];

  /** An object container file, encoded in memory and written whole. */
  async function avroFile(type: avro.Type, values: unknown[], codec: "null" | "deflate" = "null"): Promise<Uint8Array> {
    const encoder = new avro.streams.BlockEncoder(type, { codec });
    const chunks: Uint8Array[] = [];
    encoder.on("data", (chunk: Buffer) => chunks.push(new Uint8Array(chunk)));
    const done = new Promise<void>((resolve, reject) => encoder.on("end", resolve).on("error", reject));
    for (const v of values) encoder.write(v);
    encoder.end();
    await done;
    return new Uint8Array(Buffer.concat(chunks));
  }

  async function writeAvro(file: string, codec: "null" | "deflate"): Promise<void> {
    writeFileSync(file, await avroFile(schema, rows, codec));
  }

  it.each(["null", "deflate"] as const)("reads an object container file (%s codec), locating records by number", async (codec) => {
    const file = tmp.path(`r-${codec}.avro`);
    await writeAvro(file, codec);
    const { records, lines, errors } = await readAll(file, ser("avro"));
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { deviceId: "d1", temperature: 21.5, count: 1, tags: ["a"], location: { lat: 47.5 }, attributes: { x: 1 } },
      { deviceId: "d2", temperature: 19, count: 2, tags: [], location: null, attributes: {} },
    ]);
    // Plain objects, not avsc's record classes.
    expect(Object.getPrototypeOf(records[0])).toBe(Object.prototype);
    expect(lines).toEqual([1, 2]);
  });

  it("stops the run at a long beyond ±2^53 rather than change its value", async () => {
    // Written with a bigint-backed long type; read back with the default one, as a job would.
    const bigLong = avro.types.LongType.__with({
      fromBuffer: (b: Buffer) => b.readBigInt64LE(),
      toBuffer: (n: bigint) => {
        const b = Buffer.alloc(8);
        b.writeBigInt64LE(n);
        return b;
      },
      fromJSON: BigInt,
      toJSON: Number,
      isValid: (n: unknown) => typeof n === "bigint",
      compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
    });
    const type = avro.Type.forSchema({ type: "record", name: "R", fields: [{ name: "id", type: "long" }] }, { registry: { long: bigLong } });
    const file = tmp.path("big.avro");
    writeFileSync(file, await avroFile(type, [{ id: 1n }, { id: 9007199254740993n }]));
    await expect(readAll(file, ser("avro"))).rejects.toThrow(expect.objectContaining({ code: "NOT_SUPPORTED", location: { file, line: 2 } }));
  });

  it("fails clearly, naming the file, when it is not Avro", async () => {
    const file = tmp.path("not.avro");
    writeFileSync(file, "definitely not avro");
    await expect(readAll(file, ser("avro"))).rejects.toThrow(/not a readable Avro object container file .*not\.avro/);
  });

  /** A container with one record per block, assembled by hand (header from avsc) so a test can break one block. */
  async function oneRecordBlocks(records: object[], breakBlock?: (block: { count: number; data: Buffer }) => void): Promise<Buffer> {
    // avsc writes the header with the first block: keep what precedes that block.
    const one = Buffer.from(await avroFile(schema, [records[0]]));
    const sync = one.subarray(one.length - 16);
    const header = one.subarray(0, one.indexOf(new Uint8Array(sync)) + 16);
    const long = avro.Type.forSchema("long");
    const blocks = records.map((r) => {
      const block = { count: 1, data: schema.toBuffer(r) };
      if (r === records[1]) breakBlock?.(block);
      return Buffer.concat([long.toBuffer(block.count), long.toBuffer(block.data.length), block.data, sync].map((b) => new Uint8Array(b)));
    });
    return Buffer.concat([header, ...blocks].map((b) => new Uint8Array(b)));
  }
  const three = [rows[0], rows[1], { ...rows[0], deviceId: "d3" }];
  /** Where each sync marker starts: the header's, then one per block (block k starts 16 bytes after marker k − 1). */
  function markersOf(bytes: Buffer): number[] {
    const sync = new Uint8Array(bytes.subarray(bytes.length - 16));
    const markers: number[] = [];
    for (let i = bytes.indexOf(sync); i >= 0; i = bytes.indexOf(sync, i + 1)) markers.push(i);
    return markers;
  }

  it("reads blocks assembled by hand (the container format, not only avsc's files)", async () => {
    const file = tmp.path("blocks.avro");
    writeFileSync(file, new Uint8Array(await oneRecordBlocks(three)));
    expect((await readAll(file, ser("avro"))).records.map((r) => r.deviceId)).toEqual(["d1", "d2", "d3"]);
  });

  it("reports a truncated last block, keeping the records before it", async () => {
    const bytes = await oneRecordBlocks(three);
    const file = tmp.path("truncated.avro");
    writeFileSync(file, new Uint8Array(bytes.subarray(0, bytes.length - 5)));
    const { records, errors } = await readAll(file, ser("avro"));
    expect(records.map((r) => r.deviceId)).toEqual(["d1", "d2"]);
    const third = markersOf(bytes)[2] + 16;
    expect(errors).toEqual([{ message: `malformed Avro data after record 2 (byte ${third}): the last block is truncated`, location: { file, line: 3 } }]);
  });

  it("reports a block whose records cannot be decoded, and reads the next block", async () => {
    const file = tmp.path("bad-block.avro");
    const bytes = await oneRecordBlocks(three, (block) => (block.count = 3));
    writeFileSync(file, new Uint8Array(bytes));
    const { records, errors } = await readAll(file, ser("avro"));
    expect(records.map((r) => r.deviceId)).toEqual(["d1", "d2", "d3"].filter((d) => d !== "d2"));
    const second = markersOf(bytes)[1] + 16;
    expect(errors).toEqual([{ message: expect.stringMatching(new RegExp(`^malformed Avro block at byte ${second} \\(records 2–4\\)`)), location: { file, line: 2 } }]);
  });

  it("skips to the next sync marker after a block whose marker is broken", async () => {
    const bytes = await oneRecordBlocks(three);
    const markers = markersOf(bytes);
    expect(markers).toHaveLength(4); // the header's, then one per block
    bytes[markers[1] + 15] ^= 0xff; // the first block's marker
    const file = tmp.path("bad-sync.avro");
    writeFileSync(file, new Uint8Array(bytes));
    const { records, errors } = await readAll(file, ser("avro"));
    // The first block cannot be trusted; the next marker found ends the second block, so reading resumes at the third.
    expect(records.map((r) => r.deviceId)).toEqual(["d3"]);
    expect(errors.map((e) => [e.location.line, e.message])).toEqual([[1, `malformed Avro data after record 0 (byte ${markers[0] + 16}): a block does not end with the file's sync marker`]]);
  });
});

describe("Parquet reader", () => {
  it("reads every row group, typing timestamps as datetimes and INT64 as numbers", async () => {
    const file = tmp.path("t.parquet");
    const n = 25;
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: "deviceId", data: Array.from({ length: n }, (_v, i) => `d${i}`), type: "STRING" },
        { name: "value", data: Array.from({ length: n }, (_v, i) => i * 1.5), type: "DOUBLE" },
        { name: "count", data: Array.from({ length: n }, (_v, i) => BigInt(i)), type: "INT64" },
        { name: "at", data: Array.from({ length: n }, (_v, i) => (i === 3 ? null : new Date(Date.UTC(2021, 5, 1, 10, 0, i)))), type: "TIMESTAMP" },
      ],
      rowGroupSize: 10,
    });
    writeFileSync(file, new Uint8Array(buffer));
    const { records, lines, errors } = await readAll(file, ser("parquet"));
    expect(errors).toEqual([]);
    expect(records).toHaveLength(n);
    expect(lines).toEqual(Array.from({ length: n }, (_v, i) => i + 1));
    expect(records[2]).toEqual({ deviceId: "d2", value: 3, count: 2, at: new DateTimeValue(Date.UTC(2021, 5, 1, 10, 0, 2)) });
    expect(records[3].at).toBeNull();
    expect(String(records[24].at)).toBe("2021-06-01T10:00:24.0000000Z");
  });

  it("fails clearly, naming the file, when it is not Parquet", async () => {
    const file = tmp.path("bad.parquet");
    writeFileSync(file, "not parquet at all");
    await expect(readAll(file, ser("parquet"))).rejects.toThrow(/bad\.parquet/);
  });
});

describe("Parquet INT64 beyond ±2^53", () => {
  it("stops the run with the row's location rather than change value", async () => {
    const file = tmp.path("big.parquet");
    writeFileSync(file, new Uint8Array(parquetWriteBuffer({ columnData: [{ name: "id", data: [1n, 9007199254740993n], type: "INT64" }] })));
    await expect(readAll(file, ser("parquet"))).rejects.toThrow(expect.objectContaining({ code: "NOT_SUPPORTED", location: { file, line: 2 } }));
  });
});
