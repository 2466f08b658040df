/**
 * Benchmarks of the journaled block store (src/kernel/storage): what
 * durability costs on top of the in-memory store, against the floor of
 * appending the same bytes to a file, measured in the same run.
 *
 * Rows:
 *   blocks.journal.write4k   a random 4 KiB block-aligned write into a 1 GiB
 *                            disk, journaled (gathered, written to the file
 *                            1 MiB at a time); per write. Floor `fs.append`:
 *                            the same bytes (record frames included)
 *                            gathered and appended the same way. fsync is
 *                            left out of both (it costs the same for both
 *                            and varies with the disk by 10×); the
 *                            `blocks.journal.flush` row gives it.
 *   blocks.journal.recover   opening a store whose journal holds 4096 such
 *                            writes (16.2 MiB): read, check, replay; per
 *                            record. Floor `fs.read`: reading the file.
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bench } from './harness.js';
import { measure } from './harness.js';
import { JournaledBlockStore } from '../src/kernel/storage/index.js';
import { JournalWriter } from '../src/kernel/storage/journal.js';
import { STATUS_SUCCESS } from '../src/core/ntstatus.js';

const BLOCK = 4096;
const DISK_BYTES = 1 << 30;
/** Writes per timed call. */
const PER_CALL = 256;
const RECOVER_RECORDS = 4096;
/** Bytes a journal record adds to its data (frame + fixed payload head). */
const RECORD_OVERHEAD = JournalWriter.recordBytes(0);

function randomOffsets(n: number, seed: number): Float64Array {
  let a = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out[i] = (a % (DISK_BYTES / BLOCK)) * BLOCK;
  }
  return out;
}

export default function (b: Bench): void {
  const root = mkdtempSync(join(tmpdir(), 'winsilo-bench-journal-'));
  try {
    const offsets = randomOffsets(1 << 16, 0x10ca1);
    const data = new Uint8Array(BLOCK).fill(0x5a);
    const writeRow = new Map<string, number>();
    for (const impl of ['wasm', 'ref'] as const) {
      const store = JournaledBlockStore.open(join(root, `write-${impl}`), { impl, checkpointBytes: Number.MAX_SAFE_INTEGER });
      const disk = store.createDisk(DISK_BYTES).disk;
      let i = 0;
      const ns = measure(() => {
        for (let k = 0; k < PER_CALL; k++) {
          const st = store.write(disk, offsets[i++ & 0xffff]!, data);
          if (st !== STATUS_SUCCESS) throw new Error(`bench: journaled write failed: ${st}`);
        }
      }, { opsPerCall: PER_CALL, minTimeMs: 1500, samples: 5 });
      store.close();
      writeRow.set(impl, ns);
    }

    // The floor: the same bytes, gathered and appended, fsync at the same points.
    const floorPath = join(root, 'floor');
    const fd = openSync(floorPath, 'w');
    const gather = Buffer.alloc(1 << 20);
    let used = 0;
    let at = 0;
    const record = Buffer.alloc(BLOCK + RECORD_OVERHEAD, 0x5a);
    const floorNs = measure(() => {
      for (let k = 0; k < PER_CALL; k++) {
        if (used + record.length > gather.length) {
          writeSync(fd, gather, 0, used, at);
          at += used;
          used = 0;
        }
        record.copy(gather, used);
        used += record.length;
      }
    }, { opsPerCall: PER_CALL, minTimeMs: 1500, samples: 5 });
    const fsyncNs = measure(() => {
      writeSync(fd, record, 0, record.length, at);
      at += record.length;
      fsyncSync(fd);
    }, { minTimeMs: 1000, samples: 5 });
    closeSync(fd);

    const gbps = (ns: number) => `${(BLOCK / ns).toFixed(2)} GB/s`;
    for (const impl of ['wasm', 'ref'] as const) {
      const ns = writeRow.get(impl)!;
      b.add({
        bench: 'blocks.journal.write4k',
        impl,
        ns_per_op: ns,
        baseline: 'fs.append',
        note: `${gbps(ns)}; ${(floorNs / ns).toFixed(2)} of the append floor's speed`,
      });
    }
    b.add({ bench: 'blocks.journal.write4k', impl: 'fs.append', ns_per_op: floorNs, baseline: 'fs.append', note: `${gbps(floorNs)}; the same bytes appended the same way` });
    b.add({ bench: 'blocks.journal.flush', impl: 'fs.fsync', ns_per_op: fsyncNs, baseline: 'fs.fsync', note: 'one 4 KiB record written and fsynced: the cost of acknowledging (flush) on this disk' });

    // Recovery: a journal of RECOVER_RECORDS writes, replayed on open.
    for (const impl of ['wasm', 'ref'] as const) {
      const folder = join(root, `recover-${impl}`);
      const store = JournaledBlockStore.open(folder, { impl, checkpointBytes: Number.MAX_SAFE_INTEGER });
      const disk = store.createDisk(DISK_BYTES).disk;
      for (let k = 0; k < RECOVER_RECORDS; k++) store.write(disk, offsets[k]!, data);
      store.close();
      const ns = measure(() => JournaledBlockStore.open(folder, { impl }).close(), { opsPerCall: RECOVER_RECORDS, minTimeMs: 1500, samples: 5 });
      b.add({ bench: 'blocks.journal.recover', impl, ns_per_op: ns, baseline: 'fs.read', note: `per record; a ${((RECOVER_RECORDS * (BLOCK + RECORD_OVERHEAD)) / 2 ** 20).toFixed(1)} MiB journal opens in ${((ns * RECOVER_RECORDS) / 1e6).toFixed(1)} ms` });
    }
    const journalFile = join(root, 'recover-wasm', 'journal.1');
    const readNs = measure(() => readFileSync(journalFile), { opsPerCall: RECOVER_RECORDS, minTimeMs: 1000, samples: 5 });
    b.add({ bench: 'blocks.journal.recover', impl: 'fs.read', ns_per_op: readNs, baseline: 'fs.read', note: 'per record: reading the journal file' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
