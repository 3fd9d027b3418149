// Sorts an input's events by event time with bounded memory: events are held until a run of
// `runSize` is full, sorted (stable: ties keep file order) and spilled to a temporary file as
// one JSON line each; the runs are then merged (k-way). A file that fits in one run is never
// written to disk. Temporary files are removed when the merge ends, and at process exit.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { parseDateTime } from "../saql/functions/datetime-text";
import { DateTimeValue, type RecordValue } from "../saql/values";
import type { EventLocation } from "../io/types";

export interface TimedEvent {
  ts: number;
  /** The event as read (before CREATE TABLE typing, which the consumer applies again). */
  record: RecordValue;
  location: EventLocation;
}

/** Events per in-memory run (~100–300 bytes each as objects): 50 k keeps peak RSS under 300 MB on 10 M reversed events (bench/ordering). */
export const DEFAULT_RUN_SIZE = 50_000;

const liveDirs = new Set<string>();
let exitHookSet = false;

function makeSpillDir(parent: string | undefined): string {
  if (!exitHookSet) {
    exitHookSet = true;
    // A run stopped by an error or a signal leaves no spill behind.
    process.once("exit", () => {
      for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
    });
  }
  const dir = mkdtempSync(join(parent ?? tmpdir(), "streamkit-sort-"));
  liveDirs.add(dir);
  return dir;
}

function removeSpillDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

export class EventSorter {
  private run: TimedEvent[] = [];
  private readonly runFiles: string[] = [];
  private dir: string | undefined;
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();

  constructor(
    private readonly runSize = DEFAULT_RUN_SIZE,
    private readonly tempParent?: string,
  ) {}

  add(ts: number, record: RecordValue, location: EventLocation): void {
    this.run.push({ ts, record, location });
    if (this.run.length >= this.runSize) this.spill();
  }

  /** How many runs went to disk (for tests and the bench). */
  get spilledRuns(): number {
    return this.runFiles.length;
  }

  /** Every event added, in (event time, order added) order, a batch at a time; then the spill is gone. */
  async *sorted(): AsyncGenerator<TimedEvent[]> {
    const last = sortRun(this.run);
    this.run = [];
    try {
      if (!this.runFiles.length) {
        if (last.length) yield last;
        return;
      }
      yield* this.merge(last);
    } finally {
      if (this.dir) removeSpillDir(this.dir);
      this.dir = undefined;
    }
  }

  /** Drops what was added and any spill (a run that stops early). */
  discard(): void {
    this.run = [];
    if (this.dir) removeSpillDir(this.dir);
    this.dir = undefined;
  }

  private spill(): void {
    this.dir ??= makeSpillDir(this.tempParent);
    const path = join(this.dir, `run-${this.runFiles.length}.jsonl`);
    const fd = openSync(path, "w");
    try {
      let chunk = "";
      for (const e of sortRun(this.run)) {
        chunk += `${e.ts}\t${this.fileNumber(e.location.file)}\t${e.location.line}\t${encodeRecord(e.record)}\n`;
        if (chunk.length > 1 << 20) {
          writeSync(fd, chunk);
          chunk = "";
        }
      }
      if (chunk) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    this.runFiles.push(path);
    this.run = [];
  }

  private fileNumber(file: string): number {
    let n = this.fileIndex.get(file);
    if (n === undefined) {
      n = this.files.length;
      this.files.push(file);
      this.fileIndex.set(file, n);
    }
    return n;
  }

  /** k-way merge of the spilled runs and the last in-memory one; equal times: the earlier run first. */
  private *merge(last: TimedEvent[]): Generator<TimedEvent[]> {
    const sources: RunCursor[] = this.runFiles.map((path) => new FileRunCursor(path, this.files));
    sources.push(new MemoryRunCursor(last));
    // Heap of run indexes, ordered by (head time, run index).
    const heap: number[] = [];
    const lessThan = (a: number, b: number) => {
      const ta = sources[a].head!.ts;
      const tb = sources[b].head!.ts;
      return ta < tb || (ta === tb && a < b);
    };
    const siftDown = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && lessThan(heap[l], heap[m])) m = l;
        if (r < heap.length && lessThan(heap[r], heap[m])) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    };
    try {
      for (let i = 0; i < sources.length; i++) if (sources[i].advance()) heap.push(i);
      for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);
      let batch: TimedEvent[] = [];
      while (heap.length) {
        const top = heap[0];
        batch.push(sources[top].head!);
        if (!sources[top].advance()) {
          heap[0] = heap[heap.length - 1];
          heap.pop();
        }
        if (heap.length) siftDown(0);
        if (batch.length === 4096) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    } finally {
      for (const s of sources) s.close();
    }
  }
}

function sortRun(run: TimedEvent[]): TimedEvent[] {
  // Array.prototype.sort is stable: events of equal time keep the order they were added in.
  return run.sort((a, b) => a.ts - b.ts);
}

interface RunCursor {
  head: TimedEvent | undefined;
  advance(): boolean;
  close(): void;
}

class MemoryRunCursor implements RunCursor {
  head: TimedEvent | undefined;
  private at = 0;
  constructor(private readonly events: TimedEvent[]) {}
  advance(): boolean {
    this.head = this.events[this.at++];
    return this.head !== undefined;
  }
  close(): void {}
}

/** Reads a spilled run line by line, 64 KiB at a time (a hundred runs then hold ~13 MB of buffers and text). */
class FileRunCursor implements RunCursor {
  head: TimedEvent | undefined;
  private readonly fd: number;
  private readonly buffer = Buffer.alloc(1 << 16);
  // Completes a UTF-8 character cut at a read's end with the next read's bytes.
  private readonly decoder = new StringDecoder("utf8");
  private text = "";
  private at = 0;
  private done = false;

  constructor(
    path: string,
    private readonly files: string[],
  ) {
    this.fd = openSync(path, "r");
  }

  advance(): boolean {
    let nl = this.text.indexOf("\n", this.at);
    while (nl < 0 && !this.done) {
      const n = readSync(this.fd, this.buffer as unknown as Uint8Array, 0, this.buffer.length, null);
      if (n === 0) this.done = true;
      this.text = this.text.slice(this.at) + (n ? this.decoder.write(this.buffer.subarray(0, n)) : this.decoder.end());
      this.at = 0;
      nl = this.text.indexOf("\n");
    }
    if (nl < 0) {
      this.head = undefined;
      return false;
    }
    const line = this.text.slice(this.at, nl);
    this.at = nl + 1;
    const t1 = line.indexOf("\t");
    const t2 = line.indexOf("\t", t1 + 1);
    const t3 = line.indexOf("\t", t2 + 1);
    this.head = {
      ts: Number(line.slice(0, t1)),
      location: { file: this.files[Number(line.slice(t1 + 1, t2))], line: Number(line.slice(t2 + 1, t3)) },
      record: decodeRecord(line.slice(t3 + 1)),
    };
    return true;
  }

  close(): void {
    closeSync(this.fd);
  }
}

// Datetimes (from Avro or Parquet readers) survive the spill as tagged text.
const DATETIME_TAG = "\u0000dt";

function encodeRecord(record: RecordValue): string {
  // Flat records (JSON lines, CSV: the usual case) hold no datetime: no replacer call per field.
  let flat = true;
  for (const key in record) {
    const value = record[key];
    if (value !== null && typeof value === "object") {
      flat = false;
      break;
    }
  }
  if (flat) return JSON.stringify(record);
  return JSON.stringify(record, function (this: Record<string, unknown>, key: string, value: unknown) {
    return this[key] instanceof DateTimeValue ? { [DATETIME_TAG]: value } : value;
  });
}

function decodeRecord(text: string): RecordValue {
  if (!text.includes("\\u0000dt")) return JSON.parse(text) as RecordValue;
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === "object" && DATETIME_TAG in value) return parseDateTime((value as Record<string, string>)[DATETIME_TAG]);
    return value;
  }) as RecordValue;
}
