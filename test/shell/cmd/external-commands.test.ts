// Running programs: cmd's own PATH/PATHEXT search, "not recognized", exit codes (Microsoft Learn "cmd"; ss64 ERRORLEVEL).
import { describe, expect, it } from 'vitest';
import { run, runBatch } from '../support.js';

const NOT_RECOGNIZED = (n: string) => `'${n}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`;

describe('external commands', () => {
  it('an unknown command: the two-line message on stderr and ERRORLEVEL 9009', async () => {
    const r = await run(['cmd', '/c', 'nosuchprogram arg']);
    expect(r.stderr).toBe(NOT_RECOGNIZED('nosuchprogram'));
    expect(r.exitCode).toBe(9009);
  });

  it('a missing directory in the command: "The system cannot find the path specified."', async () => {
    const r = await run(['cmd', '/c', 'C:\\nodir\\prog.exe']);
    expect(r.stderr).toBe('The system cannot find the path specified.\r\n');
    expect(r.exitCode).toBe(3);
  });

  it('programs are found on PATH with PATHEXT (cmd.exe runs as cmd)', async () => {
    const r = await run(['cmd', '/c', 'cmd /c exit 5']);
    expect(r.exitCode).toBe(5);
  });

  it("a program's exit code becomes ERRORLEVEL", async () => {
    expect((await runBatch('@echo off\r\ncmd /c exit 7\r\necho %errorlevel%\r\n')).stdout).toBe('7\r\n');
  });

  it('a full path with or without the extension', async () => {
    expect((await run(['cmd', '/c', 'C:\\Windows\\System32\\cmd /c echo a& C:\\Windows\\System32\\cmd.exe /c echo b'])).stdout).toBe('a\r\nb\r\n');
  });

  it('the child inherits variables cmd set', async () => {
    expect((await run(['cmd', '/c', 'set v=inherited& cmd /c echo %v%'])).stdout).toBe('inherited\r\n');
    expect((await runBatch('@echo off\r\nset v=inherited\r\ncmd /c echo %%v%%\r\n')).stdout).toBe('inherited\r\n');
  });

  it('a program writes to a redirected file', async () => {
    const r = await runBatch('@echo off\r\ncmd /c echo from child> C:\\t\\o.txt\r\nset /p v=< C:\\t\\o.txt\r\necho [%v%]\r\n');
    expect(r.stdout).toBe('[from child]\r\n');
  });

  it('a batch file runs by name from the current directory', async () => {
    expect((await runBatch('@echo off\r\ncd /d C:\\t\r\ny.bat a\r\n', { files: { 'y.bat': '@echo y got %1\r\n' } })).stdout).toBe('y got a\r\n');
  });

  it('=ExitCode keeps the last program exit code in hex', async () => {
    expect((await runBatch('@echo off\r\ncmd /c exit 255\r\necho %=ExitCode%\r\n')).stdout).toBe('000000FF\r\n');
  });
});
