// JavaScript UDF/UDA runtime: stream-analytics-javascript-user-defined-functions.md (type
// mapping table) and stream-analytics-javascript-user-defined-aggregates.md (UDA templates).
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { DateTimeValue } from "../../../lib/saql/values";
import {
  loadJavaScriptUdf,
  loadJavaScriptUda,
  readJavaScriptFunctionFile,
  detectJavaScriptFunctionKind,
  UdfError,
  loadJobFunctions,
  FunctionThread,
} from "../../../lib/saql/functions";
import { NotSupportedError } from "../../../lib/core/errors";
import { dt, plain } from "./helpers";

const FUNCTIONS = join(__dirname, "fixtures", "Functions");
// One thread for the functions of this file; a function that kills its thread gets one of its own.
const thread = new FunctionThread();
afterAll(() => thread.close());
const udf = (code: string, name = "f") => loadJavaScriptUdf({ name, code }, { thread });

describe("UDFs", () => {
  test("the article's hex2Int, loaded from Functions/hex2Int.js", () => {
    const source = readJavaScriptFunctionFile(join(FUNCTIONS, "hex2Int.js"));
    expect(source.name).toBe("hex2Int");
    expect(detectJavaScriptFunctionKind(source.code)).toBe("udf");
    expect(loadJavaScriptUdf(source, { thread })(["ff"], {})).toBe(255);
  });

  test("`main` is the entry point when present (VS Code template)", () => {
    expect(udf("function helper(x) { return x * 10; } function main(a, b) { return helper(a) + b; }")([1, 2], {})).toBe(12);
  });

  test("SAQL → JavaScript: bigint/float → Number, datetime → Date (ms), record → Object, array → Array, NULL → null", () => {
    const probe = udf(`function main(n, f, s, d, r, a, nul) {
      return [typeof n, typeof f, typeof s, d instanceof Date, d.getTime(), r.constructor === Object, Array.isArray(a), nul === null].join(",");
    }`);
    const d = dt("2021-06-01T10:00:00.1234567Z");
    expect(probe([1, 1.5, "x", d, { a: 1 }, [1], null], {})).toBe(`number,number,string,true,${d.ms},true,true,true`);
  });

  test("JavaScript → SAQL: round Number → bigint, Date → datetime, Object → record, Array → array, undefined → NULL", () => {
    const make = udf(`function main() {
      return { n: 3, f: 2.5, d: new Date(Date.UTC(2021, 5, 1, 10)), nested: { list: [1, "a", null, undefined] }, u: undefined };
    }`);
    const result = make([], {}) as Record<string, unknown>;
    expect(result.d).toBeInstanceOf(DateTimeValue);
    expect(plain(result as never)).toEqual({ n: 3, f: 2.5, d: "2021-06-01T10:00:00.0000000Z", nested: { list: [1, "a", null, null] }, u: null });
  });

  test("the article's json_stringify pattern sees the record's fields", () => {
    expect(udf("function main(x) { return JSON.stringify(x); }")([{ DataString: "a", DataValue: 1 }], {})).toBe('{"DataString":"a","DataValue":1}');
  });

  test("a UDF cannot change the event it is given", () => {
    const record = { a: 1 };
    udf("function main(x) { x.a = 2; return null; }")([record], {});
    expect(record.a).toBe(1);
  });

  test("a function result is a runtime error naming the UDF", () => {
    expect(() => udf("function main() { return function () {}; }", "bad")([], {})).toThrow(/'bad'.*function/);
  });

  test("other objects (Error, Map, Promise, RegExp) have no Stream Analytics type either", () => {
    for (const expr of ["new Error('x')", "new Map()", "Promise.resolve(1)", "/a/", "{ nested: new Set() }"]) {
      expect(() => udf(`function main() { return ${expr}; }`, "odd")([], {})).toThrow(/'odd'.*has no Stream Analytics type/);
    }
    expect(udf("function main() { return Object.create(null); }")([], {})).toEqual({});
  });

  test("a throwing UDF raises a UdfError with the function's name and message", () => {
    const boom = udf("function main(x) { throw new Error('bad input ' + x); }", "parse");
    expect(() => boom([7], {})).toThrow(UdfError);
    expect(() => boom([7], {})).toThrow(/JavaScript function 'parse' failed: Error: bad input 7/);
  });

  test("the sandbox has no require, process or eval of strings", () => {
    expect(udf("function main() { return typeof require + ',' + typeof process; }")([], {})).toBe("undefined,undefined");
    expect(() => udf("function main() { return eval('1 + 1'); }", "ev")([], {})).toThrow(/'ev'/);
  });

  test("a file with a syntax error or no function is refused at load time", () => {
    expect(() => udf("function main( {", "broken")).toThrow(/'broken'.*could not load/);
    expect(() => udf("var x = 1;", "empty")).toThrow(/define 'function main/);
  });
});

describe("UDAs", () => {
  const source = readJavaScriptFunctionFile(join(FUNCTIONS, "TWA.js"));
  const rows = [
    { level: 80, weight: 22.0 },
    { level: 81, weight: 37.8 },
    { level: 85, weight: 26.3 },
  ];

  test("the article's TWA: init / accumulate / computeResult", () => {
    expect(detectJavaScriptFunctionKind(source.code)).toBe("uda");
    const twa = loadJavaScriptUda(source, { thread });
    expect(twa.supportsRemove).toBe(true);
    const acc = twa.create({ constArgs: [] });
    rows.forEach((r) => acc.add(r, undefined, dt("2017-06-10T12:01:00Z")));
    const expected = (80 * 22 + 81 * 37.8 + 85 * 26.3) / (22 + 37.8 + 26.3);
    expect(acc.result()).toBeCloseTo(expected, 10);
  });

  test("deaccumulate undoes an event (sliding windows)", () => {
    const acc = loadJavaScriptUda(source, { thread }).create({ constArgs: [] });
    rows.forEach((r) => acc.add(r));
    acc.remove!(rows[0]);
    expect(acc.result()).toBeCloseTo((81 * 37.8 + 85 * 26.3) / (37.8 + 26.3), 10);
  });

  test("each accumulator has its own state", () => {
    const twa = loadJavaScriptUda(source, { thread });
    const a = twa.create({ constArgs: [] }), b = twa.create({ constArgs: [] });
    a.add(rows[0]);
    expect(b.result()).toBe(0);
    expect(a.result()).toBe(80);
  });

  test("an AccumulateOnly UDA does not support removal; the timestamp arrives as a Date", () => {
    const uda = loadJavaScriptUda(
      {
        name: "lastTs",
        code: "function main() { this.init = function () { this.t = null; }; this.accumulate = function (v, t) { this.t = t; }; this.computeResult = function () { return this.t; }; }",
      },
      { thread },
    );
    expect(uda.supportsRemove).toBe(false);
    const acc = uda.create({ constArgs: [] });
    acc.add(1, undefined, dt("2021-06-01T10:00:00Z"));
    expect(plain(acc.result())).toBe("2021-06-01T10:00:00.0000000Z");
  });

  test("a UDA without computeResult is refused; a throwing accumulate names the UDA", () => {
    expect(() => loadJavaScriptUda({ name: "half", code: "function main() { this.init = function () {}; this.accumulate = function () {}; }" }, { thread })).toThrow(/this.computeResult/);
    const bad = loadJavaScriptUda(
      {
        name: "bad",
        code: "function main() { this.init = function () {}; this.accumulate = function (v) { throw new TypeError('no ' + v); }; this.computeResult = function () { return 1; }; }",
      },
      { thread },
    );
    expect(() => bad.create({ constArgs: [] }).add("x")).toThrow(/'bad' failed: accumulate: TypeError: no x/);
  });
});

describe("the job's declared functions (JobSpec.functions)", () => {
  test("JavaScript UDFs and UDAs load from their files, relative to the job", () => {
    const fns = loadJobFunctions(
      [
        { name: "hex2Int", kind: "javascript-udf", file: "Functions/hex2Int.js", inputs: [{ type: "any" }], output: { type: "any" } },
        { name: "TWA", kind: "javascript-uda", file: "Functions/TWA.js", inputs: [{ type: "any" }], output: { type: "float" } },
      ],
      join(__dirname, "fixtures"),
      { thread },
    );
    expect(fns.udfs.hex2int(["1f"], {})).toBe(31);
    const acc = fns.udas.twa.create({ constArgs: [] });
    acc.add({ level: 2, weight: 1 });
    expect(acc.result()).toBe(2);
    expect(fns.udas.twa.supportsRemove).toBe(true);
  });

  test("a declared output type converts the result; an impossible conversion names the function", () => {
    const dir = join(__dirname, "fixtures");
    const asText = loadJobFunctions([{ name: "hex2Int", kind: "javascript-udf", file: "Functions/hex2Int.js", inputs: [], output: { type: "nvarchar(max)" } }], dir, { thread });
    expect(asText.udfs.hex2int(["ff"], {})).toBe("255");
    const asDate = loadJobFunctions([{ name: "hex2Int", kind: "javascript-udf", file: "Functions/hex2Int.js", inputs: [], output: { type: "datetime" } }], dir, { thread });
    expect(() => asDate.udfs.hex2int(["ff"], {})).toThrow(/'hex2Int' failed: result: cannot convert 255 to datetime/);
  });

  test("C# UDFs and Azure ML functions are a clear 'not supported locally' when called", () => {
    const fns = loadJobFunctions(
      [
        { name: "score", kind: "azureml", inputs: [] },
        { name: "parse", kind: "csharp-udf", inputs: [] },
      ],
      __dirname,
    );
    expect(() => fns.udfs.score([], {})).toThrow(NotSupportedError);
    expect(() => fns.udfs.parse([], {})).toThrow(/C# function 'udf.parse' is not supported by the local engine/);
  });
});

describe("the functions' thread: limits kept from outside it", () => {
  // Each function here ends its thread: it gets one of its own. The functions truly never end, so
  // a generous limit costs nothing when they pass and cannot cut a slow but finite call short.
  const own = (code: string, name: string, options: { timeoutMs?: number; memoryMb?: number } = {}) => {
    const t = new FunctionThread({ timeoutMs: 2000, ...options });
    threads.push(t);
    return { fn: () => loadJavaScriptUdf({ name, code }, { thread: t }), thread: t };
  };
  const threads: FunctionThread[] = [];
  afterAll(() => threads.forEach((t) => t.close()));

  test("an endless call is stopped at the time limit; the thread is then gone for every function in it", () => {
    const { fn, thread: t } = own("function main(x) { if (x) for (;;) {} return 1; }", "spin");
    const spin = fn();
    expect(spin([0], {})).toBe(1);
    const started = Date.now();
    expect(() => spin([1], {})).toThrow("JavaScript function 'spin' failed: the call did not finish within 2000 ms: the function was stopped");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(() => spin([0], {})).toThrow("JavaScript function 'spin' failed: the call did not finish within 2000 ms: the function was stopped");
    expect(() => loadJavaScriptUdf({ name: "next", code: "function main() { return 1; }" }, { thread: t })).toThrow(/'next' failed: the call did not finish/);
  });

  test("loading a file whose top level never ends is stopped too", () => {
    expect(() => own("for (;;) {} function main() {}", "hang").fn()).toThrow("JavaScript function 'hang' failed: loading hang.js did not finish within 2000 ms: the function was stopped");
  });

  test.each([
    ["a getter on the result", "function main() { return { get a() { for (;;) {} } }; }"],
    ["a Proxy trap", "function main() { return new Proxy({}, { ownKeys() { for (;;) {} } }); }"],
    ["a Proxy's getPrototypeOf trap", "function main() { return new Proxy({}, { getPrototypeOf() { for (;;) {} } }); }"],
    ["the message getter of a thrown object", "function main() { throw { get message() { for (;;) {} } }; }"],
    ["a microtask", "function main() { Promise.resolve().then(function again() { return Promise.resolve().then(again); }); return 1; }"],
  ])("the result is read in the thread: %s that loops is stopped by the limit", (_, code) => {
    expect(() => own(code, "trap").fn()([], {})).toThrow("JavaScript function 'trap' failed: the call did not finish within 2000 ms: the function was stopped");
  });

  test("microtasks run right after the call, inside the thread", () => {
    const later = udf("var n = 0; function main() { Promise.resolve().then(function () { n++; }); return n; }");
    expect([later([], {}), later([], {}), later([], {})]).toEqual([0, 1, 2]);
  });

  test("import() is refused, with the reason", () => {
    expect(() => udf("function main() { import('node:fs'); return 1; }", "imp")([], {})).toThrow(
      "JavaScript function 'imp' failed: import() is refused: a Stream Analytics JavaScript function is compute-only and cannot load modules",
    );
    expect(() => udf("import('node:os'); function main() { return 1; }", "atLoad")).toThrow(/'atLoad' failed: could not load atLoad\.js: import\(\) is refused/);
  });

  test("state grown across calls meets the memory limit: an error naming the function, not an abort", () => {
    const { fn } = own("var kept = []; function main() { kept.push(new Array(100000).fill(1)); return kept.length; }", "grow", { memoryMb: 64 });
    const grow = fn();
    let calls = 0;
    expect(() => {
      for (;;) calls = grow([], {}) as number;
    }).toThrow("JavaScript function 'grow' failed: the call ran out of memory: JavaScript functions have 64 MB (their thread was stopped)");
    expect(calls).toBeGreaterThan(20);
  });

  test("a UDA's instances are freed in the thread once the engine drops them", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const uda = loadJavaScriptUda(
      { name: "big", code: "function main() { this.init = function () { this.s = new Array(100000).fill(0); }; this.accumulate = function () {}; this.computeResult = function () { return this.s.length; }; }" },
      { thread: own("", "unused", { memoryMb: 64 }).thread },
    );
    // 400 instances of 0.8 MB each: five times the 64 MB, unless the dropped ones are freed.
    for (let i = 0; i < 400; i++) {
      const acc = uda.create({ constArgs: [] });
      acc.add(1);
      expect(acc.result()).toBe(100000);
      if (i % 10 === 9) {
        gc();
        // Finalization callbacks run as tasks; the freed instances go with the next request.
        for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
      }
    }
  });
});
