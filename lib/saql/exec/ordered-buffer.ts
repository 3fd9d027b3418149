// Rows waiting for the watermark, released in (ts, arrival) order: the reorder buffer of the
// event-ordering policy and of operators whose outputs are produced out of time order.
// Input is mostly in time order already, so rows that come in order are appended to a sorted run
// read from a moving head (no node per row, no sifting); only a row earlier than the run's last
// one goes to a binary heap. Release takes the smaller of the run's head and the heap's top.
import type { Row } from "./row";

interface Entry {
  row: Row;
  seq: number;
}

export class OrderedBuffer {
  /** Rows in (ts, arrival) order in [head, tail); the arrays keep their capacity when emptied. */
  private readonly run: Row[] = [];
  private readonly runSeq: number[] = [];
  private head = 0;
  private tail = 0;
  /** Rows that came earlier than the run's last row. */
  private heap: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.tail - this.head + this.heap.length;
  }

  add(row: Row): void {
    const seq = this.seq++;
    // Appending keeps the run sorted when the row is not earlier than its last one (ties: arrival order).
    if (this.tail === this.head || !before(row.ts, this.run[this.tail - 1].ts)) {
      this.run[this.tail] = row;
      this.runSeq[this.tail++] = seq;
      return;
    }
    const heap = this.heap;
    const entry = { row, seq };
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(entry, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
  }

  /** The smallest ts held, or +Infinity. */
  peekTs(): number {
    const first = this.firstFromRun();
    if (first === undefined) return Infinity;
    return first ? this.run[this.head].ts : this.heap[0].row.ts;
  }

  /** Hands out, in order, every row with `ts <= bound` (`ts < bound` when `strict`). */
  release(bound: number, strict: boolean, emit: (row: Row) => void): void {
    for (let first = this.firstFromRun(); first !== undefined; first = this.firstFromRun()) {
      const ts = first ? this.run[this.head].ts : this.heap[0].row.ts;
      if (strict ? !(ts < bound) : !(ts <= bound)) break;
      emit(first ? this.shift() : this.pop());
    }
  }

  /** Everything, in order (end of input). */
  drain(emit: (row: Row) => void): void {
    for (let first = this.firstFromRun(); first !== undefined; first = this.firstFromRun()) emit(first ? this.shift() : this.pop());
  }

  /** Whether the next row is the run's head (true), the heap's top (false), or none is left (undefined). */
  private firstFromRun(): boolean | undefined {
    const inRun = this.head < this.tail;
    if (!this.heap.length) return inRun ? true : undefined;
    if (!inRun) return false;
    const top = this.heap[0];
    const ts = this.run[this.head].ts;
    if (ts !== top.row.ts && !(Number.isNaN(ts) && Number.isNaN(top.row.ts))) return before(ts, top.row.ts);
    return this.runSeq[this.head] < top.seq;
  }

  private shift(): Row {
    const run = this.run;
    const row = run[this.head];
    run[this.head++] = undefined as unknown as Row; // released for the garbage collector
    if (this.head === this.tail) this.head = this.tail = 0;
    else if (this.head >= 1024 && this.head * 2 >= this.tail) {
      // Most of the run has left: the rest moves to the front (the vacated slots are already cleared).
      run.copyWithin(0, this.head, this.tail);
      this.runSeq.copyWithin(0, this.head, this.tail);
      this.tail -= this.head;
      run.fill(undefined as unknown as Row, this.tail, this.tail + this.head);
      this.head = 0;
    }
    return row;
  }

  private pop(): Row {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = -1;
        let smallest = last;
        if (l < heap.length && less(heap[l], smallest)) {
          m = l;
          smallest = heap[l];
        }
        if (r < heap.length && less(heap[r], smallest)) m = r;
        if (m < 0) break;
        heap[i] = heap[m];
        i = m;
      }
      heap[i] = last;
    }
    return top.row;
  }
}

/** Whether time `ta` sorts strictly before `tb`; NaN (unknown time) sorts first: such rows carry no time to wait for. */
function before(ta: number, tb: number): boolean {
  if (Number.isNaN(ta)) return !Number.isNaN(tb);
  if (Number.isNaN(tb)) return false;
  return ta < tb;
}

function less(a: Entry, b: Entry): boolean {
  const ta = a.row.ts;
  const tb = b.row.ts;
  if (ta !== tb && !(Number.isNaN(ta) && Number.isNaN(tb))) return before(ta, tb);
  return a.seq < b.seq;
}
