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

/** A key equal rows share when the tolerance is 0 (numbers in one canonical spelling). */
function rowKey(c: Canon): string {
  return JSON.stringify(c, (_k, v) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v));
}

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
    if (options.floatTolerance === 0) {
      // Exact comparison: match through a hash of the canonical row, linear in the row count.
      const byKey = new Map<string, number[]>();
      ca.forEach((row, j) => {
        const key = rowKey(row);
        const list = byKey.get(key);
        if (list) list.push(j);
        else byKey.set(key, [j]);
      });
      ce.forEach((row, i) => {
        const j = byKey.get(rowKey(row))?.shift();
        if (j === undefined) unmatched.push(i);
        else used[j] = true;
      });
    } else {
      ce.forEach((_row, i) => {
        const j = used.findIndex((u, k) => !u && equal(i, k));
        if (j < 0) unmatched.push(i);
        else used[j] = true;
      });
    }
    const leftover = actual.map((_r, j) => j).filter((j) => !used[j]);
    // Pair each missing row with the most similar extra row: shown as a changed row.
    for (const i of unmatched) {
      let best = -1;
      let bestSame = 0;
      for (const j of leftover) {
        if (used[j]) continue;
        const fields = new Set([...Object.keys(ce[i]), ...Object.keys(ca[j])]);
        const same = [...fields].filter((k) => k in ce[i] && k in ca[j] && canonEqual(ce[i][k], ca[j][k], options.floatTolerance)).length;
        if (same > bestSame && same * 2 >= fields.size) {
          best = j;
          bestSame = same;
        }
      }
      if (best >= 0) {
        used[best] = true;
        changed.push({ expected: expected[i], actual: actual[best], fields: differingFields(expected[i], actual[best], options) });
      } else missing.push(expected[i]);
    }
    for (const j of leftover) if (!used[j]) extra.push(actual[j]);
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
