// The container's registry is a union (windows-facts §4): read-only layer
// hives with the container's delta on top. Deleting what a layer holds
// writes a tombstone into the delta; the layers never change, so another
// container on the same image keeps everything (seed 003's demonstration).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { ERROR_ACCESS_DENIED, ERROR_FILE_NOT_FOUND } from '../../../src/core/win32.js';
import {
  createRegistry,
  Hive,
  hiveFromSpec,
  hiveToSpec,
  KEY_OPAQUE,
  KEY_TOMBSTONE,
  KeyNode,
  LayeredHive,
  serialiseHive,
  VALUE_TOMBSTONE,
  type Registry,
} from '../../../src/kernel/registry/index.js';
import { propertyChunks, yieldToEventLoop } from '../../support/budget.js';
import { code, container, dump, dword, imageLayers, sz } from './support.js';

/** One image: every hive a single base layer. */
function image(): Record<string, Hive[]> {
  const out: Record<string, Hive[]> = {};
  for (const [k, h] of Object.entries(imageLayers())) out[k] = [h];
  return out;
}

const bytesOf = (layers: Record<string, Hive[]>) => Object.values(layers).flatMap((hs) => hs.map((h) => Buffer.from(serialiseHive(h)).toString('hex')));

describe('one image, many containers', () => {
  test('deleting keys in one container leaves the image and the other containers whole; a new container starts whole', () => {
    const img = image();
    const before = bytesOf(img);
    const a = container(img);
    const b = container(img);
    const whole = dump(b.reg, 'HKLM\\SYSTEM\\ControlSet001');
    a.reg.deleteTree('HKLM\\SYSTEM\\CurrentControlSet\\Services');
    a.reg.deleteValue('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'ProductName');
    expect(a.reg.exists('HKLM\\SYSTEM\\ControlSet001\\Services')).toBe(false);
    expect(code(() => a.reg.getValue('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'ProductName'))).toBe(ERROR_FILE_NOT_FOUND);
    expect(dump(b.reg, 'HKLM\\SYSTEM\\ControlSet001')).toEqual(whole);
    expect(b.reg.getValue('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'ProductName').data).toBe('Windows Server 2022 Datacenter');
    expect(dump(container(img).reg, 'HKLM\\SYSTEM\\ControlSet001')).toEqual(whole);
    expect(bytesOf(img)).toEqual(before);
  });

  test('a deleted layer key becomes a tombstone in the delta; a deleted layer value a value tombstone', () => {
    const img = image();
    const { reg, deltas } = container(img);
    reg.deleteTree('HKLM\\SYSTEM\\ControlSet001\\Services\\W32Time');
    reg.deleteValue('HKLM\\SYSTEM\\ControlSet001\\Services\\CExecSvc', 'Start');
    const services = deltas.SYSTEM!.root.subkeys.get('CONTROLSET001')!.subkeys.get('SERVICES')!;
    expect(services.subkeys.get('W32TIME')!.state).toBe(KEY_TOMBSTONE);
    expect(services.subkeys.get('CEXECSVC')!.values.get('START')!.kind).toBe(VALUE_TOMBSTONE);
  });

  test('deleting what only the delta holds leaves no tombstone', () => {
    const { reg, deltas } = container(image());
    reg.createKey('HKLM\\SOFTWARE\\Mine\\Sub');
    reg.setValue('HKLM\\SOFTWARE\\Mine', sz('v', 'x'));
    reg.deleteValue('HKLM\\SOFTWARE\\Mine', 'v');
    reg.deleteTree('HKLM\\SOFTWARE\\Mine');
    expect(deltas.SOFTWARE!.root.subkeys.size).toBe(0);
    expect(hiveToSpec(deltas.SOFTWARE!)).toEqual({});
  });

  test('a key re-created after deletion is empty: the tombstone still hides the layers\' old content', () => {
    const { reg, deltas } = container(image());
    const key = 'HKLM\\SYSTEM\\ControlSet001\\Services\\CExecSvc';
    reg.deleteTree(key);
    expect(reg.createKey(key)).toEqual({ created: true });
    expect(reg.enumValues(key)).toEqual([]);
    expect(reg.enumKeys(key)).toEqual([]);
    reg.setValue(key, dword('Start', 4));
    expect(reg.enumValues(key)).toEqual([dword('Start', 4)]);
    const node = deltas.SYSTEM!.root.subkeys.get('CONTROLSET001')!.subkeys.get('SERVICES')!.subkeys.get('CEXECSVC')!;
    expect(node.state).toBe(KEY_OPAQUE);
    reg.deleteKey(key);
    expect(reg.exists(key)).toBe(false); // deleting it again brings back nothing from below
  });

  test('RegDeleteKey of a key with subkeys (from any layer) is ERROR_ACCESS_DENIED; deleteTree takes it all', () => {
    const { reg } = container(image());
    expect(code(() => reg.deleteKey('HKLM\\SYSTEM\\ControlSet001\\Services'))).toBe(ERROR_ACCESS_DENIED);
    expect(code(() => reg.deleteKey('HKLM\\SYSTEM\\ControlSet001\\Services\\Nope'))).toBe(ERROR_FILE_NOT_FOUND);
    reg.deleteKey('HKLM\\SYSTEM\\ControlSet001\\Services\\W32Time');
    expect(reg.enumKeys('HKLM\\SYSTEM\\ControlSet001\\Services')).toEqual(['CExecSvc']);
    reg.deleteTree('HKLM\\SYSTEM\\ControlSet001\\Services');
    expect(reg.exists('HKLM\\SYSTEM\\ControlSet001\\Services\\CExecSvc')).toBe(false);
    expect(code(() => reg.deleteTree('HKLM\\SYSTEM\\ControlSet001\\Services'))).toBe(ERROR_FILE_NOT_FOUND);
  });
});

describe('deltas as layers (docker commit)', () => {
  test('a committed delta stacked on the image shows the container\'s changes, tombstones included', () => {
    const img = image();
    const a = container(img);
    a.reg.deleteTree('HKLM\\SYSTEM\\ControlSet001\\Services\\W32Time');
    a.reg.createKey('HKLM\\SOFTWARE\\Contoso\\App');
    a.reg.setValue('HKLM\\SOFTWARE\\Contoso\\App', sz('Version', '1.0'));
    a.reg.deleteValue('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'CurrentBuild');
    const expected = dump(a.reg, 'HKLM');
    const next: Record<string, Hive[]> = {};
    for (const [name, layers] of Object.entries(img)) next[name] = [...layers, a.deltas[name]!];
    const b = container(next);
    expect(dump(b.reg, 'HKLM')).toEqual(expected);
    // The committed delta is now a layer: sealed, so A's registry can no longer write it.
    expect(code(() => a.reg.createKey('HKLM\\SOFTWARE\\More'))).toBe(ERROR_ACCESS_DENIED);
  });

  test('three layers deep: tombstones of a middle layer hide the base; a top layer re-creates', () => {
    const base = hiveFromSpec({ keys: { A: { values: [dword('x', 1)], keys: { B: {} } }, C: { values: [dword('c', 1)] } } });
    const mid = new Hive();
    const v1 = new LayeredHive([base], mid);
    v1.deleteTree('t', 'A', ['A']);
    v1.deleteValue('t', 'C', ['C'], 'c');
    v1.setValue('t', 'C', ['C'], dword('y', 2));
    expect(hiveToSpec(new LayeredHive([base, mid]))).toEqual({ keys: { C: { values: [dword('y', 2)] } } });
    const top = new Hive();
    const v2 = new LayeredHive([base, mid], top);
    v2.createKey('t', 'A', ['A']);
    v2.setValue('t', 'A', ['A'], dword('z', 3));
    v2.setValue('t', 'C', ['C'], dword('c', 4));
    expect(hiveToSpec(new LayeredHive([base, mid, top]))).toEqual({ keys: { A: { values: [dword('z', 3)] }, C: { values: [dword('y', 2), dword('c', 4)] } } });
    expect(hiveToSpec(base)).toEqual({ keys: { A: { values: [dword('x', 1)], keys: { B: {} } }, C: { values: [dword('c', 1)] } } });
  });
});

describe('opening a container registry', () => {
  test('is O(1) in the size of the layers: nothing is copied or walked', () => {
    const big = (n: number, tag: string) => {
      const keys: Record<string, object> = {};
      for (let i = 0; i < n; i++) keys[`${tag}${i}`] = { values: [dword('i', i)] };
      return hiveFromSpec({ keys: { Big: { keys } } });
    };
    const software = [big(30000, 'a'), big(30000, 'b'), big(30000, 'c')];
    // Count every read of every map of the three layers.
    let touched = 0;
    const instrument = (node: KeyNode) => {
      for (const map of [node.subkeys, node.values] as Map<string, unknown>[]) {
        for (const m of ['get', 'has', 'entries', 'values', 'keys', 'forEach', Symbol.iterator] as const) {
          const original = (map as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>)[m]!;
          Object.defineProperty(map, m, { value: (...a: unknown[]) => (touched++, original.apply(map, a)) });
        }
      }
      for (const child of node.subkeys.values()) instrument(child);
    };
    for (const h of software) instrument(h.root);
    touched = 0;
    const layers = { SYSTEM: [hiveFromSpec({})], SOFTWARE: software, SAM: [new Hive()], SECURITY: [new Hive()], DEFAULT: [new Hive()], USER: [new Hive()] };
    for (let i = 0; i < 100; i++) container(layers);
    expect(touched).toBe(0);
    const { reg } = container(layers);
    expect(reg.keyInfo('HKLM\\SOFTWARE\\Big').subkeys).toBe(90000);
    touched = 0;
    expect(reg.getValue('HKLM\\SOFTWARE\\Big\\b29999', 'i').data).toBe(29999);
    // A lookup walks the layers name by name: a few map reads per layer and level, not per key.
    expect(touched).toBeLessThan(30);
  });

  test('without a delta the hive is read-only: writes are ERROR_ACCESS_DENIED', () => {
    const reg = createRegistry({ machine: { SOFTWARE: { layers: [hiveFromSpec({ keys: { K: {} } })] } } });
    expect(reg.exists('HKLM\\SOFTWARE\\K')).toBe(true);
    expect(code(() => reg.createKey('HKLM\\SOFTWARE\\New'))).toBe(ERROR_ACCESS_DENIED);
    expect(code(() => reg.deleteKey('HKLM\\SOFTWARE\\K'))).toBe(ERROR_ACCESS_DENIED);
    expect(code(() => reg.setValue('HKLM\\SOFTWARE\\K', sz('a', 'b')))).toBe(ERROR_ACCESS_DENIED);
    expect(reg.createKey('HKLM\\SOFTWARE\\K')).toEqual({ created: false });
  });
});

// ---- Property: containers are isolated from each other and from the image ----

const NAMES = ['a', 'B', 'c', 'A', 'é', 'É'];
const keyPath = fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }).map((p) => p.join('\\'));
const hive = fc.constantFrom('SOFTWARE', 'SYSTEM');
const op = fc.oneof(
  fc.record({ k: fc.constant('create' as const), hive, path: keyPath }),
  fc.record({ k: fc.constant('delete' as const), hive, path: keyPath }),
  fc.record({ k: fc.constant('deleteTree' as const), hive, path: keyPath }),
  fc.record({ k: fc.constant('set' as const), hive, path: keyPath, name: fc.constantFrom('x', 'X', 'y', ''), data: fc.nat(9) }),
  fc.record({ k: fc.constant('deleteValue' as const), hive, path: keyPath, name: fc.constantFrom('x', 'X', 'y', '') }),
);
type Op = typeof op extends fc.Arbitrary<infer O> ? O : never;

function apply(reg: Registry, o: Op): number {
  const p = `HKLM\\${o.hive}\\T\\${o.path}`;
  return code(() => {
    switch (o.k) {
      case 'create':
        return reg.createKey(p);
      case 'delete':
        return reg.deleteKey(p);
      case 'deleteTree':
        return reg.deleteTree(p);
      case 'set':
        return reg.setValue(p, dword(o.name, o.data));
      case 'deleteValue':
        return reg.deleteValue(p, o.name);
    }
  });
}

describe('isolation (property)', () => {
  for (const chunk of propertyChunks(150)) test(`operations on container A's delta never change what container B or the layers read${chunk.label}`, async () => {
    await yieldToEventLoop();
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), fc.array(op, { maxLength: 40 }), (build, ops) => {
        // Two layers per hive: a base with T, and a committed delta of random operations.
        const img = image();
        img.SOFTWARE![0] = hiveFromSpec({ ...hiveToSpec(img.SOFTWARE![0]!), keys: { ...hiveToSpec(img.SOFTWARE![0]!).keys, T: { keys: { a: { values: [dword('x', 1)] }, B: {} } } } });
        img.SYSTEM![0] = hiveFromSpec({ ...hiveToSpec(img.SYSTEM![0]!), keys: { ...hiveToSpec(img.SYSTEM![0]!).keys, T: { keys: { c: {} } } } });
        const builder = container(img);
        for (const o of build) apply(builder.reg, o);
        for (const name of Object.keys(img)) img[name]!.push(builder.deltas[name]!);
        const layerBytes = bytesOf(img);
        const a = container(img);
        const b = container(img);
        const seen = dump(b.reg, 'HKLM');
        for (const o of ops) {
          apply(a.reg, o);
          expect(dump(b.reg, 'HKLM')).toEqual(seen);
        }
        expect(bytesOf(img)).toEqual(layerBytes);
        expect(dump(container(img).reg, 'HKLM')).toEqual(seen);
      }),
      { seed: chunk.seed, numRuns: chunk.numRuns },
    );
  });
});
