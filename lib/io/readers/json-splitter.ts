import type { RecordValue } from "../../saql/values";
import { parseArrayLineBlock, parseLineBlock } from "./json-line-block";
import { parseJsonExact } from "./json-numbers";

// Splits JSON text, arriving in chunks, into top-level events without holding the file in
// memory: either the elements of a top-level array, or whitespace/line-separated values
// (ASA accepts both for JSON input). Each piece carries the line it starts on, so a malformed
// event is reported as `file:line` and skipped while the rest of the file is still read.

export type JsonPiece =
  | { text: string; line: number }
  | { value: unknown; line: number }
  /** Objects on consecutive lines, the first on `line`. */
  | { values: RecordValue[]; line: number }
  | { error: string; line: number };

type Mode = "detect" | "array" | "values";

/** Text parsed per JSON.parse call on the fast path: larger strings parse slower (measured: 64 KiB beats 1 MiB). */
const BLOCK_CHARS = 1 << 16;

/** The '\n' that ends the last complete line within BLOCK_CHARS of `i` (or the chunk's last '\n'); ≤ i when none. */
function blockEnd(chunk: string, i: number): number {
  const limit = i + BLOCK_CHARS;
  if (limit < chunk.length) {
    const end = chunk.lastIndexOf("\n", limit);
    if (end > i) return end;
  }
  return chunk.lastIndexOf("\n");
}

export interface JsonSplitterOptions {
  /** Parse runs of complete lines with one JSON.parse (default true); false reads every line on its own. */
  lineBlocks?: boolean;
}

export class JsonSplitter {
  constructor(private readonly options: JsonSplitterOptions = {}) {}

  private mode: Mode = "detect";
  private line = 1;
  private atLineStart = true;
  private first = true;
  /** Text of the element being read (earlier chunks); undefined between elements. */
  private parts: string[] | undefined;
  private elementLine = 0;
  private depth = 0;
  private inString = false;
  private escape = false;
  /** A number, literal or stray text: read until a delimiter (array) or end of line (values). */
  private primitive = false;

  push(chunk: string): JsonPiece[] {
    const out: JsonPiece[] = [];
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1); // UTF-8 byte-order mark
    }
    let start = this.parts ? 0 : -1; // where the element begins inside this chunk
    let lineByLineUntil = -1; // the end of a block that failed: its lines are read one by one
    for (let i = 0; i < chunk.length; i++) {
      if (this.atLineStart && this.parts === undefined) {
        let next = -1;
        if (i > lineByLineUntil && this.options.lineBlocks !== false) {
          const end = blockEnd(chunk, i);
          next = end > i ? this.wholeLines(chunk, i, end, out) : -1;
          if (next < 0) lineByLineUntil = end;
        }
        if (next < 0) next = this.wholeLine(chunk, i, out);
        if (next >= 0) {
          i = next; // at the line's '\n'
          this.line++;
          continue;
        }
      }
      const c = chunk[i];
      const lineStart = this.atLineStart;
      this.atLineStart = false;
      if (this.parts === undefined) {
        // Between elements.
        if (c === "\n") {
          this.line++;
          this.atLineStart = true;
          continue;
        }
        if (c === " " || c === "\t" || c === "\r") continue;
        if (this.mode === "detect") {
          if (c === "[") {
            this.mode = "array";
            continue;
          }
          this.mode = "values";
        }
        if (this.mode === "array") {
          if (c === ",") continue;
          if (c === "]") {
            this.mode = "detect"; // another array or values may follow
            continue;
          }
        }
        this.parts = [];
        start = i;
        this.elementLine = this.line;
        this.depth = 0;
        this.inString = false;
        this.escape = false;
        this.primitive = c !== "{" && c !== "[";
        if (this.primitive && c === '"') this.inString = true;
        if (!this.primitive) this.depth = 1;
        continue;
      }
      // Inside an element.
      if (c === "\n") {
        this.line++;
        this.atLineStart = true;
        if (this.mode === "values" && (this.primitive || this.inString)) {
          // A value cannot continue past the end of its line here: it ends (or is broken).
          this.flush(chunk, start, i, out);
          start = -1;
          continue;
        }
      }
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === "\\") this.escape = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (this.primitive) {
        if (this.mode === "array" && (c === "," || c === "]" || c === " " || c === "\t" || c === "\r" || c === "\n")) {
          this.flush(chunk, start, i, out);
          start = -1;
          if (c === "]") this.mode = "detect";
        } else if (c === '"') this.inString = true;
        continue;
      }
      if (lineStart && this.mode === "values" && c === "{") {
        // A new object at column 1 while the previous one is still open: the previous
        // one was truncated. Report it and start over at this line.
        this.parts.push(chunk.slice(start, i));
        out.push({ error: "malformed JSON: the object is not closed before the next line starts a new one", line: this.elementLine });
        this.parts = [];
        start = i;
        this.elementLine = this.line;
        this.depth = 1;
        continue;
      }
      if (c === '"') this.inString = true;
      else if (c === "{" || c === "[") this.depth++;
      else if (c === "}" || c === "]") {
        this.depth--;
        if (this.depth === 0) {
          this.flush(chunk, start, i + 1, out);
          start = -1;
        }
      }
    }
    if (this.parts !== undefined && start >= 0) this.parts.push(chunk.slice(start));
    return out;
  }

  /**
   * The fastest path, for JSON lines and one-element-per-line arrays: the complete lines of
   * chunk[i, end) at once (see parseLineBlock, parseArrayLineBlock). Returns `end`, the index
   * of the last line's '\n', or -1 to read line by line.
   */
  private wholeLines(chunk: string, i: number, end: number, out: JsonPiece[]): number {
    const values = this.mode === "array" ? parseArrayLineBlock(chunk, i, end) : parseLineBlock(chunk, i, end);
    if (!values) return -1;
    if (this.mode === "detect") this.mode = "values";
    out.push({ values, line: this.line });
    this.line += values.length - 1; // the caller counts the last line's '\n'
    return end;
  }

  /**
   * The fast path for the common layouts — one event per line, or one per line inside an
   * array (`  {...},`): parse the whole line at once. Returns the index of the line's '\n',
   * or -1 to let the character scanner read the line (pretty-printed, malformed, or split
   * across chunks).
   */
  private wholeLine(chunk: string, i: number, out: JsonPiece[]): number {
    const nl = chunk.indexOf("\n", i);
    if (nl < 0) return -1;
    let a = i;
    while (a < nl && (chunk[a] === " " || chunk[a] === "\t")) a++;
    if (chunk[a] !== "{") return -1;
    let b = nl;
    while (b > a && (chunk[b - 1] === "\r" || chunk[b - 1] === " " || chunk[b - 1] === "\t")) b--;
    if (this.mode === "array" && chunk[b - 1] === ",") b--;
    if (chunk[b - 1] !== "}") return -1;
    if (this.mode === "detect") this.mode = "values";
    let value: unknown;
    try {
      value = parseJsonExact(chunk.slice(a, b));
    } catch {
      // Malformed, or an integer beyond ±2^53: the scanner yields the line as text, so the
      // error surfaces in line order (not before events of earlier lines still in pieces).
      return -1;
    }
    out.push({ value, line: this.line });
    return nl;
  }

  /** The end of the input: a value still open is either complete (a primitive) or truncated. */
  end(): JsonPiece[] {
    if (this.parts === undefined) return [];
    const text = this.parts.join("");
    const line = this.elementLine;
    this.parts = undefined;
    if (this.primitive && !this.inString) return [{ text, line }];
    return [{ error: "malformed JSON: the file ends inside this event", line }];
  }

  private flush(chunk: string, start: number, end: number, out: JsonPiece[]): void {
    this.parts!.push(chunk.slice(start, end));
    out.push({ text: this.parts!.join(""), line: this.elementLine });
    this.parts = undefined;
    this.primitive = false;
    this.inString = false;
    this.escape = false;
    this.depth = 0;
  }
}
