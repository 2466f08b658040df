// Any command line, however malformed, gets reg/sc/net's own answer — a
// usage error, a Win32 error, a result — and never an unhandled exception
// (exit code 0xC0000409) escaping the program.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { numRuns, SEED } from '../../support/budget.js';
import { session, type Session } from './session.js';

let s: Session;
beforeAll(async () => {
  s = await session();
});
afterAll(async () => {
  await s.close();
});

const TOKENS = [
  'query', 'add', 'delete', 'copy', 'export', 'import', 'save', 'QUERY', 'start', 'stop', 'queryex', 'qc', 'config', 'description', 'user', 'helpmsg', 'localgroup', 'Administrators', '/add', '/delete', 'svc',
  'pause', 'continue', 'create', 'getkeyname', 'HKLM', 'HKCU\\Software\\Z', 'HKCU\\Software\\Z\\Y', 'HKXX', 'HKLM\\\\x', '\\\\pc\\HKLM', 'HKCU\\',
  '/v', '/ve', '/va', '/s', '/f', '/t', '/d', '/k', '/c', '/e', '/z', '/se', '/y', '/?', '-v', '/reg:32', 'REG_DWORD', 'REG_BINARY',
  'REG_MULTI_SZ', 'REG_QWORD', 'REG_NONE', 'x', '', '0x10', '-1', 'zz', 'a\\0\\0b', 'C:\\t.reg', 'W32Time', 'CExecSvc', 'nosuch', 'start=',
  'state=', 'type=', 'all', 'auto', 'depend=', 'binPath=', 'Windows Time', '2182', '99999',
];

const command = fc.tuple(fc.constantFrom('reg', 'sc', 'net'), fc.array(fc.constantFrom(...TOKENS), { maxLength: 6 }));

it('reg, sc and net answer every argument list with their own exit codes', async () => {
  await fc.assert(
    fc.asyncProperty(command, async ([program, args]) => {
      const r = await s.exec([program, ...args], '');
      if (program === 'reg') expect([0, 1]).toContain(r.exitCode);
      else if (program === 'net') expect([0, 1, 2]).toContain(r.exitCode);
      else expect(r.exitCode).toBeLessThan(0x10000);
    }),
    { seed: SEED, numRuns: numRuns(150) },
  );
}, 60_000);
