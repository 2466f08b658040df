// A DOS device name as the last word of a `cmd /c` line. The /C quote rule
// keeps the quotes only when the quoted text names an executable FILE
// (Microsoft Learn "cmd"); a device (`C:\con`, `nul.exe`) answers a stat
// but is no file, so the line runs as a command.
import { describe, expect, it } from 'vitest';
import { run } from '../support.js';

describe('a device name at the end of a /C line is not an executable', () => {
  it('echo C:\\con prints the text', async () => {
    expect(await run(['cmd', '/c', 'echo C:\\con'])).toEqual({ stdout: 'C:\\con\r\n', stderr: '', exitCode: 0 });
    expect(await run(['cmd', '/c', 'echo C:\\x\\nul.exe'])).toEqual({ stdout: 'C:\\x\\nul.exe\r\n', stderr: '', exitCode: 0 });
  });

  it('md of NUL creates nothing and reports nothing (golang/go#24556)', async () => {
    expect(await run(['cmd', '/c', 'md C:\\nul'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(await run(['cmd', '/c', 'md C:\\x\\nul && if exist C:\\x echo made'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  it('md of another device is "The directory name is invalid."', async () => {
    expect(await run(['cmd', '/c', 'md C:\\x\\aux'])).toEqual({ stdout: '', stderr: 'The directory name is invalid.\r\n', exitCode: 1 });
    expect(await run(['cmd', '/c', 'md con'])).toEqual({ stdout: '', stderr: 'The directory name is invalid.\r\n', exitCode: 1 });
  });

  it('dir of a device in a missing folder reports the path, not a bad executable', async () => {
    const r = await run(['cmd', '/c', 'dir C:\\x\\aux']);
    expect(r.stderr).toBe('The system cannot find the path specified.\r\n');
    expect(r.exitCode).toBe(1);
  });

  it('a redirection to con.txt writes to the console device (pre-Windows 11 rule)', async () => {
    expect(await run(['cmd', '/c', 'echo x > C:\\x\\con.txt'])).toEqual({ stdout: 'x \r\n', stderr: '', exitCode: 0 });
  });

  it('a device typed as a command is not recognized', async () => {
    expect(await run(['cmd', '/c', 'con'])).toEqual({
      stdout: '',
      stderr: "'con' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n",
      exitCode: 9009,
    });
  });
});
