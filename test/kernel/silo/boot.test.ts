// What a container runs once booted, in which order, with which parents
// and sessions (windows-facts §2; src/kernel/silo/boot.ts).
import { describe, expect, test } from 'vitest';
import { Console } from '../../../src/kernel/process/console.js';
import { decodeText } from '../../../src/kernel/process/pipe.js';
import { CSRSS_COMMAND_LINE } from '../../../src/kernel/silo/boot.js';
import { newKernel } from '../process/support.js';

const SVCHOST = 'C:\\Windows\\system32\\svchost.exe';

function boot(flavor: string) {
  const k = newKernel({ host: 'server' });
  const silo = k.createSilo({ flavor });
  silo.start();
  return { k, silo, list: silo.listProcesses() };
}

describe('silo boot', () => {
  test('servercore: smss, csrss, wininit, services, lsass, CExecSvc, then the svchost instances, in that order', () => {
    const { list } = boot('servercore');
    expect(list.map((p) => p.imageName).slice(0, 6)).toEqual(['smss.exe', 'csrss.exe', 'wininit.exe', 'services.exe', 'lsass.exe', 'CExecSvc.exe']);
    expect(list.slice(6).map((p) => p.commandLine)).toEqual(
      [
        '-k DcomLaunch -p',
        '-k RPCSS -p',
        '-k LocalServiceNetworkRestricted -p -s EventLog',
        '-k netsvcs -p -s ProfSvc',
        '-k LocalService -p -s nsi',
        '-k LocalServiceNetworkRestricted -p -s Dhcp',
        '-k LocalServiceNetworkRestricted -p -s lmhosts',
        '-k netsvcs -p -s Schedule',
        '-k LocalServiceNoNetworkFirewall -p -s BFE',
        '-k NetworkService -p -s Dnscache',
        '-k NetworkService -p -s LanmanWorkstation',
        '-k LocalServiceNoNetworkFirewall -p -s mpssvc',
        '-k NetworkService -p -s NlaSvc',
        '-k LocalServiceNoNetwork -p -s CoreMessagingRegistrar',
        '-k NetworkService -p -s CryptSvc',
        '-k utcsvc -p',
        '-k LocalService -p -s EventSystem',
        '-k LocalServiceNetworkRestricted -p -s WinHttpAutoProxySvc',
        '-k NetSvcs -p -s iphlpsvc',
        '-k smbsvcs -s LanmanServer',
        '-k DcomLaunch -p -s LSM',
        '-k LocalService -p -s netprofm',
        '-k netsvcs -p -s SENS',
        '-k LocalServiceNetworkRestricted -p -s TimeBrokerSvc',
        '-k netsvcs -p -s UserManager',
        '-k netsvcs -p -s Winmgmt',
        '-k NetworkService -p -s WinRM',
      ].map((a) => (a === '-k utcsvc -p' ? `C:\\Windows\\System32\\svchost.exe ${a}` : `${SVCHOST} ${a}`)),
    );
  });

  test('nanoserver boots the same system processes and fewer services', () => {
    const { list } = boot('nanoserver');
    expect(list.map((p) => (p.imageName === 'svchost.exe' ? p.commandLine.slice(SVCHOST.length + 1) : p.imageName))).toEqual([
      'smss.exe',
      'csrss.exe',
      'wininit.exe',
      'services.exe',
      'lsass.exe',
      'CExecSvc.exe',
      '-k DcomLaunch -p',
      '-k RPCSS -p',
      '-k LocalServiceNetworkRestricted -p -s EventLog',
      '-k netsvcs -p -s ProfSvc',
      '-k LocalService -p -s nsi',
      '-k LocalServiceNetworkRestricted -p -s Dhcp',
      '-k LocalServiceNetworkRestricted -p -s lmhosts',
      '-k NetworkService -p -s Dnscache',
      '-k NetworkService -p -s LanmanWorkstation',
      '-k DcomLaunch -p -s LSM',
      '-k netsvcs -p -s UserManager',
    ]);
  });

  test('parentage: smss from the host\'s vmcompute; csrss and wininit from a session smss that has exited', () => {
    const { k, silo, list } = boot('servercore');
    const [smss, csrss, wininit, services, lsass, cexec] = list;
    const vmcompute = k.host.listProcesses().find((p) => p.imageName === 'vmcompute.exe')!;
    expect(smss!.parentPid).toBe(vmcompute.pid);
    expect(smss!.commandLine).toBe('\\SystemRoot\\System32\\smss.exe');
    expect(csrss!.parentPid).toBe(wininit!.parentPid);
    expect(k.process(csrss!.parentPid)).toBeUndefined();
    expect(list.map((p) => p.pid)).not.toContain(csrss!.parentPid);
    expect(csrss!.commandLine).toBe(CSRSS_COMMAND_LINE);
    expect(wininit!.commandLine).toBe('wininit.exe');
    expect(services!.parentPid).toBe(wininit!.pid);
    expect(lsass!.parentPid).toBe(wininit!.pid);
    for (const p of list.slice(5)) expect(p.parentPid).toBe(services!.pid);
    expect(cexec!.imagePath).toBe('C:\\Windows\\system32\\CExecSvc.exe');
    expect(silo.roles.cexecsvc).toBe(cexec);
  });

  test('sessions: the master smss runs in session 0, everything else in the container session', () => {
    const { silo, list } = boot('servercore');
    expect(silo.sessionId).toBe(14);
    expect(list[0]!.sessionId).toBe(0);
    for (const p of list.slice(1)) expect(p.sessionId).toBe(14);
  });

  test('the host keeps only its own processes in session 0, and Idle and System lead it', () => {
    const { k } = boot('servercore');
    const host = k.host.listProcesses();
    expect(host.slice(0, 2).map((p) => [p.pid, p.imageName])).toEqual([
      [0, 'System Idle Process'],
      [4, 'System'],
    ]);
    for (const p of host) expect(p.sessionId).toBe(0);
  });

  test('a process the host starts in the container is a child of CExecSvc, with the default user environment', () => {
    const { silo } = boot('servercore');
    silo.programs.register('C:\\Windows\\system32\\cmd.exe', () => 0);
    const c = silo.createProcess({ commandLine: 'cmd.exe' });
    expect(c.process.parentPid).toBe(silo.roles.cexecsvc!.pid);
    expect(c.process.sessionId).toBe(silo.sessionId);
    expect(c.process.env.get('USERNAME')).toBe('ContainerAdministrator');
    expect(c.process.env.get('COMPUTERNAME')).toBe(silo.computerName);
    expect(c.process.cwd).toBe('C:\\');
  });

  test('a process the host starts with a console in a container reads and writes that console', async () => {
    const { silo } = boot('nanoserver');
    const console = new Console({ columns: 80, rows: 25 });
    silo.programs.register('C:\\Windows\\system32\\cmd.exe', async (ctx) => {
      await ctx.stdout.write(`${ctx.stdin.isConsole} ${ctx.stdout.isConsole} ${await ctx.stdin.readLine()}`);
      return 0;
    });
    const c = silo.createProcess({ commandLine: 'cmd.exe', console });
    await console.input.write('typed\r\n');
    await c.wait();
    expect(decodeText((await console.output.read())!)).toBe('true true typed');
  });

  test('nanoserver processes run as ContainerUser', () => {
    const { silo } = boot('nanoserver');
    silo.programs.register('C:\\Windows\\system32\\cmd.exe', () => 0);
    expect(silo.createProcess({ commandLine: 'cmd.exe' }).process.env.get('USERNAME')).toBe('ContainerUser');
  });

  test('working sets are the per-image figures tasklist shows', () => {
    const { list } = boot('servercore');
    expect(list.find((p) => p.imageName === 'lsass.exe')!.workingSet).toBe(14_580 * 1024);
    expect(list.find((p) => p.imageName === 'smss.exe')!.workingSet).toBe(1_196 * 1024);
  });

  test('svchost instances host the services tasklist /svc shows', () => {
    const { list } = boot('servercore');
    const dcom = list.find((p) => p.commandLine.endsWith('-k DcomLaunch -p'))!;
    expect(dcom.services).toEqual(['DcomLaunch', 'PlugPlay', 'Power', 'SystemEventsBroker', 'BrokerInfrastructure']);
    expect(list.find((p) => p.commandLine.endsWith('-k RPCSS -p'))!.services).toEqual(['RpcEptMapper', 'RpcSs']);
    expect(list.find((p) => p.imageName === 'lsass.exe')!.services).toEqual(['SamSs', 'KeyIso']);
  });

  test('a silo cannot be started twice', () => {
    const { silo } = boot('nanoserver');
    expect(() => silo.start()).toThrow(/running/);
  });
});
