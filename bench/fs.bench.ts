/**
 * Benchmarks of the NTFS volume (src/kernel/fs) on the WASM block store,
 * beside the same volume code on the TypeScript reference store, and beside
 * the host's own file system (node:fs on the machine's temp directory) as a
 * peer for the per-file rows — all measured in the same run.
 *
 * The image: a System32-sized tree — \Windows\System32 with 3000 files
 * (4 KiB each, every 7th 40 KiB), \Windows\SysWOW64 with 1500, \Program
 * Files with 500 — formatted on a 20 GiB disk and snapshotted, as an image
 * layer is.
 *
 * Rows (ns per op):
 *   fs.mount.clone           clone the image disk and mount the clone (one container's C:)
 *   fs.containers1000.start  per container, 1000 kept alive: clone + mount + open
 *                            C:\Windows\System32\cmd.exe by path, read 4 KiB, create a file
 *   fs.create.small          create + write 100 bytes + close (1000 in one directory)
 *   fs.open.read4k.system32  open a 4 KiB file by path (other case) in System32, read, close
 *   fs.stat.system32         stat of a name in System32
 *   fs.list.system32         list the 3000 entries
 */
import { mkdtempSync, openSync, readSync, closeSync, writeSync, mkdirSync, statSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RefBlockStore, WasmBlockStore, type BlockStore } from '../src/core/blocks/index.js';
import { formatVolume, mountVolume, type NtfsVolume } from '../src/kernel/fs/index.js';
import { measure, type Bench } from './harness.js';

const SANDBOX = 20 * 2 ** 30;
const T0 = 1_700_000_000_000;
const SYSTEM32 = 3000;

function file(vol: NtfsVolume, path: string, size: number): void {
  const h = vol.open(path, { disposition: 'create', write: true, nonDirectory: true });
  h.write(0, new Uint8Array(Math.min(size, 512)).fill(0x4d));
  if (size > 512) h.setSize(size);
  h.close();
}

function buildImage(store: BlockStore): number {
  const disk = store.createDisk(SANDBOX).disk;
  let t = T0;
  const vol = formatVolume(store, disk, { serialNumber: 0x7055b6a6, clock: () => t++ });
  for (const d of ['\\Windows', '\\Windows\\System32', '\\Windows\\SysWOW64', '\\Program Files']) vol.createDirectory(d);
  for (let i = 0; i < SYSTEM32; i++) file(vol, `\\Windows\\System32\\api-ms-win-core-${i}.dll`, i % 7 === 0 ? 40960 : 4096);
  file(vol, '\\Windows\\System32\\cmd.exe', 4096 * 70);
  for (let i = 0; i < 1500; i++) file(vol, `\\Windows\\SysWOW64\\wow-${i}.dll`, 4096);
  for (let i = 0; i < 500; i++) file(vol, `\\Program Files\\app-${i}.txt`, 300);
  store.snapshot(disk);
  return disk;
}

function rss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}

interface Figures {
  mount: number;
  start1000: number;
  startMs: number;
  startRss: number;
  create: number;
  open: number;
  stat: number;
  list: number;
}

function measureStore(store: BlockStore): Figures {
  const image = buildImage(store);
  const buf = new Uint8Array(4096);
  const mount = measure(() => {
    const d = store.clone(image).disk;
    mountVolume(store, d, { readOnly: false });
    store.deleteDisk(d);
  });

  const before = rss();
  const t0 = process.hrtime.bigint();
  const containers: NtfsVolume[] = [];
  for (let i = 0; i < 1000; i++) {
    let t = T0 + i;
    const c = mountVolume(store, store.clone(image).disk, { clock: () => t++ });
    const h = c.open('\\windows\\system32\\CMD.EXE', { disposition: 'open', read: true });
    h.read(0, buf);
    h.close();
    const w = c.open(`\\container-${i}.log`, { disposition: 'create', write: true });
    w.write(0, buf.subarray(0, 100));
    w.close();
    containers.push(c);
  }
  const startMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const startRss = rss() - before;
  for (const c of containers) store.deleteDisk(c.disk);

  let round = 0;
  const create = measure(
    () => {
      const c = mountVolume(store, store.clone(image).disk);
      c.createDirectory(`\\d${round}`);
      for (let i = 0; i < 1000; i++) {
        const h = c.open(`\\d${round}\\f${i}.txt`, { disposition: 'create', write: true });
        h.write(0, buf.subarray(0, 100));
        h.close();
      }
      store.deleteDisk(c.disk);
      round++;
    },
    { opsPerCall: 1000, minTimeMs: 1000, samples: 5 },
  );

  const c = mountVolume(store, store.clone(image).disk);
  let k = 0;
  const open = measure(() => {
    const h = c.open(`\\WINDOWS\\System32\\API-MS-WIN-CORE-${(k = (k + 7919) % SYSTEM32)}.DLL`, { disposition: 'open', read: true });
    h.read(0, buf);
    h.close();
  });
  const stat = measure(() => {
    c.stat(`\\Windows\\System32\\api-ms-win-core-${(k = (k + 7919) % SYSTEM32)}.dll`);
  });
  const list = measure(() => {
    c.list('\\Windows\\System32');
  }, { minTimeMs: 500 });
  return { mount, start1000: (startMs * 1e6) / 1000, startMs, startRss, create, open, stat, list };
}

/** The same per-file work on the host's file system (a peer, not a target). */
function measureHost(): { create: number; open: number; stat: number; list: number } {
  const root = mkdtempSync(join(tmpdir(), 'winsilo-fs-bench-'));
  try {
    const sys32 = join(root, 'System32');
    mkdirSync(sys32);
    const block = new Uint8Array(4096).fill(0x4d);
    for (let i = 0; i < SYSTEM32; i++) {
      const fd = openSync(join(sys32, `api-ms-win-core-${i}.dll`), 'w');
      writeSync(fd, block);
      closeSync(fd);
    }
    const buf = new Uint8Array(4096);
    let round = 0;
    const create = measure(
      () => {
        const d = join(root, `d${round++}`);
        mkdirSync(d);
        for (let i = 0; i < 1000; i++) {
          const fd = openSync(join(d, `f${i}.txt`), 'w');
          writeSync(fd, buf, 0, 100);
          closeSync(fd);
        }
        rmSync(d, { recursive: true });
      },
      { opsPerCall: 1000, minTimeMs: 1000, samples: 5 },
    );
    let k = 0;
    const open = measure(() => {
      const fd = openSync(join(sys32, `api-ms-win-core-${(k = (k + 7919) % SYSTEM32)}.dll`), 'r');
      readSync(fd, buf);
      closeSync(fd);
    });
    const stat = measure(() => {
      statSync(join(sys32, `api-ms-win-core-${(k = (k + 7919) % SYSTEM32)}.dll`));
    });
    const list = measure(() => {
      readdirSync(sys32, { withFileTypes: true });
    }, { minTimeMs: 500 });
    return { create, open, stat, list };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export default function fsBench(b: Bench): void {
  const w = measureStore(new WasmBlockStore());
  const r = measureStore(new RefBlockStore());
  const host = measureHost();
  b.add({ bench: 'fs.mount.clone', impl: 'wasm', ns_per_op: w.mount });
  b.add({ bench: 'fs.mount.clone', impl: 'ref', ns_per_op: r.mount });
  const startNote = (f: Figures): string => `${f.startMs.toFixed(0)} ms for 1000, RSS +${(f.startRss / 2 ** 20).toFixed(0)} MiB`;
  b.add({ bench: 'fs.containers1000.start', impl: 'wasm', ns_per_op: w.start1000, note: startNote(w) });
  b.add({ bench: 'fs.containers1000.start', impl: 'ref', ns_per_op: r.start1000, note: startNote(r) });
  const rows: [string, keyof typeof host, string][] = [
    ['fs.create.small', 'create', 'create + write 100 B + close, 1000 per directory'],
    ['fs.open.read4k.system32', 'open', 'open by path in a 3000-entry directory, read 4 KiB, close'],
    ['fs.stat.system32', 'stat', ''],
    ['fs.list.system32', 'list', '3000 entries'],
  ];
  for (const [bench, key, note] of rows) {
    b.add({ bench, impl: 'wasm', ns_per_op: w[key], note });
    b.add({ bench, impl: 'ref', ns_per_op: r[key] });
    b.add({ bench, impl: 'host.fs', ns_per_op: host[key], note: 'node:fs in the temp directory (a peer)' });
  }
}
