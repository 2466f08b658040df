// setx and certutil as Dockerfiles use them: setx writes the user's or the
// machine's environment in the registry, which the processes started after
// it get (not the running cmd); certutil hashes files and base64-encodes.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { SERVERCORE } from '../../daemon/support.js';
import { run, shellHost } from '../support.js';

/** Runs each command line as its own exec in one running container (as `docker exec` does), returning each one's stdout. */
async function execs(...commands: string[]): Promise<string[]> {
  const host = await shellHost();
  const c = await host.createContainer({ image: SERVERCORE, cmd: ['ping', '-t', 'localhost'] });
  await c.start();
  const out: string[] = [];
  try {
    for (const line of commands) {
      const io = await c.exec({ cmd: ['cmd', '/c', line] });
      const chunks: Uint8Array[] = [];
      for (let b = await io.stdout!.read(); b !== null; b = await io.stdout!.read()) chunks.push(b);
      await io.wait();
      out.push(Buffer.concat(chunks).toString('utf8'));
    }
  } finally {
    await c.remove({ force: true });
  }
  return out;
}

describe('setx', () => {
  test('saves a user variable: neither the running cmd nor its children see it (they inherit its block); a process started afterwards does', async () => {
    const r = await run(['cmd', '/c', 'setx GREETING hello & echo [%GREETING%] & cmd /c echo [%GREETING%]']);
    expect(r).toEqual({ stdout: '\r\nSUCCESS: Specified value was saved.\r\n[%GREETING%] \r\n[%GREETING%]\r\n', stderr: '', exitCode: 0 });
    expect(await execs('setx GREETING hello', 'echo [%GREETING%]')).toEqual(['\r\nSUCCESS: Specified value was saved.\r\n', '[hello]\r\n']);
  });

  test('/M saves a machine variable; a machine Path comes before the user Path in the next process', async () => {
    expect(await execs('setx /M TOOLS C:\\tools >nul & setx /M Path C:\\Windows\\system32;C:\\tools >nul', 'echo %TOOLS%', 'path')).toEqual([
      '',
      'C:\\tools\r\n',
      'PATH=C:\\Windows\\system32;C:\\tools;C:\\Users\\ContainerAdministrator\\AppData\\Local\\Microsoft\\WindowsApps\r\n',
    ]);
  });

  test("[Environment]::SetEnvironmentVariable(…, 'Machine') reaches the next process the same way", async () => {
    expect(await execs("powershell -Command [Environment]::SetEnvironmentVariable('STAGE','blue','Machine')", 'echo %STAGE%')).toEqual(['', 'blue\r\n']);
  });

  test('a wrong argument count is setx’s syntax error (exit 1); a long value is cut to 1024 characters with its warning', async () => {
    expect(await run(['setx', 'A', 'B', 'C'])).toEqual({ stdout: '', stderr: "ERROR: Invalid syntax. Default option is not allowed more than '2' time(s).\r\nType \"SETX /?\" for usage.\r\n", exitCode: 1 });
    expect(await run(['setx', 'A'])).toEqual({ stdout: '', stderr: 'ERROR: Invalid syntax.\r\nType "SETX /?" for usage.\r\n', exitCode: 1 });
    const [saved, length] = await execs(`setx LONG ${'x'.repeat(1100)}`, 'powershell -Command $env:LONG.Length');
    expect(saved).toBe('\r\nWARNING: The data being saved is truncated to 1024 characters.\r\n\r\nSUCCESS: Specified value was saved.\r\n');
    expect(length).toBe('1024\r\n');
  });
});

describe('certutil', () => {
  test('-hashfile: the digest in lower-case hex on its own line (SHA1 by default)', async () => {
    const r = await run(['cmd', '/c', 'echo hello> C:\\f.txt & certutil -hashfile C:\\f.txt SHA256 & certutil -hashfile C:\\f.txt']);
    // `echo hello> f & …` writes "hello " (cmd keeps the space before `&`).
    const sha256 = createHash('sha256').update('hello \r\n').digest('hex');
    const sha1 = createHash('sha1').update('hello \r\n').digest('hex');
    expect(r.stdout).toBe(`SHA256 hash of C:\\f.txt:\r\n${sha256}\r\nCertUtil: -hashfile command completed successfully.\r\nSHA1 hash of C:\\f.txt:\r\n${sha1}\r\nCertUtil: -hashfile command completed successfully.\r\n`);
  });

  test('a missing file and an unknown algorithm fail with certutil’s HRESULT texts and exit codes', async () => {
    expect(await run(['certutil', '-hashfile', 'C:\\nope.bin', 'SHA256'])).toEqual({
      stdout: 'CertUtil: -hashfile command FAILED: 0x80070002 (WIN32: 2 ERROR_FILE_NOT_FOUND)\r\nCertUtil: The system cannot find the file specified.\r\n',
      stderr: '',
      exitCode: 0x80070002, // HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND); cmd shows it as -2147024894
    });
    const bad = await run(['certutil', '-hashfile', 'C:\\Windows\\win.ini', 'SHA3']);
    expect(bad.stdout).toBe('CertUtil: -hashfile command FAILED: 0x80090008 (-2146893816 NTE_BAD_ALGID)\r\nCertUtil: Invalid algorithm specified.\r\n');
    expect(bad.exitCode).toBe(0x80090008);
  });

  test('-encode and -decode: base64 between certificate markers, lengths reported, -f to overwrite', async () => {
    const r = await run(['cmd', '/c', 'echo abc> C:\\in.txt & certutil -encode C:\\in.txt C:\\b64.txt & type C:\\b64.txt & certutil -encode C:\\in.txt C:\\b64.txt & certutil -decode C:\\b64.txt C:\\out.txt & type C:\\out.txt']);
    expect(r.stdout).toBe(
      [
        // `echo abc> f & …` writes "abc \r\n": 6 bytes.
        'Input Length = 6',
        'Output Length = 66',
        'CertUtil: -encode command completed successfully.',
        '-----BEGIN CERTIFICATE-----',
        'YWJjIA0K',
        '-----END CERTIFICATE-----',
        'CertUtil: -encode command FAILED: 0x80070050 (WIN32: 80 ERROR_FILE_EXISTS)',
        'CertUtil: The file exists.',
        'Input Length = 66',
        'Output Length = 6',
        'CertUtil: -decode command completed successfully.',
        'abc ',
        '',
      ].join('\r\n'),
    );
  });
});

describe('chcp', () => {
  test('shows 437 (en-US OEM); a page it has is set and reported; others are chcp’s errors', async () => {
    expect(await run(['cmd', '/c', 'chcp & chcp 65001'])).toEqual({ stdout: 'Active code page: 437\r\nActive code page: 65001\r\n', stderr: '', exitCode: 0 });
    expect(await run(['cmd', '/c', 'chcp 12345'])).toEqual({ stdout: '', stderr: 'Invalid code page\r\n', exitCode: 1 });
    expect(await run(['cmd', '/c', 'chcp utf8'])).toEqual({ stdout: '', stderr: 'Parameter format not correct - "utf8"\r\n', exitCode: 1 });
  });
});
