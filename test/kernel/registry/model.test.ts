// Model-based: random createKey / deleteKey / deleteTree / setValue /
// deleteValue on a container's union registry give the same results and the
// same enumerations, after every step, as a flat Map of keys. Half of each
// run happens in a first container whose delta is then committed as a layer
// (tombstones and all), the rest in a container on top of it.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { ERROR_ACCESS_DENIED, ERROR_FILE_NOT_FOUND } from '../../../src/core/win32.js';
import { Hive, hiveFromSpec, type Registry } from '../../../src/kernel/registry/index.js';
import { propertyChunks, yieldToEventLoop } from '../../support/budget.js';
import { code, container, dword } from './support.js';

// ---- The model: every key of the tree below T in one flat Map ------------------

interface MKey {
  name: string;
  /** Upcased value name → [name as created, data], in creation order. */
  values: Map<string, [string, number]>;
}
/** Upcased path below T ('' is T itself) → key. */
type Model = Map<string, MKey>;

const up = (s: string) => s.toUpperCase(); // the alphabet below upcases one-to-one
const join = (a: string, b: string) => (a === '' ? b : `${a}\\${b}`);
const parentOf = (p: string) => (p.includes('\\') ? p.slice(0, p.lastIndexOf('\\')) : '');

function modelApply(m: Model, o: Op): unknown {
  const comps = o.path;
  const path = comps.map(up).join('\\');
  switch (o.k) {
    case 'create': {
      let at = '';
      let created = false;
      for (const c of comps) {
        at = join(at, up(c));
        if (!m.has(at)) {
          m.set(at, { name: c, values: new Map() });
          created = true;
        }
      }
      return { created };
    }
    case 'delete': {
      if (!m.has(path)) return ERROR_FILE_NOT_FOUND;
      for (const k of m.keys()) if (k !== '' && parentOf(k) === path) return ERROR_ACCESS_DENIED;
      m.delete(path);
      return 0;
    }
    case 'deleteTree': {
      if (!m.has(path)) return ERROR_FILE_NOT_FOUND;
      for (const k of [...m.keys()]) if (k === path || k.startsWith(path + '\\')) m.delete(k);
      return 0;
    }
    case 'set': {
      const key = m.get(path);
      if (key === undefined) return ERROR_FILE_NOT_FOUND;
      const old = key.values.get(up(o.name));
      key.values.set(up(o.name), [old?.[0] ?? o.name, o.data]);
      return 0;
    }
    case 'deleteValue': {
      const key = m.get(path);
      if (key === undefined || !key.values.delete(up(o.name))) return ERROR_FILE_NOT_FOUND;
      return 0;
    }
  }
}

interface Shown {
  values: [string, number][];
  keys: [string, Shown][];
}

function modelDump(m: Model, at: string): Shown {
  const key = m.get(at)!;
  const children = [...m.keys()].filter((k) => k !== '' && k !== at && parentOf(k) === at);
  children.sort((a, b) => {
    const x = a.slice(a.lastIndexOf('\\') + 1);
    const y = b.slice(b.lastIndexOf('\\') + 1);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return { values: [...key.values.values()], keys: children.map((c) => [m.get(c)!.name, modelDump(m, c)]) };
}

// ---- The system under test ------------------------------------------------------

const NAMES = ['a', 'A', 'b', 'B', 'aB', 'a_b', 'é', 'É', 'Zz'];
const ROOTS = ['HKLM\\SOFTWARE\\T', 'HKEY_LOCAL_MACHINE\\software\\t', 'hklm\\Software\\T\\\\'];
const op = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('create' as const), path: fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }), root: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('delete' as const), path: fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }), root: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('deleteTree' as const), path: fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 2 }), root: fc.nat(2) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('set' as const), path: fc.array(fc.constantFrom(...NAMES), { minLength: 0, maxLength: 3 }), root: fc.nat(2), name: fc.constantFrom('x', 'X', 'y', 'Y', 'z', ''), data: fc.nat(99) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('deleteValue' as const), path: fc.array(fc.constantFrom(...NAMES), { minLength: 0, maxLength: 3 }), root: fc.nat(2), name: fc.constantFrom('x', 'X', 'y', 'Y', 'z', '') }) },
);
type Op = typeof op extends fc.Arbitrary<infer O> ? O : never;

function realApply(reg: Registry, o: Op): unknown {
  const p = [ROOTS[o.root]!, ...o.path].join('\\');
  let result: unknown = 0;
  const c = code(() => {
    switch (o.k) {
      case 'create':
        result = reg.createKey(p);
        return;
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
  return c === 0 ? result : c;
}

function realDump(reg: Registry, path: string): Shown {
  return {
    values: reg.enumValues(path).map((v) => [v.name, v.data as number]),
    keys: reg.enumKeys(path).map((n) => [n, realDump(reg, `${path}\\${n}`)]),
  };
}

/** The image: T with a few keys and values, in the SOFTWARE hive. */
const BASE_T = { values: [dword('x', 1), dword('y', 2)], keys: { a: { values: [dword('z', 3)], keys: { B: {} } }, 'a_b': {} } };

function freshModel(): Model {
  const m: Model = new Map();
  m.set('', { name: 'T', values: new Map([['X', ['x', 1]], ['Y', ['y', 2]]]) });
  m.set('A', { name: 'a', values: new Map([['Z', ['z', 3]]]) });
  m.set('A\\B', { name: 'B', values: new Map() });
  m.set('A_B', { name: 'a_b', values: new Map() });
  return m;
}

function layersWith(software: Hive[]): Record<string, Hive[]> {
  return { SYSTEM: [hiveFromSpec({})], SOFTWARE: software, SAM: [new Hive()], SECURITY: [new Hive()], DEFAULT: [new Hive()], USER: [new Hive()] };
}

describe('union registry vs a flat model', () => {
  for (const chunk of propertyChunks(200)) test(`random operations give the model's results and enumerations after every step${chunk.label}`, async () => {
    await yieldToEventLoop();
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.array(op, { maxLength: 30 }), (first, second) => {
        const model = freshModel();
        const base = hiveFromSpec({ keys: { T: BASE_T } });
        const one = container(layersWith([base]));
        const step = (reg: Registry, o: Op, i: number) => {
          expect(realApply(reg, o), `step ${i}: ${JSON.stringify(o)}`).toEqual(modelApply(model, o));
          expect(realDump(reg, 'HKLM\\SOFTWARE\\T'), `after step ${i}: ${JSON.stringify(o)}`).toEqual(modelDump(model, ''));
        };
        first.forEach((o, i) => step(one.reg, o, i));
        // docker commit: the first container's delta becomes a layer.
        const two = container(layersWith([base, one.deltas.SOFTWARE!]));
        expect(realDump(two.reg, 'HKLM\\SOFTWARE\\T')).toEqual(modelDump(model, ''));
        second.forEach((o, i) => step(two.reg, o, first.length + i));
      }),
      { seed: chunk.seed, numRuns: chunk.numRuns },
    );
  });
});
