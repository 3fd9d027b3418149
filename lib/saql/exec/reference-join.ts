// JOIN with reference data: each stream row meets every reference record that satisfies ON (no
// time bound: reference data is a table, not a stream). LEFT OUTER JOIN keeps an unmatched row
// with NULL for the reference side. The stream row's time is the joined row's time.
// The reference records are all loaded before the first stream event is processed. A reference
// input that refreshes by path pattern ({date}/{time}) is a sequence of snapshots, each valid from
// the time in its blob name on (stream-analytics-use-reference-data.md): a row meets the latest
// snapshot valid at its time.
// ON's equality conjuncts between the stream and the reference side (`s.k = r.k`) index each table
// (a snapshot, when it refreshes) by key: a row meets only the records whose keys can equal its
// own, in table order, and ON is evaluated on those alone.
import type { RecordValue, Value } from "../values";
import type { Evaluator } from "./compile-expr";
import * as joinKeys from "./join-keys";
import type { EventOrigin, Operator, Row } from "./row";

// Bound once: an imported name is a module getter, read on every call of per-event code.
const ANY: typeof joinKeys.ANY = joinKeys.ANY;
const NONE: typeof joinKeys.NONE = joinKeys.NONE;
const { keyPart, keyValue } = joinKeys;

export interface ReferenceJoinOptions {
  /**
   * The reference records a row at time `ts` meets: the one table, or the snapshot valid at `ts`
   * when the input refreshes by path pattern. Filled by the run before any stream event arrives.
   */
  tableAt: (ts: number) => RecordValue[];
  on: (row: Row) => boolean;
  /**
   * With one equality conjunct in ON: ON without it, evaluated instead of ON on a record the row's
   * key proves that equality for (texts that are no number: identical texts compare equal). Such a
   * conjunct compares two texts, which raises no error: the result is ON's (withoutConjunct).
   */
  onRest?: (row: Row) => boolean;
  /** Both sides of ON's equality conjuncts: `stream[i]` read on a stream row equals `reference[i]` read on a row whose `rec` is a reference record. */
  keys?: { stream: Evaluator[]; reference: Evaluator[] };
  left: boolean;
  downstream: Operator;
  onDataError: (error: Error, origin: EventOrigin | undefined) => void;
}

/** A table's records by key: each list holds record positions in table order. */
interface TableIndex {
  table: RecordValue[];
  size: number;
  /** By the key's keyValue when ON has one equality, else by the parts' texts joined. */
  buckets: Map<unknown, number[]>;
  /** Records whose key could equal values of several types (or failed to evaluate): candidates of every row. */
  any: number[];
  /**
   * Per key position: some record's key is a number / a text that is not a number. A row's number
   * compared with such a text (or its text with such a number) is a conversion error ON reports,
   * so that row meets the whole table as without the index.
   */
  numbers: boolean[];
  texts: boolean[];
}

export class ReferenceJoinOperator implements Operator {
  /** The index of the last table met (a refresh brings another table, whose index replaces it). */
  private index: TableIndex | undefined;

  constructor(private readonly o: ReferenceJoinOptions) {}

  /** The row ON is evaluated on, reused for every row without earlier sides (the usual case). */
  private readonly probe: Row = { ts: NaN, rec: {}, sides: [null], origin: undefined };

  push(row: Row): void {
    const sides = row.sides ?? NO_SIDES;
    let probe = this.probe;
    if (sides.length) probe = { ts: row.ts, rec: row.rec, sides: withSide(sides, null), origin: row.origin };
    else {
      probe.ts = row.ts;
      probe.rec = row.rec;
      probe.origin = row.origin;
    }
    const at = sides.length;
    let matched = false;
    let table: RecordValue[];
    try {
      table = this.o.tableAt(row.ts);
    } catch (error) {
      this.o.onDataError(error as Error, row.origin);
      return;
    }
    const positions = this.candidates(table, row);
    const n = positions ? positions.length : table.length;
    const on = this.proven ? this.o.onRest! : this.o.on;
    for (let i = 0; i < n; i++) {
      const record = table[positions ? positions[i] : i];
      probe.sides![at] = record;
      let ok: boolean;
      try {
        ok = on(probe);
      } catch (error) {
        this.o.onDataError(error as Error, row.origin);
        return;
      }
      if (ok) {
        matched = true;
        this.o.downstream.push({ ts: row.ts, rec: row.rec, sides: withSide(sides, record), origin: row.origin });
      }
    }
    if (!matched && this.o.left) this.o.downstream.push({ ts: row.ts, rec: row.rec, sides: withSide(sides, null), origin: row.origin });
  }

  /** Whether the last candidates() met the row's key equality on each of them (see onRest). */
  private proven = false;

  /** The positions of the records of `table` the row can match, in table order; null for the whole table. */
  private candidates(table: RecordValue[], row: Row): number[] | null {
    this.proven = false;
    const keys = this.o.keys;
    if (!keys) return null;
    let index = this.index;
    if (!index || index.table !== table || index.size !== table.length) index = this.index = indexTable(table, keys.reference);
    const evals = keys.stream;
    if (evals.length === 1) {
      // One equality (the usual ON): its key is the bucket's, no text to build.
      let v: Value;
      try {
        v = evals[0](row);
      } catch {
        return null; // ON reports the error
      }
      const value = keyValue(v);
      if (value === ANY) return null;
      if (value === NONE) return index.any.length ? index.any : NO_POSITIONS;
      if (typeof v === "number" ? index.texts[0] : typeof value === "string" && index.numbers[0]) return null;
      const bucket = index.buckets.get(value) ?? NO_POSITIONS;
      if (!index.any.length) {
        // A text that is no number is the bucket's key itself: each record there holds that same text.
        this.proven = typeof value === "string" && this.o.onRest !== undefined;
        return bucket;
      }
      return mergeSorted(bucket, index.any);
    }
    let key: unknown = "";
    let isNull = false;
    for (let i = 0; i < evals.length; i++) {
      let v: Value;
      try {
        v = evals[i](row);
      } catch {
        return null; // ON reports the error
      }
      const value = keyValue(v);
      if (value === ANY) return null;
      if (value === NONE) isNull = true;
      else if (typeof v === "number" ? index.texts[i] : typeof value === "string" && index.numbers[i]) return null;
      else key = `${key as string}${i ? "\u0001" : ""}${keyPart(v) as string}`; // two or more keys: one above
    }
    const bucket = (isNull ? undefined : index.buckets.get(key)) ?? NO_POSITIONS;
    return index.any.length ? mergeSorted(bucket, index.any) : bucket;
  }

  watermark(t: number): void {
    this.o.downstream.watermark(t);
  }

  end(): void {
    this.o.downstream.end();
  }
}

const NO_POSITIONS: number[] = [];

/** The row's sides with the reference record after them (no spread: a first JOIN's row has none). */
function withSide(sides: (RecordValue | null)[], record: RecordValue | null): (RecordValue | null)[] {
  if (sides.length === 0) return [record];
  const out = sides.slice();
  out.push(record);
  return out;
}
const NO_SIDES: (RecordValue | null)[] = [];

function indexTable(table: RecordValue[], evals: Evaluator[]): TableIndex {
  const index: TableIndex = { table, size: table.length, buckets: new Map(), any: [], numbers: evals.map(() => false), texts: evals.map(() => false) };
  const probe: Row = { ts: NaN, rec: {} };
  for (let p = 0; p < table.length; p++) {
    probe.rec = table[p];
    let key: unknown = "";
    let anyType = false;
    let isNull = false;
    for (let i = 0; i < evals.length; i++) {
      let v: Value;
      try {
        v = evals[i](probe);
      } catch {
        anyType = true; // ON reports the error on every row that meets the record
        continue;
      }
      const value = keyValue(v);
      if (typeof v === "number") index.numbers[i] = true;
      if (value === ANY) anyType = true;
      else if (value === NONE) isNull = true;
      else {
        if (typeof value === "string") index.texts[i] = true;
        key = evals.length === 1 ? value : `${key as string}${i ? "\u0001" : ""}${keyPart(v) as string}`;
      }
    }
    // A key that cannot be bucketed makes the record a candidate of every row, even beside a NULL
    // key: ON may still compare (and fail on) it.
    if (anyType) index.any.push(p);
    else if (!isNull) {
      const bucket = index.buckets.get(key);
      if (bucket) bucket.push(p);
      else index.buckets.set(key, [p]);
    }
  }
  return index;
}

/** Two ascending lists of positions as one. */
function mergeSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++]);
  return out;
}
