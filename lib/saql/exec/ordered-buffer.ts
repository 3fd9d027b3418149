// Rows waiting for the watermark, released in (ts, arrival) order: the reorder buffer of the
// event-ordering policy and of operators whose outputs are produced out of time order.
import type { Row } from "./row";

interface Entry {
  row: Row;
  seq: number;
}

export class OrderedBuffer {
  private heap: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  add(row: Row): void {
    const heap = this.heap;
    heap.push({ row, seq: this.seq++ });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  /** The smallest ts held, or +Infinity. */
  peekTs(): number {
    return this.heap.length ? this.heap[0].row.ts : Infinity;
  }

  /** Hands out, in order, every row with `ts <= bound` (`ts < bound` when `strict`). */
  release(bound: number, strict: boolean, emit: (row: Row) => void): void {
    const heap = this.heap;
    while (heap.length) {
      const ts = heap[0].row.ts;
      if (strict ? !(ts < bound) : !(ts <= bound)) break;
      emit(this.pop());
    }
  }

  /** Everything, in order (end of input). */
  drain(emit: (row: Row) => void): void {
    while (this.heap.length) emit(this.pop());
  }

  private pop(): Row {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top.row;
  }
}

function less(a: Entry, b: Entry): boolean {
  const ta = a.row.ts;
  const tb = b.row.ts;
  // NaN (unknown time) sorts first: such rows carry no time to wait for.
  if (ta !== tb && !(Number.isNaN(ta) && Number.isNaN(tb))) {
    if (Number.isNaN(ta)) return true;
    if (Number.isNaN(tb)) return false;
    return ta < tb;
  }
  return a.seq < b.seq;
}
