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

  async function writeAvro(file: string, codec: "null" | "deflate"): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const encoder = avro.createFileEncoder(file, schema, { codec });
      encoder.on("finish", resolve).on("error", reject);
      for (const r of rows) encoder.write(r);
      encoder.end();
    });
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
    await new Promise<void>((resolve, reject) => {
      const encoder = avro.createFileEncoder(file, type);
      encoder.on("finish", resolve).on("error", reject);
      encoder.write({ id: 1n });
      encoder.write({ id: 9007199254740993n });
      encoder.end();
    });
    await expect(readAll(file, ser("avro"))).rejects.toThrow(expect.objectContaining({ code: "NOT_SUPPORTED", location: { file, line: 2 } }));
  });

  it("reports a file that is not Avro as a deserialization error naming the file", async () => {
    const file = tmp.path("not.avro");
    writeFileSync(file, "definitely not avro");
    const { records, errors } = await readAll(file, ser("avro"));
    expect(records).toEqual([]);
    expect(errors).toEqual([{ message: expect.stringMatching(/malformed Avro data/), location: { file, line: 1 } }]);
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
