// UNION: the rows of both sides, merged in time order. Each side's watermark (or latest row)
// bounds what it can still send; rows leave once both sides are past them.
import { OrderedBuffer } from "./ordered-buffer";
import type { Operator, Row } from "./row";

export class UnionOperator {
  private readonly buffer = new OrderedBuffer();
  private readonly marks: number[];
  private readonly ended: boolean[];
  private emitted = -Infinity;

  constructor(
    private readonly downstream: Operator,
    sides: number,
  ) {
    this.marks = new Array(sides).fill(-Infinity);
    this.ended = new Array(sides).fill(false);
  }

  /** The operator one side pushes into. */
  side(i: number): Operator {
    return {
      push: (row: Row) => {
        this.buffer.add(row);
        if (row.ts > this.marks[i]) this.marks[i] = row.ts;
      },
      watermark: (t: number) => {
        if (t > this.marks[i]) this.marks[i] = t;
        this.release();
      },
      end: () => {
        this.ended[i] = true;
        this.marks[i] = Infinity;
        if (this.ended.every(Boolean)) {
          this.buffer.drain((row) => this.downstream.push(row));
          this.downstream.end();
        } else this.release();
      },
    };
  }

  private release(): void {
    const bound = Math.min(...this.marks);
    if (this.buffer.size) this.buffer.release(bound, true, (row) => this.downstream.push(row));
    if (bound > this.emitted && bound !== Infinity) {
      this.emitted = bound;
      this.downstream.watermark(bound);
    }
  }
}
