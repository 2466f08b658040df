// net.exe / net1.exe: net start (list, start), net stop, net user, and
// the NERR messages with their HELPMSG pointers (exit code 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { session, type Session } from './session.js';

let s: Session;
beforeAll(async () => {
  s = await session();
});
afterAll(async () => {
  await s.close();
});

describe('net start', () => {
  it('lists the started services by display name, three spaces in', async () => {
    const r = await s.exec(['net', 'start']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('These Windows services are started:\r\n\r\n   ')).toBe(true);
    expect(r.stdout.endsWith('\r\n\r\nThe command completed successfully.\r\n\r\n')).toBe(true);
    const names = r.stdout.split('\r\n').filter((l) => l.startsWith('   ')).map((l) => l.slice(3));
    expect(names).toContain('Container Execution Agent');
    expect(names).not.toContain('Windows Time');
    expect([...names].sort((a, b) => (a.toUpperCase() < b.toUpperCase() ? -1 : 1))).toEqual(names);
  });

  it('starts a service named by key or display name', async () => {
    expect(await s.exec(['net', 'start', 'w32time'])).toEqual({
      stdout: 'The Windows Time service is starting.\r\nThe Windows Time service was started successfully.\r\n\r\n',
      stderr: '',
      exitCode: 0,
    });
    expect((await s.exec(['net', 'start'])).stdout).toContain('\r\n   Windows Time\r\n');
  });

  it('a started service: NERR 2182 on stderr, exit code 2', async () => {
    expect(await s.exec(['net', 'start', 'Windows Time'])).toEqual({
      stdout: '',
      stderr: 'The requested service has already been started.\r\n\r\nMore help is available by typing NET HELPMSG 2182.\r\n\r\n',
      exitCode: 2,
    });
  });

  it('an unknown service: NERR 2185', async () => {
    expect(await s.exec(['net1', 'start', 'nosuch'])).toEqual({
      stdout: '',
      stderr: 'The service name is invalid.\r\n\r\nMore help is available by typing NET HELPMSG 2185.\r\n\r\n',
      exitCode: 2,
    });
  });
});

describe('net stop', () => {
  it('stops a service, then says it is not started (NERR 3521)', async () => {
    expect((await s.exec(['net', 'stop', 'w32time'])).stdout).toBe('The Windows Time service is stopping.\r\nThe Windows Time service was stopped successfully.\r\n\r\n');
    expect(await s.exec(['net', 'stop', 'w32time'])).toEqual({
      stdout: '',
      stderr: 'The Windows Time service is not started.\r\n\r\nMore help is available by typing NET HELPMSG 3521.\r\n\r\n',
      exitCode: 2,
    });
  });

  it('a service that does not accept stop: NERR 2191', async () => {
    expect(await s.exec(['net', 'stop', 'RpcSs'], 'y\r\n')).toMatchObject({ exitCode: 2 });
    expect((await s.exec(['net', 'stop', 'DcomLaunch'], 'y\r\n')).stderr).toContain('More help is available by typing NET HELPMSG 2191.');
  });
});

describe('net user', () => {
  it('lists the local accounts in three columns of 25 under User accounts for \\\\COMPUTERNAME', async () => {
    const r = await s.exec(['net', 'user']);
    expect(r.stdout).toMatch(
      new RegExp(
        '^\\r\\nUser accounts for \\\\\\\\[0-9A-F]{12}\\r\\n\\r\\n-{79}\\r\\n' +
          'Administrator {12}ContainerAdministrator {3}ContainerUser {12}\\r\\n' +
          'DefaultAccount {11}Guest {20}WDAGUtilityAccount {7}\\r\\n' +
          'The command completed successfully\\.\\r\\n\\r\\n$',
      ),
    );
    expect(r.exitCode).toBe(0);
  });

  it('an unknown user: NERR 2221', async () => {
    expect(await s.exec(['net', 'user', 'bob'])).toEqual({
      stdout: '',
      stderr: 'The user name could not be found.\r\n\r\nMore help is available by typing NET HELPMSG 2221.\r\n\r\n',
      exitCode: 2,
    });
  });

  it('one user: its name, activity and local group', async () => {
    const r = await s.exec(['net', 'user', 'containeradministrator']);
    expect(r.stdout.startsWith('User name                    ContainerAdministrator\r\n')).toBe(true);
    expect(r.stdout).toContain('\r\nAccount active               Yes\r\n');
    expect(r.stdout).toContain('\r\nLocal Group Memberships      *Administrators');
  });
});

describe('net user /add and /delete', () => {
  it('adds an account to the SAM hive (next RID after the highest) and deletes it again', async () => {
    expect(await s.exec(['net', 'user', 'appuser', 'P@ssw0rd!', '/add'])).toEqual({ stdout: 'The command completed successfully.\r\n\r\n', stderr: '', exitCode: 0 });
    expect((await s.exec(['net', 'user'])).stdout).toContain(
      '\r\nAdministrator            appuser                  ContainerAdministrator   \r\nContainerUser            DefaultAccount           Guest                    \r\nWDAGUtilityAccount       \r\n',
    );
    expect((await s.exec(['reg', 'query', 'HKLM\\SAM\\SAM\\Domains\\Account\\Users\\Names\\appuser'])).stdout).toContain('    (Default)    REG_DWORD    0x3ea\r\n');
    expect((await s.exec(['reg', 'query', 'HKLM\\SAM\\SAM\\Domains\\Account\\Users\\000003EA'])).exitCode).toBe(0);
    expect(await s.exec(['net', 'user', 'APPUSER', '/add'])).toEqual({
      stdout: '',
      stderr: 'The account already exists.\r\n\r\nMore help is available by typing NET HELPMSG 2224.\r\n\r\n',
      exitCode: 2,
    });
    expect((await s.exec(['net', 'user', 'appuser', '/delete'])).stdout).toBe('The command completed successfully.\r\n\r\n');
    expect((await s.exec(['net', 'user', 'appuser'])).exitCode).toBe(2);
    expect((await s.exec(['reg', 'query', 'HKLM\\SAM\\SAM\\Domains\\Account\\Users\\000003EA'])).exitCode).toBe(1);
  });

  it('a built-in account cannot be deleted (1371)', async () => {
    expect(await s.exec(['net', 'user', 'Guest', '/delete'])).toEqual({
      stdout: '',
      stderr: 'System error 1371 has occurred.\r\n\r\nCannot perform this operation on built-in accounts.\r\n\r\n',
      exitCode: 2,
    });
  });
});

describe('net localgroup', () => {
  it('lists the aliases under Aliases for \\\\COMPUTERNAME', async () => {
    const r = await s.exec(['net', 'localgroup']);
    expect(r.stdout).toMatch(/^\r\nAliases for \\\\[0-9A-F]{12}\r\n\r\n-{79}\r\n\*Access Control Assistance Operators\r\n\*Administrators\r\n/);
    expect(r.stdout.endsWith('\r\n*Users\r\nThe command completed successfully.\r\n\r\n')).toBe(true);
  });

  it('shows a group with its comment and members; /add and /delete change them', async () => {
    expect((await s.exec(['net', 'localgroup', 'administrators'])).stdout).toBe(
      'Alias name     Administrators\r\nComment        Administrators have complete and unrestricted access to the computer/domain\r\n\r\nMembers\r\n\r\n' +
        '-'.repeat(79) +
        '\r\nAdministrator\r\nContainerAdministrator\r\nThe command completed successfully.\r\n\r\n',
    );
    await s.exec(['net', 'user', 'svc', '/add']);
    expect(await s.exec(['net', 'localgroup', 'Administrators', 'svc', '/add'])).toEqual({ stdout: 'The command completed successfully.\r\n\r\n', stderr: '', exitCode: 0 });
    expect((await s.exec(['net', 'localgroup', 'administrators'])).stdout).toContain('\r\nContainerAdministrator\r\nsvc\r\nThe command');
    expect((await s.exec(['net', 'user', 'svc'])).stdout).toContain('\r\nLocal Group Memberships      *Administrators       *Users                \r\n');
    expect(await s.exec(['net', 'localgroup', 'Administrators', 'svc', '/add'])).toEqual({
      stdout: '',
      stderr: 'System error 1378 has occurred.\r\n\r\nThe specified account name is already a member of the group.\r\n\r\n',
      exitCode: 2,
    });
    expect((await s.exec(['net', 'localgroup', 'Administrators', 'svc', '/delete'])).exitCode).toBe(0);
    expect((await s.exec(['net', 'localgroup', 'Administrators', 'svc', '/delete'])).stderr).toBe(
      'System error 1377 has occurred.\r\n\r\nThe specified account name is not a member of the group.\r\n\r\n',
    );
  });

  it('an unknown group is 1376, an unknown account NERR 3783', async () => {
    expect((await s.exec(['net', 'localgroup', 'Wizards'])).stderr).toBe('System error 1376 has occurred.\r\n\r\nThe specified local group does not exist.\r\n\r\n');
    expect((await s.exec(['net', 'localgroup', 'Users', 'nobody', '/add'])).stderr).toBe(
      'There is no such global user or group: nobody.\r\n\r\nMore help is available by typing NET HELPMSG 3783.\r\n\r\n',
    );
  });
});

describe('net helpmsg and syntax', () => {
  it('HELPMSG prints the text between blank lines', async () => {
    expect(await s.exec(['net', 'helpmsg', '2182'])).toEqual({ stdout: '\r\nThe requested service has already been started.\r\n\r\n', stderr: '', exitCode: 0 });
  });

  it('net alone prints its syntax and exits with 1', async () => {
    const r = await s.exec(['net']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.startsWith('The syntax of this command is:\r\n\r\nNET\r\n')).toBe(true);
  });
});
