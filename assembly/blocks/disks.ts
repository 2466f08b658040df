// The disk table (layout.ts "Disk record"): ids 1, 2, …; a deleted id goes
// on a LIFO free list and is handed out again first (types.ts).

import { alloc, free } from '../rt/arena';
import { MAX_DISKS } from './limits';
import { D_FLAGS, D_NEXT_FREE, DISK_BYTES, DISK_LIVE, DISK_SHIFT, FANOUT_SHIFT, MAX_DEPTH } from './layout';

let table: usize = 0;
let capacity: u32 = 0; // slots, including the unused slot 0
let top: u32 = 1; // next never-used id
let freeHead: u32 = 0;
let live: u32 = 0;

@inline export function diskRec(d: u32): usize {
  return table + (<usize>d << DISK_SHIFT);
}

/** True when `d` names a live disk (any u32 is safe to pass). */
export function isDisk(d: u32): bool {
  return d != 0 && d < top && (load<u8>(diskRec(d) + D_FLAGS) & DISK_LIVE) != 0;
}

export function liveDisks(): u32 {
  return live;
}

/** Ids below this may be live (for walks over every disk). */
export function diskTop(): u32 {
  return top;
}

/** Makes sure the next `newDisk` cannot fail; false when memory cannot grow. */
export function reserveDisk(): bool {
  if (freeHead != 0 || top < capacity) return true;
  if (capacity >= MAX_DISKS) return false;
  const want: u32 = capacity == 0 ? 64 : capacity << 1;
  const fresh = alloc(<usize>want << DISK_SHIFT);
  if (fresh == 0) return false;
  if (table != 0) {
    memory.copy(fresh, table, <usize>capacity << DISK_SHIFT);
    free(table, <usize>capacity << DISK_SHIFT);
  }
  memory.fill(fresh + (<usize>capacity << DISK_SHIFT), 0, <usize>(want - capacity) << DISK_SHIFT);
  table = fresh;
  capacity = want;
  return true;
}

/** A zeroed, live record; call reserveDisk first. */
export function newDisk(): u32 {
  let d = freeHead;
  if (d != 0) freeHead = load<u32>(diskRec(d) + D_NEXT_FREE);
  else d = top++;
  store<u64>(diskRec(d), 0);
  store<u64>(diskRec(d), 0, 8);
  store<u64>(diskRec(d), 0, 16);
  store<u64>(diskRec(d), 0, 24);
  store<u8>(diskRec(d) + D_FLAGS, DISK_LIVE);
  live++;
  return d;
}

export function freeDisk(d: u32): void {
  memory.fill(diskRec(d), 0, DISK_BYTES);
  store<u32>(diskRec(d) + D_NEXT_FREE, freeHead);
  freeHead = d;
  live--;
}

/** Free slots on the list (for the audit). */
export function freeDiskSlots(): u32 {
  let n: u32 = 0;
  for (let d = freeHead; d != 0 && n <= top; d = load<u32>(diskRec(d) + D_NEXT_FREE)) n++;
  return n;
}

/** The smallest depth whose tree covers `blockCount` blocks (at least 1). */
export function depthFor(blockCount: u32): i32 {
  let depth = 1;
  while (depth < MAX_DEPTH && (<u64>blockCount) > ((<u64>1) << (<u64>(FANOUT_SHIFT * <u32>depth)))) depth++;
  return depth;
}
