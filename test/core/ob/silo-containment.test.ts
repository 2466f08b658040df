// Invariant (windows-facts §2): no lookup made on behalf of silo N returns an
// object outside \Silos\N, except through what the host placed there on
// purpose (the shadowed \Device, \Driver, \FileSystem).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as S from '../../../src/core/ntstatus.js';
import { ALL_PRIVILEGES, ObjectType as T, OBJ_CASE_INSENSITIVE, type ObjectNamespace } from '../../../src/core/ob/index.js';
import { bootHostNamespace } from '../../../src/kernel/namespace/host.js';
import { createSiloNamespace } from '../../../src/kernel/namespace/silo.js';
import { numRuns, SEED } from '../../support/budget.js';
import { IMPLS } from './support.js';

// Host objects outside silo 380 carry HOST_ in their names.
const HOST_OBJECTS = [
  '\\HOST_root', '\\BaseNamedObjects\\HOST_bno', '\\Silos\\HOST_silos', '\\Silos\\381\\BaseNamedObjects\\HOST_other',
  '\\ObjectTypes\\HOST_type', '\\GLOBAL??\\HOST_dos', '\\Sessions\\0\\HOST_s0', '\\KnownDlls\\HOST_kd',
];
const COMPONENTS = ['HOST_root', 'HOST_bno', 'HOST_silos', 'HOST_other', 'HOST_dos', 'HOST_type', 'Silos', '381', '380', 'BaseNamedObjects', 'GLOBAL??', 'GLOBALROOT', 'Global', '??', '..', 'Device', 'Null', 'ObjectTypes', 'Sessions', '0', '14', 'BNOLINKS', 'Session', 'Local', 'mine', 'DosDevices', 'KnownDlls', 'C:', 'HarddiskVolume3', 'HarddiskVolume5'];
const path = fc.array(fc.constantFrom(...COMPONENTS), { minLength: 1, maxLength: 5 }).map((c) => '\\' + c.join('\\'));
const op = fc.oneof(
  fc.record({ k: fc.constant('open' as const), name: path, ci: fc.boolean() }),
  fc.record({ k: fc.constant('link' as const), name: fc.constantFrom('\\BaseNamedObjects\\mine', '\\mine', '\\Sessions\\14\\BaseNamedObjects\\mine', '\\GLOBAL??\\mine'), target: fc.oneof(path, fc.constantFrom('', '\\', '\\Silos\\381')), global: fc.boolean() }),
  fc.record({ k: fc.constant('dir' as const), name: fc.constantFrom('\\mine', '\\BaseNamedObjects\\mine', '\\Device\\mine'), shadowPath: fc.oneof(fc.constant(''), path) }),
  fc.record({ k: fc.constant('close' as const), h: fc.integer({ min: 1, max: 20 }).map((i) => i * 4) }),
);

function setup(make: () => ObjectNamespace) {
  const ob = make();
  const host = bootHostNamespace(ob);
  createSiloNamespace(ob, host, 380, { session: 14, volume: 'HarddiskVolume5' });
  createSiloNamespace(ob, host, 381, { session: 15, volume: 'HarddiskVolume6' });
  for (const n of HOST_OBJECTS) {
    const r = ob.create(host, T.Event, { name: n, attributes: 0x10 | OBJ_CASE_INSENSITIVE });
    if (r.status !== 0) throw new Error(`cannot place ${n}: ${r.status}`);
    ob.close(host, r.handle);
  }
  // A host device, visible through the silo's shadowed \Device on purpose.
  ob.close(host, ob.create(host, T.Device, { name: '\\Device\\HOST_dev', attributes: 0x10 }).handle);
  const silo = ob.createProcess(380, 14, ALL_PRIVILEGES).process;
  return { ob, silo };
}

describe.each(IMPLS)('silo containment (%s)', (_name, make) => {
  test('no lookup from silo 380 reaches a host object except through the shadowed \\Device', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const { ob, silo } = setup(make);
        for (const o of ops) {
          if (o.k === 'open') {
            const r = ob.open(silo, 0, { name: o.name, attributes: o.ci ? OBJ_CASE_INSENSITIVE : 0 });
            if (r.status < 0) continue;
            const name = ob.queryName(silo, r.handle).name;
            if (name.includes('HOST_')) expect(name, `${o.name} reached ${name}`).toBe('\\Device\\HOST_dev');
            ob.close(silo, r.handle);
          } else if (o.k === 'link') {
            const r = ob.create(silo, T.SymbolicLink, { name: o.name, attributes: OBJ_CASE_INSENSITIVE }, { target: o.target, global: o.global });
            if (o.global) expect(r.status).toBe(S.STATUS_PRIVILEGE_NOT_HELD);
          } else if (o.k === 'dir') {
            let shadow = 0;
            if (o.shadowPath) {
              const s = ob.open(silo, T.Directory, { name: o.shadowPath, attributes: OBJ_CASE_INSENSITIVE });
              shadow = s.status === 0 ? s.handle : 0;
            }
            ob.create(silo, T.Directory, { name: o.name, attributes: OBJ_CASE_INSENSITIVE }, { shadow });
          } else {
            ob.close(silo, o.h);
          }
        }
      }),
      { seed: SEED, numRuns: numRuns(150) },
    );
  });
});
