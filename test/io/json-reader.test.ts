import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { gzipSync, deflateSync } from "node:zlib";
import { openEventSource } from "../../lib/io";
import { readExpectedRows } from "../../lib/io/expected";
import { JsonSplitter } from "../../lib/io/readers/json-splitter";
import { readAll, ser, tempDir } from "./helpers";
import { instantOfMs } from "../../lib/saql/instant";

const tmp = tempDir();
afterAll(tmp.cleanup);

describe("JSON reader", () => {
  it("reads line-separated events with the line of each", async () => {
    const file = tmp.path("lines.json");
    writeFileSync(file, '{"a":1}\n\n{"a":2,"b":{"c":[1,2]}}\r\n{"a":3}');
    const { records, lines, errors } = await readAll(file, ser("json"));
    expect(records).toEqual([{ a: 1 }, { a: 2, b: { c: [1, 2] } }, { a: 3 }]);
    expect(lines).toEqual([1, 3, 4]);
    expect(errors).toEqual([]);
  });

  it("reads a top-level array, each event located at the line its object starts on", async () => {
    const file = tmp.path("array.json");
    writeFileSync(file, '[\n  {"a": 1, "s": "x]y},{"},\n  {\n    "a": 2\n  },\n  {"a": 3}\n]\n');
    const { records, lines } = await readAll(file, ser("json"));
    expect(records).toEqual([{ a: 1, s: "x]y},{" }, { a: 2 }, { a: 3 }]);
    expect(lines).toEqual([2, 3, 6]);
  });

  it("reads pretty-printed objects one after another (not in an array)", async () => {
    const file = tmp.path("pretty.json");
    writeFileSync(file, '{\n  "a": 1\n}\n{\n  "a": 2\n}\n');
    const { records, lines } = await readAll(file, ser("json"));
    expect(records).toEqual([{ a: 1 }, { a: 2 }]);
    expect(lines).toEqual([1, 4]);
  });

  it("skips malformed lines, reports each as file:line, and reads on", async () => {
    const file = tmp.path("bad-lines.json");
    writeFileSync(file, '{"a":1}\n{"a":2\n{"a":3}\nnot json\n[1,2]\n{"a": "4"}\n{"a": 5,}\n');
    const { records, lines, errors } = await readAll(file, ser("json"));
    expect(records).toEqual([{ a: 1 }, { a: 3 }, { a: "4" }]);
    expect(lines).toEqual([1, 3, 6]);
    expect(errors.map((e) => [e.location.file, e.location.line])).toEqual([
      [file, 2],
      [file, 4],
      [file, 5],
      [file, 7],
    ]);
    expect(errors[2].message).toMatch(/must be a JSON object, found an array/);
  });

  it("skips malformed elements of an array and non-object elements", async () => {
    const file = tmp.path("bad-array.json");
    writeFileSync(file, '[\n{"a":1},\n42,\n{"bad": },\n{"a":2}\n]');
    const { records, errorLines, errors } = await readAll(file, ser("json"));
    expect(records).toEqual([{ a: 1 }, { a: 2 }]);
    expect(errorLines).toEqual([3, 4]);
    expect(errors[0].message).toMatch(/found number/);
  });

  it("reports an event the file ends inside of", async () => {
    const file = tmp.path("truncated.json");
    writeFileSync(file, '[{"a":1},\n{"a":');
    const { records, errors } = await readAll(file, ser("json"));
    expect(records).toEqual([{ a: 1 }]);
    expect(errors).toEqual([{ message: expect.stringMatching(/ends inside/), location: { file, line: 2 } }]);
  });

  it("reads gzip and deflate compressed files", async () => {
    const text = '{"a":1}\n{"a":2}\n';
    writeFileSync(tmp.path("c.json.gz"), new Uint8Array(gzipSync(text)));
    writeFileSync(tmp.path("c.json.deflate"), new Uint8Array(deflateSync(text)));
    expect((await readAll(tmp.path("c.json.gz"), ser("json", { compression: "gzip" }))).records).toEqual([{ a: 1 }, { a: 2 }]);
    expect((await readAll(tmp.path("c.json.deflate"), ser("json", { compression: "deflate" }))).records).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it("fails clearly, naming the file, when a gzip file is corrupt", async () => {
    const file = tmp.path("corrupt.json.gz");
    // gzip's magic bytes, then not gzip: a file that does not start with them is read as the plain text it is.
    writeFileSync(file, new Uint8Array([0x1f, 0x8b, ...new TextEncoder().encode("this is not gzip")]));
    await expect(readAll(file, ser("json", { compression: "gzip" }))).rejects.toThrow(/cannot read JSON file .*corrupt\.json\.gz: /);
  });

  it("strips a UTF-8 byte-order mark and reads UTF-8 text", async () => {
    const file = tmp.path("bom.json");
    writeFileSync(file, '\ufeff{"name":"Zürich ✓"}\n');
    expect((await readAll(file, ser("json"))).records).toEqual([{ name: "Zürich ✓" }]);
  });

  it("takes each event's arrival time from a named field", async () => {
    const file = tmp.path("arrival.json");
    writeFileSync(
      file,
      ['{"id":1,"EventEnqueuedUtcTime":"2021-06-01T10:00:00.0000000Z"}', '{"id":2}', '{"id":3,"eventenqueuedutctime":"2021-06-01T10:00:01.5Z"}', '{"id":4,"EventEnqueuedUtcTime":"soon"}'].join("\n"),
    );
    const { events, errors } = await readAll(file, ser("json"), { arrivalTimeField: "EventEnqueuedUtcTime" });
    expect(events.map((e) => [e.record.id, e.arrivalTime])).toEqual([
      [1, instantOfMs(Date.UTC(2021, 5, 1, 10))],
      [3, instantOfMs(Date.UTC(2021, 5, 1, 10, 0, 1, 500))],
    ]);
    expect(errors.map((e) => [e.location.line, e.message])).toEqual([
      [2, "the arrival-time field 'EventEnqueuedUtcTime' is missing"],
      [4, 'the arrival-time field \'EventEnqueuedUtcTime\' is not a datetime: "soon"'],
    ]);
  });

  it("fails at open, naming the file, when it does not exist", () => {
    expect(() => openEventSource(tmp.path("nope.json"), ser("json"))).toThrow(/input file not found: .*nope\.json/);
  });
});

describe("expected output files", () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);

  it("read an ASA local run's output.json (objects joined by commas) as its rows; anything else malformed still fails", async () => {
    const file = tmp.path("output.json");
    writeFileSync(file, '\ufeff{"a":1,"t":"2024-05-02T10:00:05.0000000Z"},{"a":2,"r":{"x":[1]}}');
    expect(await readExpectedRows(file)).toEqual([
      { a: 1, t: "2024-05-02T10:00:05.0000000Z" },
      { a: 2, r: { x: [1] } },
    ]);
    for (const broken of ['{"a":1},', '{"a":1},[2]', '{"a":1},{"a":']) {
      writeFileSync(file, broken);
      await expect(readExpectedRows(file)).rejects.toThrow(/malformed expected output/);
    }
  });
});

describe("JsonSplitter", () => {
  const events = fc.array(fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }))), { maxLength: 8 });

  it("splits the same events whatever the chunk boundaries (lines and arrays)", () => {
    fc.assert(
      fc.property(events, fc.boolean(), fc.array(fc.nat(), { maxLength: 10 }), (records, asArray, cuts) => {
        const text = asArray ? `[\n${records.map((r) => JSON.stringify(r, null, 1)).join(",\n")}\n]` : records.map((r) => JSON.stringify(r)).join("\n");
        const positions = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const splitter = new JsonSplitter();
        const pieces = [];
        let last = 0;
        for (const p of [...positions, text.length]) {
          pieces.push(...splitter.push(text.slice(last, p)));
          last = p;
        }
        pieces.push(...splitter.end());
        expect(pieces.flatMap((p) => ("text" in p ? [JSON.parse(p.text)] : "values" in p ? p.values : "value" in p ? [p.value] : [p]))).toEqual(records);
      }),
      { numRuns: 200 },
    );
  });
});

describe("JSON integers beyond ±2^53", () => {
  it("stop the run with the event's location rather than change value", async () => {
    const file = tmp.path("big-int.json");
    writeFileSync(file, '{"id":9007199254740991,"name":"1234567890123456789 in text is fine"}\n{"id":9007199254740993}\n');
    await expect(readAll(file, ser("json"))).rejects.toThrow(
      expect.objectContaining({ code: "NOT_SUPPORTED", location: { file, line: 2 }, message: expect.stringMatching(/a JSON integer beyond ±2\^53 .*9007199254740992/) }),
    );
  });

  it("in a pretty-printed array too", async () => {
    const file = tmp.path("big-int-array.json");
    writeFileSync(file, '[\n  {"id": 1},\n  {\n    "id": 12345678901234567890\n  }\n]\n');
    await expect(readAll(file, ser("json"))).rejects.toThrow(expect.objectContaining({ location: { file, line: 3 } }));
  });
});
