// services.exe reads its database at every boot; for containers on one
// image it is parsed once (services/registry.ts, keyed by
// Registry.layerIdentity). What a boot reads must be exactly what reading
// the registry gives, whatever the container changed before it.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createRegistry, Hive, hiveFromSpec, type Registry } from '../../../src/kernel/registry/index.js';
import { servicesFor } from '../../../src/kernel/services/catalog.js';
import { SERVICES_KEY } from '../../../src/kernel/services/constants.js';
import { readServiceDatabase, serviceRegistryTree, writeService } from '../../../src/kernel/services/registry.js';
import { propertyChunks, yieldToEventLoop } from '../../support/budget.js';
import { dword, sz } from '../registry/support.js';

/** An image's SYSTEM hive: Select\Current 1 and the servercore catalogue under ControlSet001\Services. */
function systemLayer(): Hive {
  return hiveFromSpec({
    keys: {
      Select: { values: [dword('Current', 1)] },
      ControlSet001: { keys: { Services: { keys: serviceRegistryTree(servicesFor('servercore')) } } },
    },
  });
}

function containerRegistry(layers: Hive[]): Registry {
  return createRegistry({ machine: { SYSTEM: { layers, delta: new Hive() } }, clock: () => 1_700_000_000_000 });
}

/** The same registry without layerIdentity: read key by key every time. */
function uncached(reg: Registry): Registry {
  return {
    readOnly: reg.readOnly,
    exists: (p) => reg.exists(p),
    keyInfo: (p) => reg.keyInfo(p),
    createKey: (p) => reg.createKey(p),
    deleteKey: (p) => reg.deleteKey(p),
    deleteTree: (p) => reg.deleteTree(p),
    enumKeys: (p) => reg.enumKeys(p),
    enumValues: (p) => reg.enumValues(p),
    getValue: (p, n) => reg.getValue(p, n),
    setValue: (p, v) => reg.setValue(p, v),
    deleteValue: (p, n) => reg.deleteValue(p, n),
  };
}

describe('the service database read at boot', () => {
  test('containers on one image share the parsed specs; each boot gets its own list', () => {
    const layer = systemLayer();
    const a = readServiceDatabase(containerRegistry([layer]));
    const b = readServiceDatabase(containerRegistry([layer]));
    expect(b).not.toBe(a);
    expect(b[0]).toBe(a[0]);
    expect(Object.isFrozen(a[0])).toBe(true);
    expect(a).toEqual(readServiceDatabase(uncached(containerRegistry([layer]))));
  });

  test("the container's identity (the host name under Services\\Tcpip\\Parameters) still reads the image's database", () => {
    const layer = systemLayer();
    const first = readServiceDatabase(containerRegistry([layer]));
    const reg = containerRegistry([layer]);
    reg.createKey(`${SERVICES_KEY}\\Tcpip\\Parameters`);
    reg.setValue(`${SERVICES_KEY}\\Tcpip\\Parameters`, sz('Hostname', 'web'));
    const db = readServiceDatabase(reg);
    expect(db[0]).toBe(first[0]);
    expect(db).toEqual(readServiceDatabase(uncached(reg)));
  });

  test('a service changed, added or deleted in the container is read from the registry', () => {
    const layer = systemLayer();
    readServiceDatabase(containerRegistry([layer]));
    const reg = containerRegistry([layer]);
    const w32time = servicesFor('servercore').find((s) => s.name === 'W32Time')!;
    writeService(reg, { ...w32time, start: 2 });
    writeService(reg, { ...w32time, name: 'MySvc', displayName: 'Mine' });
    reg.deleteTree(`${SERVICES_KEY}\\Dhcp`);
    const db = readServiceDatabase(reg);
    expect(db.find((s) => s.name === 'W32Time')!.start).toBe(2);
    expect(db.some((s) => s.name === 'MySvc')).toBe(true);
    expect(db.some((s) => s.name === 'Dhcp')).toBe(false);
    expect(db).toEqual(readServiceDatabase(uncached(reg)));
  });

  const names = ['W32Time', 'Dhcp', 'CExecSvc', 'Tcpip', 'NewSvc'];
  const change = fc.oneof(
    fc.record({ kind: fc.constant('start' as const), svc: fc.nat(names.length - 1), start: fc.integer({ min: 2, max: 4 }) }),
    fc.record({ kind: fc.constant('delete' as const), svc: fc.nat(names.length - 1) }),
    fc.record({ kind: fc.constant('parameters' as const), svc: fc.nat(names.length - 1) }),
    fc.record({ kind: fc.constant('dropType' as const), svc: fc.nat(names.length - 1) }),
  );
  for (const chunk of propertyChunks(60)) {
    test(`whatever a container changed, a boot reads what the registry holds${chunk.label}`, async () => {
      await yieldToEventLoop();
      const layer = systemLayer();
      fc.assert(
        fc.property(fc.array(change, { maxLength: 5 }), (changes) => {
          const reg = containerRegistry([layer]);
          for (const c of changes) {
            const key = `${SERVICES_KEY}\\${names[c.svc]}`;
            try {
              if (c.kind === 'start') reg.setValue(key, dword('Start', c.start));
              else if (c.kind === 'delete') reg.deleteTree(key);
              else if (c.kind === 'dropType') reg.deleteValue(key, 'Type');
              else {
                reg.createKey(`${key}\\Parameters`);
                reg.setValue(`${key}\\Parameters`, sz('x', 'y'));
              }
            } catch {
              // A missing service: nothing changed.
            }
          }
          expect(readServiceDatabase(reg)).toEqual(readServiceDatabase(uncached(reg)));
        }),
        { seed: chunk.seed, numRuns: chunk.numRuns },
      );
    });
  }
});
