import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openEventSource, type EventSourceOptions } from "../../lib/io";
import type { DeserializationError, InputEvent } from "../../lib/io/types";
import type { Serialization } from "../../lib/job";

export function tempDir(): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "streamkit-io-"));
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function ser(type: Serialization["type"], extra: Partial<Serialization> = {}): Serialization {
  return { type, encoding: "utf8", compression: "none", ...extra };
}

/** Reads a whole file: its events and the malformed events reported. */
export async function readAll(path: string, serialization: Serialization, options: EventSourceOptions = {}) {
  const events: InputEvent[] = [];
  const errors: DeserializationError[] = [];
  for await (const e of openEventSource(path, serialization, { ...options, onDeserializationError: (err) => errors.push(err) })) events.push(e);
  return { events, errors, records: events.map((e) => e.record), lines: events.map((e) => e.location.line), errorLines: errors.map((e) => e.location.line) };
}
