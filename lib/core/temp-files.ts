// Temporary files beside the files they will replace: named `<file>.<pid>.<stamp>.tmp`, removed
// when the work fails or when the process is ended by SIGINT/SIGTERM, and — after a SIGKILL,
// which no handler sees — removed by the next run that writes the same file (its pid is gone).
import { readdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";

const live = new Set<string>();
let sequence = 0;

/** A fresh temporary name beside `path`, carrying this process's id; removed on SIGINT/SIGTERM until released. */
export function tempPathFor(path: string): string {
  const tmp = `${path}.${process.pid}.${Date.now().toString(36)}${(sequence++).toString(36)}.tmp`;
  live.add(tmp);
  watchSignals();
  return tmp;
}

/** The temporary file is gone or renamed: no longer this process's to remove. */
export function releaseTemp(tmp: string): void {
  live.delete(tmp);
  if (live.size === 0) unwatchSignals();
}

/** Removes a temporary file (if it exists) and releases it. */
export function removeTemp(tmp: string): void {
  rmSync(tmp, { force: true });
  releaseTemp(tmp);
}

/** Removes `<path>.<pid>.<stamp>.tmp` files left beside `path` by processes that no longer run. */
export function removeStaleTemps(path: string): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // no folder yet: nothing left over
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
    const match = /^(\d+)\.[0-9a-z]+\.tmp$/.exec(name.slice(prefix.length));
    const file = join(dir, name);
    if (match && !live.has(file) && !isRunning(Number(match[1]))) rmSync(file, { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
let watching = false;

function onSignal(signal: NodeJS.Signals): void {
  for (const tmp of live) rmSync(tmp, { force: true });
  live.clear();
  unwatchSignals();
  // End as the signal would have: the shell sees 130 / 143.
  process.kill(process.pid, signal);
}

function watchSignals(): void {
  if (watching) return;
  watching = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}

function unwatchSignals(): void {
  if (!watching) return;
  watching = false;
  for (const s of SIGNALS) process.off(s, onSignal);
}
