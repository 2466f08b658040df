/**
 * Benchmarks of the copy-on-write block store (src/core/blocks): the WASM
 * implementation beside the TypeScript reference, on identical disks and
 * identical (seeded) block orders, and the machine's memory-copy floor for
 * 4 KiB blocks measured in the same run.
 *
 * The disks (4 KiB blocks): a 1 GiB disk written in full (262 144 blocks,
 * every map leaf populated), and a 64 GiB disk populated sparsely — one
 * block in each of its 16 384 map leaves (64 MiB), since writing 64 GiB in
 * full is beyond one wasm32 memory; a clone's cost is a reference to the
 * root either way. Before anything is timed, sampled blocks of every disk
 * read back what was written, in both implementations. Both stores are
 * built first and measured in alternation (see measureBoth): timed one
 * after the other, whichever ran second came out slower.
 *
 * Rows (ns per op):
 *   blocks.clone.1GiB         clone of the full 1 GiB disk
 *   blocks.clone.64GiB        clone of the 64 GiB disk
 *   blocks.write4k.cow        a 4 KiB block-aligned write at a random block of a
 *                             fresh clone of the 1 GiB disk, each the first write
 *                             to a shared block (so a copy; the clone's blocks are
 *                             written in a random permutation, never twice)
 *   blocks.write4k.exclusive  the same blocks written again (in another random
 *                             order), now private: no copy-on-write
 *   blocks.read4k             a 4 KiB read at a random block of the 1 GiB disk
 *   blocks.chain128.read4k    random reads on the tip of a chain of 128 clones of
 *                             the 1 GiB disk (each level with 64 blocks of its own)
 *   blocks.chain128.write4k   first writes into a fresh clone of that tip; the
 *                             `@depth1` rows are the same on a clone of the disk
 *   blocks.*.mapped           the cow, exclusive and read rows through mapped
 *                             access (BlockMapping): the block mapped in place
 *                             and one byte of it stored or loaded by the
 *                             caller — no copy between JS and the store, so
 *                             the store's own work (and, for cow, its copy)
 *   blocks.*.batch64          the cow, exclusive and read rows through the batched
 *                             calls (BlockBatch): the same blocks in the same
 *                             order, 64 per call (256 KiB),
 *                             from and into a caller's 256 KiB buffer; both
 *                             stores find every block of a batch before
 *                             copying any, and copy each block once with
 *                             Uint8Array.set (the WASM store's gain is one
 *                             crossing and one set of checks per batch)
 *   blocks.memcpy4k           the floor: 4 KiB copied to random 4 KiB slots of a
 *                             256 MiB region (many times the last-level cache,
 *                             as the stores' blocks are) with WASM memory.copy
 *                             (memcpy.wasm), Buffer.copy (memcpy.buffer) and
 *                             Uint8Array.set (memcpy.set — what both stores
 *                             copy a block with: the write rows' floor, as
 *                             their blocks span 256 MiB too); and
 *                             memcpy.set.read1GiB, Uint8Array.set out of
 *                             random blocks of a 1 GiB region in the read
 *                             rows' order (their floor)
 *
 * Times are CPU time of this process (see `now`), medians of rounds.
 *
 * Bookkeeping = a row's time less its floor: what the store adds to the one
 * copy that moving 4 KiB between JS and the store needs.
 *
 * Targets (issue 4): clone < 10 µs and independent of size; ≤ 150 ns of
 * bookkeeping per 4 KiB write beyond the copy, so that first writes sustain
 * ≥ 3 GB/s; WASM ≥ 1.3× the reference on writes and reads. The notes say
 * whether each is met.
 */
import type { Bench } from './harness.js';
import { RefBlockStore, WasmBlockStore, type BlockBatch, type BlockMapping, type BlockStore } from '../src/core/blocks/index.js';
import { STATUS_SUCCESS } from '../src/core/ntstatus.js';

const B = 4096;
const GIB = 2 ** 30;
const FULL_BLOCKS = GIB / B;
const SPARSE_SIZE = 64 * GIB;
/** Blocks a map leaf covers (assembly/blocks/layout.ts FANOUT). */
const LEAF_BLOCKS = 1024;
const CHAIN_DEPTH = 128;
const CHAIN_BLOCKS_PER_LEVEL = 64;
/** Writes per timed round: a quarter of the clone, so every write of a round is a first write. */
const ROUND_OPS = 65536;
const ROUNDS = 5;
const CLONES_PER_ROUND = 2048;
/** Larger than the last-level cache many times over, as the stores' 1 GiB of blocks is. */
const FLOOR_REGION = 256 << 20;
const SEED = 0xb10c5;
const TARGET = { cloneNs: 10_000, bookkeepingNs: 150, gbps: 3, speedup: 1.3 } as const;

type Store = BlockStore & BlockMapping & BlockBatch & { physicalBlock(disk: number, index: number): number };
/** Blocks per batched call in the batch rows (256 KiB of 4 KiB blocks). */
const BATCH = 64;

/** A seeded permutation of 0 … n − 1 (xorshift32, Fisher–Yates). */
function permutation(n: number, seed: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  let x = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const j = x % (i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** A block's contents: its index stamped in every 8th byte, so a misplaced block reads wrong. */
function stamp(buf: Uint8Array, index: number, salt: number): Uint8Array {
  const v = (index * 2654435761 + salt) >>> 0;
  for (let i = 0; i < buf.length; i += 8) {
    buf[i] = v & 0xff;
    buf[i + 1] = (v >>> 8) & 0xff;
    buf[i + 2] = (v >>> 16) & 0xff;
    buf[i + 3] = v >>> 24;
  }
  return buf;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`blocks bench: validation failed: ${what}`);
}

/**
 * Now, in ns of this process's CPU time (user + system), not the wall
 * clock: on a shared machine (load 10+ on 2 cores while the other helpers
 * run) a wall-clock round mostly measures how long the scheduler kept the
 * process off a core, so two runs of the same code differed by 3× and the
 * WASM ÷ reference ratios by as much (0.3 … 3.7). CPU time leaves that
 * out and charges both stores the same way; what neighbours do to the
 * caches and the memory bus still shows. Linux reports it from the
 * scheduler's nanosecond runtime, so a round of tens of microseconds or
 * more is timed well enough.
 */
function now(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/** The median of `rounds` timings of `body` (ns per op), each after an untimed `setup`. */
function timeRounds(rounds: number, ops: number, setup: () => void, body: () => void, teardown: () => void = () => {}): number {
  const samples: number[] = [];
  for (let r = 0; r < rounds + 1; r++) {
    setup();
    const t0 = now();
    body();
    const ns = (now() - t0) / ops;
    teardown();
    if (r > 0) samples.push(ns); // round 0 warms up (and takes the memory later rounds reuse)
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1]!;
}

/** One store with its disks built and checked: what every measurement works on. */
interface Fixture {
  s: Store;
  full: number;
  sparse: number;
  tip: number;
  depth1: number;
  /** Picks the quarter of the block order a round uses, so consecutive rounds differ. */
  round: number;
}

const ORDER = permutation(FULL_BLOCKS, SEED);
const READ_ORDER = permutation(FULL_BLOCKS, SEED + 1);
/** The exclusive rewrite visits a round's blocks in another random order: in the first order the
 *  copies were taken from consecutive free blocks, which would make the rewrite sequential. */
const REORDER = permutation(ROUND_OPS, SEED + 3);
const DATA = stamp(new Uint8Array(B), 7, 3);

function build(s: Store): Fixture {
  const buf = new Uint8Array(B);
  const into = new Uint8Array(B);
  // The full 1 GiB disk.
  const full = s.createDisk(GIB).disk;
  for (let i = 0; i < FULL_BLOCKS; i++) check(s.write(full, i * B, stamp(buf, i, 1)) === STATUS_SUCCESS, 'populate');
  for (let k = 0; k < 4096; k++) {
    const i = ORDER[k]!;
    check(s.read(full, i * B, into) === STATUS_SUCCESS && Buffer.compare(into, stamp(buf, i, 1)) === 0, `1 GiB block ${i}`);
  }
  // The sparse 64 GiB disk: one block per leaf.
  const sparse = s.createDisk(SPARSE_SIZE).disk;
  const leaves = SPARSE_SIZE / B / LEAF_BLOCKS;
  for (let l = 0; l < leaves; l++) check(s.write(sparse, l * LEAF_BLOCKS * B, stamp(buf, l, 2)) === STATUS_SUCCESS, 'sparse');
  check(s.stats(sparse).allocatedBytes === leaves * B, '64 GiB disk allocation');
  for (let l = 0; l < leaves; l += 97) {
    check(s.read(sparse, l * LEAF_BLOCKS * B, into) === STATUS_SUCCESS && Buffer.compare(into, stamp(buf, l, 2)) === 0, `64 GiB leaf ${l}`);
  }
  const probe = s.clone(sparse).disk;
  check(s.read(probe, 5 * LEAF_BLOCKS * B, into) === STATUS_SUCCESS && Buffer.compare(into, stamp(buf, 5, 2)) === 0, '64 GiB clone reads');
  s.deleteDisk(probe);
  // A chain of 128 clones, each with blocks of its own.
  let tip = full;
  for (let level = 0; level < CHAIN_DEPTH; level++) {
    tip = s.clone(tip).disk;
    for (let k = 0; k < CHAIN_BLOCKS_PER_LEVEL; k++) s.write(tip, ORDER[level * CHAIN_BLOCKS_PER_LEVEL + k]! * B, stamp(buf, level, 4));
  }
  check(s.read(tip, ORDER[0]! * B, into) === STATUS_SUCCESS && Buffer.compare(into, stamp(buf, 0, 4)) === 0, 'chain tip reads level 0');
  check(s.read(tip, ORDER[FULL_BLOCKS - 1]! * B, into) === STATUS_SUCCESS && Buffer.compare(into, stamp(buf, ORDER[FULL_BLOCKS - 1]!, 1)) === 0, 'chain tip reads the base');
  return { s, full, sparse, tip, depth1: s.clone(full).disk, round: 0 };
}

/** Clones of `disk`: the clone alone is timed; each batch is deleted untimed. */
function measureClone(f: Fixture, disk: number): number {
  const clones = new Uint32Array(CLONES_PER_ROUND);
  return timeRounds(
    ROUNDS,
    CLONES_PER_ROUND,
    () => {},
    () => {
      for (let k = 0; k < CLONES_PER_ROUND; k++) clones[k] = f.s.clone(disk).disk;
    },
    () => {
      for (let k = 0; k < CLONES_PER_ROUND; k++) f.s.deleteDisk(clones[k]!);
    },
  );
}

/**
 * First writes into a fresh clone of `base` (copy-on-write), then (untimed
 * by the first figure) the same blocks again, now private: [cow, exclusive].
 */
function measureWrites(f: Fixture, base: number, order: Uint32Array): [number, number] {
  const { s } = f;
  const into = new Uint8Array(B);
  let c = 0;
  let exclusive = Infinity;
  const cow = timeRounds(
    ROUNDS,
    ROUND_OPS,
    () => {
      c = s.clone(base).disk;
    },
    () => {
      const at = (f.round % 4) * ROUND_OPS;
      for (let k = 0; k < ROUND_OPS; k++) s.write(c, order[at + k]! * B, DATA);
    },
    () => {
      const at = (f.round % 4) * ROUND_OPS;
      const before = s.storeStats().blocksInUse;
      const t0 = now();
      for (let k = 0; k < ROUND_OPS; k++) s.write(c, order[at + REORDER[k]!]! * B, DATA);
      exclusive = Math.min(exclusive, (now() - t0) / ROUND_OPS);
      check(s.storeStats().blocksInUse === before, 'exclusive writes copied nothing');
      check(s.stats(c).exclusiveBytes >= ROUND_OPS * B, 'a copied block per first write');
      const i = order[at]!;
      check(s.read(c, i * B, into) === STATUS_SUCCESS && Buffer.compare(into, DATA) === 0, 'clone block');
      check(s.read(base, i * B, into) === STATUS_SUCCESS && Buffer.compare(into, DATA) !== 0, 'the base keeps its block');
      s.deleteDisk(c);
      f.round++;
    },
  );
  return [cow, exclusive];
}

/**
 * The mapped rows: the same first writes and rewrites, each a block mapped
 * for writing in place with the caller storing one byte in it (a producer
 * that builds its bytes there, as the NTFS volume encodes a file record;
 * what it writes next costs the same whichever store holds the block).
 * [cow, exclusive].
 */
function measureMappedWrites(f: Fixture, base: number, order: Uint32Array): [number, number] {
  const { s } = f;
  const into = new Uint8Array(B);
  const old = new Uint8Array(B);
  let c = 0;
  let exclusive = Infinity;
  const cow = timeRounds(
    ROUNDS,
    ROUND_OPS,
    () => {
      c = s.clone(base).disk;
    },
    () => {
      const at = (f.round % 4) * ROUND_OPS;
      for (let k = 0; k < ROUND_OPS; k++) {
        s.mapForWrite(c, order[at + k]! * B, B);
        s.mapped[s.mappedOffset] = 0x5a;
      }
    },
    () => {
      const at = (f.round % 4) * ROUND_OPS;
      const before = s.storeStats().blocksInUse;
      const t0 = now();
      for (let k = 0; k < ROUND_OPS; k++) {
        s.mapForWrite(c, order[at + REORDER[k]!]! * B, B);
        s.mapped[s.mappedOffset] = 0xa5;
      }
      exclusive = Math.min(exclusive, (now() - t0) / ROUND_OPS);
      check(s.storeStats().blocksInUse === before, 'mapped rewrites copied nothing');
      const i = order[at]!;
      check(s.read(c, i * B, into) === STATUS_SUCCESS && s.read(base, i * B, old) === STATUS_SUCCESS, 'mapped block reads');
      check(into[0] === 0xa5 && old[0] !== 0xa5 && Buffer.compare(into.subarray(1), old.subarray(1)) === 0, 'a mapped write keeps the rest of the block; the base keeps its own');
      s.deleteDisk(c);
      f.round++;
    },
  );
  return [cow, exclusive];
}

/**
 * The batch rows: the same first writes and rewrites as measureWrites, BATCH
 * blocks per writeBlocks call from one caller buffer. [cow, exclusive].
 */
function measureBatchWrites(f: Fixture, base: number, order: Uint32Array): [number, number] {
  const { s } = f;
  const into = new Uint8Array(B);
  const data = new Uint8Array(BATCH * B);
  for (let k = 0; k < BATCH; k++) data.set(DATA, k * B);
  const again = new Uint32Array(ROUND_OPS);
  let c = 0;
  let exclusive = Infinity;
  const cow = timeRounds(
    ROUNDS,
    ROUND_OPS,
    () => {
      c = s.clone(base).disk;
    },
    () => {
      const at = (f.round % 4) * ROUND_OPS;
      for (let k = 0; k < ROUND_OPS; k += BATCH) s.writeBlocks(c, order.subarray(at + k, at + k + BATCH), data);
    },
    () => {
      const at = (f.round % 4) * ROUND_OPS;
      for (let k = 0; k < ROUND_OPS; k++) again[k] = order[at + REORDER[k]!]!;
      const before = s.storeStats().blocksInUse;
      const t0 = now();
      for (let k = 0; k < ROUND_OPS; k += BATCH) s.writeBlocks(c, again.subarray(k, k + BATCH), data);
      exclusive = Math.min(exclusive, (now() - t0) / ROUND_OPS);
      check(s.storeStats().blocksInUse === before, 'batched rewrites copied nothing');
      check(s.stats(c).exclusiveBytes >= ROUND_OPS * B, 'a copied block per batched first write');
      const i = order[at + 1]!;
      check(s.read(c, i * B, into) === STATUS_SUCCESS && Buffer.compare(into, DATA) === 0, 'batched clone block');
      check(s.read(base, i * B, into) === STATUS_SUCCESS && Buffer.compare(into, DATA) !== 0, 'the base keeps its block (batched)');
      s.deleteDisk(c);
      f.round++;
    },
  );
  return [cow, exclusive];
}

/** The read row through readBlocks: the same random blocks, BATCH per call into one caller buffer. */
function measureBatchReads(f: Fixture, disk: number): number {
  const into = new Uint8Array(BATCH * B);
  const one = new Uint8Array(B);
  const ns = timeRounds(ROUNDS, ROUND_OPS, () => {}, () => {
    const at = (f.round++ % 4) * ROUND_OPS;
    for (let k = 0; k < ROUND_OPS; k += BATCH) f.s.readBlocks(disk, READ_ORDER.subarray(at + k, at + k + BATCH), into);
  });
  // The last batch holds what read() gives for its blocks.
  const last = READ_ORDER[((f.round - 1) % 4) * ROUND_OPS + ROUND_OPS - 1]!;
  check(f.s.read(disk, last * B, one) === STATUS_SUCCESS && Buffer.compare(one, into.subarray((BATCH - 1) * B)) === 0, 'batched reads read the blocks');
  return ns;
}

/** Random blocks mapped for reading, the caller reading one byte of each (summed, so it is used). */
function measureMappedReads(f: Fixture, disk: number): number {
  let sum = 0;
  const ns = timeRounds(ROUNDS, ROUND_OPS, () => {}, () => {
    const at = (f.round++ % 4) * ROUND_OPS;
    for (let k = 0; k < ROUND_OPS; k++) {
      f.s.mapForRead(disk, READ_ORDER[at + k]! * B, B);
      sum += f.s.mapped[f.s.mappedOffset]!;
    }
  });
  check(sum > 0, 'mapped reads saw the blocks');
  return ns;
}

function measureReads(f: Fixture, disk: number): number {
  const into = new Uint8Array(B);
  return timeRounds(ROUNDS, ROUND_OPS, () => {}, () => {
    const at = (f.round++ % 4) * ROUND_OPS;
    for (let k = 0; k < ROUND_OPS; k++) f.s.read(disk, READ_ORDER[at + k]! * B, into);
  });
}

interface Figures {
  clone1: number;
  clone64: number;
  cow: number;
  exclusive: number;
  read: number;
  chainRead: number;
  chainWrite: number;
  depth1Read: number;
  depth1Write: number;
  cowMapped: number;
  exclusiveMapped: number;
  readMapped: number;
  cowBatch: number;
  exclusiveBatch: number;
  readBatch: number;
}

/**
 * Every figure for both stores, measured in alternation (wasm, ref, wasm,
 * ref) with both stores' memory in place throughout, each figure the lower
 * of an implementation's two medians: measured one store after the other,
 * whichever ran second came out up to 1.5× slower on this shared machine.
 */
function measureBoth(w: Fixture, r: Fixture): [Figures, Figures] {
  const figures = (): Figures => ({ clone1: 0, clone64: 0, cow: 0, exclusive: 0, read: 0, chainRead: 0, chainWrite: 0, depth1Read: 0, depth1Write: 0, cowMapped: 0, exclusiveMapped: 0, readMapped: 0, cowBatch: 0, exclusiveBatch: 0, readBatch: 0 });
  const out: [Figures, Figures] = [figures(), figures()];
  const best = (i: number, key: keyof Figures, ns: number): void => {
    out[i]![key] = out[i]![key] === 0 ? ns : Math.min(out[i]![key], ns);
  };
  for (let pass = 0; pass < 2; pass++) {
    [w, r].forEach((f, i) => {
      best(i, 'clone1', measureClone(f, f.full));
      best(i, 'clone64', measureClone(f, f.sparse));
      const [cow, exclusive] = measureWrites(f, f.full, ORDER);
      best(i, 'cow', cow);
      best(i, 'exclusive', exclusive);
      best(i, 'read', measureReads(f, f.full));
      best(i, 'chainRead', measureReads(f, f.tip));
      best(i, 'depth1Read', measureReads(f, f.depth1));
      best(i, 'chainWrite', measureWrites(f, f.tip, READ_ORDER)[0]);
      best(i, 'depth1Write', measureWrites(f, f.depth1, READ_ORDER)[0]);
      const [cowMapped, exclusiveMapped] = measureMappedWrites(f, f.full, ORDER);
      best(i, 'cowMapped', cowMapped);
      best(i, 'exclusiveMapped', exclusiveMapped);
      best(i, 'readMapped', measureMappedReads(f, f.full));
      const [cowBatch, exclusiveBatch] = measureBatchWrites(f, f.full, ORDER);
      best(i, 'cowBatch', cowBatch);
      best(i, 'exclusiveBatch', exclusiveBatch);
      best(i, 'readBatch', measureBatchReads(f, f.full));
    });
  }
  for (const f of [w, r]) {
    for (const d of [f.depth1, f.tip, f.sparse]) f.s.deleteDisk(d);
    check(f.s.audit().problem === '', `${f.s.impl} audit after the bench`);
  }
  return out;
}

/** 4 KiB copies to random 4 KiB slots of a 256 MiB region. */
function measureFloors(): { wasm: number; buffer: number; set: number; read: number } {
  const order = permutation(FLOOR_REGION / B, SEED + 2);
  const s = new WasmBlockStore();
  const x = s.exports;
  const scratch = x.blkScratch(FLOOR_REGION + B);
  check(scratch !== 0, 'scratch region');
  // memory.copy: the source is the region's last block; the destinations step through the
  // region by a stride coprime to the slot count (pseudo-random), 4096 copies per call.
  const slots = FLOOR_REGION / B;
  const stride = 6151 * B;
  const wasm = timeRounds(ROUNDS, slots, () => {}, () => {
    for (let k = 0; k < slots; k += 4096) x.blkCopyFloor(order[k]! * B, FLOOR_REGION, B, 4096, stride);
  });
  const src = Buffer.alloc(B, 1);
  const region = Buffer.alloc(FLOOR_REGION);
  const buffer = timeRounds(ROUNDS, slots, () => {}, () => {
    for (let k = 0; k < slots; k++) src.copy(region, order[k]! * B);
  });
  const u8 = new Uint8Array(region.buffer, region.byteOffset, region.length);
  const data = new Uint8Array(B).fill(1);
  const set = timeRounds(ROUNDS, slots, () => {}, () => {
    for (let k = 0; k < slots; k++) u8.set(data, order[k]! * B);
  });
  // Reads copy out of random blocks of the whole 1 GiB disk: the same copy
  // from a region of that size, in the read rows' order.
  const gib = new Uint8Array(GIB).fill(3);
  const out = new Uint8Array(B);
  let round = 0;
  const read = timeRounds(ROUNDS, ROUND_OPS, () => {}, () => {
    const at = (round++ % 4) * ROUND_OPS;
    for (let k = 0; k < ROUND_OPS; k++) {
      const o = READ_ORDER[at + k]! * B;
      out.set(gib.subarray(o, o + B));
    }
  });
  return { wasm, buffer, set, read };
}

const gbps = (ns: number): string => `${(B / ns).toFixed(2)} GB/s`;
const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');

export default function blocksBench(b: Bench): void {
  const floor = measureFloors();
  const [w, r] = measureBoth(build(new WasmBlockStore()), build(new RefBlockStore()));

  b.add({ bench: 'blocks.memcpy4k', impl: 'memcpy.wasm', ns_per_op: floor.wasm, baseline: 'memcpy.wasm', note: `${gbps(floor.wasm)}` });
  b.add({ bench: 'blocks.memcpy4k', impl: 'memcpy.buffer', ns_per_op: floor.buffer, baseline: 'memcpy.wasm', note: gbps(floor.buffer) });
  b.add({ bench: 'blocks.memcpy4k', impl: 'memcpy.set', ns_per_op: floor.set, baseline: 'memcpy.wasm', note: `${gbps(floor.set)}: Uint8Array.set, what both stores copy a block with (the write rows' floor)` });
  b.add({ bench: 'blocks.memcpy4k', impl: 'memcpy.set.read1GiB', ns_per_op: floor.read, baseline: 'memcpy.wasm', note: `${gbps(floor.read)}: Uint8Array.set out of random blocks of a 1 GiB region, the read rows' pattern (their floor)` });

  // Size-independent: the 64× larger disk's clone within noise of the smaller's (2× + 200 ns: at
  // tens of nanoseconds a shared machine's jitter is larger than any real difference).
  const independent = (a: number, c: number): boolean => Math.max(a, c) < 2 * Math.min(a, c) + 200;
  const cloneNote = (mine: number): string =>
    `target < 10 µs and size-independent: ${met(mine < TARGET.cloneNs && independent(w.clone1, w.clone64))} (1 GiB ${(w.clone1 / 1e3).toFixed(2)} µs vs 64 GiB ${(w.clone64 / 1e3).toFixed(2)} µs)`;
  b.add({ bench: 'blocks.clone.1GiB', impl: 'wasm', ns_per_op: w.clone1, note: cloneNote(w.clone1) });
  b.add({ bench: 'blocks.clone.1GiB', impl: 'ref', ns_per_op: r.clone1, note: 'disk written in full (262 144 blocks)' });
  b.add({ bench: 'blocks.clone.64GiB', impl: 'wasm', ns_per_op: w.clone64, note: cloneNote(w.clone64) });
  b.add({ bench: 'blocks.clone.64GiB', impl: 'ref', ns_per_op: r.clone64, note: 'sparse: one block in each of the 16 384 map leaves (64 MiB)' });

  const writeNote = (ns: number, ref: number): string => {
    // Bookkeeping: beyond the one copy a write of JS data makes (Uint8Array.set into a region the size of the written blocks').
    const bookkeeping = ns - floor.set;
    return `${gbps(ns)}, ${((floor.wasm / ns) * 100).toFixed(0)} % of memcpy.wasm, ${((floor.set / ns) * 100).toFixed(0)} % of memcpy.set; ` +
      `bookkeeping ${bookkeeping.toFixed(0)} ns beyond memcpy.set (≤ ${TARGET.bookkeepingNs}: ${met(bookkeeping <= TARGET.bookkeepingNs)}; ref ${(ref - floor.set).toFixed(0)} ns; ` +
      `${(ns - floor.wasm).toFixed(0)} ns beyond memcpy.wasm), ≥ ${TARGET.gbps} GB/s: ${met(B / ns >= TARGET.gbps)}, ` +
      `≥ ${TARGET.speedup}× ref: ${met(ref / ns >= TARGET.speedup)}`;
  };
  const refNote = (ns: number): string => `${gbps(ns)}, bookkeeping ${(ns - floor.set).toFixed(0)} ns beyond memcpy.set`;
  b.add({ bench: 'blocks.write4k.cow', impl: 'wasm', ns_per_op: w.cow, note: writeNote(w.cow, r.cow) });
  b.add({ bench: 'blocks.write4k.cow', impl: 'ref', ns_per_op: r.cow, note: refNote(r.cow) });
  b.add({ bench: 'blocks.write4k.exclusive', impl: 'wasm', ns_per_op: w.exclusive, note: writeNote(w.exclusive, r.exclusive) });
  b.add({ bench: 'blocks.write4k.exclusive', impl: 'ref', ns_per_op: r.exclusive, note: refNote(r.exclusive) });
  b.add({
    bench: 'blocks.read4k',
    impl: 'wasm',
    ns_per_op: w.read,
    note: `${gbps(w.read)}; ${(w.read - floor.read).toFixed(0)} ns beyond memcpy.set.read1GiB (ref ${(r.read - floor.read).toFixed(0)} ns); ≥ ${TARGET.speedup}× ref: ${met(r.read / w.read >= TARGET.speedup)}`,
  });
  b.add({ bench: 'blocks.read4k', impl: 'ref', ns_per_op: r.read, note: gbps(r.read) });

  // Mapped access (BlockMapping): no copy between JS and the store, so the rows are the store's own work.
  const speedNote = (mine: number, ref: number, what: string): string => `${what}; ≥ ${TARGET.speedup}× ref: ${met(ref / mine >= TARGET.speedup)}`;
  b.add({ bench: 'blocks.write4k.cow.mapped', impl: 'wasm', ns_per_op: w.cowMapped, note: speedNote(w.cowMapped, r.cowMapped, `first write by mapping in place: the store's one copy of the shared block (memory.copy) and its bookkeeping; ${gbps(w.cowMapped)}`) });
  b.add({ bench: 'blocks.write4k.cow.mapped', impl: 'ref', ns_per_op: r.cowMapped, note: `its copy is Uint8Array.set; ${gbps(r.cowMapped)}` });
  b.add({ bench: 'blocks.write4k.exclusive.mapped', impl: 'wasm', ns_per_op: w.exclusiveMapped, note: speedNote(w.exclusiveMapped, r.exclusiveMapped, 'private blocks mapped for writing, one byte stored in each') });
  b.add({ bench: 'blocks.write4k.exclusive.mapped', impl: 'ref', ns_per_op: r.exclusiveMapped });
  b.add({ bench: 'blocks.read4k.mapped', impl: 'wasm', ns_per_op: w.readMapped, note: speedNote(w.readMapped, r.readMapped, 'random blocks of the 1 GiB disk mapped for reading, one byte read from each') });
  b.add({ bench: 'blocks.read4k.mapped', impl: 'ref', ns_per_op: r.readMapped });

  // Batches (BlockBatch): the copying rows with BATCH blocks per call.
  b.add({ bench: 'blocks.write4k.cow.batch64', impl: 'wasm', ns_per_op: w.cowBatch, note: writeNote(w.cowBatch, r.cowBatch) });
  b.add({ bench: 'blocks.write4k.cow.batch64', impl: 'ref', ns_per_op: r.cowBatch, note: refNote(r.cowBatch) });
  b.add({ bench: 'blocks.write4k.exclusive.batch64', impl: 'wasm', ns_per_op: w.exclusiveBatch, note: writeNote(w.exclusiveBatch, r.exclusiveBatch) });
  b.add({ bench: 'blocks.write4k.exclusive.batch64', impl: 'ref', ns_per_op: r.exclusiveBatch, note: refNote(r.exclusiveBatch) });
  b.add({
    bench: 'blocks.read4k.batch64',
    impl: 'wasm',
    ns_per_op: w.readBatch,
    note: `${gbps(w.readBatch)}; ${(w.readBatch - floor.read).toFixed(0)} ns beyond memcpy.set.read1GiB (ref ${(r.readBatch - floor.read).toFixed(0)} ns); ≥ ${TARGET.speedup}× ref: ${met(r.readBatch / w.readBatch >= TARGET.speedup)}`,
  });
  b.add({ bench: 'blocks.read4k.batch64', impl: 'ref', ns_per_op: r.readBatch, note: gbps(r.readBatch) });

  const depthNote = (tipNs: number, d1: number): string => `tip ÷ depth 1 = ${(tipNs / d1).toFixed(2)} (cost independent of chain depth: ${met(tipNs < d1 * 1.25)})`;
  b.add({ bench: 'blocks.chain128.read4k', impl: 'wasm', ns_per_op: w.chainRead, note: depthNote(w.chainRead, w.depth1Read) });
  b.add({ bench: 'blocks.chain128.read4k', impl: 'ref', ns_per_op: r.chainRead, note: depthNote(r.chainRead, r.depth1Read) });
  b.add({ bench: 'blocks.chain128.read4k', impl: 'wasm@depth1', ns_per_op: w.depth1Read, baseline: 'ref@depth1' });
  b.add({ bench: 'blocks.chain128.read4k', impl: 'ref@depth1', ns_per_op: r.depth1Read, baseline: 'ref@depth1' });
  b.add({ bench: 'blocks.chain128.write4k', impl: 'wasm', ns_per_op: w.chainWrite, note: `first writes on a fresh clone of the tip; ${depthNote(w.chainWrite, w.depth1Write)}` });
  b.add({ bench: 'blocks.chain128.write4k', impl: 'ref', ns_per_op: r.chainWrite, note: depthNote(r.chainWrite, r.depth1Write) });
  b.add({ bench: 'blocks.chain128.write4k', impl: 'wasm@depth1', ns_per_op: w.depth1Write, baseline: 'ref@depth1' });
  b.add({ bench: 'blocks.chain128.write4k', impl: 'ref@depth1', ns_per_op: r.depth1Write, baseline: 'ref@depth1' });
}
