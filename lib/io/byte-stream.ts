// Opens a local file as a byte stream, decompressing gzip or deflate on the fly, so a large
// file is never held in memory whole.
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from "node:fs";
import { isUtf8 } from "node:buffer";
import { StringDecoder } from "node:string_decoder";
import type { Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { StreamkitError } from "../core/errors";
import type { Serialization } from "../job/schema";

export function assertReadableFile(path: string): void {
  if (!existsSync(path)) throw new StreamkitError(`input file not found: ${path}`, { file: path }, "IO_FILE");
  if (!statSync(path).isFile()) throw new StreamkitError(`input path is not a file: ${path}`, { file: path }, "IO_FILE");
}

export function openByteStream(path: string, compression: Serialization["compression"]): Readable {
  assertReadableFile(path);
  const raw = createReadStream(path);
  if (compression === "none") return raw;
  const inflater = compression === "gzip" ? createGunzip() : createInflate();
  // A corrupt archive surfaces as an error on the decompressor, naming the file.
  raw.on("error", (error) => inflater.destroy(error));
  return raw.pipe(inflater);
}

/** Wraps a low-level failure (truncated gzip, unreadable file) as an error naming the file. */
export function fileError(path: string, error: unknown, what: string): StreamkitError {
  if (error instanceof StreamkitError) return error;
  return new StreamkitError(`cannot read ${what} file ${path}: ${(error as Error).message}`, { file: path }, "IO_FILE");
}

/** Bytes read per call from an uncompressed file (a read stream's default chunk). */
const TEXT_CHUNK = 1 << 16;

/**
 * How long synchronous reading may keep the event loop from its other work. Without a turn of
 * the loop now and then, a SIGINT/SIGTERM handler (which removes the run's temporary files)
 * would only run once the whole file had been read.
 */
const LOOP_TURN_MS = 50;

/** Told once per file about bytes that are not UTF-8 text (the only encoding ASA reads). */
export type EncodingReport = (message: string) => void;

/**
 * A file's UTF-8 text a chunk at a time, never the whole file at once. An uncompressed file is
 * read synchronously: a read from the page cache takes microseconds, while a read stream hands
 * each chunk over through the thread pool and the event loop, and the run sat idle waiting for
 * it (~6% of a JSON-lines run in the profile). Compressed files stream through the decompressor.
 * A UTF-16 file is reported and gives no text; invalid UTF-8 sequences are reported (once, with
 * how many and where the first is) and read as U+FFFD, as the decoder does.
 */
export async function* openTextChunks(path: string, compression: Serialization["compression"], onEncoding?: EncodingReport): AsyncGenerator<string> {
  const decoder = new Utf8Check(onEncoding);
  if (compression !== "none") {
    const stream = openByteStream(path, compression);
    for await (const chunk of stream) {
      const text = decoder.write(chunk as Buffer);
      if (text === undefined) return;
      if (text) yield text;
    }
    const rest = decoder.end();
    if (rest) yield rest;
    return;
  }
  assertReadableFile(path);
  const fd = openSync(path, "r");
  try {
    const buffer = new Uint8Array(TEXT_CHUNK);
    let turn = Date.now();
    for (;;) {
      if (Date.now() - turn > LOOP_TURN_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        turn = Date.now();
      }
      const n = readSync(fd, buffer, 0, TEXT_CHUNK, null);
      if (n === 0) break;
      const text = decoder.write(Buffer.from(buffer.buffer, 0, n));
      if (text === undefined) return;
      if (text) yield text;
    }
    const rest = decoder.end();
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 decoding that notices what is not UTF-8: a UTF-16 file (by its byte order mark or its NUL bytes), invalid sequences. */
class Utf8Check {
  private readonly decoder = new StringDecoder("utf8");
  private offset = 0;
  private invalid = 0;
  private firstInvalid = -1;
  /** Bytes of a sequence cut at the end of the previous chunk. */
  private tail = new Uint8Array(0);

  constructor(private readonly report?: EncodingReport) {}

  /** The chunk's text; undefined when the file is not UTF-8 text at all (reported). */
  write(chunk: Buffer): string | undefined {
    if (this.offset === 0 && chunk.length >= 2) {
      const utf16 = utf16Kind(chunk);
      if (utf16) {
        this.report?.(`the file is UTF-16 (${utf16}), but ASA reads UTF-8 only: no event of it is read; save it as UTF-8`);
        return undefined;
      }
    }
    if (this.report && (this.tail.length > 0 || !isUtf8(chunk))) this.count(chunk);
    this.offset += chunk.length;
    return this.decoder.write(chunk);
  }

  end(): string {
    const rest = this.decoder.end();
    if (this.tail.length) this.count(Buffer.alloc(0)); // a sequence cut by the end of the file
    if (this.invalid && this.report) {
      this.report(`${this.invalid} invalid UTF-8 sequence(s), the first at byte ${this.firstInvalid}: read as U+FFFD (ASA reads UTF-8 only)`);
    }
    return rest;
  }

  /** Counts the invalid sequences of a chunk (with the sequence cut at the end of the last one). */
  private count(chunk: Buffer): void {
    const bytes = new Uint8Array(this.tail.length + chunk.length);
    bytes.set(this.tail);
    bytes.set(chunk, this.tail.length);
    const start = this.offset - this.tail.length;
    let i = 0;
    this.tail = new Uint8Array(0);
    while (i < bytes.length) {
      const b = bytes[i];
      const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
      if (need < 0) {
        this.bad(start + i);
        i++;
        continue;
      }
      if (i + need >= bytes.length && need > 0 && chunk.length > 0) {
        this.tail = bytes.slice(i); // may continue in the next chunk
        return;
      }
      let ok = true;
      for (let k = 1; k <= need; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) ok = false;
      if (ok && need > 0 && !isUtf8(bytes.subarray(i, i + need + 1))) ok = false; // overlong, surrogate or beyond U+10FFFF
      if (!ok) this.bad(start + i);
      i += ok ? need + 1 : 1;
    }
  }

  private bad(at: number): void {
    if (this.invalid === 0) this.firstInvalid = at;
    this.invalid++;
  }
}

/** "byte order mark FF FE" / "FE FF", or "NUL bytes between its characters" for UTF-16 without one; else undefined. */
function utf16Kind(chunk: Buffer): string | undefined {
  if (chunk[0] === 0xff && chunk[1] === 0xfe) return "byte order mark FF FE";
  if (chunk[0] === 0xfe && chunk[1] === 0xff) return "byte order mark FE FF";
  // ASCII text in UTF-16 has a NUL in every other byte: JSON or CSV text in UTF-8 has none.
  const n = Math.min(chunk.length, 64);
  let nuls = 0;
  for (let i = 0; i < n; i++) if (chunk[i] === 0) nuls++;
  return nuls >= n / 4 ? "NUL bytes between its characters" : undefined;
}
