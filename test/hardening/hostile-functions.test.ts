// JavaScript functions that never end, in every way a function can, or that grow without bound:
// `streamkit run` stops with one line naming the function, the call in the query and the event,
// exit 2, instead of hanging for ever or aborting on the heap limit (exit 134). The process is
// what is at stake (a hang, an abort, a crash after the run), so each case runs the real command
// as a process, with a kill timer that turns a hang into a failure rather than a stuck suite.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { STREAMKIT_BIN, type CliResult } from "../cli/cli-process";
import { tempDir } from "../io/helpers";

const HANG_MS = 90_000;
const STOPPED = /the call did not finish within 1000 ms: the function was stopped/;

/** Functions that never return, each from a place outside the function's own code. */
const HOSTILE: Record<string, { code: string; detail: RegExp; events?: number }> = {
  "a getter on the result that loops": {
    code: "function main(id) { return { get a() { for (;;) {} } }; }",
    detail: STOPPED,
  },
  "a Proxy whose trap loops": {
    code: "function main(id) { return new Proxy({}, { ownKeys() { for (;;) {} } }); }",
    detail: STOPPED,
  },
  "a thrown object whose message getter loops": {
    code: "function main(id) { throw { name: 'Trap', get message() { for (;;) {} } }; }",
    detail: STOPPED,
  },
  "a microtask that queues itself for ever": {
    code: "function main(id) { Promise.resolve().then(function again() { return Promise.resolve().then(again); }); return id; }",
    detail: STOPPED,
  },
  "a dynamic import()": {
    code: "function main(id) { import('node:fs').then(function (fs) { fs.writeFileSync('owned', 'x'); }); return id; }",
    detail: /import\(\) is refused: a Stream Analytics JavaScript function is compute-only and cannot load modules/,
  },
  "state that grows across calls": {
    code: "var kept = []; function main(id) { kept.push(new Array(200000).fill(id)); return kept.length; }",
    detail: /the call ran out of memory: JavaScript functions have 256 MB \(their thread was stopped\)/,
    events: 3000,
  },
};

const children: ChildProcess[] = [];

function runAsync(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [STREAMKIT_BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), HANG_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal === "SIGKILL" ? -9 : -1), stdout, stderr });
    });
  });
}

describe("hostile JavaScript functions stop the run cleanly", () => {
  const t = tempDir();
  const results = new Map<string, Promise<CliResult>>();

  beforeAll(() => {
    Object.entries(HOSTILE).forEach(([name, fn], i) => {
      const dir = t.path(`case-${i}`);
      mkdirSync(`${dir}/Functions`, { recursive: true });
      writeFileSync(`${dir}/Functions/f.js`, fn.code + "\n");
      writeFileSync(`${dir}/q.asaql`, "SELECT Id, udf.f(Id) AS F INTO out FROM input");
      writeFileSync(
        `${dir}/job.json`,
        JSON.stringify({
          name: "hostile",
          query: { file: "q.asaql" },
          inputs: [{ alias: "input", kind: "eventhub" }],
          outputs: [{ alias: "out", kind: "blob" }],
          functions: [{ name: "f", kind: "javascript-udf", file: "Functions/f.js" }],
        }),
      );
      writeFileSync(`${dir}/in.json`, Array.from({ length: fn.events ?? 3 }, (_, k) => JSON.stringify({ Id: k + 1 })).join("\n") + "\n");
      results.set(name, runAsync(["run", "q.asaql", "--job", "job.json", "--input", "input=in.json", "--out", "out", "--quiet"], dir));
    });
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await Promise.all(results.values());
    t.cleanup();
  });

  it.each(Object.keys(HOSTILE))("%s: exit 2, one line naming the function, the call and the event", async (name) => {
    const r = await results.get(name)!;
    expect(r.code).toBe(2);
    const lines = r.stderr.split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^streamkit: q\.asaql:1:12: JavaScript function 'f' failed: .* \(on the event at .*in\.json:\d+\)$/);
    expect(lines[0]).toMatch(HOSTILE[name].detail);
    if (!HOSTILE[name].events) expect(lines[0]).toMatch(/in\.json:1\)$/);
  });
});
