// The thread JavaScript functions run in, and the synchronous calls into it. The engine evaluates
// a row at a time and needs each result at once, so a call is a message on a MessagePort plus a
// wake-up through Atomics on a shared control array; the caller waits on that array with the
// call's time limit. The limit is kept here, outside the function's thread: when it passes, the
// threads are terminated, whatever the function is doing (an endless loop, a getter, a proxy
// trap, a microtask that never ends). The function thread has a heap limit (resourceLimits); a
// supervisor thread that started it reports its death (out of memory) through the same array,
// so the caller never waits for an answer that cannot come. See worker-source.ts.
import { isDate } from "node:util/types";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { DateTimeValue, type RecordValue, type Value } from "../../values";
import { FUNCTION_THREAD_SOURCE, SUPERVISOR_SOURCE } from "./worker-source";

/** Default time limit of one call (and of loading a function file), in milliseconds. */
export const DEFAULT_UDF_TIMEOUT_MS = 1000;
/** Default heap limit of the functions' thread, in MB. */
export const DEFAULT_UDF_MEMORY_MB = 256;
/** What the threads get to start (before the first request and its own limit). */
const STARTUP_MS = 10_000;

const REQUEST = 0;
const ANSWER = 1;
const STATE = 2;
const OUT_OF_MEMORY = 1;

export interface FunctionThreadOptions {
  /** Time limit of one call, in milliseconds (default DEFAULT_UDF_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Heap limit of the functions' thread, in MB (default DEFAULT_UDF_MEMORY_MB). */
  memoryMb?: number;
}

/** A request failed: the detail of the error, for the caller to name the function. */
export class FunctionThreadError extends Error {}

export interface Answer {
  /** The result, as plain values (datetimes as Dates). */
  v?: unknown;
  /** An error the function raised, or why its result has no Stream Analytics type. */
  e?: string;
  f?: number;
  h?: number;
  remove?: boolean;
}

/**
 * The thread of a run's JavaScript functions (one node:vm context per function file inside).
 * `close()` ends it; it never keeps the process alive.
 */
export class FunctionThread {
  readonly timeoutMs: number;
  readonly memoryMb: number;
  private readonly control = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  private readonly port: MessagePort;
  private readonly supervisor: Worker;
  private sent = 0;
  private started = false;
  /** Why the thread is gone (a call timed out, it ran out of memory), once it is. */
  private gone: string | undefined;
  /** UDA instances no longer referenced here, freed in the thread with the next request. */
  private freed: number[] = [];
  private readonly instances = new FinalizationRegistry<number>((h) => this.freed.push(h));

  constructor(options: FunctionThreadOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_UDF_TIMEOUT_MS;
    this.memoryMb = options.memoryMb ?? DEFAULT_UDF_MEMORY_MB;
    if (!(this.timeoutMs > 0)) throw new RangeError(`timeoutMs must be above 0, not ${this.timeoutMs}`);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.supervisor = new Worker(SUPERVISOR_SOURCE, {
      eval: true,
      workerData: { ctl: this.control, port: port2, source: FUNCTION_THREAD_SOURCE, memoryMb: this.memoryMb },
      transferList: [port2],
    });
    this.supervisor.unref();
  }

  /** Frees a UDA instance's state in the thread once `owner` is garbage. */
  track(owner: object, handle: number): void {
    this.instances.register(owner, handle);
  }

  /**
   * Sends one request and waits for its answer, at most the time limit (`what` names the step in
   * the error: "the call", "loading the file").
   */
  request(message: Record<string, unknown>, what: string): Answer {
    if (this.gone) throw new FunctionThreadError(this.gone);
    if (!this.started) {
      this.exchange({ op: "ready" }, "starting the functions' thread", STARTUP_MS);
      this.started = true;
    }
    if (this.freed.length) {
      message.free = this.freed;
      this.freed = [];
    }
    return this.exchange(message, what, this.timeoutMs);
  }

  private exchange(message: Record<string, unknown>, what: string, limitMs: number): Answer {
    const n = ++this.sent;
    this.port.postMessage(message);
    Atomics.store(this.control, REQUEST, n);
    Atomics.notify(this.control, REQUEST);
    const deadline = performance.now() + limitMs;
    for (;;) {
      const answered = Atomics.load(this.control, ANSWER);
      if (answered === n) break;
      if (Atomics.load(this.control, STATE) !== 0) {
        return this.stop(
          Atomics.load(this.control, STATE) === OUT_OF_MEMORY
            ? `${what} ran out of memory: JavaScript functions have ${this.memoryMb} MB (their thread was stopped)`
            : `${what} ended the functions' thread`,
        );
      }
      const left = deadline - performance.now();
      if (left <= 0) return this.stop(`${what} did not finish within ${limitMs} ms${message.op === "ready" ? "" : ": the function was stopped"}`);
      Atomics.wait(this.control, ANSWER, answered, left);
    }
    return receiveMessageOnPort(this.port)!.message as Answer;
  }

  private stop(why: string): never {
    this.gone = why;
    this.close();
    throw new FunctionThreadError(why);
  }

  /** Ends the threads (asynchronously; they hold nothing the caller waits for). */
  close(): void {
    this.gone ??= "the functions' thread was closed";
    this.port.close();
    void this.supervisor.terminate();
  }
}

/** A SAQL value as it crosses to the thread: datetimes as Dates (milliseconds), the rest as is. */
export function toWire(value: Value): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof DateTimeValue) return new Date(value.ms);
  if (Array.isArray(value)) return value.map(toWire);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = toWire(value[key]);
  return out;
}

/** A result back from the thread: Dates become datetimes. */
export function fromWire(value: unknown): Value {
  if (value === null || typeof value !== "object") return value as Value;
  // Dates come from the realm that received the message: not necessarily this module's Date.
  if (isDate(value)) return new DateTimeValue(value.getTime());
  if (Array.isArray(value)) return value.map(fromWire);
  const out: RecordValue = {};
  for (const key of Object.keys(value)) out[key] = fromWire((value as Record<string, unknown>)[key]);
  return out;
}
