// JOIN with reference data: each stream row meets every reference record that satisfies ON (no
// time bound: reference data is a table, not a stream). LEFT OUTER JOIN keeps an unmatched row
// with NULL for the reference side. The stream row's time is the joined row's time.
// The reference records are all loaded before the first stream event is processed. A reference
// input that refreshes by path pattern ({date}/{time}) is a sequence of snapshots, each valid from
// the time in its blob name on (stream-analytics-use-reference-data.md): a row meets the latest
// snapshot valid at its time.
import type { RecordValue } from "../values";
import type { EventOrigin, Operator, Row } from "./row";

export interface ReferenceJoinOptions {
  /**
   * The reference records a row at time `ts` meets: the one table, or the snapshot valid at `ts`
   * when the input refreshes by path pattern. Filled by the run before any stream event arrives.
   */
  tableAt: (ts: number) => RecordValue[];
  on: (row: Row) => boolean;
  left: boolean;
  downstream: Operator;
  onDataError: (error: Error, origin: EventOrigin | undefined) => void;
}

export class ReferenceJoinOperator implements Operator {
  constructor(private readonly o: ReferenceJoinOptions) {}

  push(row: Row): void {
    const sides = row.sides ?? [];
    const probe: Row = { ts: row.ts, rec: row.rec, sides: [...sides, null], origin: row.origin };
    const at = sides.length;
    let matched = false;
    let table: RecordValue[];
    try {
      table = this.o.tableAt(row.ts);
    } catch (error) {
      this.o.onDataError(error as Error, row.origin);
      return;
    }
    for (const record of table) {
      probe.sides![at] = record;
      let ok: boolean;
      try {
        ok = this.o.on(probe);
      } catch (error) {
        this.o.onDataError(error as Error, row.origin);
        return;
      }
      if (ok) {
        matched = true;
        this.o.downstream.push({ ts: row.ts, rec: row.rec, sides: [...sides, record], origin: row.origin });
      }
    }
    if (!matched && this.o.left) this.o.downstream.push({ ts: row.ts, rec: row.rec, sides: [...sides, null], origin: row.origin });
  }

  watermark(t: number): void {
    this.o.downstream.watermark(t);
  }

  end(): void {
    this.o.downstream.end();
  }
}
