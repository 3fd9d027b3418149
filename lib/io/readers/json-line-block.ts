// The fast path for JSON lines (and for the lines of a top-level array, `{…},` per line): many
// complete lines parsed by one JSON.parse, rather than one call (and one string) per line. Only
// taken when the result is provably what parsing each line on its own gives; otherwise the
// caller reads the lines one by one (and reports the bad ones).
import type { RecordValue } from "../../saql/values";
import { integersExact } from "./json-numbers";

/** Two objects on one line, `} , {` outside a string or inside one: such blocks go line by line. */
const OBJECTS_SIDE_BY_SIDE = /\}[ \t\r]*,[ \t\r]*\{/;

/**
 * The events of `text[start, end)` — n lines, each holding one JSON object — or undefined when
 * that cannot be shown cheaply (a blank or malformed line, a non-object, two objects on a line,
 * a 16-digit run to check for integers beyond ±2^53, …).
 *
 * Why it is exact: the lines are joined as `[line1\n,line2\n,…]`. A raw line break cannot sit in
 * a JSON string, so no inserted comma is inside a string. If the parse gives n objects, it has
 * n − 1 top-level commas. A top-level comma from the text itself would sit between two objects on
 * one line with no line break around it (a break there brings an inserted comma too: two commas,
 * invalid), which OBJECTS_SIDE_BY_SIDE rules out. So all n − 1 top-level commas are the n − 1
 * inserted ones, and element k is exactly line k.
 */
export function parseLineBlock(text: string, start: number, end: number): RecordValue[] | undefined {
  const block = text.slice(start, end);
  if (OBJECTS_SIDE_BY_SIDE.test(block)) return undefined;
  const joined = block.replaceAll("\n", "\n,");
  return parseObjects(`[${joined}]`, joined.length - block.length + 1, text, start, end);
}

/**
 * The same inside a top-level array, one element per line (`  {…},`): `text[start, end)` holds n
 * complete lines; the last one's comma, if any, is dropped (its next element is in the next block).
 *
 * Why it is exact: parsed as `[block]`, n objects have n − 1 top-level separators `} , {`. One
 * without a line break would be two objects on a line (OBJECTS_SIDE_BY_SIDE); so each holds one of
 * the n − 1 line breaks, and no break is left inside an object: element k is exactly line k.
 */
export function parseArrayLineBlock(text: string, start: number, end: number): RecordValue[] | undefined {
  let block = text.slice(start, end);
  if (OBJECTS_SIDE_BY_SIDE.test(block)) return undefined;
  let lines = 1;
  for (let nl = block.indexOf("\n"); nl >= 0; nl = block.indexOf("\n", nl + 1)) lines++;
  let last = block.length;
  while (last > 0 && isJsonSpace(block.charCodeAt(last - 1))) last--;
  if (block.charCodeAt(last - 1) === 44 /* , */) block = block.slice(0, last - 1);
  return parseObjects(`[${block}]`, lines, text, start, end);
}

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/**
 * JSON.parse of an array text, when it holds exactly `count` objects and no integer beyond ±2^53
 * (looked for when its lines, `source[start, end)`, have a 16-digit run: scanned there, in the
 * chunk, a flat string, rather than in a slice of it).
 */
function parseObjects(text: string, count: number, source: string, start: number, end: number): RecordValue[] | undefined {
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(values) || values.length !== count) return undefined;
  // JSON.parse gives plain objects, arrays and primitives only: an object that is not an array is a record.
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  }
  return integersExact(values, source, start, end) ? (values as RecordValue[]) : undefined;
}
