// whoami.exe: a container process runs as User Manager\ContainerAdministrator (S-1-5-93-2-1).
import { describe, expect, test } from 'vitest';
import { run } from '../support.js';

describe('whoami', () => {
  test('prints the account in lower case, domain "user manager"', async () => {
    expect(await run(['whoami'])).toEqual({ stdout: 'user manager\\containeradministrator\r\n', stderr: '', exitCode: 0 });
  });

  test('/USER: a titled section, columns as wide as their longest cell', async () => {
    const r = await run(['whoami', '/user']);
    expect(r.stdout).toBe(
      '\r\nUSER INFORMATION\r\n----------------\r\n\r\n' +
        'User Name                           SID         \r\n' +
        '=================================== ============\r\n' +
        'user manager\\containeradministrator S-1-5-93-2-1\r\n',
    );
  });

  test('/USER /FO CSV /NH', async () => {
    const r = await run(['whoami', '/user', '/fo', 'csv', '/nh']);
    expect(r.stdout).toBe('\r\nUSER INFORMATION\r\n----------------\r\n\r\n"user manager\\containeradministrator","S-1-5-93-2-1"\r\n');
  });

  test('/USER /FO LIST', async () => {
    const r = await run(['whoami', '/user', '/fo', 'list']);
    expect(r.stdout).toBe('\r\nUSER INFORMATION\r\n----------------\r\n\r\nUser Name: user manager\\containeradministrator\r\nSID:       S-1-5-93-2-1\r\n');
  });

  test('/GROUPS lists Administrators as group owner and the High label', async () => {
    const r = await run(['whoami', '/groups']);
    const lines = r.stdout.split('\r\n');
    expect(lines.slice(0, 4)).toEqual(['', 'GROUP INFORMATION', '-----------------', '']);
    // Name column: as wide as "Mandatory Label\\High Mandatory Level" (36).
    expect(lines[4]).toBe(`${'Group Name'.padEnd(36)} ${'Type'.padEnd(16)} ${'SID'.padEnd(12)} ${'Attributes'.padEnd(63)}`);
    expect(lines[5]).toBe(`${'='.repeat(36)} ${'='.repeat(16)} ${'='.repeat(12)} ${'='.repeat(63)}`);
    expect(lines).toContain(`${'BUILTIN\\Administrators'.padEnd(36)} Alias            S-1-5-32-544 Mandatory group, Enabled by default, Enabled group, Group owner`);
    expect(lines).toContain(`Mandatory Label\\High Mandatory Level Label            S-1-16-12288 ${' '.repeat(63)}`);
  });

  test('/PRIV: the container administrator\'s privileges, three enabled', async () => {
    const r = await run(['whoami', '/priv', '/fo', 'csv', '/nh']);
    const rows = r.stdout.split('\r\n').slice(4, -1);
    expect(rows).toHaveLength(24);
    expect(rows.filter((l) => l.endsWith('"Enabled"'))).toEqual([
      '"SeChangeNotifyPrivilege","Bypass traverse checking","Enabled"',
      '"SeImpersonatePrivilege","Impersonate a client after authentication","Enabled"',
      '"SeCreateGlobalPrivilege","Create global objects","Enabled"',
    ]);
  });

  test('/ALL ends with the claims section', async () => {
    const r = await run(['whoami', '/all']);
    expect(r.stdout.startsWith('\r\nUSER INFORMATION\r\n')).toBe(true);
    expect(r.stdout).toContain('S-1-5-93-2-1\r\n\r\n\r\nGROUP INFORMATION\r\n');
    expect(r.stdout.endsWith('\r\n\r\nUSER CLAIMS INFORMATION\r\n-----------------------\r\n\r\nUser claims unknown.\r\n\r\nKerberos support for Dynamic Access Control on this device has been disabled.\r\n')).toBe(
      true,
    );
  });

  test('/LOGONID prints the logon SID', async () => {
    expect((await run(['whoami', '/logonid'])).stdout).toMatch(/^S-1-5-5-0-\d+\r\n$/);
  });

  test('/UPN: not a domain user', async () => {
    expect(await run(['whoami', '/upn'])).toEqual({
      stdout: '',
      stderr: 'ERROR: Unable to get User Principal Name (UPN) as the current logged-on user is not a domain user.\r\n',
      exitCode: 1,
    });
  });

  test('an unknown switch', async () => {
    expect(await run(['whoami', '/bogus'])).toEqual({ stdout: '', stderr: "ERROR: Invalid argument/option - '/bogus'.\r\nType \"WHOAMI /?\" for usage.\r\n", exitCode: 1 });
  });
});
