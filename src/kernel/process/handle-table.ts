/**
 * An executive handle table (HANDLE_TABLE), allocating values the way the NT
 * executive does. Two kinds use it:
 *
 *  - each process's object handle table: values 4, 8, 12, …; a closed
 *    value is reused first (the free list is a stack);
 *  - the CID table (PspCidTable), which hands out process ids, thread ids
 *    and — winsilo's decision, see kernel.ts — job/silo ids from one pool.
 *    It is strict FIFO: "Set PID and TID reuse to strict FIFO. This isn't
 *    absolutely needed but it makes tracking audits easier" (WRK
 *    ps/psinit.c, PspInitPhase0), so a freed id comes back only after every
 *    id freed before it, and only once enough have gathered.
 *
 * The rules, from WRK ex/handle.c (Windows Server 2003 SP1 source; later
 * kernels split the free list per processor but keep these orders):
 *  - Values are index × 4; index 0 of every 4 KiB page of entries is
 *    reserved, so no value is ever a multiple of 1024 (256 entries/page, x64).
 *  - A new page's entries go on the free list in ascending order, in front
 *    of whatever is already there (ExpAllocateHandleTableEntrySlow).
 *  - Allocation pops the head of FirstFree. When FirstFree is empty, the
 *    entries freed meanwhile (LastFree, a stack) are moved over
 *    (ExpMoveFreeHandles): as they are (LIFO) for an ordinary table,
 *    reversed — oldest first — for a strict-FIFO table; and a strict-FIFO
 *    table that gathered fewer than 100 grows a new page as well, whose
 *    entries then come first.
 *  - Freeing pushes the entry on LastFree (strict FIFO), or straight back
 *    on FirstFree (an ordinary table whose lock is free, which in a
 *    single-threaded simulation it always is).
 */
import { PROCESS_LIMITS } from './limits.js';

const IN_USE = -1;
const RESERVED = -2;

export interface HandleTableOptions {
  /** PspCidTable's ExSetHandleTableStrictFIFO. */
  strictFifo?: boolean;
  /** Entries per page (default PROCESS_LIMITS.handleTablePageEntries). */
  pageEntries?: number;
  /** Most entries the table may grow to (default PROCESS_LIMITS.maxHandleTableEntries). */
  maxEntries?: number;
}

export class HandleTable<T> {
  readonly strictFifo: boolean;
  private readonly pageEntries: number;
  private readonly maxEntries: number;
  /** Per entry: the next free index (0 = end of list) when free, IN_USE, or RESERVED. */
  private next: Int32Array;
  private objects: (T | undefined)[] = [];
  private firstFree = 0;
  private lastFree = 0;
  /** Entries with pages behind them (NextHandleNeedingPool / 4). */
  private allocated = 0;
  private inUse = 0;

  constructor(options: HandleTableOptions = {}) {
    this.strictFifo = options.strictFifo ?? false;
    this.pageEntries = options.pageEntries ?? PROCESS_LIMITS.handleTablePageEntries;
    this.maxEntries = options.maxEntries ?? PROCESS_LIMITS.maxHandleTableEntries;
    this.next = new Int32Array(this.pageEntries);
    this.grow();
  }

  /** Handles in use (HandleCount). */
  get count(): number {
    return this.inUse;
  }

  /**
   * ExCreateHandle: a new value for `object`, or 0 when the table cannot
   * grow (the caller answers STATUS_INSUFFICIENT_RESOURCES).
   */
  create(object: T): number {
    if (this.firstFree === 0) {
      const moved = this.moveFree();
      if ((this.firstFree === 0 || moved) && !this.grow() && this.firstFree === 0) return 0;
    }
    const i = this.firstFree;
    this.firstFree = this.next[i]!;
    this.next[i] = IN_USE;
    this.objects[i] = object;
    this.inUse++;
    return i << 2;
  }

  /** The object behind a value (its low two bits ignored, as NT ignores them), if in use. */
  get(value: number): T | undefined {
    const i = value >>> 2;
    if (i >= this.allocated || this.next[i] !== IN_USE) return undefined;
    return this.objects[i];
  }

  /** Replaces the object behind a value in use (ExChangeHandle); false if the value is not in use. */
  set(value: number, object: T): boolean {
    const i = value >>> 2;
    if (i >= this.allocated || this.next[i] !== IN_USE) return false;
    this.objects[i] = object;
    return true;
  }

  /** ExDestroyHandle: frees the value; returns what it held, undefined if it was not in use. */
  destroy(value: number): T | undefined {
    const i = value >>> 2;
    if (i >= this.allocated || this.next[i] !== IN_USE) return undefined;
    const object = this.objects[i];
    this.objects[i] = undefined;
    this.inUse--;
    if (this.strictFifo) {
      this.next[i] = this.lastFree;
      this.lastFree = i;
    } else {
      this.next[i] = this.firstFree;
      this.firstFree = i;
    }
    return object;
  }

  /** Every value in use with its object, in ascending value order. */
  *entries(): IterableIterator<[number, T]> {
    for (let i = 1; i < this.allocated; i++) if (this.next[i] === IN_USE) yield [i << 2, this.objects[i]!];
  }

  /**
   * ExpMoveFreeHandles. Returns true when a strict-FIFO table moved fewer than
   * strictFifoMinFree entries and so must grow as well.
   */
  private moveFree(): boolean {
    if (this.lastFree === 0) return false;
    let i = this.lastFree;
    this.lastFree = 0;
    if (!this.strictFifo) {
      this.firstFree = i;
      return false;
    }
    // Reverse the stack so the entry freed first comes out first.
    let prev = this.firstFree;
    let size = 0;
    while (i !== 0) {
      const n = this.next[i]!;
      this.next[i] = prev;
      prev = i;
      i = n;
      size++;
    }
    this.firstFree = prev;
    return size < PROCESS_LIMITS.strictFifoMinFree;
  }

  /** A new page whose entries go on the free list first, ascending. */
  private grow(): boolean {
    const base = this.allocated;
    if (base + this.pageEntries > this.maxEntries) return false;
    if (base + this.pageEntries > this.next.length) {
      const bigger = new Int32Array(Math.max(this.next.length * 2, base + this.pageEntries));
      bigger.set(this.next);
      this.next = bigger;
    }
    this.next[base] = RESERVED;
    const last = base + this.pageEntries - 1;
    for (let i = base + 1; i < last; i++) this.next[i] = i + 1;
    this.next[last] = this.firstFree;
    this.firstFree = base + 1;
    this.allocated = base + this.pageEntries;
    return true;
  }
}
