// Bad input to the image formats (issue 11, "Bad input"): random and
// mutated Windows layer tars through importLayer, and docker-archive tars
// through Host.load. Each ends in an import or a clean, typed error —
// Win32Error / NtStatusError from importLayer (ERROR_INVALID_DATA,
// ERROR_BADDB, ERROR_INVALID_NAME …), HostError from a load, with moby's
// wording — within a deadline, never a trap or a JavaScript exception;
// and a failed one leaves nothing behind (no disk, no image).
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WasmBlockStore } from '../../src/core/blocks/index.js';
import { NtStatusError } from '../../src/core/errors.js';
import { Win32Error } from '../../src/core/win32.js';
import { HostError } from '../../src/host/errors.js';
import { Host } from '../../src/host/host.js';
import { importLayer } from '../../src/images/layer-tar.js';
import { serialiseHive, Hive } from '../../src/kernel/registry/index.js';
import { RELIABILITY, SEED, yieldToEventLoop } from '../support/budget.js';
import { recordReliability } from '../support/reliability.js';
import { MUTATION, PAX_RECORDS, SIZE_FIELD, mutate, writeTar, type RawEntry } from './tar-gen.js';

const LAYER_CASES = Number(process.env['FZ_LAYER'] ?? (RELIABILITY ? 5_000 : 300));
const ARCHIVE_CASES = RELIABILITY ? 2_000 : 120;
const DEADLINE_MS = 10_000;

const NAME = fc.oneof(
  fc.constantFrom('Files', 'Files/', 'Hives', 'Hives/', 'Files/a', 'Files/a/', 'Files/a/b', 'Files/a/b.txt', 'Files/Windows/System32/x.dll', 'Hives/System_Delta', 'Hives/Software_Delta',
    'Hives/User_Delta', 'Hives/Nope_Delta', 'Files/../x', 'Files/a/../../x', '../x', '/Files/x', './Files/x', 'Files/C:x', 'Files/a:stream', 'Files/a/.wh.b', 'Files/.wh.a', 'Files/.wh..wh..opq',
    'Files/con', 'Files/a\\..\\..\\b', 'UtilityVM/Files/x', 'Files/' + 'n'.repeat(300), 'Files/' + 'd/'.repeat(200) + 'f', 'Files/\u00e9\u4e2d', 'Files/a\u0000b', 'Files/ ', 'Files/a.', 'Files/a*?', ''),
  fc.string({ maxLength: 12 }).map((s) => `Files/${s}`),
);
const TYPE = fc.constantFrom('0', '0', '0', '5', '5', '2', '1', 'x', 'g', 'L', 'K', '3', '4', '6', '7', '\0', 'Z');
const LINKNAME = fc.constantFrom('', 'Files/a', 'Files/a/b', 'Files/nope', 'C:\\Windows', 'C:/Windows', '..\\..\\x', '../x', 'Files/../../x', 'a', '\\\\?\\C:\\', 'x'.repeat(99));
const HIVE_BYTES = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((b) => new Uint8Array([...Buffer.from('WSRH'), ...b])),
  fc.constant(serialiseHive(new Hive())),
  fc.tuple(fc.constant(serialiseHive(new Hive())), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([b, at, v]) => {
    const c = Uint8Array.from(b);
    if (c.length > 0) c[at % c.length] = v;
    return c;
  }),
);

const ENTRY: fc.Arbitrary<RawEntry> = fc
  .record({
    name: NAME,
    type: TYPE,
    linkname: LINKNAME,
    body: fc.oneof(fc.uint8Array({ maxLength: 1500 }), fc.constant(new Uint8Array(0)), fc.integer({ min: 1, max: 300_000 }).map((n) => new Uint8Array(n))),
    hive: HIVE_BYTES,
    sizeField: SIZE_FIELD,
    pax: fc.option(PAX_RECORDS, { freq: 3 }),
    rawPax: fc.option(fc.constantFrom('', '5 a=\n', '99999999999 path=x\n', '0 =\n', 'x', '30 MSWINDOWS.fileattr=1\n', '12 path=\u00e9\n', '-1 a=b\n', '6 x\n'), { freq: 8 }),
  })
  .map(({ hive, sizeField, pax, rawPax, ...e }) => ({
    ...e,
    body: e.name.startsWith('Hives/') && e.type === '0' ? hive : e.body,
    ...(sizeField !== null ? { sizeField } : {}),
    ...(pax !== null ? { pax } : {}),
    ...(rawPax !== null ? { rawPax } : {}),
  }));

/** Mostly well-formed layers with a few hostile entries, so imports get past the first header. */
const LAYER_TAR = fc
  .record({
    entries: fc.array(ENTRY, { maxLength: 8 }),
    prefix: fc.boolean(),
    badChecksumAt: fc.option(fc.nat(), { freq: 6 }),
    endBlocks: fc.constantFrom(0, 1, 2, 2, 2, 3),
    mutation: MUTATION,
  })
  .map(({ entries, prefix, badChecksumAt, endBlocks, mutation }) => {
    const all: RawEntry[] = prefix
      ? [{ name: 'Files', type: '5', linkname: '', body: new Uint8Array() }, { name: 'Hives', type: '5', linkname: '', body: new Uint8Array() }, ...entries]
      : entries;
    if (badChecksumAt !== null && all.length > 0) all[badChecksumAt % all.length] = { ...all[badChecksumAt % all.length]!, badChecksum: true };
    return mutate(writeTar(all, endBlocks), mutation);
  });

/** How the source hands the bytes over: whole, in small pieces, or failing midway. */
const DELIVERY = fc.constantFrom<'whole' | 'pieces' | 'fail'>('whole', 'whole', 'pieces', 'fail');

async function* deliver(bytes: Buffer, how: 'whole' | 'pieces' | 'fail'): AsyncIterable<Uint8Array> {
  if (how === 'whole') {
    yield bytes;
    return;
  }
  for (let i = 0; i < bytes.length; i += 700) {
    if (how === 'fail' && i >= bytes.length / 2) throw new Win32Error('ReadFile', 64 /* ERROR_NETNAME_DELETED */, 'source');
    yield bytes.subarray(i, i + 700);
  }
}

function withDeadline<T>(p: Promise<T>): Promise<T | 'hang'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.finally(() => clearTimeout(timer)), new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), DEADLINE_MS)))]);
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
}

describe('layer tar bad input', () => {
  it(`${LAYER_CASES} random and mutated layer tars import or fail cleanly, leaving no disk`, async () => {
    const store = new WasmBlockStore();
    // A parent with something on it, so whiteouts and links have targets.
    const parent = await importLayer(store, 0, [writeTar([
      { name: 'Files', type: '5', linkname: '', body: new Uint8Array() },
      { name: 'Files/a', type: '5', linkname: '', body: new Uint8Array() },
      { name: 'Files/a/b', type: '0', linkname: '', body: Buffer.from('b') },
      { name: 'Hives', type: '5', linkname: '', body: new Uint8Array() },
    ])]);
    const findings: string[] = [];
    const kinds = new Map<string, number>();
    let cases = 0;
    for (let chunk = 0; chunk * 100 < LAYER_CASES; chunk++) {
      await yieldToEventLoop();
      const samples = fc.sample(fc.tuple(LAYER_TAR, fc.boolean(), DELIVERY), { seed: SEED + chunk, numRuns: Math.min(100, LAYER_CASES - chunk * 100) });
      for (const [bytes, onParent, how] of samples) {
        cases++;
        const before = store.storeStats().disks;
        let outcome: string;
        try {
          const r = await withDeadline(importLayer(store, onParent ? parent.disk : 0, deliver(bytes, how)));
          if (r === 'hang') {
            findings.push(`hang on a ${bytes.length}-byte tar (${how})`);
            if (process.env['WINSILO_FUZZ_VERBOSE'] === '1') writeFileSync(`/tmp/fz-hang-${findings.length}-${how}-${onParent}.tar`, bytes);
            continue;
          }
          outcome = 'imported';
          store.deleteDisk(r.disk);
        } catch (e) {
          if (!(e instanceof Win32Error || e instanceof NtStatusError)) {
            findings.push(`untyped ${describeError(e)} (${bytes.length} bytes, ${how}): ${bytes.subarray(0, 64).toString('hex')}`);
            continue;
          }
          outcome = describeError(e).replace(/ \S+$/, '');
        }
        kinds.set(outcome, (kinds.get(outcome) ?? 0) + 1);
        if (store.storeStats().disks !== before) findings.push(`disks ${before} → ${store.storeStats().disks} after "${outcome}"`);
      }
    }
    const audit = store.audit();
    if (process.env['WINSILO_FUZZ_VERBOSE'] === '1') console.log(findings, kinds);
    recordReliability({ family: 'fuzz', suite: 'layer tars (importLayer)', trials: cases, failures: findings.length, detail: `${kinds.get('imported') ?? 0} imported` });
    expect(findings.slice(0, 20)).toEqual([]);
    expect(audit.status, audit.problem).toBe(0);
  }, RELIABILITY ? 600_000 : 60_000);
});

describe('layer tar findings', () => {
  it('a Hives/ directory entry that announces a body is refused, not waited on for ever', async () => {
    // Found by the fuzzer: tar-stream never ends the body stream of a directory entry with a size.
    const store = new WasmBlockStore();
    const bytes = writeTar([
      { name: 'Files', type: '5', linkname: '', body: new Uint8Array() },
      { name: 'Hives/Software_Delta', type: '5', linkname: '', body: new Uint8Array(5) },
    ]);
    const r = await withDeadline(importLayer(store, 0, [bytes]).catch((e: unknown) => e));
    expect(r).toBeInstanceOf(Win32Error);
    expect((r as Win32Error).code).toBe(13);
    expect(store.storeStats().disks).toBe(0);
  });
});

/** docker-archive pieces: manifest.json, a config, layer tars — each maybe wrong. */
const JSONISH = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(null), fc.constant('x'), fc.constant([]), fc.constant({}));
const CONFIG = fc.oneof(
  fc.record({
    os: fc.oneof(fc.constant('windows'), fc.constant('linux'), JSONISH),
    'os.version': fc.oneof(fc.constant('10.0.20348.5499'), fc.constant('10.0.1.1'), JSONISH),
    rootfs: fc.oneof(fc.record({ type: fc.constant('layers'), diff_ids: fc.oneof(fc.constant([]), fc.array(fc.constantFrom('sha256:' + '0'.repeat(64), 'x', ''), { maxLength: 2 }), JSONISH) }), JSONISH),
    history: fc.oneof(fc.constant([]), JSONISH),
    config: JSONISH,
    created: fc.oneof(fc.constant('2026-01-01T00:00:00Z'), JSONISH),
  }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
  fc.string({ maxLength: 40 }),
);
const MANIFEST = fc.oneof(
  fc.array(
    fc.record({
      Config: fc.oneof(fc.constant('config.json'), fc.constant('nope.json'), fc.constant('../config.json'), JSONISH),
      RepoTags: fc.oneof(fc.constant(['fz:latest']), fc.constant(null), fc.constant(['Bad Tag!']), fc.constant(['a:b:c']), JSONISH),
      Layers: fc.oneof(fc.constant([]), fc.constant(['layer.tar']), fc.constant(['layer.tar', 'layer.tar']), JSONISH),
      LayerSources: fc.oneof(fc.constant(undefined), JSONISH),
    }, { requiredKeys: [] }),
    { maxLength: 2 },
  ).map((m) => JSON.stringify(m)),
  JSONISH.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 }),
);
const ARCHIVE = fc
  .record({
    manifest: fc.option(MANIFEST, { freq: 8 }),
    config: CONFIG,
    layer: LAYER_TAR,
    extra: fc.array(fc.record({ name: fc.constantFrom('../x', '/abs', 'a\\..\\..\\b', 'repositories', 'blobs/sha256/x', 'dir/'), type: fc.constantFrom('0', '1', '2', '5'), linkname: LINKNAME, body: fc.uint8Array({ maxLength: 50 }) }), { maxLength: 2 }),
    mutation: MUTATION,
  })
  .map(({ manifest, config, layer, extra, mutation }) => {
    const entries: RawEntry[] = [
      ...(manifest !== null ? [{ name: 'manifest.json', type: '0', linkname: '', body: Buffer.from(manifest) }] : []),
      { name: 'config.json', type: '0', linkname: '', body: Buffer.from(config) },
      { name: 'layer.tar', type: '0', linkname: '', body: layer },
      ...extra,
    ];
    return mutate(writeTar(entries), mutation);
  });

describe('docker-archive bad input', () => {
  it(`${ARCHIVE_CASES} random and mutated archives load or fail with a HostError, leaving nothing behind`, async () => {
    const host = await Host.open({});
    try {
      const findings: string[] = [];
      const kinds = new Map<string, number>();
      let cases = 0;
      for (let chunk = 0; chunk * 40 < ARCHIVE_CASES; chunk++) {
        await yieldToEventLoop();
        const samples = fc.sample(fc.tuple(ARCHIVE, DELIVERY), { seed: SEED + 1000 + chunk, numRuns: Math.min(40, ARCHIVE_CASES - chunk * 40) });
        for (const [bytes, how] of samples) {
          cases++;
          const disks = host.blocks.storeStats().disks;
          const images = host.images().length;
          let outcome: string;
          try {
            const r = await withDeadline(host.load(deliver(bytes, how)));
            if (r === 'hang') {
              findings.push(`hang on a ${bytes.length}-byte archive (${how})`);
              continue;
            }
            outcome = 'loaded';
            // Loaded images go again, so the next case starts from the same host.
            for (const i of host.images().slice(images)) {
              try {
                host.deleteImage(i.Id, { force: true });
              } catch {
                // already gone with another tag
              }
            }
          } catch (e) {
            if (!(e instanceof HostError || e instanceof Win32Error || e instanceof NtStatusError)) {
              findings.push(`untyped ${describeError(e)} (${bytes.length} bytes, ${how})`);
              continue;
            }
            outcome = describeError(e).slice(0, 60);
            if (host.blocks.storeStats().disks !== disks) findings.push(`disks ${disks} → ${host.blocks.storeStats().disks} after "${outcome}"`);
            if (host.images().length !== images) findings.push(`images ${images} → ${host.images().length} after "${outcome}"`);
          }
          kinds.set(outcome, (kinds.get(outcome) ?? 0) + 1);
        }
      }
      if (process.env['WINSILO_FUZZ_VERBOSE'] === '1') console.log(findings, kinds);
      recordReliability({ family: 'fuzz', suite: 'docker-archive tars (docker load)', trials: cases, failures: findings.length, detail: `${kinds.get('loaded') ?? 0} loaded` });
      expect(findings.slice(0, 20)).toEqual([]);
    } finally {
      await host.close();
    }
  }, RELIABILITY ? 600_000 : 60_000);
});
