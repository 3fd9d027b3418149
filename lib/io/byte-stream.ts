// Opens a local file as a byte stream, decompressing gzip or deflate on the fly, so a large
// file is never held in memory whole.
import { createReadStream, existsSync, statSync } from "node:fs";
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
