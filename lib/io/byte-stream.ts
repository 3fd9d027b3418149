// Opens a local file as a byte stream, decompressing gzip or deflate on the fly, so a large
// file is never held in memory whole.
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from "node:fs";
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

/**
 * A file's UTF-8 text a chunk at a time, never the whole file at once. An uncompressed file is
 * read synchronously: a read from the page cache takes microseconds, while a read stream hands
 * each chunk over through the thread pool and the event loop, and the run sat idle waiting for
 * it (~6% of a JSON-lines run in the profile). Compressed files stream through the decompressor.
 */
export async function* openTextChunks(path: string, compression: Serialization["compression"]): AsyncGenerator<string> {
  if (compression !== "none") {
    const stream = openByteStream(path, compression);
    stream.setEncoding("utf8");
    for await (const chunk of stream) yield chunk as string;
    return;
  }
  assertReadableFile(path);
  const fd = openSync(path, "r");
  try {
    const decoder = new StringDecoder("utf8");
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
      if (text) yield text;
    }
    const rest = decoder.end();
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}
