// How the block store lies in linear memory.
//
// Two pools hand out fixed-size units by dense id (1, 2, …; 0 = none):
// physical blocks (block-size units: the data) and map nodes (4 KiB units:
// the radix tree). Each pool takes memory from the arena one 1 MiB chunk at
// a time and never gives a chunk back; a freed unit's id goes on the pool's
// free stack (LIFO) and is reused before any never-used id. The stack is an
// array of its own rather than links through the free units: taking a unit
// then reads no cold memory (a link in a freed block is a cache and TLB miss
// on every copy-on-write). Every unit in use has a reference count.
//
// Pool record (POOL_BYTES, one per pool, at a fixed address):
//   0         4          8              12    16    20     24         28     32    36
//   +---------+----------+--------------+-----+-----+------+----------+------+-----+---------+
//   | chunks  | unitShift| perChunkShift| top | cap | free | freeCount| inUse| refs| refsCap |
//   +---------+----------+--------------+-----+-----+------+----------+------+-----+---------+
//   chunks: address of the chunk table (MAX_CHUNKS × u32 chunk addresses)
//   top: next never-used id; cap: ids below it have storage
//   free: address of the free stack (u32 ids, refsCap of room; freeCount on it)
//   refs: address of the reference counts (u32 per id, refsCap of them)
//
//   unit address(id) = chunks[id >> perChunkShift] + ((id & (perChunk − 1)) << unitShift)
//
// Map node (NODE_BYTES = 4 KiB): FANOUT u32 entries. In a leaf (level 0) an
// entry is a physical block id (low 31 bits) and the OWN bit; above, a node
// id; 0 = nothing mapped there.
//
//   leaf entry:  31   30                                   0
//               +---+--------------------------------------+
//               |OWN|  physical block id (LEAF_ID)          |
//               +---+--------------------------------------+
//   OWN set ⇒ the block's reference count is 1 (this entry is its only
//   mapper), so a write whose path is private goes ahead without reading the
//   reference counts — on a random write into a large disk that read is a
//   cache and TLB miss of its own, beside the leaf's and the block's. It is
//   a one-way hint: clear means "look at the count". Block counts only ever
//   rise when a shared leaf is copied (privateNode), which clears OWN in
//   the original and the copy alike; a write that finds a count of 1 sets it.
//   Block ids stay far below 2^31 (wasm32: at most 2^23 blocks of 512 B).
// A disk of depth d has its root at level d − 1; block index i uses bits
// [FANOUT_SHIFT·L, FANOUT_SHIFT·(L+1)) of i at level L. Depth is the
// smallest that covers the disk's blocks (at least 1), or more for a disk
// imported onto a larger base (never less: see importBegin).
//
//   reference count of a node  = entries (in live nodes) naming it + disks whose root it is
//   reference count of a block = leaf entries (in live nodes) naming it
//
// A unit reachable from two roots is shared: writing through one root
// copies it first (copy-on-write), so a copy's children gain a reference.
//
// Disk record (DISK_BYTES, table indexed by disk id; slot 0 unused):
//   0      4       5       6     8                 16           20        24
//   +------+-------+-------+-----+-----------------+------------+---------+--------+
//   | root | depth | flags | pad | virtualSize f64 | blockCount | nextFree| pad    |
//   +------+-------+-------+-----+-----------------+------------+---------+--------+
//   flags: DISK_LIVE, DISK_READ_ONLY; nextFree links free slots (LIFO: the
//   most recently deleted id is handed out first, as types.ts promises).
//
// Invariants the audit checks (and that diff relies on, to call two disks
// equal wherever they share a node or block):
//   I1  a disk maps no block at an index ≥ its blockCount;
//   I2  bytes of a disk's last block beyond its virtual size are zero.

export const CHUNK_SHIFT: u32 = 20;
/** 4096 chunks of 1 MiB: the whole wasm32 address space. */
export const MAX_CHUNKS: u32 = 4096;

export const P_CHUNKS: usize = 0;
export const P_UNIT_SHIFT: usize = 4;
export const P_PER_CHUNK_SHIFT: usize = 8;
export const P_TOP: usize = 12;
export const P_CAP: usize = 16;
export const P_FREE: usize = 20;
export const P_FREE_COUNT: usize = 24;
export const P_IN_USE: usize = 28;
export const P_REFS: usize = 32;
export const P_REFS_CAP: usize = 36;
export const POOL_BYTES: i32 = 64;

/** Leaf entry bits (diagram above): the block's reference count is 1; the block id. */
export const LEAF_OWN: u32 = 0x80000000;
export const LEAF_ID: u32 = 0x7fffffff;

export const FANOUT_SHIFT: u32 = 10;
export const FANOUT: u32 = 1 << FANOUT_SHIFT;
export const FANOUT_MASK: u32 = FANOUT - 1;
export const NODE_SHIFT: u32 = 12;
export const NODE_BYTES: usize = 1 << NODE_SHIFT;
/** Levels a 2^31-block disk (1 TiB of 512 B blocks) needs: 4 × 10 bits. */
export const MAX_DEPTH: i32 = 4;

export const D_ROOT: usize = 0;
export const D_DEPTH: usize = 4;
export const D_FLAGS: usize = 5;
export const D_SIZE: usize = 8;
export const D_COUNT: usize = 16;
export const D_NEXT_FREE: usize = 20;
export const DISK_SHIFT: usize = 5;
export const DISK_BYTES: usize = 1 << DISK_SHIFT;

export const DISK_LIVE: u8 = 1;
export const DISK_READ_ONLY: u8 = 2;
