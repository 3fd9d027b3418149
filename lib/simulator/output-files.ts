// A run's output files, committed as a set: each output's rows stream as JSON lines into a
// temporary spill file (flat memory, however long the run); when the run has finished, every
// output is first made whole in a temporary file of its own format (CSV, JSON array, Parquet,
// Avro, gzip/deflate: read back from the spill a chunk at a time), and only when all of them are ready
// are they renamed over the old files. A run that fails leaves every old output in place.
import { createReadStream, createWriteStream, closeSync, mkdirSync, openSync, readSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { pipeline } from "node:stream/promises";
import { createDeflate, createGzip } from "node:zlib";
import { StreamkitError } from "../core/errors";
import { releaseTemp, removeStaleTemps, removeTemp, tempPathFor } from "../core/temp-files";
import { assertWritable, ColumnProfile, decimalSeparatorOf, needsProfile, writeAvro, writeBody } from "../io/writers";
import type { Serialization } from "../job/schema";
import type { RecordValue } from "../saql/values";
import { jsonLine } from "./json-line";

/** A row an output's format cannot hold: its output alias, `file:row` (from 1) and why. */
export type OutputRowError = (alias: string, origin: string, message: string) => void;

/** Spilled lines buffered before a write. */
const PENDING_LINES = 4096;

export class OutputSet {
  private readonly files = new Map<string, OutputFile>();
  private readonly decimalSeparator: string;

  /** `dataLocale`: the job's, whose decimal separator CSV outputs write. */
  constructor(dataLocale = "en-US") {
    this.decimalSeparator = decimalSeparatorOf(dataLocale);
  }

  /** The output of `alias`, opened on first use. */
  open(alias: string, path: string, serialization: Serialization): OutputFile {
    let file = this.files.get(alias);
    if (!file) {
      assertWritable(serialization, alias);
      file = new OutputFile(path, serialization, this.decimalSeparator);
      this.files.set(alias, file);
    }
    return file;
  }

  get(alias: string): OutputFile | undefined {
    return this.files.get(alias);
  }

  /**
   * Makes every output whole, then replaces the old files; on any failure none is replaced. A row
   * an output's format cannot hold is skipped and given to `onRowError`. Alias → path.
   */
  async commit(onRowError?: OutputRowError): Promise<Record<string, string>> {
    const ready: [string, OutputFile, string][] = [];
    try {
      for (const [alias, file] of this.files) ready.push([alias, file, await file.prepare(onRowError && ((row, message) => onRowError(alias, `${file.path}:${row}`, message)))]);
    } catch (error) {
      this.abort();
      throw error;
    }
    const written: Record<string, string> = {};
    for (const [alias, file, tmp] of ready) {
      try {
        renameSync(tmp, file.path);
        releaseTemp(tmp);
      } catch (error) {
        this.abort();
        throw new StreamkitError(`cannot write '${file.path}': ${(error as Error).message}`, { file: file.path }, "IO");
      }
      written[alias] = file.path;
    }
    return written;
  }

  /** Removes every temporary file; no output is touched. */
  abort(): void {
    for (const file of this.files.values()) file.abort();
  }

  /** Drops every row written so far: the run starts over. */
  reset(): void {
    this.abort();
    this.files.clear();
  }
}

/** One output: its rows spilled as JSON lines, and what its format needs to know of them. */
export class OutputFile {
  private readonly spill: string;
  private readonly temps = new Set<string>();
  private fd: number | undefined;
  private pending: string[] = [];
  private readonly profile: ColumnProfile | undefined;

  constructor(
    readonly path: string,
    private readonly serialization: Serialization,
    private readonly decimalSeparator = ".",
  ) {
    mkdirSync(dirname(path), { recursive: true });
    removeStaleTemps(path);
    this.spill = this.temp();
    this.fd = openSync(this.spill, "w");
    if (needsProfile(serialization)) this.profile = new ColumnProfile();
  }

  add(row: RecordValue): void {
    this.profile?.observe(row);
    this.pending.push(jsonLine(row));
    if (this.pending.length >= PENDING_LINES) this.flush();
  }

  private flush(): void {
    if (this.pending.length) writeSync(this.fd!, this.pending.join("\n") + "\n");
    this.pending = [];
  }

  private temp(): string {
    const tmp = tempPathFor(this.path);
    this.temps.add(tmp);
    return tmp;
  }

  private drop(tmp: string): void {
    removeTemp(tmp);
    this.temps.delete(tmp);
  }

  /** The whole file in its format, in a temporary file beside the output (the caller renames it). */
  async prepare(onRowError?: (row: number, message: string) => void): Promise<string> {
    // What would make the rename fail, found before any output of the set is replaced.
    if (statSync(this.path, { throwIfNoEntry: false })?.isDirectory()) {
      throw new StreamkitError(`cannot write '${this.path}': it is a folder`, { file: this.path }, "IO");
    }
    this.flush();
    closeSync(this.fd!);
    this.fd = undefined;
    const s = this.serialization;
    let body = this.spill;
    if (s.type === "avro") {
      body = this.temp();
      await writeAvro(spilledRows(this.spill), this.profile!, createWriteStream(body), onRowError);
      this.drop(this.spill);
    } else if (s.type !== "json" || s.format === "array") {
      body = this.temp();
      const out = openSync(body, "w");
      try {
        writeBody(spilledRows(this.spill), this.profile ?? new ColumnProfile(), s, (bytes) => writeSync(out, bytes), onRowError, this.decimalSeparator);
      } finally {
        closeSync(out);
      }
      this.drop(this.spill);
    }
    if (s.compression === "none") return body;
    const packed = this.temp();
    await pipeline(createReadStream(body), s.compression === "gzip" ? createGzip() : createDeflate(), createWriteStream(packed));
    this.drop(body);
    return packed;
  }

  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    for (const tmp of this.temps) removeTemp(tmp);
    this.temps.clear();
  }
}

/** The rows of a spill file, read back 1 MiB at a time. */
function* spilledRows(path: string): Generator<RecordValue> {
  const fd = openSync(path, "r");
  try {
    const buffer = new Uint8Array(1 << 20);
    // Bytes of a line not ended yet: kept as bytes, since a chunk may end inside a UTF-8 sequence.
    let carry: Uint8Array[] = [];
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const end = buffer.lastIndexOf(10, n - 1);
      if (end < 0) {
        carry.push(buffer.slice(0, n));
        continue;
      }
      const text = Buffer.concat([...carry, buffer.subarray(0, end)]).toString("utf8");
      carry = end + 1 < n ? [buffer.slice(end + 1, n)] : [];
      for (const line of text.split("\n")) if (line) yield JSON.parse(line) as RecordValue;
    }
    const last = Buffer.concat(carry).toString("utf8");
    if (last) yield JSON.parse(last) as RecordValue;
  } finally {
    closeSync(fd);
  }
}
