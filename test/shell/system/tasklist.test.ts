// tasklist.exe: the container's processes in tasklist's own formats (TABLE, LIST, CSV, /V, /SVC, /NH, /FI).
import { describe, expect, test } from 'vitest';
import { run } from '../support.js';

const HEADER = 'Image Name                     PID Session Name        Session#    Mem Usage\r\n';
const RULE = '========================= ======== ================ =========== ============\r\n';
/** One default-table row: name 25, pid 8, session name 16, session# 11, mem usage 12. */
const ROW = /^.{25} [ \d]{7}\d (Services|Console)  {0,15}[ \d]{10}\d [ \d,]{9}\d K$/;

describe('tasklist default table', () => {
  test('starts with a blank line, the header and the rule; every row has the fixed columns', async () => {
    const r = await run(['tasklist']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith('\r\n' + HEADER + RULE)).toBe(true);
    expect(r.stdout.endsWith('\r\n')).toBe(true);
    const rows = r.stdout.slice(2 + HEADER.length + RULE.length, -2).split('\r\n');
    for (const row of rows) expect(row).toMatch(ROW);
  });

  test('Idle and System show in session 0, "Services"; the container session is its own', async () => {
    const r = await run(['tasklist']);
    const rows = r.stdout.split('\r\n');
    expect(rows[3]).toBe('System Idle Process              0 Services                   0          8 K');
    expect(rows[4]).toBe('System                           4 Services                   0        144 K');
    expect(rows.some((l) => /^CExecSvc\.exe +\d+ Console +14 +[\d,]+ K$/.test(l))).toBe(true);
    expect(rows.some((l) => /^tasklist\.exe +\d+ Console +14 +[\d,]+ K$/.test(l))).toBe(true);
  });

  test('/FI "PID eq 4" shows just System', async () => {
    const r = await run(['tasklist', '/fi', 'PID eq 4']);
    expect(r).toEqual({ stdout: '\r\n' + HEADER + RULE + 'System                           4 Services                   0        144 K\r\n', stderr: '', exitCode: 0 });
  });

  test('/NH drops header and rule but keeps the leading blank line', async () => {
    const r = await run(['tasklist', '/nh', '/fi', 'imagename eq system']);
    expect(r.stdout).toBe('\r\nSystem                           4 Services                   0        144 K\r\n');
  });

  test('no match prints the INFO line on stdout and exits 0', async () => {
    const r = await run(['tasklist', '/fi', 'imagename eq notepad.exe']);
    expect(r).toEqual({ stdout: 'INFO: No tasks are running which match the specified criteria.\r\n', stderr: '', exitCode: 0 });
  });
});

describe('tasklist formats', () => {
  test('/FO CSV quotes every field', async () => {
    const r = await run(['tasklist', '/fo', 'csv', '/fi', 'pid le 4']);
    expect(r.stdout).toBe('"Image Name","PID","Session Name","Session#","Mem Usage"\r\n"System Idle Process","0","Services","0","8 K"\r\n"System","4","Services","0","144 K"\r\n');
  });

  test('/FO CSV /NH has no header line', async () => {
    const r = await run(['tasklist', '/fo', 'CSV', '/nh', '/fi', 'pid eq 0']);
    expect(r.stdout).toBe('"System Idle Process","0","Services","0","8 K"\r\n');
  });

  test('/FO LIST: a blank line before each record, values aligned after the longest label', async () => {
    const r = await run(['tasklist', '/fo', 'list', '/fi', 'pid eq 4']);
    expect(r.stdout).toBe('\r\nImage Name:   System\r\nPID:          4\r\nSession Name: Services\r\nSession#:     0\r\nMem Usage:    144 K\r\n');
  });

  test('/V adds Status, User Name, CPU Time and Window Title', async () => {
    const r = await run(['tasklist', '/v', '/fi', 'pid eq 4']);
    const lines = r.stdout.split('\r\n');
    expect(lines[1]).toBe(
      'Image Name                     PID Session Name        Session#    Mem Usage Status          User Name                                              CPU Time Window Title' +
        ' '.repeat(60),
    );
    expect(lines[2]).toBe('========================= ======== ================ =========== ============ =============== ================================================== ============ ' + '='.repeat(72));
    expect(lines[3]).toBe(
      'System                           4 Services                   0        144 K Unknown         NT AUTHORITY\\SYSTEM                                     0:00:00 N/A' + ' '.repeat(69),
    );
  });

  test('/V names the container user as the owner of the processes docker started', async () => {
    const r = await run(['tasklist', '/v', '/fo', 'csv', '/nh', '/fi', 'imagename eq tasklist.exe']);
    expect(r.stdout).toMatch(/^"tasklist\.exe","\d+","Console","14","8,504 K","Unknown","User Manager\\ContainerAdministrator","0:00:00","N\/A"\r\n$/);
  });

  test('/SVC lists the services each process hosts, N/A for none', async () => {
    const r = await run(['tasklist', '/svc', '/fi', 'pid eq 0']);
    expect(r.stdout).toBe(
      '\r\nImage Name                     PID Services                                    \r\n========================= ======== ============================================\r\nSystem Idle Process              0 N/A                                         \r\n',
    );
  });

  test('/SVC wraps a long service list onto continuation lines under the Services column', async () => {
    const r = await run(['tasklist', '/svc', '/fi', 'services eq DcomLaunch']);
    const lines = r.stdout.split('\r\n');
    expect(lines[3]).toMatch(/^svchost\.exe +\d+ DcomLaunch, PlugPlay, Power, {16}$/);
    expect(lines[4]).toBe(' '.repeat(35) + 'SystemEventsBroker, BrokerInfrastructure    ');
  });

  test('/SVC /FO LIST puts each service on its own line', async () => {
    const r = await run(['tasklist', '/svc', '/fo', 'list', '/fi', 'services eq rpcss']);
    expect(r.stdout).toMatch(/^\r\nImage Name: svchost\.exe\r\nPID:        \d+\r\nServices:   RpcEptMapper\r\n            RpcSs\r\n$/);
  });
});

describe('tasklist /M and /APPS', () => {
  test('/M lists each process\'s modules; Idle and System have none', async () => {
    const r = await run(['tasklist', '/m', '/fi', 'pid le 4']);
    expect(r.stdout).toBe(
      '\r\nImage Name                     PID Modules                                     \r\n========================= ======== ============================================\r\n' +
        'System Idle Process              0 N/A                                         \r\nSystem                           4 N/A                                         \r\n',
    );
  });

  test('/M NAME keeps the processes that loaded it', async () => {
    const r = await run(['tasklist', '/m', 'kernel32.dll', '/fo', 'csv', '/fi', 'imagename eq tasklist.exe']);
    expect(r.stdout).toMatch(/^"Image Name","PID","Modules"\r\n"tasklist\.exe","\d+","KERNEL32\.DLL"\r\n$/);
  });

  test('/APPS: no Store apps run in a container', async () => {
    expect((await run(['tasklist', '/apps'])).stdout).toBe('INFO: No tasks are running which match the specified criteria.\r\n');
  });
});

describe('tasklist filters', () => {
  test('filters AND together; operators and names are case-insensitive', async () => {
    const r = await run(['tasklist', '/nh', '/fo', 'csv', '/fi', 'SESSION EQ 0', '/fi', 'imagename ne smss.exe']);
    expect(r.stdout).toBe('"System Idle Process","0","Services","0","8 K"\r\n"System","4","Services","0","144 K"\r\n');
  });

  test('IMAGENAME takes a * wildcard', async () => {
    const r = await run(['tasklist', '/nh', '/fo', 'csv', '/fi', 'imagename eq lsa*']);
    expect(r.stdout).toMatch(/^"lsass\.exe","\d+","Console","14","14,580 K"\r\n$/);
  });

  test('MEMUSAGE compares kilobytes', async () => {
    const r = await run(['tasklist', '/nh', '/fo', 'csv', '/fi', 'memusage lt 200']);
    expect(r.stdout).toBe('"System Idle Process","0","Services","0","8 K"\r\n"System","4","Services","0","144 K"\r\n');
  });

  test('USERNAME without a domain matches the user part', async () => {
    const r = await run(['tasklist', '/nh', '/fo', 'csv', '/fi', 'username eq containeradministrator']);
    expect(r.stdout).toMatch(/^"tasklist\.exe","\d+","Console","14","8,504 K"\r\n$/);
  });

  test('an unknown filter name is not recognized', async () => {
    const r = await run(['tasklist', '/fi', 'colour eq red']);
    expect(r).toEqual({ stdout: '', stderr: 'ERROR: The search filter cannot be recognized.\r\n', exitCode: 1 });
  });

  test('gt is not an operator of IMAGENAME', async () => {
    const r = await run(['tasklist', '/fi', 'imagename gt a']);
    expect(r.stderr).toBe('ERROR: The search filter cannot be recognized.\r\n');
  });
});

describe('tasklist syntax errors', () => {
  test('an unknown switch', async () => {
    const r = await run(['tasklist', '/x']);
    expect(r).toEqual({ stdout: '', stderr: "ERROR: Invalid argument/option - '/x'.\r\nType \"TASKLIST /?\" for usage.\r\n", exitCode: 1 });
  });

  test('a switch without its value', async () => {
    const r = await run(['tasklist', '/fo']);
    expect(r.stderr).toBe("ERROR: Invalid syntax. Value expected for '/fo'.\r\nType \"TASKLIST /?\" for usage.\r\n");
  });

  test('a switch given twice', async () => {
    const r = await run(['tasklist', '/fo', 'csv', '/FO', 'list']);
    expect(r.stderr).toBe("ERROR: Invalid syntax. '/FO' option is not allowed more than '1' time(s).\r\nType \"TASKLIST /?\" for usage.\r\n");
  });

  test('/? prints the usage', async () => {
    const r = await run(['tasklist', '/?']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('\r\nTASKLIST [/S system [/U username [/P [password]]]]\r\n         [/M [module] | /SVC | /V] [/FI filter] [/FO format] [/NH]\r\n')).toBe(true);
  });
});
