// The JavaScript that runs in the functions' threads, as source text: a worker is started from
// text (`eval: true`), so that it runs the same under tsx, jest and the compiled package, with no
// loader of its own. Two threads (see worker.ts):
//  - the supervisor starts the function thread with its memory limit and, when that thread dies
//    (out of memory, or otherwise), says so in the shared control array, waking the caller;
//  - the function thread holds one node:vm context per function file and answers requests.
// Control array (Int32Array over a SharedArrayBuffer): [0] the last request's number, [1] the
// last answered one (-1 once the thread is gone), [2] 0 while alive, 1 out of memory, 2 gone.

export const SUPERVISOR_SOURCE = String.raw`
"use strict";
const { Worker, workerData } = require("node:worker_threads");
const { ctl, port, source, memoryMb } = workerData;
const worker = new Worker(source, {
  eval: true,
  workerData: { ctl, port },
  transferList: [port],
  resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.max(4, Math.min(32, memoryMb / 8)) },
  // Node 20 calls a script's importModuleDynamically only with this option: the function thread
  // uses it to see an import() and refuse it (without it, import() fails later, unseen).
  execArgv: ["--experimental-vm-modules"],
  stdout: true,
  stderr: true,
});
worker.stdout.resume();
worker.stderr.resume();
const gone = (why) => {
  if (Atomics.load(ctl, 2) !== 0) return;
  Atomics.store(ctl, 2, why);
  Atomics.store(ctl, 1, -1);
  Atomics.notify(ctl, 1);
};
worker.on("error", (error) => gone(error && error.code === "ERR_WORKER_OUT_OF_MEMORY" ? 1 : 2));
worker.on("exit", () => gone(2));
`;

export const FUNCTION_THREAD_SOURCE = String.raw`
"use strict";
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const vm = require("node:vm");
const { ctl, port } = workerData;
// A promise the function left rejected (a refused import(), say) is the function's business.
process.on("unhandledRejection", () => {});

const REALM_SOURCE = "({ date: (ms) => new Date(ms), array: () => [], object: () => ({}), isDate: (v) => v instanceof Date })";
const IMPORT_REFUSED = "import() is refused: a Stream Analytics JavaScript function is compute-only and cannot load modules";

/** One function file: its context, constructors of its realm, cached call scripts, entry point. */
const files = [];
/** UDA instances by handle. */
const instances = new Map();
let nextInstance = 1;

class Unmappable extends Error {}

function open(code, filename) {
  const file = { importRefused: false, scripts: new Map(), entry: "" };
  // Microtasks (promise callbacks) run right after each script, within the caller's time limit.
  file.context = vm.createContext(Object.create(null), { codeGeneration: { strings: false, wasm: false }, microtaskMode: "afterEvaluate" });
  file.realm = vm.runInContext(REALM_SOURCE, file.context);
  const script = new vm.Script(code, {
    filename,
    importModuleDynamically: () => {
      file.importRefused = true;
      throw new Error(IMPORT_REFUSED);
    },
  });
  script.runInContext(file.context);
  return file;
}

function run(file, expression, bindings) {
  let script = file.scripts.get(expression);
  if (!script) {
    script = new vm.Script(expression, { filename: "(call)" });
    file.scripts.set(expression, script);
  }
  if (bindings) Object.assign(file.context, bindings);
  return script.runInContext(file.context);
}

function hasFunction(file, name) {
  return /^[A-Za-z_$][\w$]*$/.test(name) && run(file, "typeof " + name + " === \"function\"") === true;
}

/** The entry point: main, else a function named like the alias, else the file's only function. */
function entryPoint(file, alias) {
  if (hasFunction(file, "main")) return "main";
  if (hasFunction(file, alias)) return alias;
  const functions = Object.keys(file.context).filter((k) => !k.startsWith("__") && hasFunction(file, k));
  const sameName = functions.filter((k) => k.toLowerCase() === alias.toLowerCase());
  if (sameName.length === 1) return sameName[0];
  if (functions.length === 1) return functions[0];
  throw new Unmappable("cannot tell which function to call: define 'function main(…)' (found " + (functions.length ? functions.join(", ") : "no function") + ")");
}

function describe(error) {
  if (error instanceof Unmappable) return error.message;
  if (error instanceof Error || (typeof error === "object" && error !== null && "message" in error)) {
    return (error.name === undefined ? "Error" : String(error.name)) + ": " + (error.message === undefined ? "" : String(error.message));
  }
  return "threw " + String(error);
}

/** Arguments (plain values and Dates, as cloned) → values of the function's realm. */
function toRealm(value, realm) {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return realm.date(value.getTime());
  if (Array.isArray(value)) {
    const out = realm.array();
    for (let i = 0; i < value.length; i++) out[i] = toRealm(value[i], realm);
    return out;
  }
  const out = realm.object();
  for (const key of Object.keys(value)) out[key] = toRealm(value[key], realm);
  return out;
}

/** An object literal (of either realm): its prototype is Object.prototype or null. */
function isPlainObject(value) {
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * A result → plain values (Dates for datetimes), read here, in this thread: a getter, a proxy
 * trap or a toString that never ends is stopped by the caller's time limit. ASA's type mapping:
 * Number, String, Boolean, Date, Object, Array, null/undefined; anything else is an error.
 */
function toPlain(value, realm, path) {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "number":
      return Number.isNaN(value) ? null : value;
    case "string":
    case "boolean":
      return value;
    case "object": {
      if (realm.isDate(value) || value instanceof Date) {
        const ms = value.getTime();
        if (typeof ms !== "number" || Number.isNaN(ms)) throw new Unmappable(path + " is an invalid Date");
        return new Date(ms);
      }
      if (Array.isArray(value)) {
        const out = [];
        for (let i = 0; i < value.length; i++) out.push(toPlain(value[i], realm, path + "[" + i + "]"));
        return out;
      }
      if (!isPlainObject(value)) {
        const ctor = value.constructor;
        const kind = ctor && typeof ctor.name === "string" && ctor.name ? ctor.name : "object";
        throw new Unmappable(path + " is a JavaScript " + kind + ", which has no Stream Analytics type");
      }
      const out = {};
      for (const key of Object.keys(value)) out[key] = toPlain(value[key], realm, path + "." + key);
      return out;
    }
    default:
      throw new Unmappable(path + " is a JavaScript " + typeof value + ", which has no Stream Analytics type");
  }
}

function checkImport(file) {
  if (file.importRefused) throw new Unmappable(IMPORT_REFUSED);
}

/** Runs one step of a function; its errors are prefixed with what was running (UDA methods). */
function step(file, what, expression, bindings) {
  try {
    const result = run(file, expression, bindings);
    checkImport(file);
    return result;
  } catch (error) {
    checkImport(file);
    throw new Unmappable((what ? what + ": " : "") + describe(error));
  }
}

const UDA_METHODS = ["init", "accumulate", "computeResult"];

function handle(msg) {
  if (msg.free) for (const h of msg.free) instances.delete(h);
  switch (msg.op) {
    case "ready":
      return {};
    case "call": {
      const file = files[msg.f];
      return { v: toPlain(step(file, "", file.call, { __args: toRealm(msg.a, file.realm) }), file.realm, "result") };
    }
    case "add": {
      const instance = instances.get(msg.h);
      const file = instance.file;
      const ts = msg.t === null ? null : file.realm.date(msg.t);
      step(file, msg.m, "__self." + msg.m + "(__value, __timestamp)", { __self: instance.self, __value: toRealm(msg.a, file.realm), __timestamp: ts });
      return {};
    }
    case "result": {
      const instance = instances.get(msg.h);
      return { v: toPlain(step(instance.file, "computeResult", "__self.computeResult()", { __self: instance.self }), instance.file.realm, "result") };
    }
    case "new": {
      const file = files[msg.f];
      const self = step(file, file.entry + "()", "new " + file.entry + "()");
      step(file, "init", "__self.init()", { __self: self });
      const h = nextInstance++;
      instances.set(h, { file, self });
      return { h };
    }
    case "load": {
      let file;
      try {
        file = open(msg.code, msg.file);
        checkImport(file);
      } catch (error) {
        throw new Unmappable("could not load " + msg.file + ": " + describe(error));
      }
      file.entry = entryPoint(file, msg.name);
      file.call = file.entry + ".apply(undefined, __args)";
      files.push(file);
      if (!msg.uda) return { f: files.length - 1 };
      const probe = step(file, file.entry + "()", "new " + file.entry + "()");
      for (const method of UDA_METHODS) {
        if (run(file, "typeof __self." + method + " === \"function\"", { __self: probe }) !== true) {
          throw new Unmappable("a JavaScript UDA must define this." + method + " = function (…) { … } inside " + file.entry + "()");
        }
      }
      return { f: files.length - 1, remove: run(file, "typeof __self.deaccumulate === \"function\"", { __self: probe }) === true };
    }
    default:
      throw new Error("unknown request " + msg.op);
  }
}

let seen = 0;
for (;;) {
  // A wake-up can come late (the caller stored a request, was paused, then notified after the
  // answer): only a new request number means a new request.
  while (Atomics.load(ctl, 0) === seen) Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  const received = receiveMessageOnPort(port);
  let reply;
  try {
    reply = handle(received.message);
  } catch (error) {
    reply = { e: error instanceof Unmappable ? error.message : describe(error) };
  }
  port.postMessage(reply);
  Atomics.store(ctl, 1, seen);
  Atomics.notify(ctl, 1);
}
`;
