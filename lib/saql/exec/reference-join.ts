// JOIN with reference data: each stream row meets every reference record that satisfies ON (no
// time bound: reference data is a table, not a stream). LEFT OUTER JOIN keeps an unmatched row
// with NULL for the reference side. The stream row's time is the joined row's time.
// The reference records are all loaded before the first stream event is processed.
import type { RecordValue } from "../values";
import type { EventOrigin, Operator, Row } from "./row";

export interface ReferenceJoinOptions {
  /** Filled by the run before any stream event arrives. */
  table: RecordValue[];
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
    for (const record of this.o.table) {
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
