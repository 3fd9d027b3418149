// Row-by-row SELECT: WHERE, then the SELECT list. No state; time passes through.
import type { RecordValue } from "../values";
import type { Operator, Row, EventOrigin } from "./row";

export interface SelectOptions {
  where?: (row: Row) => boolean;
  project: (row: Row) => RecordValue;
  downstream: Operator;
  onDataError: (error: Error, origin: EventOrigin | undefined) => void;
}

export class SelectOperator implements Operator {
  constructor(private readonly o: SelectOptions) {}

  push(row: Row): void {
    let rec: RecordValue;
    try {
      if (this.o.where && !this.o.where(row)) return;
      rec = this.o.project(row);
    } catch (error) {
      this.o.onDataError(error as Error, row.origin);
      return;
    }
    this.o.downstream.push({ ts: row.ts, rec, origin: row.origin });
  }

  watermark(t: number): void {
    this.o.downstream.watermark(t);
  }

  end(): void {
    this.o.downstream.end();
  }
}
