// CROSS APPLY / OUTER APPLY of a table-valued function (GetArrayElements, GetRecordProperties):
// one row per element, with the element's record as a new side. OUTER APPLY keeps a row whose
// function gives nothing, with NULL for the side. Time passes through unchanged.
import type { TableFunction } from "../functions";
import type { RecordValue } from "../values";
import type { Evaluator } from "./compile-expr";
import type { EventOrigin, Operator, Row } from "./row";

export interface ApplyOptions {
  fn: TableFunction;
  args: Evaluator[];
  outer: boolean;
  downstream: Operator;
  onDataError: (error: Error, origin: EventOrigin | undefined) => void;
}

export class ApplyOperator implements Operator {
  constructor(private readonly o: ApplyOptions) {}

  push(row: Row): void {
    let rows: RecordValue[];
    try {
      rows = this.o.fn(
        this.o.args.map((a) => a(row)),
        {},
      );
    } catch (error) {
      this.o.onDataError(error as Error, row.origin);
      return;
    }
    const sides = row.sides ?? [];
    if (rows.length === 0 && this.o.outer) {
      this.o.downstream.push({ ts: row.ts, rec: row.rec, sides: [...sides, null], origin: row.origin });
      return;
    }
    for (const side of rows) this.o.downstream.push({ ts: row.ts, rec: row.rec, sides: [...sides, side], origin: row.origin });
  }

  watermark(t: number): void {
    this.o.downstream.watermark(t);
  }

  end(): void {
    this.o.downstream.end();
  }
}
