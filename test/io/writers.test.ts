import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { formatRows, requireSerializationFromPath, serializationFromPath, writeOutputFile } from "../../lib/io";
import { decimalSeparatorOf } from "../../lib/io/writers";
import { DateTimeValue, type RecordValue } from "../../lib/saql/values";
import { readAll, ser, tempDir } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const hyparquet = require("hyparquet") as typeof import("hyparquet");

const tmp = tempDir();
afterAll(tmp.cleanup);

const at = new DateTimeValue(Date.UTC(2021, 5, 1, 10, 0, 0, 123), 4567);
const rows: RecordValue[] = [
  { deviceId: "d1", avg: 21.25, n: 3, at, ok: true, location: { lat: 47.5, tags: ["a", "b"] }, none: null },
  { deviceId: "d2", avg: 19, n: 1, at: new DateTimeValue(Date.UTC(2021, 5, 1, 10, 0, 30)), ok: false, location: { lat: 1, tags: [] }, none: null, extra: "only here" },
];

describe("output writers", () => {
  it("write JSON lines by default, datetimes with seven fractional digits as ASA does", () => {
    const text = formatRows(rows).toString("utf8");
    expect(text.split("\n")).toEqual([
      '{"deviceId":"d1","avg":21.25,"n":3,"at":"2021-06-01T10:00:00.1234567Z","ok":true,"location":{"lat":47.5,"tags":["a","b"]},"none":null}',
      '{"deviceId":"d2","avg":19,"n":1,"at":"2021-06-01T10:00:30.0000000Z","ok":false,"location":{"lat":1,"tags":[]},"none":null,"extra":"only here"}',
      "",
    ]);
  });

  it("write a JSON array when the serialization says so", () => {
    const text = formatRows(rows.slice(0, 1), ser("json", { format: "array" })).toString("utf8");
    expect(JSON.parse(text)).toEqual([
      { deviceId: "d1", avg: 21.25, n: 3, at: "2021-06-01T10:00:00.1234567Z", ok: true, location: { lat: 47.5, tags: ["a", "b"] }, none: null },
    ]);
    expect(formatRows([], ser("json", { format: "array" })).toString("utf8")).toBe("[]\n");
  });

  it("write CSV with a header of every field, records and arrays as JSON text, NULL as an empty field", () => {
    const text = formatRows(rows, ser("csv", { fieldDelimiter: ";" })).toString("utf8");
    expect(text.split("\n")).toEqual([
      "deviceId;avg;n;at;ok;location;none;extra",
      'd1;21.25;3;2021-06-01T10:00:00.1234567Z;true;"{""lat"":47.5,""tags"":[""a"",""b""]}";;',
      'd2;19;1;2021-06-01T10:00:30.0000000Z;false;"{""lat"":1,""tags"":[]}";;only here',
      "",
    ]);
  });

  it("write CSV numbers with the DataLocale's decimal separator (quoted where it is the delimiter); text and JSON untouched", () => {
    const some = [{ t: 21.25, n: 3, s: "1.5", r: { x: 0.5 } }];
    expect(formatRows(some, ser("csv"), decimalSeparatorOf("it-IT")).toString("utf8")).toBe('t,n,s,r\n"21,25",3,1.5,"{""x"":0.5}"\n');
    expect(formatRows(some, ser("csv", { fieldDelimiter: ";" }), decimalSeparatorOf("de-DE")).toString("utf8")).toBe('t;n;s;r\n21,25;3;1.5;"{""x"":0.5}"\n');
    expect(formatRows(some, ser("csv"), decimalSeparatorOf("en-GB")).toString("utf8")).toBe('t,n,s,r\n21.25,3,1.5,"{""x"":0.5}"\n');
    expect(formatRows(some, ser("json"), decimalSeparatorOf("it-IT")).toString("utf8")).toBe('{"t":21.25,"n":3,"s":"1.5","r":{"x":0.5}}\n');
  });

  it("write Parquet that reads back with the same values (datetimes as TIMESTAMP_MICROS: to the microsecond)", async () => {
    const file = tmp.path("out.parquet");
    writeOutputFile(file, [...rows, { at: new DateTimeValue(Date.UTC(1, 0, 1) - 1, 9999) }], ser("parquet"));
    const { records } = await readAll(file, ser("parquet"));
    expect(records[0]).toEqual({ deviceId: "d1", avg: 21.25, n: 3, at: new DateTimeValue(at.ms, 4560), ok: true, location: { lat: 47.5, tags: ["a", "b"] }, none: null, extra: null });
    expect(records[1].extra).toBe("only here");
    expect(String(records[2].at)).toBe(String(new DateTimeValue(Date.UTC(1, 0, 1) - 1, 9990))); // before 1970: µs floored
    const bytes = readFileSync(file);
    const meta = hyparquet.parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(meta.schema.find((e) => e.name === "at")?.converted_type).toBe("TIMESTAMP_MICROS");
  });

  it("compress with gzip when asked", () => {
    const file = tmp.path("out.json.gz");
    writeOutputFile(file, rows.slice(0, 1), ser("json", { compression: "gzip" }));
    expect(gunzipSync(new Uint8Array(readFileSync(file))).toString("utf8")).toMatch(/^\{"deviceId":"d1"/);
  });

  it("leave no partial file and keep the old one when a write fails", () => {
    const file = tmp.path("kept.json");
    writeFileSync(file, "old\n");
    expect(() => writeOutputFile(file, rows, ser("delta"))).toThrow(/output serialization 'delta' is not supported/);
    expect(readFileSync(file, "utf8")).toBe("old\n");
    expect(readdirSync(tmp.dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    expect(existsSync(tmp.path("never.json"))).toBe(false);
  });
});

describe("format from a file name", () => {
  it.each([
    ["a.json", { type: "json", compression: "none" }],
    ["a.JSONL", { type: "json", compression: "none" }],
    ["a.csv.gz", { type: "csv", compression: "gzip" }],
    ["a.avro", { type: "avro", compression: "none" }],
    ["a.parquet", { type: "parquet", compression: "none" }],
    ["a.json.deflate", { type: "json", compression: "deflate" }],
  ])("%s", (name, expected) => {
    expect(serializationFromPath(name)).toMatchObject(expected);
  });

  it("is a clear error for an unknown extension", () => {
    expect(serializationFromPath("a.txt")).toBeUndefined();
    expect(() => requireSerializationFromPath("data/a.txt")).toThrow(/cannot tell the format of 'data\/a\.txt'/);
  });
});
