// Registry.layerIdentity: what a reader of a whole key (services.exe reading
// its database at every boot) may cache per image. Equal identities must
// mean equal contents — the key's values, its subkeys' names and their
// values — whatever the container's delta holds; an identity is offered
// only while the delta changes none of that.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Hive, type Registry } from '../../../src/kernel/registry/index.js';
import { propertyChunks, yieldToEventLoop } from '../../support/budget.js';
import { container, dword, imageLayers, sz } from './support.js';

const SERVICES = 'HKLM\\SYSTEM\\CurrentControlSet\\Services';
const CONTROL_SET = 'HKLM\\SYSTEM\\ControlSet001';

/** One image: every hive a single base layer. */
function image(): Record<string, Hive[]> {
  const out: Record<string, Hive[]> = {};
  for (const [k, h] of Object.entries(imageLayers())) out[k] = [h];
  return out;
}

/** What a whole-key reader sees: the key's values, its subkeys' names and their values (last-write times aside). */
function shallow(reg: Registry, path: string): unknown {
  return {
    values: reg.enumValues(path),
    keys: reg.enumKeys(path).map((k) => [k, reg.enumValues(`${path}\\${k}`)]),
  };
}

function same(a: readonly object[] | undefined, b: readonly object[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

describe('Registry.layerIdentity', () => {
  test('two containers on one image get the same identity for a key only the layers hold', () => {
    const img = image();
    const a = container(img).reg;
    const b = container(img).reg;
    expect(same(a.layerIdentity!(SERVICES), b.layerIdentity!(SERVICES))).toBe(true);
    expect(same(a.layerIdentity!(CONTROL_SET), b.layerIdentity!(CONTROL_SET))).toBe(true);
  });

  test('containers on different images (other layer objects) never share an identity', () => {
    const a = container(image()).reg;
    const b = container(image()).reg;
    expect(same(a.layerIdentity!(SERVICES), b.layerIdentity!(SERVICES))).toBe(false);
  });

  test('values written below a subkey (the host name under Services\\Tcpip\\Parameters) keep the identity', () => {
    const img = image();
    const a = container(img).reg;
    const b = container(img).reg;
    a.createKey(`${SERVICES}\\CExecSvc\\Parameters`);
    a.setValue(`${SERVICES}\\CExecSvc\\Parameters`, sz('Hostname', 'web'));
    expect(same(a.layerIdentity!(SERVICES), b.layerIdentity!(SERVICES))).toBe(true);
  });

  test('a value set on a subkey, a new or deleted subkey, or a value on the key itself: no identity', () => {
    const img = image();
    const cases: ((r: Registry) => void)[] = [
      (r) => r.setValue(`${SERVICES}\\W32Time`, dword('Start', 4)),
      (r) => r.deleteValue(`${SERVICES}\\CExecSvc`, 'ImagePath'),
      (r) => r.createKey(`${SERVICES}\\NewSvc`),
      (r) => r.deleteTree(`${SERVICES}\\W32Time`),
      (r) => r.setValue(SERVICES, sz('Note', 'x')),
      (r) => {
        r.deleteTree(SERVICES);
        r.createKey(`${SERVICES}\\CExecSvc`);
      },
    ];
    for (const change of cases) {
      const { reg } = container(img);
      change(reg);
      expect(reg.layerIdentity!(SERVICES)).toBeUndefined();
    }
  });

  test('a key holding link keys (HKLM\\SYSTEM holds CurrentControlSet), HKLM itself and a missing key have none', () => {
    const { reg } = container(image());
    expect(reg.layerIdentity!('HKLM\\SYSTEM')).toBeUndefined();
    expect(reg.layerIdentity!('HKLM')).toBeUndefined();
    expect(reg.layerIdentity!(`${SERVICES}\\Nope`)).toBeUndefined();
  });

  type Op =
    | { kind: 'setValue'; key: number; name: number; data: number }
    | { kind: 'deleteValue'; key: number; name: number }
    | { kind: 'createKey'; key: number }
    | { kind: 'deleteTree'; key: number };
  // Keys at every depth a whole-key read of Services touches, and around it.
  const KEYS = [
    SERVICES,
    `${SERVICES}\\CExecSvc`,
    `${SERVICES}\\cexecsvc`,
    `${SERVICES}\\W32Time`,
    `${SERVICES}\\Extra`,
    `${SERVICES}\\CExecSvc\\Parameters`,
    `${SERVICES}\\W32Time\\Parameters\\Deep`,
    `${CONTROL_SET}\\Control`,
  ];
  const NAMES = ['Start', 'ImagePath', 'Type', 'start'];
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('setValue' as const), key: fc.nat(KEYS.length - 1), name: fc.nat(NAMES.length - 1), data: fc.nat(3) }),
    fc.record({ kind: fc.constant('deleteValue' as const), key: fc.nat(KEYS.length - 1), name: fc.nat(NAMES.length - 1) }),
    fc.record({ kind: fc.constant('createKey' as const), key: fc.nat(KEYS.length - 1) }),
    fc.record({ kind: fc.constant('deleteTree' as const), key: fc.nat(KEYS.length - 1) }),
  );
  const apply = (reg: Registry, o: Op) => {
    const key = KEYS[o.key]!;
    try {
      if (o.kind === 'setValue') reg.setValue(key, dword(NAMES[o.name]!, o.data));
      else if (o.kind === 'deleteValue') reg.deleteValue(key, NAMES[o.name]!);
      else if (o.kind === 'createKey') reg.createKey(key);
      else reg.deleteTree(key);
    } catch {
      // Missing keys and values are fine: the next operation goes on.
    }
  };

  for (const chunk of propertyChunks(150)) {
    test(`equal identities, equal contents — over one or two layers and any delta${chunk.label}`, async () => {
      await yieldToEventLoop();
      fc.assert(
        fc.property(fc.array(op, { maxLength: 6 }), fc.array(op, { maxLength: 8 }), fc.array(op, { maxLength: 8 }), (layerOps, opsA, opsB) => {
          // A second SYSTEM layer: a committed container's delta over the base.
          const img = image();
          const committed = container(img);
          for (const o of layerOps) apply(committed.reg, o);
          const stacked = { ...img, SYSTEM: [...img.SYSTEM!, committed.deltas.SYSTEM!] };
          const a = container(stacked).reg;
          const b = container(stacked).reg;
          for (const o of opsA) apply(a, o);
          for (const o of opsB) apply(b, o);
          for (const path of [SERVICES, `${SERVICES}\\CExecSvc`, CONTROL_SET]) {
            const ia = a.layerIdentity!(path);
            const ib = b.layerIdentity!(path);
            if (same(ia, ib)) expect(shallow(a, path)).toEqual(shallow(b, path));
            // A container that changed nothing there offers the layers' identity.
            if (opsA.length === 0 && a.exists(path)) expect(ia).toBeDefined();
          }
        }),
        { seed: chunk.seed, numRuns: chunk.numRuns },
      );
    });
  }
});
