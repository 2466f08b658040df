// A sized, size-class allocator over raw linear memory, shared by the core
// modules. Each module is its own WASM instance with its own memory; this
// file is compiled into each.
//
// Why not the AssemblyScript runtime's heap: heap.alloc traps when
// memory.grow fails, and a trap must never reach a user (a full arena is a
// status — STATUS_INSUFFICIENT_RESOURCES or STATUS_DISK_FULL — not an
// abort). So modules build with `--runtime stub`, allocate no managed
// objects, and take every byte from here; `alloc` returns 0 when memory
// cannot grow or the configured page ceiling is reached.
//
// Layout: no per-allocation header. Callers pass the size back to `free`
// (sized free), so a 16-byte record costs 16 bytes. Sizes round up to a
// power-of-two class, 16 B (class 0) .. 2 GiB (class 27). Freed chunks go on
// a singly linked free list per class (the first 4 bytes of a free chunk
// hold the next pointer); chunks are never split or coalesced.
//
//   FREE_HEADS: [class 0 head u32][class 1 head u32] … [class 27 head u32]
//   memory:     | data segments | __heap_base … bump → | unused … end |

const CLASSES: i32 = 28;
const SLACK: usize = 16;
const MIN_SHIFT: u32 = 4;
const FREE_HEADS: usize = memory.data(CLASSES * 4);

let bump: usize = 0;
let end: usize = 0;
/** Upper bound on memory pages (64 KiB each) this instance may grow to. */
let pageCeiling: i32 = 65536;
/** Bytes handed out and not freed, by class size (for memory statistics). */
let liveBytes: u64 = 0;

@inline function ensureInit(): void {
  if (end == 0) {
    bump = (__heap_base + 15) & ~(<usize>15);
    end = (<usize>memory.size()) << 16;
  }
}

@inline function classOf(size: usize): u32 {
  if (size <= 16) return 0;
  return (32 - clz(<u32>(size - 1))) - MIN_SHIFT;
}

/** Cap growth at `pages` × 64 KiB (a quota); never below what is in use. */
export function arenaSetPageCeiling(pages: i32): void {
  ensureInit();
  const used = <i32>memory.size();
  pageCeiling = pages < used ? used : (pages > 65536 ? 65536 : pages);
}

export function arenaLiveBytes(): u64 {
  return liveBytes;
}

/** Returns a 16-byte-aligned chunk of at least `size` bytes, or 0. */
export function alloc(size: usize): usize {
  ensureInit();
  const k = classOf(size);
  if (k >= <u32>CLASSES) return 0;
  const csize: usize = (<usize>1) << (k + MIN_SHIFT);
  const headPtr = FREE_HEADS + (<usize>k << 2);
  const head = <usize>load<u32>(headPtr);
  if (head != 0) {
    store<u32>(headPtr, load<u32>(head));
    liveBytes += csize;
    return head;
  }
  // Split a free chunk of a larger class (buddy-style, never merged): the
  // old copies of tables that grew by doubling are reused this way instead
  // of lying idle in classes nothing asks for again.
  for (let j = k + 1; j < <u32>CLASSES; j++) {
    const jHead = FREE_HEADS + (<usize>j << 2);
    const c = <usize>load<u32>(jHead);
    if (c == 0) continue;
    store<u32>(jHead, load<u32>(c));
    for (let m = j - 1; m >= k; m--) {
      const piece = c + ((<usize>1) << (m + MIN_SHIFT));
      const mHead = FREE_HEADS + (<usize>m << 2);
      store<u32>(piece, load<u32>(mHead));
      store<u32>(mHead, <u32>piece);
      if (m == k) break;
    }
    liveBytes += csize;
    return c;
  }
  // Align large chunks to their class size up to 4 KiB so block-sized
  // buffers never straddle more pages than they must.
  const align: usize = csize < 4096 ? 16 : 4096;
  const start = (bump + align - 1) & ~(align - 1);
  const newBump = start + csize;
  if (newBump < start) return 0;
  // Keep SLACK bytes between the last chunk and the end of memory, so that
  // word-at-a-time readers (8-byte loads over a name's tail) stay in bounds.
  if (newBump + SLACK > end) {
    const needPages = <i32>((newBump + SLACK - end + 0xffff) >> 16);
    const have = <i32>memory.size();
    if (have + needPages > pageCeiling) return 0;
    // Grow by an eighth of what there is (at least 1 MiB) rather than by
    // the pages needed now: every memory.grow makes the JS engine re-map
    // the buffer (and V8 runs a full GC), so hundreds of small grows cost
    // seconds. Fall back to the exact need near the ceiling.
    let step = have >> 3;
    if (step < 16) step = 16;
    if (step < needPages) step = needPages;
    if (have + step > pageCeiling) step = pageCeiling - have;
    if (memory.grow(step) < 0 && memory.grow(needPages) < 0) return 0;
    end = (<usize>memory.size()) << 16;
  }
  bump = newBump;
  liveBytes += csize;
  return start;
}

/**
 * Same as alloc, zero-filled. A chunk carved above the bump pointer as it
 * was is zero already — nothing below `end` past the bump has ever been
 * handed out, and memory starts and grows zeroed — so only a reused chunk
 * is filled: writing megabytes of zeros into fresh pages (the namespace's
 * 8 MiB path cache) made the host touch every page at start-up.
 */
export function allocZeroed(size: usize): usize {
  ensureInit();
  const untouched = bump;
  const p = alloc(size);
  if (p != 0 && p < untouched) memory.fill(p, 0, (<usize>1) << (classOf(size) + MIN_SHIFT));
  return p;
}

/** Returns a chunk from alloc(size) to its class's free list. */
export function free(ptr: usize, size: usize): void {
  if (ptr == 0) return;
  const k = classOf(size);
  const headPtr = FREE_HEADS + (<usize>k << 2);
  store<u32>(ptr, load<u32>(headPtr));
  store<u32>(headPtr, <u32>ptr);
  liveBytes -= (<u64>1) << (k + MIN_SHIFT);
}

/** Usable size of a chunk allocated with `size` (its class size). */
export function chunkSize(size: usize): usize {
  return (<usize>1) << (classOf(size) + MIN_SHIFT);
}
