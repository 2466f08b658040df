// HOSTNAME.EXE prints the container's DNS host name (docker's --hostname, else the id's first 12 hex digits).
import { describe, expect, test } from 'vitest';
import { run } from '../support.js';

describe('hostname', () => {
  test('prints the host name docker set, CRLF-terminated', async () => {
    const r = await run(['hostname']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{12}\r\n$/);
  });

  test('-s is not supported', async () => {
    const r = await run(['hostname', '-s']);
    expect(r).toEqual({ stdout: '', stderr: 'hostname -s is not supported.\r\n', exitCode: 1 });
  });

  test('any other argument is a refused attempt to set the name', async () => {
    const r = await run(['hostname', 'newname']);
    expect(r).toEqual({ stdout: '', stderr: 'sethostname: Use the Network Control Panel Applet to set hostname.\r\n', exitCode: 1 });
  });
});
