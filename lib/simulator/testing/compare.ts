// Compares an output's actual rows with the expected rows the way ASA's test tooling does:
// a multiset by default (order on request), numbers numerically (70 equals 70.0), datetimes
// as instants (a string in ISO 8601 form equals a datetime at the same instant), field names
// by the compatibility level's rule, with optional float tolerance and ignored fields.
import { DateTimeValue, isRecord, type RecordValue, type Value } from "../../saql/values";
import { parseDateTime } from "../../io/datetime";
import type { ChangedRow, CompareOptions, OutputComparison } from "./types";

export const DEFAULT_COMPARE: CompareOptions = { orderSensitive: false, ignoreFields: [], floatTolerance: 0, caseSensitiveNames: true };

/** A value in a canonical form: datetimes (and ISO strings) as instants, numeric text as numbers. */
type Canon = null | boolean | number | string | { dt: number; ticks: number } | Canon[] | { [k: string]: Canon };

function canonical(value: Value | undefined, options: CompareOptions, top: boolean): Canon {
  if (value === null || value === undefined) return null;
  if (value instanceof DateTimeValue) return { dt: value.ms, ticks: value.ticks };
  if (typeof value === "string") {
    const dt = looksLikeDateTime(value) ? parseDateTime(value) : undefined;
    return dt ? { dt: dt.ms, ticks: dt.ticks } : value;
  }
  if (Array.isArray(value)) return value.map((v) => canonical(v, options, false));
  if (isRecord(value)) return canonicalRecord(value, options, top);
  return value;
}

const looksLikeDateTime = (s: string) => /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s);

export function canonicalRecord(record: RecordValue, options: CompareOptions, top = true): { [k: string]: Canon } {
  const ignored = new Set(options.ignoreFields.map((f) => f.toLowerCase()));
  const out: { [k: string]: Canon } = {};
  for (const key of Object.keys(record).sort()) {
    if (top && ignored.has(key.toLowerCase())) continue;
    out[options.caseSensitiveNames ? key : key.toLowerCase()] = canonical(record[key], options, false);
  }
  return out;
}

function numeric(v: Canon): number | undefined {
  if (typeof v === "number") return v;
  // CSV expected files hold numbers as text.
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function canonEqual(a: Canon, b: Canon, tolerance: number): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === "number" || typeof b === "number") {
    const x = numeric(a);
    const y = numeric(b);
    if (x === undefined || y === undefined) return false;
    return x === y || Math.abs(x - y) <= tolerance || (Number.isNaN(x) && Number.isNaN(y));
  }
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => canonEqual(v, b[i], tolerance));
  }
  if ("dt" in a && "ticks" in a && Object.keys(a).length === 2 && "dt" in b && "ticks" in b && Object.keys(b).length === 2) {
    return a.dt === b.dt && a.ticks === b.ticks;
  }
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  if (ak.length !== bk.length) return false;
  const ra = a as { [k: string]: Canon };
  const rb = b as { [k: string]: Canon };
  return ak.every((k) => k in rb && canonEqual(ra[k], rb[k], tolerance));
}

/** Field names whose values differ between two rows (fields of either row). */
export function differingFields(expected: RecordValue, actual: RecordValue, options: CompareOptions): string[] {
  const e = canonicalRecord(expected, options);
  const a = canonicalRecord(actual, options);
  const names = new Set([...Object.keys(e), ...Object.keys(a)]);
  return [...names].filter((k) => !(k in e) || !(k in a) || !canonEqual(e[k], a[k], options.floatTolerance));
}

/** Numeric text (CSV) compares as a number: one spelling for keys. */
const normalizeNumbers = (_k: string, v: unknown) => {
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  // JSON would write NaN and ±Infinity as null: keep them apart from NULL.
  if (typeof v === "number" && !Number.isFinite(v)) return `\u0000${v}`;
  return v;
};

/** A key equal rows share when the tolerance is 0. */
function rowKey(c: Canon): string {
  return JSON.stringify(c, normalizeNumbers);
}

/** A key rows equal within a tolerance share: every number (or numeric text) is one placeholder. */
function shapeKey(c: Canon): string {
  return JSON.stringify(c, (k, v) => (typeof normalizeNumbers(k, v) === "number" ? "#" : v));
}

/** How many of the rows a field's value is looked up in when pairing missing and extra rows. */
const PAIRING_CANDIDATES = 64;

export function compareRows(alias: string, expectedFile: string, expected: RecordValue[], actual: RecordValue[], options: CompareOptions): OutputComparison {
  const ce = expected.map((r) => canonicalRecord(r, options));
  const ca = actual.map((r) => canonicalRecord(r, options));
  const missing: RecordValue[] = [];
  const extra: RecordValue[] = [];
  const changed: ChangedRow[] = [];
  const equal = (i: number, j: number) => canonEqual(ce[i], ca[j], options.floatTolerance);

  if (options.orderSensitive) {
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      if (i >= actual.length) missing.push(expected[i]);
      else if (i >= expected.length) extra.push(actual[i]);
      else if (!equal(i, i)) changed.push({ expected: expected[i], actual: actual[i], fields: differingFields(expected[i], actual[i], options) });
    }
  } else {
    const used = new Array<boolean>(actual.length).fill(false);
    const unmatched: number[] = [];
    // Rows that can be equal share a key (exact: the row; with a tolerance: its shape), so
    // matching is linear in the row count rather than quadratic.
    const exact = options.floatTolerance === 0;
    const keyOf = exact ? rowKey : shapeKey;
    const byKey = new Map<string, number[]>();
    ca.forEach((row, j) => {
      const key = keyOf(row);
      const list = byKey.get(key);
      if (list) list.push(j);
      else byKey.set(key, [j]);
    });
    ce.forEach((row, i) => {
      const list = byKey.get(keyOf(row));
      let j: number | undefined;
      if (exact) j = list?.shift();
      else {
        const at = list?.findIndex((k) => equal(i, k)) ?? -1;
        if (at >= 0) j = list!.splice(at, 1)[0];
      }
      if (j === undefined) unmatched.push(i);
      else used[j] = true;
    });
    pairChanged(unmatched, ce, ca, used, options, expected, actual, changed, missing);
    actual.forEach((row, j) => {
      if (!used[j]) extra.push(row);
    });
  }
  return {
    alias,
    expectedFile,
    pass: missing.length === 0 && extra.length === 0 && changed.length === 0,
    expectedCount: expected.length,
    actualCount: actual.length,
    missing,
    extra,
    changed,
  };
}

/**
 * Pairs each unmatched expected row with the unused actual row sharing the most field values
 * (at least half its fields): shown as a changed row with the fields that differ. Candidates
 * come from an index of field values, so this stays fast on large outputs.
 */
function pairChanged(
  unmatched: number[],
  ce: { [k: string]: Canon }[],
  ca: { [k: string]: Canon }[],
  used: boolean[],
  options: CompareOptions,
  expected: RecordValue[],
  actual: RecordValue[],
  changed: ChangedRow[],
  missing: RecordValue[],
): void {
  const index = new Map<string, number[]>(); // field + value → unused actual rows
  ca.forEach((row, j) => {
    if (used[j]) return;
    for (const [field, value] of Object.entries(row)) {
      const key = `${field}\u0000${rowKey(value)}`;
      const list = index.get(key);
      if (list) list.push(j);
      else index.set(key, [j]);
    }
  });
  for (const i of unmatched) {
    const shared = new Map<number, number>();
    for (const [field, value] of Object.entries(ce[i])) {
      let seen = 0;
      for (const j of index.get(`${field}\u0000${rowKey(value)}`) ?? []) {
        if (used[j]) continue;
        shared.set(j, (shared.get(j) ?? 0) + 1);
        if (++seen >= PAIRING_CANDIDATES) break;
      }
    }
    let best = -1;
    let bestShared = 0;
    for (const [j, count] of shared) {
      const fields = new Set([...Object.keys(ce[i]), ...Object.keys(ca[j])]).size;
      if (count > bestShared && count * 2 >= fields) {
        best = j;
        bestShared = count;
      }
    }
    if (best >= 0) {
      used[best] = true;
      changed.push({ expected: expected[i], actual: actual[best], fields: differingFields(expected[i], actual[best], options) });
    } else missing.push(expected[i]);
  }
}
