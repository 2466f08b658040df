/**
 * A first-in first-out queue that keeps its storage when it empties.
 *
 * Why not an array with push and shift: V8 gives an array emptied by shift,
 * pop or `length = 0` an empty backing store, so the next push allocates a
 * new one (~150 bytes). A pipe's queues empty and refill on every chunk —
 * for an interactive console, on every keystroke, twice — and that garbage
 * brought the next minor collection into the keys typed (issue 7's
 * keystroke tail). Here the slots stay; a taken slot is cleared so the
 * queue holds nothing it no longer owns, the live part is moved to the
 * front once most of the storage lies behind it, and storage a burst made
 * large is let go when the queue empties.
 */
export class Fifo<T> {
  private slots: (T | undefined)[] = [];
  private first = 0;
  private end = 0;

  get length(): number {
    return this.end - this.first;
  }

  push(item: T): void {
    if (this.end === this.slots.length) this.slots.push(item);
    else this.slots[this.end] = item;
    this.end++;
  }

  /** The item `k` places from the front (0 = the next shift()). */
  at(k: number): T | undefined {
    return k >= 0 && k < this.end - this.first ? this.slots[this.first + k] : undefined;
  }

  shift(): T | undefined {
    if (this.first === this.end) return undefined;
    const item = this.slots[this.first];
    this.slots[this.first++] = undefined;
    if (this.first === this.end) this.emptied();
    else if (this.first >= 64 && this.first * 2 >= this.end) this.compact();
    return item;
  }

  /** Takes out every item `match` accepts, in order; the rest keep theirs. */
  takeWhere(match: (item: T) => boolean): T[] {
    const taken: T[] = [];
    let to = this.first;
    for (let k = this.first; k < this.end; k++) {
      const item = this.slots[k] as T;
      if (match(item)) taken.push(item);
      else this.slots[to++] = item;
    }
    for (let k = to; k < this.end; k++) this.slots[k] = undefined;
    this.end = to;
    if (this.first === this.end) this.emptied();
    return taken;
  }

  /** Empties the queue; returns what it held, in order. */
  clear(): T[] {
    return this.takeWhere(() => true);
  }

  /** Empty again: the slots stay for the next items, unless a burst made them many (a pipe that once held thousands of chunks keeps no big array for its life). */
  private emptied(): void {
    this.first = this.end = 0;
    if (this.slots.length > 1024) this.slots = [];
  }

  private compact(): void {
    const n = this.end - this.first;
    this.slots.copyWithin(0, this.first, this.end);
    for (let k = n; k < this.end; k++) this.slots[k] = undefined;
    this.first = 0;
    this.end = n;
  }
}
