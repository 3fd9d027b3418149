// Builds test-case trees on disk for the runner's tests, and a stand-in engine.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { InputEvent } from "../../lib/io/types";
import type { RecordValue } from "../../lib/saql/values";
import { dateTimeOf } from "../../lib/saql/instant";
import type { RunQuery } from "../../lib/simulator/testing";

export function tree(files: Record<string, string | object>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "streamkit-cases-"));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A stand-in for the engine with a fixed, obvious behaviour: every event of every input is
 * written to the output named `<input>Copy`, with its arrival time (when known) as `arrivedAt`.
 * It records what it was given, so tests see how the runner called it.
 */
export function copyingEngine(): RunQuery & { calls: Parameters<RunQuery>[0][] } {
  const calls: Parameters<RunQuery>[0][] = [];
  const engine = async (options: Parameters<RunQuery>[0]) => {
    calls.push(options);
    const outputs: Record<string, RecordValue[]> = {};
    for (const input of options.inputs) {
      const rows: RecordValue[] = [];
      for await (const event of input.events as AsyncIterable<InputEvent>) {
        rows.push(event.arrivalTime === undefined ? event.record : { ...event.record, arrivedAt: dateTimeOf(event.arrivalTime).toString() });
      }
      outputs[`${input.alias}Copy`] = rows;
    }
    return { outputs };
  };
  return Object.assign(engine, { calls });
}
