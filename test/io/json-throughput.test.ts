// The fast paths of the JSON reader (a block of lines per JSON.parse, the skipping 16-digit
// scan, batches for the run loop) must give exactly what the plain line-by-line reading gives.
import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { eventBatches, hasBatches, openEventBatches, openEventSource } from "../../lib/io";
import type { DeserializationError, InputEvent } from "../../lib/io/types";
import { parseLineBlock } from "../../lib/io/readers/json-line-block";
import { hasLongDigitRun, parseJsonExact, UnsafeIntegerError, unsafeIntegerIn } from "../../lib/io/readers/json-numbers";
import { JsonSplitter, type JsonPiece } from "../../lib/io/readers/json-splitter";
import { readAll, ser, tempDir } from "./helpers";
import { instantOfMs } from "../../lib/saql/instant";

const tmp = tempDir();
afterAll(tmp.cleanup);

/**
 * What the reader makes of the pieces: each event value or error on its line, or — as an
 * integer beyond ±2^53 stops the run — `{ thrown: line }` at the first such event.
 */
function normalize(pieces: JsonPiece[]): unknown {
  const out: { line: number; value?: unknown; error?: string }[] = [];
  for (const p of pieces) {
    if ("values" in p) p.values.forEach((value, k) => out.push({ line: p.line + k, value }));
    else if ("value" in p) out.push({ line: p.line, value: p.value });
    else if ("error" in p) out.push({ line: p.line, error: p.error });
    else {
      try {
        out.push({ line: p.line, value: parseJsonExact(p.text) });
      } catch (error) {
        if (error instanceof UnsafeIntegerError) return { thrown: p.line };
        out.push({ line: p.line, error: (error as Error).message });
      }
    }
  }
  return out;
}

/** Splits text cut at `cuts`; a thrown error (an integer beyond ±2^53) becomes `{ thrown: line }`. */
function split(text: string, cuts: number[], lineBlocks: boolean): unknown {
  const splitter = new JsonSplitter({ lineBlocks });
  const pieces: JsonPiece[] = [];
  const positions = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  let last = 0;
  try {
    for (const p of [...positions, text.length]) {
      pieces.push(...splitter.push(text.slice(last, p)));
      last = p;
    }
    pieces.push(...splitter.end());
  } catch (error) {
    if (!(error instanceof UnsafeIntegerError)) throw error;
    const before = normalize(pieces);
    return Array.isArray(before) ? { thrown: error.line } : before;
  }
  return normalize(pieces);
}

/** Lines a JSON file may hold, good and bad, including ones built to fool a joined parse. */
const record = fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })), {
  maxKeys: 4,
});
const line = fc.oneof(
  { weight: 6, arbitrary: record.map((r) => JSON.stringify(r)) },
  { weight: 1, arbitrary: record.map((r) => `  ${JSON.stringify(r)}\t`) },
  { weight: 1, arbitrary: record.map((r) => JSON.stringify(r, null, 1)) }, // pretty-printed: several lines
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "",
      "   ",
      '{"a":1',
      '{"a":[{"x":1}',
      '{"y":2}]}',
      '  {"y":2}]}',
      '{"p":1},{"q":2}',
      '{"p":1} ,\t{"q":2}',
      '{"p":1}],[{"q":2}',
      '{"a":"},{"}',
      '{"a":"}',
      '{",  "b":{}}',
      '{"a":"x}',
      '{"a":1},',
      ',{"a":1}',
      "42",
      "[1,2]",
      '"text"',
      "null",
      "not json",
      "[",
      "]",
      "[{\"a\":1},",
      '{"a":{"b":{}}',
      '{"s":"1234567890123456789"}',
      '{"big":12345678901234567890}',
      '{"ok":9007199254740991}',
      // 16-digit runs that are no integer beyond ±2^53 (block path), and ones that are.
      '{"v":3.3099999999999996,"w":0.00012627857052658164}',
      '{"s":"12345678901234567","e":1e20}',
      '{"n":[1,{"m":-12345678901234567.0}]}',
      '[12345678901234567890]',
      '{"a":[12345678901234567890, 2]}',
      '{"d":12345678901234567890e-5}',
      '{"e":1e20,"f":1E+300}',
      '{"big":1,"big":12345678901234567890}',
      '{"big":12345678901234567890,"big":1}',
      '{"a":1}\r',
      "\ufeff{\"a\":1}",
    ),
  },
);

describe("JSON lines read a block at a time", () => {
  it("gives the events, errors and lines of line-by-line reading, whatever the chunks", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 14 }), fc.array(fc.nat(), { maxLength: 6 }), (lines, cuts) => {
        const text = lines.join("\n");
        expect(split(text, cuts, true)).toEqual(split(text, [], false));
      }),
      { numRuns: 3000 },
    );
  });

  it("gives the events, errors and lines of line-by-line reading for arrays of one event per line", () => {
    const element = fc.oneof(
      { weight: 8, arbitrary: record.map((r) => `  ${JSON.stringify(r)},`) },
      { weight: 1, arbitrary: record.map((r) => JSON.stringify(r)) },
      { weight: 2, arbitrary: line },
      // Built to fool a joined parse: an object over two lines, two objects on one line.
      { weight: 2, arbitrary: fc.constantFrom('{"a":[{"x":1},', '  {"y":2}]},', '{"p":1},{"q":2},', '{"p":1} ,\t{"q":2},', '{"a":"},{"},', '{"a":{"b":{}},', ",", ',{"c":3},') },
    );
    fc.assert(
      fc.property(fc.array(element, { maxLength: 14 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }), (lines, closed, cuts) => {
        const text = ["[", ...lines, ...(closed ? ["]"] : [])].join("\n");
        // A chunk starting after "[" is read as array lines from its first line.
        expect(split(text, [2, ...cuts], true)).toEqual(split(text, [], false));
      }),
      { numRuns: 3000 },
    );
  });

  it("reads an array of one event per line a block at a time", () => {
    const splitter = new JsonSplitter();
    expect(splitter.push('[\n  {"a":1},\n')).toEqual([{ value: { a: 1 }, line: 2 }]);
    expect(splitter.push('  {"a":2},\n  {"a":3},\n  {"a":4}\n')).toEqual([{ values: [{ a: 2 }, { a: 3 }, { a: 4 }], line: 3 }]);
    expect(splitter.push("]\n")).toEqual([]);
    expect(splitter.end()).toEqual([]);
  });

  it("stops at the first integer beyond ±2^53 even when its line arrived in two chunks", () => {
    const text = ['{"big":12345678901234567890}', '{"big":12345678901234567890}', "{}"].join("\n");
    expect(split(text, [1], true)).toEqual({ thrown: 1 });
    expect(split(text, [], true)).toEqual({ thrown: 1 });
  });

  it("takes the block path on plain JSON lines (and still gives each event its line)", () => {
    const text = ['{"a":1}', '{"a":2,"b":{"c":[1,2]}}', '  {"a":3}\r', '{"a":4}', ""].join("\n");
    const pieces = new JsonSplitter().push(text);
    expect(pieces).toEqual([{ values: [{ a: 1 }, { a: 2, b: { c: [1, 2] } }, { a: 3 }, { a: 4 }], line: 1 }]);
  });

  it("refuses a block whose joined parse would not be line k = event k", () => {
    const block = (lines: string[]) => {
      const text = lines.join("\n");
      return parseLineBlock(text, 0, text.length);
    };
    expect(block(['{"a":1}', '{"a":2}'])).toEqual([{ a: 1 }, { a: 2 }]);
    // One object over two lines, and two objects on one line: the count alone would match.
    expect(block(['{"a":[{"x":1}', '{"y":2}]}', '{"p":1},{"q":2}'])).toBeUndefined();
    expect(block(['{"a":"}', '{",  "b":{}}', '{"p":1} , {"q":2}'])).toBeUndefined();
    expect(block(['{"a":1}', "", '{"a":2}'])).toBeUndefined(); // blank line
    expect(block(['{"a":1}', "42"])).toBeUndefined(); // not an object
    expect(block(['{"a":1}', '{"n":12345678901234567}'])).toBeUndefined(); // read line by line, where it stops the run
    // A 16-digit run that is no integer beyond ±2^53: still one parse for the block.
    expect(block(['{"a":1}', '{"v":3.3099999999999996,"id":"12345678901234567"}'])).toEqual([{ a: 1 }, { v: 3.3099999999999996, id: "12345678901234567" }]);
  });
});

describe("integers beyond ±2^53", () => {
  /** The oracle: the first integer JSON.parse's reviver meets that is beyond ±2^53. */
  function reviverFirst(text: string): number | undefined {
    let first: number | undefined;
    JSON.parse(text, (_key, v: unknown) => {
      if (first === undefined && typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v)) first = v;
      return v;
    });
    return first;
  }

  it("are found in a parsed value as a reviver finds them, first one first", () => {
    const big = fc.constantFrom("12345678901234567890", "-9007199254740993", "1e20", "1E+300", "9007199254740991", "3.3099999999999996", "1e400", "-0");
    const value = fc.letrec<{ v: string }>((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        big,
        fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)),
        fc.array(tie("v"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
        fc.array(fc.tuple(fc.constantFrom("a", "b", "1", "__proto__"), tie("v")), { maxLength: 4 }).map((m) => `{${m.map(([k, v]) => `"${k}":${v}`).join(",")}}`),
      ),
    })).v;
    fc.assert(
      fc.property(value, (text) => {
        expect(unsafeIntegerIn(JSON.parse(text))).toBe(reviverFirst(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("the 16-digit scan", () => {
  it("finds a run of 16+ digits exactly when the regular expression does", () => {
    const text = fc.array(fc.oneof(fc.constantFrom("0", "5", "9", "a", " ", ".", "-", '"'), fc.stringMatching(/^\d{10,20}$/)), { maxLength: 30 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (s, a, b) => {
        const start = a % (s.length + 1);
        const end = start + (b % (s.length - start + 1));
        expect(hasLongDigitRun(s, start, end)).toBe(/\d{16,}/.test(s.slice(start, end)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("openEventBatches", () => {
  const text = Array.from({ length: 5000 }, (_, i) => (i === 2500 ? "{broken" : JSON.stringify({ id: i, ts: `2021-06-01T00:00:${String(i % 60).padStart(2, "0")}Z` }))).join("\n");

  it("gives the events of openEventSource, in batches, with the same lines and errors", async () => {
    const file = tmp.path("many.json");
    writeFileSync(file, text);
    const one = await readAll(file, ser("json"));
    const errors: DeserializationError[] = [];
    const batches: InputEvent[][] = [];
    for await (const batch of openEventBatches(file, ser("json"), { onDeserializationError: (e) => errors.push(e) })) batches.push(batch);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.every((b) => b.length > 0)).toBe(true);
    expect(batches.flat()).toEqual(one.events);
    expect(one.events).toHaveLength(4999);
    expect(one.lines.slice(2499, 2501)).toEqual([2500, 2502]);
    expect(errors).toEqual(one.errors);
    expect(errors.map((e) => e.location.line)).toEqual([2501]);
  });

  it("batches gzip input and arrival-time fields the same way", async () => {
    const file = tmp.path("many.json.gz");
    const lines = text.split("\n").map((l, i) => (l.startsWith("{broken") ? l : l.replace("{", `{"EventEnqueuedUtcTime":"2021-06-01T00:00:0${i % 10}Z",`)));
    writeFileSync(file, new Uint8Array(gzipSync(lines.join("\n"))));
    const options = { arrivalTimeField: "EventEnqueuedUtcTime" };
    const one = await readAll(file, ser("json", { compression: "gzip" }), options);
    const batched: InputEvent[] = [];
    for await (const batch of openEventBatches(file, ser("json", { compression: "gzip" }), options)) batched.push(...batch);
    expect(batched).toEqual(one.events);
    expect(batched[7].arrivalTime).toBe(instantOfMs(Date.UTC(2021, 5, 1, 0, 0, 7)));
  });

  it("is what openEventSource offers to the run loop", async () => {
    const file = tmp.path("few.json");
    writeFileSync(file, '{"a":1}\n{"a":2}\n');
    const source = openEventSource(file, ser("json"));
    expect(hasBatches(source)).toBe(true);
    const batches: InputEvent[][] = [];
    for await (const batch of eventBatches(source)) batches.push(batch);
    expect(batches.flat().map((e) => e.record)).toEqual([{ a: 1 }, { a: 2 }]);
  });
});

describe("eventBatches", () => {
  const event = (i: number): InputEvent => ({ record: { i }, location: { file: "f", line: i } });
  const collect = async (events: AsyncIterable<InputEvent> | Iterable<InputEvent>) => {
    const out: InputEvent[][] = [];
    for await (const batch of eventBatches(events)) out.push(batch);
    return out;
  };

  it("keeps the order of every kind of event stream", async () => {
    const many = Array.from({ length: 2500 }, (_, i) => event(i));
    function* generated() {
      yield* many;
    }
    async function* singles() {
      yield* many.slice(0, 3);
    }
    expect(await collect(many)).toEqual([many]);
    const fromGenerator = await collect(generated());
    expect(fromGenerator.map((b) => b.length)).toEqual([1024, 1024, 452]);
    expect(fromGenerator.flat()).toEqual(many);
    expect(await collect(singles())).toEqual([[many[0]], [many[1]], [many[2]]]);
    expect(await collect([])).toEqual([]);
  });
});

describe("the run loop reading batches", () => {
  it("merges two batched file inputs by arrival time exactly as it merges the same events given one by one", async () => {
    const { runQuery } = await import("../../lib/simulator/run");
    const write = (name: string, offset: number) => {
      const path = tmp.path(name);
      const lines = Array.from({ length: 3000 }, (_, i) =>
        JSON.stringify({ id: `${name}-${i}`, EventEnqueuedUtcTime: new Date(Date.UTC(2021, 5, 1) + (2 * i + offset) * 1000).toISOString() }),
      );
      writeFileSync(path, lines.join("\n"));
      return path;
    };
    const a = write("a.json", 0);
    const b = write("b.json", 1);
    const query = "SELECT id, System.Timestamp() AS t FROM a UNION SELECT id, System.Timestamp() AS t FROM b";
    const batched = await runQuery({ queryText: query, inputs: [{ alias: "a", events: openEventSource(a, ser("json")) }, { alias: "b", events: openEventSource(b, ser("json")) }] });
    async function* oneByOne(path: string) {
      yield* (await readAll(path, ser("json"))).events;
    }
    const single = await runQuery({ queryText: query, inputs: [{ alias: "a", events: oneByOne(a) }, { alias: "b", events: oneByOne(b) }] });
    expect(batched.outputs.output).toHaveLength(6000);
    expect(batched.outputs.output.slice(0, 3).map((r) => r.id)).toEqual(["a.json-0", "b.json-0", "a.json-1"]);
    expect(batched.outputs).toEqual(single.outputs);
    expect(batched.stats.eventsRead).toEqual({ a: 3000, b: 3000 });
  });
});
