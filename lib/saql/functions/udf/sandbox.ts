// One isolated node:vm context per JavaScript function file, with a time limit on every call.
// The function's code runs with the standard JavaScript globals only (no require, process or
// I/O), as in ASA, where UDFs are "stateless, compute-only scalar functions".
import * as vm from "node:vm";
import type { RealmFactories } from "./convert";

/**
 * Default time limit of one call, in milliseconds. Enforcing it costs a watchdog per call
 * (tens of microseconds); `timeoutMs: 0` calls the function directly instead, for trusted code
 * on large inputs.
 */
export const DEFAULT_UDF_TIMEOUT_MS = 1000;

const REALM_SOURCE = `({
  date: (ms) => new Date(ms),
  array: () => [],
  object: () => ({}),
  isDate: (v) => v instanceof Date,
})`;

export class Sandbox {
  readonly context: vm.Context;
  readonly realm: RealmFactories;
  private readonly scripts = new Map<string, vm.Script>();

  constructor(
    code: string,
    readonly filename: string,
    readonly timeoutMs = DEFAULT_UDF_TIMEOUT_MS,
  ) {
    this.context = vm.createContext(Object.create(null), { codeGeneration: { strings: false, wasm: false } });
    this.realm = vm.runInContext(REALM_SOURCE, this.context) as RealmFactories;
    new vm.Script(code, { filename }).runInContext(this.context, { timeout: timeoutMs > 0 ? timeoutMs : DEFAULT_UDF_TIMEOUT_MS });
  }

  /** Runs a small expression in the context, with `bindings` set as globals first, under the time limit. */
  run(expression: string, bindings: Record<string, unknown> = {}): unknown {
    let script = this.scripts.get(expression);
    if (!script) {
      script = new vm.Script(expression, { filename: `${this.filename} (call)` });
      this.scripts.set(expression, script);
    }
    Object.assign(this.context, bindings);
    return this.timeoutMs > 0 ? script.runInContext(this.context, { timeout: this.timeoutMs }) : script.runInContext(this.context);
  }

  /** Whether calls run under the time limit; without one, callers may invoke functions directly. */
  get limited(): boolean {
    return this.timeoutMs > 0;
  }

  /** Whether a global of that name is a function in the context. */
  hasFunction(name: string): boolean {
    return /^[A-Za-z_$][\w$]*$/.test(name) && this.run(`typeof ${name} === "function"`) === true;
  }
}
