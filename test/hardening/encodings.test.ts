// ASA reads UTF-8 only. A UTF-16 file is a counted warning that says so (and gives no events);
// invalid UTF-8 is a counted warning with the place of the first bad sequence, and the events
// are read with U+FFFD in its place, as the decoder does.
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { readAll, ser, tempDir } from "../io/helpers";

const t = tempDir();
afterAll(t.cleanup);

const lines = '{"name":"café"}\n{"name":"b"}\n';

/** Bytes put together from text (UTF-8), byte lists and buffers. */
function bytes(...parts: (string | number[] | Buffer)[]): Buffer {
  const arrays = parts.map((p) => new Uint8Array(typeof p === "string" ? Buffer.from(p) : Array.isArray(p) ? p : p));
  const out = Buffer.alloc(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) (out.set(a, at), (at += a.length));
  return out;
}

describe("input encodings", () => {
  it.each([
    ["UTF-16LE with its byte order mark", bytes([0xff, 0xfe], Buffer.from(lines, "utf16le")), "byte order mark FF FE"],
    ["UTF-16BE with its byte order mark", bytes([0xfe, 0xff], Buffer.from(lines, "utf16le").swap16()), "byte order mark FE FF"],
    ["UTF-16LE without one", Buffer.from(lines, "utf16le"), "NUL bytes between its characters"],
  ])("%s: one counted warning saying so, no events", async (_name, content, why) => {
    const file = t.path("utf16.json");
    writeFileSync(file, new Uint8Array(content));
    const { records, errors } = await readAll(file, ser("json"));
    expect(records).toEqual([]);
    expect(errors).toEqual([{ message: `the file is UTF-16 (${why}), but ASA reads UTF-8 only: no event of it is read; save it as UTF-8`, location: { file, line: 1 } }]);
  });

  it.each([
    ["plain", (b: Buffer) => b, ser("json")],
    ["gzip", (b: Buffer) => gzipSync(new Uint8Array(b)), ser("json", { compression: "gzip" })],
  ])("invalid UTF-8 (%s): counted once, with how many and where, and the events still read", async (_name, pack, serialization) => {
    // A stray 0xFF, and a two-byte sequence cut short by a quote.
    const content = bytes('{"a":"x', [0xff], '"}\n{"a":"', [0xc3], '"}\n');
    const file = t.path(`bad-${_name}.json`);
    writeFileSync(file, new Uint8Array(pack(content)));
    const { records, errors } = await readAll(file, serialization);
    expect(records).toEqual([{ a: "x\ufffd" }, { a: "\ufffd" }]);
    expect(errors.map((e) => e.message)).toEqual(["2 invalid UTF-8 sequence(s), the first at byte 7: read as U+FFFD (ASA reads UTF-8 only)"]);
  });

  it("valid UTF-8 whose characters straddle the 64 KiB read chunks gives no warning", async () => {
    const file = t.path("wide.json");
    const line = JSON.stringify({ s: "é😀€".repeat(7) }) + "\n";
    writeFileSync(file, line.repeat(20_000));
    const { records, errors } = await readAll(file, ser("json"));
    expect(errors).toEqual([]);
    expect(records).toHaveLength(20_000);
  });
});
