// services.exe: start, stop, query, configuration, and the errors sc.exe and
// net.exe print (winsvc.h codes; src/kernel/services/scm.ts).
import { describe, expect, test } from 'vitest';
import {
  ERROR_CIRCULAR_DEPENDENCY,
  ERROR_DEPENDENT_SERVICES_RUNNING,
  ERROR_FILE_NOT_FOUND,
  ERROR_INVALID_SERVICE_CONTROL,
  ERROR_PROCESS_ABORTED,
  ERROR_SERVICE_ALREADY_RUNNING,
  ERROR_SERVICE_DEPENDENCY_DELETED,
  ERROR_SERVICE_DEPENDENCY_FAIL,
  ERROR_SERVICE_DISABLED,
  ERROR_SERVICE_DOES_NOT_EXIST,
  ERROR_SERVICE_EXISTS,
  ERROR_SERVICE_MARKED_FOR_DELETE,
  ERROR_SERVICE_NEVER_STARTED,
  ERROR_SERVICE_NOT_ACTIVE,
  Win32Error,
} from '../../../src/core/win32.js';
import { REG_DWORD } from '../../../src/kernel/registry/types.js';
import { servicesFor } from '../../../src/kernel/services/catalog.js';
import {
  SERVICE_ACCEPT_SHUTDOWN,
  SERVICE_ACCEPT_STOP,
  SERVICE_CONTROL_CONTINUE,
  SERVICE_CONTROL_INTERROGATE,
  SERVICE_CONTROL_PAUSE,
  SERVICE_DEMAND_START,
  SERVICE_DISABLED,
  SERVICE_DRIVER,
  SERVICE_PAUSED,
  SERVICE_RUNNING,
  SERVICE_STATE_ALL,
  SERVICE_STOPPED,
  SERVICE_WIN32_OWN_PROCESS,
  SERVICE_WIN32_SHARE_PROCESS,
  SERVICES_KEY,
} from '../../../src/kernel/services/constants.js';
import { serviceRegistryTree } from '../../../src/kernel/services/registry.js';
import { MemRegistry, newKernel, settle } from '../process/support.js';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof Win32Error) return e.code;
    throw e;
  }
  return 0;
};

function booted(flavor = 'servercore', registry?: MemRegistry) {
  const k = newKernel();
  const silo = k.createSilo({ flavor, registry });
  silo.start();
  return { k, silo, scm: silo.scm! };
}

describe('service control manager', () => {
  test('sc query lists the running Win32 services by name, with the pid of their process', () => {
    const { silo, scm } = booted();
    const list = scm.enumerate();
    const names = list.map((s) => s.lpServiceName);
    expect(names).toEqual([...names].sort((a, b) => (a.toUpperCase() < b.toUpperCase() ? -1 : 1)));
    expect(names).toContain('CExecSvc');
    expect(names).not.toContain('W32Time');
    expect(names).not.toContain('Tcpip');
    for (const s of list) {
      expect(s.ServiceStatusProcess.dwCurrentState).toBe(SERVICE_RUNNING);
      expect(silo.kernel.process(s.ServiceStatusProcess.dwProcessId)?.running).toBe(true);
    }
  });

  test('services sharing a svchost report its pid; a split service reports type 0x30', () => {
    const { scm } = booted();
    expect(scm.query('RpcSs').dwProcessId).toBe(scm.query('RpcEptMapper').dwProcessId);
    expect(scm.query('Power').dwProcessId).toBe(scm.query('DcomLaunch').dwProcessId);
    expect(scm.query('RpcSs').dwServiceType).toBe(0x20);
    expect(scm.query('Dnscache').dwServiceType).toBe(0x30);
    expect(scm.query('SamSs').dwProcessId).toBe(scm.process.silo.roles.lsass!.pid);
  });

  test('a stopped service reads STOPPED, pid 0, and 1077 if it never started', () => {
    const { scm } = booted();
    expect(scm.query('w32time')).toMatchObject({ dwCurrentState: SERVICE_STOPPED, dwProcessId: 0, dwWin32ExitCode: ERROR_SERVICE_NEVER_STARTED, dwControlsAccepted: 0 });
  });

  test('service names are case-insensitive; display names are not service names', () => {
    const { scm } = booted();
    expect(scm.keyName('DNSCACHE')).toBe('Dnscache');
    expect(code(() => scm.query('DNS Client'))).toBe(ERROR_SERVICE_DOES_NOT_EXIST);
    expect(scm.keyNameOfDisplayName('dns client')).toBe('Dnscache');
    expect(scm.displayName('cexecsvc')).toBe('Container Execution Agent');
  });

  test('start: a demand service starts (in its own svchost), a second start is ERROR_SERVICE_ALREADY_RUNNING', () => {
    const { scm } = booted();
    scm.start('W32Time');
    const st = scm.query('W32Time');
    expect(st.dwCurrentState).toBe(SERVICE_RUNNING);
    const p = scm.process.silo.kernel.process(st.dwProcessId)!;
    expect(p.commandLine).toBe('C:\\Windows\\system32\\svchost.exe -k LocalService -s W32Time');
    expect(p.parentPid).toBe(scm.process.pid);
    expect(code(() => scm.start('W32Time'))).toBe(ERROR_SERVICE_ALREADY_RUNNING);
  });

  test('start: dependencies start first', () => {
    const { scm } = booted();
    scm.stop('iphlpsvc');
    scm.stop('WinHttpAutoProxySvc');
    expect(scm.query('WinHttpAutoProxySvc').dwCurrentState).toBe(SERVICE_STOPPED);
    scm.start('iphlpsvc');
    expect(scm.query('WinHttpAutoProxySvc').dwCurrentState).toBe(SERVICE_RUNNING);
  });

  test('errors: unknown 1060, disabled 1058, not running 1062', () => {
    const { scm } = booted();
    expect(code(() => scm.start('NoSuchService'))).toBe(ERROR_SERVICE_DOES_NOT_EXIST);
    scm.setStartType('W32Time', SERVICE_DISABLED);
    expect(code(() => scm.start('W32Time'))).toBe(ERROR_SERVICE_DISABLED);
    expect(code(() => scm.stop('W32Time'))).toBe(ERROR_SERVICE_NOT_ACTIVE);
  });

  test('a dependency that cannot start is ERROR_SERVICE_DEPENDENCY_FAIL (1068)', () => {
    const { scm } = booted();
    scm.stop('iphlpsvc');
    scm.stop('WinHttpAutoProxySvc');
    scm.setStartType('WinHttpAutoProxySvc', SERVICE_DISABLED);
    expect(code(() => scm.start('iphlpsvc'))).toBe(ERROR_SERVICE_DEPENDENCY_FAIL);
    expect(scm.query('iphlpsvc').dwCurrentState).toBe(SERVICE_STOPPED);
  });

  test('stop: running dependents refuse it with ERROR_DEPENDENT_SERVICES_RUNNING (1051)', () => {
    const { scm } = booted();
    expect(code(() => scm.stop('Dhcp'))).toBe(ERROR_DEPENDENT_SERVICES_RUNNING);
    expect(scm.dependents('Dhcp').map((s) => s.lpServiceName).sort()).toEqual(['iphlpsvc', 'netprofm', 'NlaSvc', 'WinHttpAutoProxySvc'].sort());
  });

  test('stop: a service that does not accept STOP answers ERROR_INVALID_SERVICE_CONTROL (1052)', () => {
    const { scm } = booted();
    expect(code(() => scm.stop('RpcSs'))).toBe(ERROR_INVALID_SERVICE_CONTROL);
    expect(scm.query('RpcSs').dwControlsAccepted).toBe(0);
  });

  test("stop: a split service's svchost process exits", () => {
    const { k, scm } = booted();
    const pid = scm.query('Dhcp').dwProcessId;
    for (const d of ['iphlpsvc', 'WinHttpAutoProxySvc', 'netprofm', 'NlaSvc']) scm.stop(d);
    const st = scm.stop('Dhcp');
    expect(st).toMatchObject({ dwCurrentState: SERVICE_STOPPED, dwWin32ExitCode: 0, dwProcessId: 0 });
    expect(k.process(pid)?.running ?? false).toBe(false);
  });

  test('services with SvcHostSplitDisable share one svchost, which exits with the last of them', () => {
    const { k, scm } = booted('nanoserver');
    const shared = { type: SERVICE_WIN32_SHARE_PROCESS, start: SERVICE_DEMAND_START, imagePath: '%SystemRoot%\\system32\\svchost.exe -k TestGroup -p', svchostSplitDisable: true };
    scm.create({ name: 'S1', displayName: 'S1', ...shared });
    scm.create({ name: 'S2', displayName: 'S2', ...shared });
    scm.start('S1');
    scm.start('S2');
    const pid = scm.query('S1').dwProcessId;
    expect(scm.query('S2').dwProcessId).toBe(pid);
    expect(k.process(pid)!.commandLine).toBe('C:\\Windows\\system32\\svchost.exe -k TestGroup -p');
    scm.stop('S1');
    expect(k.process(pid)!.running).toBe(true);
    scm.stop('S2');
    expect(k.process(pid)?.running ?? false).toBe(false);
  });

  test('pause and continue for services that accept them', () => {
    const { scm } = booted();
    expect(scm.control('LanmanServer', SERVICE_CONTROL_PAUSE).dwCurrentState).toBe(SERVICE_PAUSED);
    expect(scm.control('LanmanServer', SERVICE_CONTROL_CONTINUE).dwCurrentState).toBe(SERVICE_RUNNING);
    expect(code(() => scm.control('Dhcp', SERVICE_CONTROL_PAUSE))).toBe(ERROR_INVALID_SERVICE_CONTROL);
    expect(scm.control('Dhcp', SERVICE_CONTROL_INTERROGATE).dwCurrentState).toBe(SERVICE_RUNNING);
    expect(code(() => scm.control('W32Time', SERVICE_CONTROL_INTERROGATE))).toBe(ERROR_SERVICE_NOT_ACTIVE);
  });

  test('a service process that dies leaves its service STOPPED with ERROR_PROCESS_ABORTED (1067)', async () => {
    const { k, scm } = booted();
    const p = k.process(scm.query('Winmgmt').dwProcessId)!;
    k.terminateProcess(p, 1);
    await settle();
    expect(scm.query('Winmgmt')).toMatchObject({ dwCurrentState: SERVICE_STOPPED, dwWin32ExitCode: ERROR_PROCESS_ABORTED });
    scm.start('Winmgmt');
    expect(scm.query('Winmgmt').dwCurrentState).toBe(SERVICE_RUNNING);
  });

  test('drivers report the host state; starting one from a silo is refused silently', () => {
    const { scm } = booted();
    const drivers = scm.enumerate(SERVICE_DRIVER, SERVICE_STATE_ALL);
    expect(drivers.map((d) => d.lpServiceName)).toContain('Tcpip');
    expect(drivers.every((d) => d.ServiceStatusProcess.dwCurrentState === SERVICE_RUNNING)).toBe(true);
  });

  test('create, start and delete a service of your own', () => {
    const { k, silo, scm } = booted();
    silo.programs.register('C:\\app\\agent.exe', () => new Promise(() => {}));
    scm.create({ name: 'MyAgent', displayName: 'My Agent', type: SERVICE_WIN32_OWN_PROCESS, start: SERVICE_DEMAND_START, imagePath: 'C:\\app\\agent.exe', objectName: 'LocalSystem' });
    expect(code(() => scm.create({ name: 'myagent', displayName: 'x', type: SERVICE_WIN32_OWN_PROCESS, start: SERVICE_DEMAND_START, imagePath: 'x' }))).toBe(ERROR_SERVICE_EXISTS);
    scm.start('MyAgent');
    const st = scm.query('MyAgent');
    expect(k.process(st.dwProcessId)!.imageName).toBe('agent.exe');
    expect(st.dwControlsAccepted).toBe(SERVICE_ACCEPT_STOP);
    scm.delete('MyAgent');
    expect(code(() => scm.delete('MyAgent'))).toBe(ERROR_SERVICE_MARKED_FOR_DELETE);
    expect(code(() => scm.start('MyAgent'))).toBe(ERROR_SERVICE_MARKED_FOR_DELETE);
    scm.stop('MyAgent');
    expect(code(() => scm.query('MyAgent'))).toBe(ERROR_SERVICE_DOES_NOT_EXIST);
  });

  test('a service whose image is missing fails to start with ERROR_FILE_NOT_FOUND', () => {
    const { scm } = booted();
    scm.create({ name: 'Ghost', displayName: 'Ghost', type: SERVICE_WIN32_OWN_PROCESS, start: SERVICE_DEMAND_START, imagePath: 'C:\\nowhere\\ghost.exe' });
    expect(code(() => scm.start('Ghost'))).toBe(ERROR_FILE_NOT_FOUND);
    expect(scm.query('Ghost').dwCurrentState).toBe(SERVICE_STOPPED);
  });

  test('dependencies: a missing one is 1075, a cycle is refused with 1059', () => {
    const { scm } = booted();
    scm.create({ name: 'A', displayName: 'A', type: SERVICE_WIN32_OWN_PROCESS, start: SERVICE_DEMAND_START, imagePath: 'x', dependOnService: ['Missing'] });
    expect(code(() => scm.start('A'))).toBe(ERROR_SERVICE_DEPENDENCY_DELETED);
    scm.create({ name: 'B', displayName: 'B', type: SERVICE_WIN32_OWN_PROCESS, start: SERVICE_DEMAND_START, imagePath: 'x', dependOnService: ['C'] });
    scm.create({ name: 'C', displayName: 'C', type: SERVICE_WIN32_OWN_PROCESS, start: SERVICE_DEMAND_START, imagePath: 'x' });
    expect(code(() => scm.changeConfig('C', { dependOnService: ['B'] }))).toBe(ERROR_CIRCULAR_DEPENDENCY);
  });

  test('with a registry: the database is read at boot, and configuration changes are written back', () => {
    const reg = new MemRegistry();
    reg.createKey(SERVICES_KEY);
    for (const [name, spec] of Object.entries(serviceRegistryTree(servicesFor('nanoserver')))) {
      reg.createKey(`${SERVICES_KEY}\\${name}`);
      for (const v of spec.values ?? []) reg.setValue(`${SERVICES_KEY}\\${name}`, v);
    }
    // Disabled in the image: not started at boot.
    reg.setValue(`${SERVICES_KEY}\\Dnscache`, { name: 'Start', type: REG_DWORD, data: SERVICE_DISABLED });
    const { scm } = booted('nanoserver', reg);
    expect(scm.query('Dnscache').dwCurrentState).toBe(SERVICE_STOPPED);
    scm.setStartType('W32Time', SERVICE_DISABLED);
    expect(reg.getValue(`${SERVICES_KEY}\\W32Time`, 'Start')).toEqual({ name: 'Start', type: REG_DWORD, data: SERVICE_DISABLED });
    expect(scm.queryConfig('W32Time')).toMatchObject({ dwStartType: SERVICE_DISABLED, lpDisplayName: 'Windows Time', lpServiceStartName: 'NT AUTHORITY\\LocalService' });
  });

  test('CExecSvc accepts stop and shutdown', () => {
    const { scm } = booted('nanoserver');
    expect(scm.query('CExecSvc').dwControlsAccepted).toBe(SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN);
  });
});
