/**
 * Session ids. Windows takes the lowest clear bit of its session-id bitmap
 * (WRK mm/session.c, MiSessionCreateInternal:
 * `RtlFindClearBitsAndSet (MiSessionIdBitmap, 1, 0)`), so a freed id is the
 * next one handed out.
 *
 * Session 0 is the host's services session. The ids below
 * `firstContainerSession` stand for sessions the host has already used
 * (console and remote logons, earlier containers): the seeds show two
 * containers in sessions 14 and 15 on a host that has been up a while, so
 * that is the default (windows-facts §2).
 */
export const DEFAULT_FIRST_CONTAINER_SESSION = 14;

export class SessionIds {
  private readonly used = new Set<number>();
  /** Every id from `first` up to (not including) this one is in use: the search starts here. */
  private low: number;

  constructor(readonly first: number = DEFAULT_FIRST_CONTAINER_SESSION) {
    if (!Number.isInteger(first) || first < 1 || first > 0xffff) throw new RangeError(`first container session must be 1…65535, not ${first}`);
    this.low = first;
  }

  /** The lowest free id at or above `first`. */
  allocate(): number {
    let id = this.low;
    while (this.used.has(id)) id++;
    this.used.add(id);
    this.low = id + 1;
    return id;
  }

  free(id: number): void {
    if (this.used.delete(id) && id < this.low) this.low = id;
  }

  inUse(id: number): boolean {
    return this.used.has(id);
  }
}
