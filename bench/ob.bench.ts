/**
 * Benchmarks of the object namespace (src/core/ob): the WASM implementation
 * beside the TypeScript reference, measured in the same run on identical
 * namespaces and identical name lists.
 *
 * The namespace: 100 000 objects — a tree of Directories six levels deep
 * (fan-out 4), Events as the leaves (so an Event's name has 7 components,
 * `\ObBench02\Storage01\Kernel03\Partition00\Driver02\Monitor01\Event004217`),
 * and SymbolicLinks at levels 1–3 that point at other directories of their
 * level, so a path through a link still has 7 components. Everything is
 * created OBJ_PERMANENT by the host process and the creation handle closed.
 *
 * The lookups: 10 000 paths, ~20 % through a link, every letter's case
 * flipped at random (seeded PRNG), opened with OBJ_CASE_INSENSITIVE as
 * Events. Before anything is timed, every path must open with
 * STATUS_SUCCESS and name the expected object (NtQueryObject name) in both
 * implementations: a benchmark of failing lookups would measure nothing.
 *
 * Rows (ns per op; for batches, per name, open + close):
 *   ob.open.call.hot         open + close one path, cycling over 64 paths
 *   ob.open.call.cold        the same over all 10 000 paths, shuffled
 *   ob.open.batch1000.hot    openBatch + closeBatch of 1000 names from the 64
 *   ob.open.batch1000.cold   the same over ten disjoint 1000-name slices
 *   ob.open.batch1000.uncached  the cold batches with the WASM path cache
 *                            off: every component looked up, as on a first
 *                            open or after any namespace change (the
 *                            reference never caches)
 *   ob.churn.create_close    create a temporary Event (relative to a
 *                            directory handle) and close it, so it goes away
 *   ob.memory.1M             bytes for 1 000 000 permanent Events in 1000
 *                            directories, in a fresh instance of each
 *
 * Targets (the issue's): batched WASM lookup ≥ 2× the reference per lookup
 * and ≤ 250 ns hot / ≤ 650 ns cold; per-call WASM no slower than the
 * reference; 1 000 000 objects in < 200 MB. The WASM rows' notes say
 * whether each was met.
 */
import type { Bench } from './harness.js';
import { measure, memoryInUse, prng } from './harness.js';
import {
  ALL_PRIVILEGES,
  OBJ_CASE_INSENSITIVE,
  OBJ_PERMANENT,
  ObjectType,
  RefObjectNamespace,
  WasmObjectNamespace,
  type BatchOutput,
  type ObjectAttributes,
  type ObjectNamespace,
} from '../src/core/ob/index.js';
import { STATUS_SUCCESS } from '../src/core/ntstatus.js';

// ---- shape of the benchmark -----------------------------------------------------

/** Objects the bench creates in the 100 000-object namespace (boot objects not counted). */
const NAMESPACE_OBJECTS = 100_000;
/** Directory levels below the root; the Events are one level further down. */
const DIR_LEVELS = 6;
const FAN_OUT = 4;
/** SymbolicLinks created in each directory of level L − 1, so that they sit at level L. */
const LINKS_AT_LEVEL: Readonly<Record<number, number>> = { 1: 4, 2: 2, 3: 2 };
const LOOKUP_PATHS = 10_000;
const LINK_PATH_SHARE = 0.2;
const HOT_SET = 64;
const BATCH = 1000;
/** Distinct names the churn cycles through (each is gone again before it comes back). */
const CHURN_NAMES = 4096;
const MEMORY_DIRS = 1000;
const MEMORY_EVENTS_PER_DIR = 1000;
/** The targets. */
const TARGET = {
  batchHotNs: 250,
  batchColdNs: 650,
  batchSpeedup: 2,
  callSpeedup: 1,
  memoryBytes: 200e6,
} as const;
/** Timing per row: the machine is shared, so take more samples than the default. */
const TIMING = { minTimeMs: 900, samples: 9 } as const;
const SEED = 0x0b5e7;

const EVENT = ObjectType.Event;
const DIRECTORY = ObjectType.Directory;
const LINK = ObjectType.SymbolicLink;
/** Words the directory names are built from (plus a two-digit index): 8–11 characters. */
const WORDS = ['Service', 'Instance', 'Partition', 'Component', 'Container', 'Session', 'Network', 'Storage', 'Registry', 'Security', 'Driver', 'Kernel', 'Provider', 'Monitor'];
const LINK_WORDS: Readonly<Record<number, string>> = { 1: 'ObAlias', 2: 'Shortcut', 3: 'Junction' };

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function shuffle<T>(a: T[], rand: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

// ---- the namespace, as data -------------------------------------------------------

interface DirNode {
  level: number;
  /** Absolute canonical path (`\` for the root). */
  path: string;
  children: DirNode[];
  events: string[];
}

interface LinkNode {
  level: number;
  path: string;
  target: DirNode;
}

interface Tree {
  /** Directories below the root, parents before children. */
  dirs: DirNode[];
  /** Directories by level (index 0: the root). */
  byLevel: DirNode[][];
  links: LinkNode[];
  objects: number;
}

function join(dir: DirNode, name: string): string {
  return dir.path === '\\' ? `\\${name}` : `${dir.path}\\${name}`;
}

function buildTree(rand: () => number): Tree {
  const root: DirNode = { level: 0, path: '\\', children: [], events: [] };
  const byLevel: DirNode[][] = [[root]];
  const dirs: DirNode[] = [];
  for (let level = 1; level <= DIR_LEVELS; level++) {
    const row: DirNode[] = [];
    for (const parent of byLevel[level - 1]!) {
      for (let k = 0; k < FAN_OUT; k++) {
        // Level 1 names are fixed so they cannot meet the boot namespace's.
        const name = level === 1 ? `ObBench${pad(k, 2)}` : `${WORDS[Math.floor(rand() * WORDS.length)]}${pad(k, 2)}`;
        const d: DirNode = { level, path: join(parent, name), children: [], events: [] };
        parent.children.push(d);
        row.push(d);
        dirs.push(d);
      }
    }
    byLevel.push(row);
  }
  const links: LinkNode[] = [];
  for (const [lv, perDir] of Object.entries(LINKS_AT_LEVEL)) {
    const level = Number(lv);
    for (const parent of byLevel[level - 1]!) {
      for (let k = 0; k < perDir; k++) {
        const candidates = byLevel[level]!;
        const target = candidates[Math.floor(rand() * candidates.length)]!;
        links.push({ level, path: join(parent, `${LINK_WORDS[level]}${pad(k, 2)}`), target });
      }
    }
  }
  // Spread the remaining objects as Events over the leaf directories.
  const leaves = byLevel[DIR_LEVELS]!;
  const events = NAMESPACE_OBJECTS - dirs.length - links.length;
  let serial = 0;
  leaves.forEach((leaf, i) => {
    const n = Math.floor(events / leaves.length) + (i < events % leaves.length ? 1 : 0);
    for (let k = 0; k < n; k++) leaf.events.push(`Event${pad(serial++, 6)}`);
  });
  return { dirs, byLevel, links, objects: dirs.length + links.length + serial };
}

/**
 * Flips the case of about half the letters. Built with join, not `+=`: a
 * string grown one character at a time is a V8 rope, and Array.join (which
 * WasmObjectNamespace.openBatch uses) copies a rope's pieces on every call
 * without flattening it — ~20× the copy cost of a flat string — so the
 * timing would depend on how the list was built rather than on the namespace.
 */
function mixCase(s: string, rand: () => number): string {
  const out: string[] = [];
  for (const ch of s) {
    const flipped = ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase();
    out.push(rand() < 0.5 ? flipped : ch);
  }
  return out.join('');
}

interface Lookups {
  /** As opened: mixed case, some through a link. */
  paths: string[];
  /** The canonical name of the Event each path must reach. */
  expected: string[];
  viaLink: number;
}

function buildLookups(tree: Tree, rand: () => number): Lookups {
  const paths: string[] = [];
  const expected: string[] = [];
  let viaLink = 0;
  for (let i = 0; i < LOOKUP_PATHS; i++) {
    let start = tree.byLevel[0]![0]!;
    let link: LinkNode | null = null;
    if (rand() < LINK_PATH_SHARE) {
      link = tree.links[Math.floor(rand() * tree.links.length)]!;
      start = link.target;
      viaLink++;
    }
    let d = start;
    while (d.level < DIR_LEVELS) d = d.children[Math.floor(rand() * d.children.length)]!;
    const canonical = join(d, d.events[Math.floor(rand() * d.events.length)]!);
    const shown = link ? link.path + canonical.slice(start.path.length) : canonical;
    paths.push(mixCase(shown, rand));
    expected.push(canonical);
  }
  return { paths, expected, viaLink };
}

// ---- applying it to an implementation ------------------------------------------------

function hex(status: number): string {
  return `0x${(status >>> 0).toString(16).padStart(8, '0')}`;
}

function expectSuccess(ns: ObjectNamespace, op: string, name: string, status: number): void {
  if (status !== STATUS_SUCCESS) throw new Error(`ob bench: ${ns.impl} ${op} ${JSON.stringify(name)} returned ${hex(status)}`);
}

function hostProcess(ns: ObjectNamespace): number {
  const r = ns.createProcess(0, 0, ALL_PRIVILEGES);
  expectSuccess(ns, 'createProcess', '', r.status);
  return r.process;
}

function populate(ns: ObjectNamespace, p: number, tree: Tree): void {
  for (const d of tree.dirs) {
    const r = ns.create(p, DIRECTORY, { name: d.path, attributes: OBJ_PERMANENT });
    expectSuccess(ns, 'create Directory', d.path, r.status);
    for (const ev of d.events) {
      const e = ns.create(p, EVENT, { name: ev, root: r.handle, attributes: OBJ_PERMANENT });
      expectSuccess(ns, 'create Event', join(d, ev), e.status);
      ns.close(p, e.handle);
    }
    ns.close(p, r.handle);
  }
  for (const l of tree.links) {
    const r = ns.create(p, LINK, { name: l.path, attributes: OBJ_PERMANENT }, { target: l.target.path });
    expectSuccess(ns, 'create SymbolicLink', l.path, r.status);
    ns.close(p, r.handle);
  }
}

/** Every path opens (per call, as Event and as any type, and in one batch) and reaches its Event. */
function validate(ns: ObjectNamespace, p: number, lk: Lookups): void {
  const handles0 = ns.handleCount(p);
  lk.paths.forEach((name, i) => {
    for (const type of [EVENT, 0] as const) {
      const r = ns.open(p, type, { name, attributes: OBJ_CASE_INSENSITIVE });
      expectSuccess(ns, `open (type ${type})`, name, r.status);
      const q = ns.queryName(p, r.handle);
      if (q.status !== STATUS_SUCCESS || q.name !== lk.expected[i]) {
        throw new Error(`ob bench: ${ns.impl} open ${JSON.stringify(name)} reached ${JSON.stringify(q.name)} (${hex(q.status)}), expected ${JSON.stringify(lk.expected[i])}`);
      }
      expectSuccess(ns, 'close', name, ns.close(p, r.handle));
    }
  });
  const out: BatchOutput = { statuses: new Int32Array(lk.paths.length), handles: new Uint32Array(lk.paths.length) };
  const opened = ns.openBatch(p, lk.paths, OBJ_CASE_INSENSITIVE, EVENT, 0, out);
  const bad = out.statuses.findIndex((s) => s !== STATUS_SUCCESS);
  if (opened !== lk.paths.length || bad >= 0) {
    throw new Error(`ob bench: ${ns.impl} openBatch opened ${opened}/${lk.paths.length}; first failure ${JSON.stringify(lk.paths[bad])} → ${hex(out.statuses[bad] ?? 0)}`);
  }
  const closed = ns.closeBatch(p, out.handles, lk.paths.length);
  if (closed !== lk.paths.length) throw new Error(`ob bench: ${ns.impl} closeBatch closed ${closed}/${lk.paths.length}`);
  if (ns.handleCount(p) !== handles0) throw new Error(`ob bench: ${ns.impl} leaked handles during validation`);
}

// ---- the timed operations -----------------------------------------------------------

interface Subject {
  ns: ObjectNamespace;
  p: number;
  /** Counts operations that did not succeed while timing; must stay 0. */
  failures: number;
}

function openCall(s: Subject, oas: readonly ObjectAttributes[]): () => void {
  const { ns, p } = s;
  const n = oas.length;
  let i = 0;
  return () => {
    const r = ns.open(p, EVENT, oas[i]!);
    if (r.status !== STATUS_SUCCESS) s.failures++;
    ns.close(p, r.handle);
    if (++i === n) i = 0;
  };
}

function openBatch(s: Subject, batches: readonly string[][]): () => void {
  const { ns, p } = s;
  const out: BatchOutput = { statuses: new Int32Array(BATCH), handles: new Uint32Array(BATCH) };
  const closeStatuses = new Int32Array(BATCH);
  let i = 0;
  return () => {
    const names = batches[i]!;
    if (ns.openBatch(p, names, OBJ_CASE_INSENSITIVE, EVENT, 0, out) !== names.length) s.failures++;
    if (ns.closeBatch(p, out.handles, names.length, closeStatuses) !== names.length) s.failures++;
    if (++i === batches.length) i = 0;
  };
}

function churn(s: Subject, oas: readonly ObjectAttributes[]): () => void {
  const { ns, p } = s;
  let i = 0;
  return () => {
    const r = ns.create(p, EVENT, oas[i]!);
    if (r.status !== STATUS_SUCCESS) s.failures++;
    ns.close(p, r.handle);
    if (++i === oas.length) i = 0;
  };
}

/** Times one operation on both implementations, back to back. */
function timeBoth(bench: string, subjects: readonly Subject[], make: (s: Subject) => () => void, opsPerCall: number): Map<string, number> {
  const ns = new Map<string, number>();
  for (const s of subjects) {
    const handles0 = s.ns.handleCount(s.p);
    const objects0 = s.ns.objectCount();
    s.failures = 0;
    ns.set(s.ns.impl, measure(make(s), { opsPerCall, ...TIMING }));
    if (s.failures !== 0) throw new Error(`ob bench: ${bench} ${s.ns.impl}: ${s.failures} operations failed while timing`);
    if (s.ns.handleCount(s.p) !== handles0 || s.ns.objectCount() !== objects0) {
      throw new Error(`ob bench: ${bench} ${s.ns.impl}: handles or objects leaked while timing`);
    }
  }
  return ns;
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

function fmt(ns: number): string {
  return `${ns.toFixed(0)} ns`;
}

// ---- memory for 1 000 000 objects ------------------------------------------------------

/** 1000 permanent Directories of 1000 permanent Events each; returns seconds taken. */
function fillMillion(ns: ObjectNamespace): number {
  const p = hostProcess(ns);
  const t0 = process.hrtime.bigint();
  let serial = 0;
  for (let d = 0; d < MEMORY_DIRS; d++) {
    const dir = `\\MemDir${pad(d, 4)}`;
    const r = ns.create(p, DIRECTORY, { name: dir, attributes: OBJ_PERMANENT });
    expectSuccess(ns, 'create Directory', dir, r.status);
    for (let k = 0; k < MEMORY_EVENTS_PER_DIR; k++) {
      const name = `Event${pad(serial++, 7)}`;
      const e = ns.create(p, EVENT, { name, root: r.handle, attributes: OBJ_PERMANENT });
      if (e.status !== STATUS_SUCCESS) expectSuccess(ns, 'create Event', `${dir}\\${name}`, e.status);
      ns.close(p, e.handle);
    }
    ns.close(p, r.handle);
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

// ---- the bench -----------------------------------------------------------------------

export default async function (b: Bench): Promise<void> {
  const rand = prng(SEED);
  const tree = buildTree(rand);
  const lk = buildLookups(tree, rand);

  const subjects: Subject[] = [];
  for (const ns of [new WasmObjectNamespace(), new RefObjectNamespace()] as ObjectNamespace[]) {
    const p = hostProcess(ns);
    const before = ns.objectCount();
    populate(ns, p, tree);
    if (ns.objectCount() - before !== tree.objects) {
      throw new Error(`ob bench: ${ns.impl} holds ${ns.objectCount() - before} new objects, expected ${tree.objects}`);
    }
    // Validation doubles as warm-up: every path has been opened three times.
    validate(ns, p, lk);
    subjects.push({ ns, p, failures: 0 });
  }
  const wasm = subjects[0]!.ns as WasmObjectNamespace;

  const order = shuffle([...Array(LOOKUP_PATHS).keys()], rand);
  const coldOas = order.map((i): ObjectAttributes => ({ name: lk.paths[i]!, attributes: OBJ_CASE_INSENSITIVE }));
  const hotOas = coldOas.slice(0, HOT_SET);
  const hotBatch = [Array.from({ length: BATCH }, (_, k) => hotOas[k % HOT_SET]!.name)];
  const coldBatches: string[][] = [];
  for (let at = 0; at + BATCH <= LOOKUP_PATHS; at += BATCH) coldBatches.push(coldOas.slice(at, at + BATCH).map((o) => o.name));
  const shape = `${tree.objects} objects, ${((lk.viaLink / LOOKUP_PATHS) * 100).toFixed(1)}% of paths via a link`;

  const callHot = timeBoth('ob.open.call.hot', subjects, (s) => openCall(s, hotOas), 1);
  const callCold = timeBoth('ob.open.call.cold', subjects, (s) => openCall(s, coldOas), 1);
  const batchHot = timeBoth('ob.open.batch1000.hot', subjects, (s) => openBatch(s, hotBatch), BATCH);
  const batchCold = timeBoth('ob.open.batch1000.cold', subjects, (s) => openBatch(s, coldBatches), BATCH);
  wasm.setPathCache(false);
  const batchUncached = timeBoth('ob.open.batch1000.uncached', subjects, (s) => openBatch(s, coldBatches), BATCH);
  wasm.setPathCache(true);

  // Churn: the temporary Event goes into a populated leaf directory, named
  // relative to a handle to it, so the row measures create + delete rather
  // than another path walk.
  const churnHandles = new Map<string, number>();
  for (const s of subjects) {
    const r = s.ns.open(s.p, DIRECTORY, { name: tree.byLevel[DIR_LEVELS]![0]!.path });
    expectSuccess(s.ns, 'open Directory', tree.byLevel[DIR_LEVELS]![0]!.path, r.status);
    churnHandles.set(s.ns.impl, r.handle);
  }
  const churnNames = Array.from({ length: CHURN_NAMES }, (_, k) => `Churn${pad(k, 6)}`);
  const churnRow = timeBoth('ob.churn.create_close', subjects, (s) => {
    const root = churnHandles.get(s.ns.impl)!;
    return churn(s, churnNames.map((name): ObjectAttributes => ({ name, root })));
  }, 1);
  for (const s of subjects) s.ns.close(s.p, churnHandles.get(s.ns.impl)!);

  const w = (m: Map<string, number>) => m.get('wasm')!;
  const r = (m: Map<string, number>) => m.get('ref')!;
  const callNote = (m: Map<string, number>, what: string) => {
    const x = r(m) / w(m);
    return `${what}; target no slower than ref: ${verdict(x >= TARGET.callSpeedup)} (${x.toFixed(2)}×)`;
  };
  const batchNote = (m: Map<string, number>, call: Map<string, number>, limit: number, what: string) => {
    const x = r(m) / w(m);
    return `${what}; target ≤ ${limit} ns: ${verdict(w(m) <= limit)} (${fmt(w(m))}); ` +
      `target ≥ ${TARGET.batchSpeedup}× ref: ${verdict(x >= TARGET.batchSpeedup)} (${x.toFixed(2)}× ref batch, ${(r(call) / w(m)).toFixed(2)}× ref per call)`;
  };
  const rows: [string, Map<string, number>, string, string][] = [
    ['ob.open.call.hot', callHot, callNote(callHot, `open+close, ${HOT_SET} paths`), shape],
    ['ob.open.call.cold', callCold, callNote(callCold, `open+close, ${LOOKUP_PATHS} paths shuffled`), shape],
    ['ob.open.batch1000.hot', batchHot, batchNote(batchHot, callHot, TARGET.batchHotNs, `per name, open+close`), `per name, open+close`],
    ['ob.open.batch1000.cold', batchCold, batchNote(batchCold, callCold, TARGET.batchColdNs, `per name, open+close`), `per name, open+close`],
    ['ob.open.batch1000.uncached', batchUncached, `per name, open+close, path cache off (no target; ${(r(batchUncached) / w(batchUncached)).toFixed(2)}× ref)`, `per name, open+close`],
    ['ob.churn.create_close', churnRow, 'create temporary Event + close (no target)', 'create temporary Event + close'],
  ];
  for (const [bench, m, wasmNote, refNote] of rows) {
    b.add({ bench, impl: 'wasm', ns_per_op: w(m), note: wasmNote });
    b.add({ bench, impl: 'ref', ns_per_op: r(m), note: refNote });
  }
  const liveAfter100k = wasm.memoryUsage();

  // Memory: fresh instances, so nothing above is counted. The 100 000-object
  // namespaces stay alive but do not change while the reference is measured.
  const wasmMem = new WasmObjectNamespace();
  const wasmEmpty = wasmMem.memoryUsage();
  const wasmSecs = fillMillion(wasmMem);
  const wasmBytes = wasmMem.memoryUsage();
  const million = MEMORY_DIRS * MEMORY_EVENTS_PER_DIR;
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  b.add({
    bench: 'ob.memory.1M',
    impl: 'wasm',
    bytes: wasmBytes.total,
    note: `linear memory; live ${mb(wasmBytes.live)} (${(wasmBytes.live / million).toFixed(0)} B/object), empty instance ${mb(wasmEmpty.total)}, ` +
      `100k namespace ${mb(liveAfter100k.total)}; filled in ${wasmSecs.toFixed(1)} s; target < 200 MB: ${verdict(wasmBytes.total < TARGET.memoryBytes)} (${mb(wasmBytes.total)})`,
  });

  const refMem = new RefObjectNamespace();
  const heap0 = memoryInUse();
  const refSecs = fillMillion(refMem);
  const heap1 = memoryInUse();
  const refCount = refMem.objectCount(); // keeps the instance alive through the measurement
  b.add({
    bench: 'ob.memory.1M',
    impl: 'ref',
    bytes: heap1 - heap0,
    note: `JS heap+external growth after gc (${((heap1 - heap0) / million).toFixed(0)} B/object, ${refCount} objects); filled in ${refSecs.toFixed(1)} s`,
  });
}
