// Model-based: random sequences of namespace operations give identical
// results (statuses, handles, names, targets, enumerations, counts) on the
// WASM module and the TypeScript reference.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { ALL_PRIVILEGES, ObjectType as T, Privilege, type ObjectNamespace } from '../../../src/core/ob/index.js';
import { bootHostNamespace } from '../../../src/kernel/namespace/host.js';
import { createSiloNamespace } from '../../../src/kernel/namespace/silo.js';
import { propertyChunks, yieldToEventLoop } from '../../support/budget.js';
import { IMPLS } from './support.js';

const COMPONENTS = ['a', 'A', 'b', 'Bb', 'bB', 'x', '??', 'GLOBAL??', 'GLOBALROOT', 'Global', 'Silos', '380', '..', '.', 'BaseNamedObjects', 'Device', 'Null', 'C:', 'ß', 'SS', 'é', 'É'];

const component = fc.constantFrom(...COMPONENTS);
const path = fc.oneof(
  { weight: 8, arbitrary: fc.array(component, { minLength: 1, maxLength: 4 }).map((cs) => '\\' + cs.join('\\')) },
  { weight: 1, arbitrary: fc.constantFrom('\\', '', 'a', '\\a\\', '\\\\a', '\\a\\\\b', '\\??', '\\DosDevices\\C:') },
  { weight: 2, arbitrary: fc.array(component, { minLength: 1, maxLength: 3 }).map((cs) => cs.join('\\')) },
);
const handle = fc.oneof(fc.constantFrom(0, 4, 8, 12, 16, 20, 24, 28, 32, 5, 0xfffffffc), fc.integer({ min: 1, max: 24 }).map((i) => i * 4));
const proc = fc.integer({ min: 1, max: 4 });
const type = fc.constantFrom<number>(T.Directory, T.SymbolicLink, T.Event, T.Mutant, T.Section, T.Device);
const attrs = fc.constantFrom(0, 0x40, 0x80, 0xc0, 0x100, 0x10, 0x50, 0x1);

const op = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('create' as const), p: proc, type, name: path, attrs, root: fc.oneof(fc.constant(0), handle), target: path, global: fc.boolean(), shadow: fc.oneof(fc.constant(0), fc.constant(0), handle), len: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }) }) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant('open' as const), p: proc, type: fc.oneof(fc.constant(0), type), name: path, attrs, root: fc.oneof(fc.constant(0), handle) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('close' as const), p: proc, h: handle }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('query' as const), p: proc, h: handle }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('dir' as const), p: proc, h: handle, len: fc.integer({ min: -1, max: 600 }), single: fc.boolean(), restart: fc.boolean(), ctx: fc.integer({ min: 0, max: 12 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('list' as const), p: proc, name: path, len: fc.constantFrom(64, 120, 200, 4096), single: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('temp' as const), p: proc, h: handle, perm: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('global' as const), p: proc, h: handle, g: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('silo' as const), p: proc, id: fc.constantFrom(380, 381, 0), terminate: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('process' as const), p: proc, silo: fc.constantFrom(0, 380, 381), priv: fc.constantFrom(0, Privilege.CreatePermanent, ALL_PRIVILEGES), del: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('devicemap' as const), p: proc, h: fc.oneof(fc.constant(0), handle) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('batch' as const), p: proc, names: fc.array(path, { maxLength: 6 }), attrs, type: fc.oneof(fc.constant(0), type) }) },
);
type Op = typeof op extends fc.Arbitrary<infer O> ? O : never;

/** Applies one operation; returns everything observable about its result. */
function apply(ob: ObjectNamespace, procs: number[], o: Op): unknown {
  const p = procs[o.p - 1] ?? o.p + 100;
  switch (o.k) {
    case 'create':
      return ob.create(p, o.type as never, { name: o.name, attributes: o.attrs, root: o.root, nameLength: o.len }, o.type === T.SymbolicLink ? { target: o.target, global: o.global } : o.type === T.Directory ? { shadow: o.shadow } : {});
    case 'open':
      return ob.open(p, o.type as never, { name: o.name, attributes: o.attrs, root: o.root });
    case 'close':
      return ob.close(p, o.h);
    case 'query':
      return [ob.queryName(p, o.h), ob.queryLink(p, o.h), ob.queryObject(p, o.h)];
    case 'dir':
      return ob.queryDirectory(p, o.h, { bufferLength: o.len, single: o.single, restart: o.restart, context: o.ctx });
    case 'list': {
      // Open a directory by name and enumerate it to the end, as WinObj does.
      const d = ob.open(p, T.Directory, { name: o.name, attributes: 0x40 });
      if (d.status < 0) return d;
      const pages: unknown[] = [];
      let context = 0;
      for (let i = 0; i < 64; i++) {
        const r = ob.queryDirectory(p, d.handle, { bufferLength: o.len, single: o.single, context });
        pages.push(r);
        if (r.status !== 0 && r.status !== 0x105) break;
        if (r.status === 0 && !o.single) break;
        context = r.context;
      }
      return [pages, ob.close(p, d.handle)];
    }
    case 'temp':
      return o.perm ? ob.makePermanent(p, o.h) : ob.makeTemporary(p, o.h);
    case 'global':
      return ob.setLinkGlobal(p, o.h, o.g);
    case 'silo':
      return o.terminate ? ob.terminateSilo(p, o.id) : ob.createSilo(p, o.id);
    case 'process': {
      if (o.del) return ob.deleteProcess(p);
      const r = ob.createProcess(o.silo, 14, o.priv);
      if (r.status === 0) procs[o.p - 1] = r.process;
      return r;
    }
    case 'devicemap':
      return ob.setDeviceMap(p, o.h);
    case 'batch': {
      const out = { statuses: new Int32Array(o.names.length), handles: new Uint32Array(o.names.length) };
      const n = ob.openBatch(p, o.names, o.attrs, o.type as never, 0, out);
      return [n, Array.from(out.statuses), Array.from(out.handles)];
    }
  }
}

function start(make: () => ObjectNamespace, booted: boolean): { ob: ObjectNamespace; procs: number[] } {
  const ob = make();
  const procs: number[] = [];
  if (booted) {
    const h = bootHostNamespace(ob);
    createSiloNamespace(ob, h, 380, { session: 14, volume: 'HarddiskVolume5' });
    procs.push(h, ob.createProcess(380, 14, ALL_PRIVILEGES).process, ob.createProcess(0, 1, 0).process, ob.createProcess(380, 14, 0).process);
  } else {
    procs.push(ob.createProcess(0, 0, ALL_PRIVILEGES).process, ob.createProcess(0, 1, 0).process);
  }
  return { ob, procs };
}

describe('object namespace model: WASM and reference agree', () => {
  for (const chunk of propertyChunks(1000)) test(`random operation sequences give identical results${chunk.label}`, async () => {
    await yieldToEventLoop();
    const [[, makeWasm], [, makeRef]] = IMPLS as [[string, () => ObjectNamespace], [string, () => ObjectNamespace]];
    fc.assert(
      fc.property(fc.boolean(), fc.array(op, { minLength: 1, maxLength: 60 }), (booted, ops) => {
        const w = start(makeWasm, booted);
        const r = start(makeRef, booted);
        for (let i = 0; i < ops.length; i++) {
          const a = apply(w.ob, w.procs, ops[i]!);
          const b = apply(r.ob, r.procs, ops[i]!);
          expect(a, `op ${i}: ${JSON.stringify(ops[i])}`).toEqual(b);
        }
        expect(w.ob.objectCount()).toBe(r.ob.objectCount());
      }),
      { seed: chunk.seed, numRuns: chunk.numRuns },
    );
  });
});
