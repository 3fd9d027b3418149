// Equality keys of a JOIN's ON (`a.k = b.k` conjuncts) as hash-bucket text. A bucket only narrows
// the rows ON is evaluated on: values that can compare equal under SAQL's `=` get the same text,
// and a value whose type could equal other types (a datetime, a bit, a record) gets ANY.
import * as numberText from "../functions/number-text";
import type { Value } from "../values";
import type { Evaluator } from "./compile-expr";
import type { Row } from "./row";

// Bound once: an imported name is a module getter, read on every call of per-event code.
const { isFloatText } = numberText;

/** A key value that can equal values of another type (a datetime, a bit, a record): its row meets every row. */
export const ANY = Symbol("any key");
/** A NULL key equals nothing: the row meets no row (LEFT JOIN still writes it unmatched). */
export const NONE = Symbol("no key");

export type KeyText = string | typeof ANY | typeof NONE;

/**
 * A key value as a Map key. Values that compare equal get the same key: numbers, bits and numeric
 * strings as their number (SAQL compares '1' = 1 as numbers), other strings as themselves.
 */
export function keyValue(v: Value): number | string | typeof ANY | typeof NONE {
  if (v === null) return NONE;
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    // Text starting with a letter is no number (most keys: device ids, names): no pattern to run.
    const c = v.charCodeAt(0) | 0x20;
    if (c >= 0x61 && c <= 0x7a) return v;
    if (isFloatText(v)) {
      const n = Number(v.trim());
      if (Number.isFinite(n)) return n;
    }
    return v;
  }
  return ANY;
}

/** A key value as bucket text (keyValue with its type as a prefix), for keys of several parts. */
export function keyPart(v: Value): KeyText {
  const key = keyValue(v);
  if (typeof key === "number") return `d${key}`;
  if (typeof key === "string") return `s${key}`;
  return key;
}

/**
 * The bucket of a row: its one equality key's keyValue, or its equality keys as one text; ANY when
 * a key cannot be bucketed (or fails: ON then reports the error), NONE for a NULL key.
 */
export function keyOf(evals: Evaluator[], row: Row): number | KeyText {
  if (evals.length === 1) {
    try {
      return keyValue(evals[0](row));
    } catch {
      return ANY;
    }
  }
  let text = "";
  for (let i = 0; i < evals.length; i++) {
    let v: Value;
    try {
      v = evals[i](row);
    } catch {
      return ANY;
    }
    const part = keyPart(v);
    if (part === NONE || part === ANY) return part;
    text += i ? `\u0001${part}` : part;
  }
  return text;
}
