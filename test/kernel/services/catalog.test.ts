// The service catalog image synthesis writes, and the database services.exe
// reads back from the registry.
import { describe, expect, test } from 'vitest';
import { REG_DWORD, REG_EXPAND_SZ, REG_MULTI_SZ } from '../../../src/kernel/registry/types.js';
import {
  SERVICE_AUTO_START,
  SERVICE_DEMAND_START,
  SERVICE_KERNEL_DRIVER,
  SERVICE_WIN32_OWN_PROCESS,
  SERVICE_WIN32_SHARE_PROCESS,
  SERVICES_KEY,
} from '../../../src/kernel/services/constants.js';
import { servicesFor } from '../../../src/kernel/services/catalog.js';
import { readServiceDatabase, serviceRegistryTree, serviceValues, writeService } from '../../../src/kernel/services/registry.js';
import { MemRegistry } from '../process/support.js';

describe('service catalog', () => {
  test('CExecSvc is the "Container Execution Agent", an own-process auto-start LocalSystem service', () => {
    const c = servicesFor('servercore').find((s) => s.name === 'CExecSvc')!;
    expect(c).toMatchObject({ displayName: 'Container Execution Agent', type: SERVICE_WIN32_OWN_PROCESS, start: SERVICE_AUTO_START, objectName: 'LocalSystem' });
  });

  test('the usual services are there with their real names, display names and svchost groups', () => {
    const byName = new Map(servicesFor('servercore').map((s) => [s.name, s]));
    expect(byName.get('Dnscache')).toMatchObject({ displayName: 'DNS Client', type: SERVICE_WIN32_SHARE_PROCESS, imagePath: '%SystemRoot%\\system32\\svchost.exe -k NetworkService -p', objectName: 'NT AUTHORITY\\NetworkService' });
    expect(byName.get('RpcSs')).toMatchObject({ displayName: 'Remote Procedure Call (RPC)', dependOnService: ['RpcEptMapper', 'DcomLaunch'] });
    expect(byName.get('LanmanServer')!.displayName).toBe('Server');
    expect(byName.get('LanmanWorkstation')!.displayName).toBe('Workstation');
    expect(byName.get('W32Time')).toMatchObject({ displayName: 'Windows Time', start: SERVICE_DEMAND_START });
    expect(byName.get('WinRM')!.displayName).toBe('Windows Remote Management (WS-Management)');
    expect(byName.get('Tcpip')).toMatchObject({ type: SERVICE_KERNEL_DRIVER, start: 0 });
    for (const name of ['Dhcp', 'EventLog', 'mpssvc', 'RpcEptMapper', 'DcomLaunch', 'Schedule', 'Winmgmt', 'msiserver', 'TrustedInstaller']) {
      expect(byName.has(name), name).toBe(true);
    }
  });

  test('every dependency names a catalogued service (no dangling DependOnService)', () => {
    for (const flavor of ['servercore', 'nanoserver', 'iis'] as const) {
      const names = new Set(servicesFor(flavor).map((s) => s.name.toUpperCase()));
      for (const s of servicesFor(flavor)) for (const d of s.dependOnService ?? []) expect(names.has(d.toUpperCase()), `${flavor}: ${s.name} → ${d}`).toBe(true);
    }
  });

  test('nanoserver has a subset of servercore: no WMI, Task Scheduler, firewall or WinRM', () => {
    const nano = servicesFor('nanoserver').map((s) => s.name);
    const core = new Set(servicesFor('servercore').map((s) => s.name));
    for (const n of nano) expect(core.has(n)).toBe(true);
    for (const n of ['Winmgmt', 'Schedule', 'mpssvc', 'WinRM']) expect(nano).not.toContain(n);
    expect(nano).toContain('CExecSvc');
  });

  test('iis adds W3SVC and WAS', () => {
    const iis = servicesFor('iis');
    expect(iis.find((s) => s.name === 'W3SVC')).toMatchObject({ displayName: 'World Wide Web Publishing Service', dependOnService: ['WAS', 'HTTP'] });
    expect(iis.some((s) => s.name === 'WAS')).toBe(true);
  });

  test('services are listed by name, case-insensitively', () => {
    const names = servicesFor('servercore').map((s) => s.name.toUpperCase());
    expect(names).toEqual([...names].sort());
  });
});

describe('services in the registry', () => {
  test('a service key holds Type, Start, ErrorControl, ImagePath (REG_EXPAND_SZ), DependOnService (REG_MULTI_SZ) …', () => {
    const dns = servicesFor('servercore').find((s) => s.name === 'Dnscache')!;
    const values = serviceValues(dns);
    expect(values.map((v) => v.name)).toEqual(['DependOnService', 'Description', 'DisplayName', 'ErrorControl', 'Group', 'ImagePath', 'ObjectName', 'Start', 'Type']);
    expect(values.find((v) => v.name === 'ImagePath')!.type).toBe(REG_EXPAND_SZ);
    expect(values.find((v) => v.name === 'DependOnService')).toEqual({ name: 'DependOnService', type: REG_MULTI_SZ, data: ['nsi', 'Tdx'] });
    expect(values.find((v) => v.name === 'Type')).toEqual({ name: 'Type', type: REG_DWORD, data: 0x20 });
  });

  test('what image synthesis writes, services.exe reads back unchanged', () => {
    const reg = new MemRegistry();
    const specs = servicesFor('servercore');
    reg.createKey(SERVICES_KEY);
    for (const [name, spec] of Object.entries(serviceRegistryTree(specs))) {
      reg.createKey(`${SERVICES_KEY}\\${name}`);
      for (const v of spec.values ?? []) reg.setValue(`${SERVICES_KEY}\\${name}`, v);
    }
    const back = readServiceDatabase(reg);
    expect(back.map((s) => s.name)).toEqual(specs.map((s) => s.name));
    for (let i = 0; i < specs.length; i++) {
      const a = specs[i]!;
      const b = back[i]!;
      expect({ ...b, description: b.description, group: b.group, objectName: b.objectName }).toMatchObject({
        name: a.name,
        displayName: a.displayName,
        type: a.type,
        start: a.start,
        imagePath: a.imagePath,
        dependOnService: a.dependOnService ?? [],
        controlsAccepted: a.controlsAccepted,
      });
    }
  });

  test('keys without a Type value are not services', () => {
    const reg = new MemRegistry();
    reg.createKey(`${SERVICES_KEY}\\Tcpip\\Parameters`);
    writeService(reg, servicesFor('nanoserver').find((s) => s.name === 'Dhcp')!);
    expect(readServiceDatabase(reg).map((s) => s.name)).toEqual(['Dhcp']);
  });
});
