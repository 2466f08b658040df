// sc.exe: status and configuration formats (trailing spaces included, as
// sc writes them), control commands, [SC] errors and their exit codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { session, type Session } from './session.js';

let s: Session;
beforeAll(async () => {
  s = await session();
});
afterAll(async () => {
  await s.close();
});

const RUNNING_OWN = (name: string) =>
  `\r\nSERVICE_NAME: ${name} \r\n` +
  '        TYPE               : 10  WIN32_OWN_PROCESS  \r\n' +
  '        STATE              : 4  RUNNING \r\n' +
  '                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)\r\n' +
  '        WIN32_EXIT_CODE    : 0  (0x0)\r\n' +
  '        SERVICE_EXIT_CODE  : 0  (0x0)\r\n' +
  '        CHECKPOINT         : 0x0\r\n' +
  '        WAIT_HINT          : 0x0\r\n';

describe('sc query', () => {
  it('one service: blank line, SERVICE_NAME as typed, status lines with their trailing spaces', async () => {
    expect(await s.exec(['sc', 'query', 'cexecsvc'])).toEqual({ stdout: RUNNING_OWN('cexecsvc'), stderr: '', exitCode: 0 });
  });

  it('a stopped service has no controls line and shows its exit code (1077: never started)', async () => {
    expect((await s.exec(['sc', 'query', 'W32Time'])).stdout).toBe(
      '\r\nSERVICE_NAME: W32Time \r\n' +
        '        TYPE               : 20  WIN32_SHARE_PROCESS  \r\n' +
        '        STATE              : 1  STOPPED \r\n' +
        '        WIN32_EXIT_CODE    : 1077  (0x435)\r\n' +
        '        SERVICE_EXIT_CODE  : 0  (0x0)\r\n' +
        '        CHECKPOINT         : 0x0\r\n' +
        '        WAIT_HINT          : 0x0\r\n',
    );
  });

  it('queryex adds PID and FLAGS', async () => {
    const r = await s.exec(['sc', 'queryex', 'CExecSvc']);
    const lines = r.stdout.split('\r\n');
    expect(lines.slice(0, 9).join('\r\n') + '\r\n').toBe(RUNNING_OWN('CExecSvc'));
    expect(lines[9]).toMatch(/^        PID                : [1-9]\d*$/);
    expect(lines.slice(10)).toEqual(['        FLAGS              : ', '']);
  });

  it('with no name, enumerates the active Win32 services by name, each with its DISPLAY_NAME', async () => {
    const r = await s.exec(['sc', 'query']);
    expect(r.exitCode).toBe(0);
    const names = [...r.stdout.matchAll(/\r\nSERVICE_NAME: (\S+)\r\nDISPLAY_NAME: (.+)\r\n/g)].map((m) => m[1]!);
    expect(names).toContain('CExecSvc');
    expect(names).not.toContain('W32Time');
    expect([...names].sort((a, b) => (a.toUpperCase() < b.toUpperCase() ? -1 : 1))).toEqual(names);
    expect(r.stdout).toContain('\r\nSERVICE_NAME: CExecSvc\r\nDISPLAY_NAME: Container Execution Agent\r\n        TYPE               : 10  WIN32_OWN_PROCESS  \r\n');
  });

  it('state= all lists stopped services too', async () => {
    expect((await s.exec(['sc', 'query', 'state=', 'all'])).stdout).toContain('\r\nSERVICE_NAME: W32Time\r\nDISPLAY_NAME: Windows Time\r\n');
  });

  it('an unknown service: EnumQueryServicesStatus:OpenService FAILED 1060, exit code 1060', async () => {
    expect(await s.exec(['sc', 'query', 'nosuch'])).toEqual({
      stdout: '[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n\r\n',
      stderr: '',
      exitCode: 1060,
    });
  });
});

describe('sc start and stop', () => {
  it('starts a stopped service and shows its extended status; a second start fails with 1056', async () => {
    const r = await s.exec(['sc', 'start', 'W32Time']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^\r\nSERVICE_NAME: W32Time \r\n {8}TYPE {15}: 30  WIN32  \r\n {8}STATE {14}: 4  RUNNING \r\n/);
    expect(r.stdout).toMatch(/\r\n {8}PID {16}: [1-9]\d*\r\n {8}FLAGS {14}: \r\n$/);
    expect(await s.exec(['sc', 'start', 'W32Time'])).toEqual({
      stdout: '[SC] StartService FAILED 1056:\r\n\r\nAn instance of the service is already running.\r\n\r\n',
      stderr: '',
      exitCode: 1056,
    });
  });

  it('stops it; stopping it again fails with 1062', async () => {
    const r = await s.exec(['sc', 'stop', 'W32Time']);
    expect(r).toEqual({
      stdout:
        '\r\nSERVICE_NAME: W32Time \r\n' +
        '        TYPE               : 20  WIN32_SHARE_PROCESS  \r\n' +
        '        STATE              : 1  STOPPED \r\n' +
        '        WIN32_EXIT_CODE    : 0  (0x0)\r\n' +
        '        SERVICE_EXIT_CODE  : 0  (0x0)\r\n' +
        '        CHECKPOINT         : 0x0\r\n' +
        '        WAIT_HINT          : 0x0\r\n',
      stderr: '',
      exitCode: 0,
    });
    expect(await s.exec(['sc', 'stop', 'W32Time'])).toEqual({
      stdout: '[SC] ControlService FAILED 1062:\r\n\r\nThe service has not been started.\r\n\r\n',
      stderr: '',
      exitCode: 1062,
    });
  });

  it('an unknown service: OpenService FAILED 1060 (StartService: OpenService for start)', async () => {
    expect((await s.exec(['sc', 'stop', 'nosuch'])).stdout).toBe('[SC] OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n\r\n');
    expect(await s.exec(['sc', 'start', 'nosuch'])).toMatchObject({ stdout: '[SC] StartService: OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n\r\n', exitCode: 1060 });
  });

  it('a disabled service does not start (1058)', async () => {
    expect((await s.exec(['sc', 'config', 'W32Time', 'start=', 'disabled'])).stdout).toBe('[SC] ChangeServiceConfig SUCCESS\r\n');
    expect(await s.exec(['sc', 'start', 'W32Time'])).toMatchObject({
      stdout: '[SC] StartService FAILED 1058:\r\n\r\nThe service cannot be started, either because it is disabled or because it has no enabled devices associated with it.\r\n\r\n',
      exitCode: 1058,
    });
    await s.exec(['sc', 'config', 'W32Time', 'start=', 'demand']);
  });
});

describe('sc qc, config and description', () => {
  it('qc prints the configuration with the ImagePath expanded and one dependency per line', async () => {
    expect(await s.exec(['sc', 'qc', 'LanmanWorkstation'])).toEqual({
      stdout:
        '[SC] QueryServiceConfig SUCCESS\r\n\r\n' +
        'SERVICE_NAME: LanmanWorkstation\r\n' +
        '        TYPE               : 20  WIN32_SHARE_PROCESS\r\n' +
        '        START_TYPE         : 2   AUTO_START\r\n' +
        '        ERROR_CONTROL      : 1   NORMAL\r\n' +
        '        BINARY_PATH_NAME   : C:\\Windows\\system32\\svchost.exe -k NetworkService -p\r\n' +
        '        LOAD_ORDER_GROUP   : NetworkProvider\r\n' +
        '        TAG                : 0\r\n' +
        '        DISPLAY_NAME       : Workstation\r\n' +
        '        DEPENDENCIES       : Bowser\r\n' +
        '                           : MRxSmb20\r\n' +
        '                           : NSI\r\n' +
        '        SERVICE_START_NAME : NT AUTHORITY\\NetworkService\r\n',
      stderr: '',
      exitCode: 0,
    });
  });

  it('config start= delayed-auto shows as AUTO_START (DELAYED)', async () => {
    await s.exec(['sc', 'config', 'W32Time', 'start=', 'delayed-auto']);
    expect((await s.exec(['sc', 'qc', 'W32Time'])).stdout).toContain('\r\n        START_TYPE         : 2   AUTO_START  (DELAYED)\r\n');
    await s.exec(['sc', 'config', 'W32Time', 'start=', 'demand']);
  });

  it('description sets what qdescription shows', async () => {
    expect((await s.exec(['sc', 'description', 'W32Time', 'Keeps time.'])).stdout).toBe('[SC] ChangeServiceConfig2 SUCCESS\r\n');
    expect((await s.exec(['sc', 'qdescription', 'W32Time'])).stdout).toBe('[SC] QueryServiceConfig2 SUCCESS\r\n\r\nSERVICE_NAME: W32Time\r\nDESCRIPTION:  Keeps time.\r\n');
  });

  it('a bad config value fails with 87', async () => {
    expect(await s.exec(['sc', 'config', 'W32Time', 'start=', 'sometimes'])).toEqual({
      stdout: '[SC] ChangeServiceConfig FAILED 87:\r\n\r\nThe parameter is incorrect.\r\n\r\n',
      stderr: '',
      exitCode: 87,
    });
  });

  it('GetDisplayName and GetKeyName', async () => {
    expect((await s.exec(['sc', 'GetDisplayName', 'w32time'])).stdout).toBe('[SC] GetServiceDisplayName SUCCESS  Name = Windows Time\r\n');
    expect((await s.exec(['sc', 'getkeyname', 'windows time'])).stdout).toBe('[SC] GetServiceKeyName SUCCESS  Name = W32Time\r\n');
  });
});
