// The file commands reached through cmd.exe itself: its parser hands them
// their argument text, its redirections give them their handles, and
// ERRORLEVEL carries their results.
import { describe, expect, it } from 'vitest';
import { NANOSERVER, run, runBatch } from '../support.js';

describe('file commands through cmd.exe', () => {
  it('dir /b C:\\ lists the image root', async () => {
    const r = await run(['cmd', '/c', 'dir /b C:\\']);
    // (The image's own contents are the image synthesis's business: check the form, not the whole list.)
    expect(r.stdout).toMatch(/^License\.txt\r\nProgram Files\r\nProgram Files \(x86\)\r\n(?:.*\r\n)*Users\r\nWindows\r\n$/);
    expect(r.exitCode).toBe(0);
  });

  it('glued switches and redirections: dir/b/s, type piped into findstr, more from a file', async () => {
    const r = await run(['cmd', '/c', 'md C:\\x\\y && echo hi>C:\\x\\y\\a.txt && dir/b/s C:\\x && type C:\\x\\y\\a.txt | findstr hi && more < C:\\x\\y\\a.txt']);
    expect(r.stdout).toBe('C:\\x\\y\r\nC:\\x\\y\\a.txt\r\nhi \r\nhi \r\n');
  });

  it('ERRORLEVEL after copy and md failures; del leaves it alone', async () => {
    const r = await runBatch('@echo off\r\nmd C:\\q\r\necho %errorlevel%\r\nmd C:\\q\r\necho %errorlevel%\r\ndel C:\\q\\nope\r\necho %errorlevel%\r\ncopy C:\\q\\nope C:\\q\\z >nul\r\necho %errorlevel%\r\n');
    expect(r.stdout).toBe('0\r\n1\r\n1\r\n1\r\n');
    expect(r.stderr).toBe('A subdirectory or file C:\\q already exists.\r\nCould Not Find C:\\q\\nope\r\nThe system cannot find the file specified.\r\n');
  });

  it('copy in a batch file overwrites without asking', async () => {
    const r = await runBatch('@echo off\r\ncd /d C:\\\r\necho one>a.txt\r\necho two>b.txt\r\ncopy a.txt b.txt\r\ntype b.txt\r\n');
    expect(r.stdout).toBe('        1 file(s) copied.\r\none\r\n');
  });

  it('erase, mkdir, rmdir, rename are the same commands', async () => {
    const r = await run(['cmd', '/c', 'mkdir C:\\m\\n && echo x>C:\\m\\f.txt && rename C:\\m\\f.txt g.txt && erase C:\\m\\g.txt && rmdir C:\\m\\n && dir /b /a C:\\m']);
    expect(r.stderr).toBe('File Not Found\r\n');
  });

  it('where finds programs through cmd, PATHEXT applied', async () => {
    expect((await run(['cmd', '/c', 'where find'])).stdout).toBe('C:\\Windows\\System32\\find.exe\r\n');
  });
});

describe('on Nano Server and on a bound directory', () => {
  it('Nano Server has the utilities too', async () => {
    // (A batch file: docker's argv quoting would turn "b" into \"b\" on a cmd /c line.)
    const r = await runBatch('@echo off\r\nwhere xcopy\r\necho a b c| find "b"\r\n', { image: NANOSERVER });
    expect(r.stdout).toBe('C:\\Windows\\System32\\xcopy.exe\r\na b c\r\n');
  });

  it('dir /b and type of the bound script directory', async () => {
    const r = await runBatch('@dir /b C:\\t\r\n@type C:\\t\\data.txt\r\n', { files: { 'data.txt': 'bound\r\n' } });
    expect(r.stdout).toBe('data.txt\r\nx.cmd\r\nbound\r\n');
  });
});
