// JavaScript user-defined functions (UDF) and aggregates (UDA), as ASA runs them.
// Layout of ASA's VS Code projects: `Functions/<name>.js` holds the code (a UDF is one function,
// usually `function main(arg1, …)`; a UDA is `function main() { this.init = …; this.accumulate =
// …; this.deaccumulate? …; this.deaccumulateState? …; this.computeResult = … }`), next to a
// `<name>.json` description. Reference: stream-analytics-javascript-user-defined-functions.md
// and stream-analytics-javascript-user-defined-aggregates.md.
// The code runs in a thread of its own (worker.ts): the standard JavaScript globals only (no
// require, process or I/O; ASA's UDFs are "stateless, compute-only scalar functions"), with a
// time limit on every call and a memory limit, both kept from outside the function's thread.
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import type { DateTimeValue, Value } from "../../values";
import type { ScalarFunction } from "../context";
import type { Accumulator, AggregateDefinition } from "../aggregates/types";
import { UdfError } from "../errors";
import { FunctionThread, FunctionThreadError, fromWire, toWire, type Answer, type FunctionThreadOptions } from "./worker";

export { DEFAULT_UDF_MEMORY_MB, DEFAULT_UDF_TIMEOUT_MS, FunctionThread } from "./worker";

/** The source of one JavaScript function: its alias (as called, `udf.<name>` / `uda.<name>`), code and file. */
export interface JavaScriptFunctionSource {
  name: string;
  code: string;
  file?: string;
}

export interface JavaScriptFunctionOptions extends FunctionThreadOptions {
  /** The thread to load the function into (a job's functions share one); default: a thread of its own. */
  thread?: FunctionThread;
}

/** Reads `Functions/<name>.js`; the alias is the file name without `.js`. */
export function readJavaScriptFunctionFile(path: string): JavaScriptFunctionSource {
  return { name: basename(path, extname(path)), code: readFileSync(path, "utf8"), file: path };
}

/** 'uda' when the code defines the aggregate methods (accumulate and computeResult), else 'udf'. */
export function detectJavaScriptFunctionKind(code: string): "udf" | "uda" {
  return /\bthis\s*\.\s*accumulate\s*=/.test(code) && /\bthis\s*\.\s*computeResult\s*=/.test(code) ? "uda" : "udf";
}

/** One request into the function's thread; any failure is a UdfError naming the function. */
function ask(thread: FunctionThread, name: string, message: Record<string, unknown>, what = "the call"): Answer {
  let answer: Answer;
  try {
    answer = thread.request(message, what);
  } catch (error) {
    if (error instanceof FunctionThreadError) throw new UdfError(name, error.message);
    throw error;
  }
  if (answer.e !== undefined) throw new UdfError(name, answer.e);
  return answer;
}

function load(source: JavaScriptFunctionSource, options: JavaScriptFunctionOptions, uda: boolean): { thread: FunctionThread; answer: Answer } {
  const thread = options.thread ?? new FunctionThread(options);
  const file = source.file ?? `${source.name}.js`;
  return { thread, answer: ask(thread, source.name, { op: "load", name: source.name, code: source.code, file, uda }, `loading ${file}`) };
}

/** A UDF as a scalar function: arguments mapped to JavaScript, the result mapped back; a throw or timeout is a UdfError naming the function. */
export function loadJavaScriptUdf(source: JavaScriptFunctionSource, options: JavaScriptFunctionOptions = {}): ScalarFunction {
  const { thread, answer } = load(source, options, false);
  const f = answer.f;
  return (args: Value[]) => fromWire(ask(thread, source.name, { op: "call", f, a: args.map(toWire) }).v);
}

class UdaAccumulator implements Accumulator {
  constructor(
    private readonly name: string,
    private readonly thread: FunctionThread,
    private readonly handle: number,
  ) {
    thread.track(this, handle);
  }

  private send(method: string, value: Value, timestamp?: DateTimeValue): void {
    ask(this.thread, this.name, { op: "add", h: this.handle, m: method, a: toWire(value), t: timestamp ? timestamp.ms : null });
  }

  add(value: Value, _orderKeys?: Value[], timestamp?: DateTimeValue): void {
    this.send("accumulate", value, timestamp);
  }

  remove(value: Value, _orderKeys?: Value[], timestamp?: DateTimeValue): void {
    this.send("deaccumulate", value, timestamp);
  }

  result(): Value {
    return fromWire(ask(this.thread, this.name, { op: "result", h: this.handle }).v);
  }
}

/**
 * A UDA as an aggregate: each accumulator is `new main()` followed by `init()`; `add` calls
 * `accumulate(value, timestamp)`, `remove` calls `deaccumulate(value, timestamp)` (only for
 * AccumulateDeaccumulate UDAs, which then report supportsRemove), `result` calls computeResult().
 */
export function loadJavaScriptUda(source: JavaScriptFunctionSource, options: JavaScriptFunctionOptions = {}): AggregateDefinition {
  const { thread, answer } = load(source, options, true);
  const f = answer.f;
  return {
    supportsRemove: answer.remove === true,
    create: () => new UdaAccumulator(source.name, thread, ask(thread, source.name, { op: "new", f }).h!),
  };
}
