// A first-in-first-out multiset of rows: what the removable aggregates keep so that
// `remove` (sliding/hopping eviction, oldest first) and `result` stay exact.
import type { Value } from "../../values";
import { deepEqual } from "../compare";

export interface BagEntry {
  value: Value;
  orderKeys?: Value[];
}

export class ValuesBag {
  private entries: BagEntry[] = [];
  private head = 0;

  add(value: Value, orderKeys?: Value[]): void {
    this.entries.push({ value, orderKeys });
  }

  /** Removes the oldest entry equal to (value, orderKeys); returns false when none matches. */
  remove(value: Value, orderKeys?: Value[]): boolean {
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i];
      if (deepEqual(entry.value, value) && deepEqual(entry.orderKeys ?? null, orderKeys ?? null)) {
        if (i === this.head) this.head++;
        else this.entries.splice(i, 1);
        this.compact();
        return true;
      }
    }
    return false;
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  /** Entries in insertion order. */
  items(): BagEntry[] {
    return this.head === 0 ? this.entries : this.entries.slice(this.head);
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
