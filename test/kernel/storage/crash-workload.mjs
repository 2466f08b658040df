// The workload of the crash-recovery test, shared by the child that runs it
// against a journaled store (crash-child.mjs) and the test that replays it on
// a model (crash-recovery.test.ts). Plain JavaScript so the child can run
// without a TypeScript loader.
//
// Every write fills whole blocks with one 32-bit stamp (its sequence
// number), so a block read back after a crash tells which write it holds,
// and a block holding two stamps (or a stamp and zeros) is torn.

// The benchmarks' seeded PRNG (built into dist/ by `npm run build`, which
// npm test runs first; the child imports the built store from there too).
import { prng } from '../../../dist/bench/harness.js';
export { prng };

export const BLOCK_SIZE = 4096;
export const DISK_BLOCKS = 64;
export const MAX_OPS = 6000;
const MAX_DISKS = 12;

/**
 * The operations, each valid when it is made (so each succeeds): disk ids
 * are predicted as the journaled store hands them out (1, 2, … never reused).
 */
export function* workload(seed) {
  const rand = prng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const live = [];
  const writable = new Set();
  let nextId = 1;
  const create = () => {
    const disk = nextId++;
    live.push(disk);
    writable.add(disk);
    return disk;
  };
  yield { kind: 'create', disk: create() };
  for (let seq = 1; seq <= MAX_OPS; seq++) {
    const r = rand();
    const targets = [...writable];
    if (seq % 8 === 0 || r >= 0.93) {
      yield { kind: 'flush' };
    } else if (r < 0.7 && targets.length > 0) {
      const block = Math.floor(rand() * DISK_BLOCKS);
      const count = block < DISK_BLOCKS - 1 && rand() < 0.3 ? 2 : 1;
      yield { kind: 'write', disk: pick(targets), block, count, seq };
    } else if (r < 0.78 && targets.length > 0) {
      const block = Math.floor(rand() * (DISK_BLOCKS - 2));
      yield { kind: 'discard', disk: pick(targets), block, count: 1 + Math.floor(rand() * 3) };
    } else if (r < 0.85 && live.length < MAX_DISKS) {
      const src = pick(live);
      const disk = nextId++;
      live.push(disk);
      writable.add(disk);
      yield { kind: 'clone', disk, src };
    } else if (r < 0.89 && targets.length > 1) {
      const disk = pick(targets);
      writable.delete(disk);
      yield { kind: 'snapshot', disk };
    } else if (live.length > 2) {
      const disk = pick(live);
      live.splice(live.indexOf(disk), 1);
      writable.delete(disk);
      yield { kind: 'delete', disk };
    } else {
      yield { kind: 'create', disk: create() };
    }
  }
}

/** The bytes of a write: every 32-bit word of every block is the stamp. */
export function stampedBlocks(seq, count) {
  const words = new Uint32Array((BLOCK_SIZE * count) / 4).fill(seq);
  return new Uint8Array(words.buffer);
}
