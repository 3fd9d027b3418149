// SELECT DISTINCT: identical rows with the same timestamp (the rows of one window, or events
// of one instant) are written once.
import type { Operator, Row } from "./row";

export class DistinctOperator implements Operator {
  private currentTs = NaN;
  private seen = new Set<string>();

  constructor(private readonly downstream: Operator) {}

  push(row: Row): void {
    if (row.ts !== this.currentTs) {
      this.currentTs = row.ts;
      this.seen = new Set();
    }
    const key = JSON.stringify(row.rec);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.downstream.push(row);
  }

  watermark(t: number): void {
    this.downstream.watermark(t);
  }

  end(): void {
    this.downstream.end();
  }
}
