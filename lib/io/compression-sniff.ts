// A local data file says itself whether it is compressed: gzip starts with 1f 8b, a zlib
// (deflate) stream with 78 01, 78 5e, 78 9c or 78 da (the headers zlib writes; other valid
// headers also begin common text such as "H," or "80", so they are not taken as deflate).
// A project's live input may declare GZip while its local sample is plain text, or the reverse.
import { closeSync, openSync, readSync } from "node:fs";
import type { Serialization } from "../job/schema";

const ZLIB_LEVELS = new Set([0x01, 0x5e, 0x9c, 0xda]);

export function compressionFromBytes(bytes: Uint8Array): Serialization["compression"] {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return "gzip";
  if (bytes.length >= 2 && bytes[0] === 0x78 && ZLIB_LEVELS.has(bytes[1])) return "deflate";
  return "none";
}

/** The compression of a file from its first bytes; "none" for a file that cannot be read (its reader reports that). */
export function compressionOfFile(path: string): Serialization["compression"] {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const head = new Uint8Array(2);
    const n = readSync(fd, head, 0, 2, 0);
    return compressionFromBytes(head.subarray(0, n));
  } catch {
    return "none";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
