// New-Item -ItemType SymbolicLink | Junction | HardLink as Windows
// PowerShell 5.1's FileSystemProvider.NewItem makes them, with its output
// (the link's own FileInfo: Mode `l`, the link's size) and its errors.
import { describe, expect, it } from 'vitest';
import { run } from '../support.js';

const ps = (cmd: string, env?: string[]) => run(['powershell', '-NoProfile', '-Command', cmd], { env });
const lines = (...l: string[]) => l.map((x) => x + '\r\n').join('');
const table = (...rows: string[]) =>
  lines('', '', '    Directory: C:\\', '', '', 'Mode                 LastWriteTime         Length Name', '----                 -------------         ------ ----', ...rows, '', '');

/** PowerShell's error view for a New-Item error at column `col` of `cmd`. */
function newItemError(cmd: string, message: string, category: string, target: string, reason: string, id: string, col = 1): string {
  const len = cmd.length - col + 1;
  return lines(
    `New-Item : ${message}`,
    `At line:1 char:${col}`,
    `+ ${cmd}`,
    `+ ${' '.repeat(col - 1)}${'~'.repeat(len)}`,
    `    + CategoryInfo          : ${category}: (${target}:String) [New-Item], ${reason}`,
    `    + FullyQualifiedErrorId : ${id},Microsoft.PowerShell.Commands.NewItemCommand`,
    ' ',
  );
}

describe('New-Item makes links', () => {
  it('a file symbolic link: the link itself is listed (-a---l, length 0) and reads through', async () => {
    const r = await ps('Set-Content C:\\f.txt hi; New-Item -ItemType SymbolicLink -Path C:\\l -Target C:\\f.txt; Get-Content C:\\l');
    // The string is out-of-band: it follows the row at once, and the table ends after it.
    expect(r).toEqual({ stdout: table('-a---l        11/23/2026  12:00 PM              0 l').replace(/(\r\n){2}$/, '') + lines('hi', '', ''), stderr: '', exitCode: 0 });
  });

  it('a junction and a directory symbolic link are d----l, and dir shows them as cmd does', async () => {
    const r = await ps('New-Item -ItemType Directory C:\\d | Out-Null; $j = New-Item -ItemType Junction -Path C:\\j -Target C:\\d; $s = New-Item -ItemType SymbolicLink -Path C:\\sd -Value C:\\d; cmd /c dir /b /a:l C:\\; $j; $s');
    expect(r.stdout).toBe(lines('Documents and Settings', 'j', 'sd') + table('d----l        11/23/2026  12:00 PM                j', 'd----l        11/23/2026  12:00 PM                sd'));
  });

  it('a hard link is a plain file sharing the data', async () => {
    const r = await ps('Set-Content C:\\f.txt hi; New-Item -ItemType HardLink -Path C:\\h.txt -Target C:\\f.txt | Out-Null; Add-Content C:\\f.txt there; Get-Content C:\\h.txt');
    expect(r).toEqual({ stdout: lines('hi', 'there'), stderr: '', exitCode: 0 });
  });

  it('ContainerUser may not create a symbolic link: "Administrator privilege required for this operation."', async () => {
    const cmd = 'New-Item -ItemType SymbolicLink -Path C:\\l -Target C:\\License.txt';
    expect(await ps(cmd, ['USERNAME=ContainerUser'])).toEqual({
      stdout: '',
      stderr: newItemError(cmd, 'Administrator privilege required for this operation.', 'PermissionDenied', 'C:\\License.txt', 'UnauthorizedAccessException', 'NewItemSymbolicLinkElevationRequired'),
      exitCode: 1,
    });
  });

  it('ContainerUser may still make junctions and hard links', async () => {
    const r = await ps('New-Item -ItemType Junction -Path C:\\j -Target C:\\Windows | Out-Null; New-Item -ItemType HardLink -Path C:\\h -Target C:\\License.txt | Out-Null; (Get-Item C:\\j).LinkType', ['USERNAME=ContainerUser']);
    expect(r).toEqual({ stdout: lines('Junction'), stderr: '', exitCode: 0 });
  });

  it('mklink as ContainerUser: "You do not have sufficient privilege to perform this operation."', async () => {
    expect(await run(['cmd', '/c', 'mklink C:\\l C:\\License.txt'], { env: ['USERNAME=ContainerUser'] })).toEqual({
      stdout: '',
      stderr: 'You do not have sufficient privilege to perform this operation.\r\n',
      exitCode: 1,
    });
  });
});

describe('New-Item link errors (5.1 texts, quirks kept)', () => {
  it('a missing target: "Could not find item T."', async () => {
    const cmd = 'New-Item -ItemType SymbolicLink -Path C:\\l -Target C:\\nothere';
    expect((await ps(cmd)).stderr).toBe(newItemError(cmd, 'Could not find item C:\\nothere.', 'ObjectNotFound', 'C:\\nothere', 'ItemNotFoundException', 'ItemNotFound'));
  });

  it('a junction to a missing target: the unformatted "Could not find item {0}."', async () => {
    const cmd = 'New-Item -ItemType Junction -Path C:\\l -Target C:\\nothere';
    expect((await ps(cmd)).stderr).toBe(newItemError(cmd, 'Could not find item {0}.', 'ObjectNotFound', 'C:\\nothere', 'InvalidOperationException', 'ItemNotFound'));
  });

  it('a junction to a file, a hard link to a directory', async () => {
    const j = 'New-Item -ItemType Junction -Path C:\\l -Target C:\\License.txt';
    expect((await ps(j)).stderr).toBe(
      newItemError(j, "A directory is required for the operation. The item 'C:\\License.txt' is not a directory.", 'InvalidOperation', 'C:\\License.txt', 'InvalidOperationException', 'ItemNotDirectory'),
    );
    const h = 'New-Item -ItemType HardLink -Path C:\\l -Target C:\\Windows';
    expect((await ps(h)).stderr).toBe(newItemError(h, "A file is required for the operation. The item 'C:\\Windows' is not a file.", 'InvalidOperation', 'C:\\Windows', 'InvalidOperationException', 'ItemNotFile'));
  });

  it('an existing link path: "NewItemIOError" unless -Force replaces it', async () => {
    const first = 'New-Item -ItemType SymbolicLink -Path C:\\l -Target C:\\License.txt | Out-Null; ';
    const again = 'New-Item -ItemType SymbolicLink -Path C:\\l -Target C:\\License.txt';
    const r = await ps(first + again);
    expect(r.stderr).toBe(newItemError(first + again, 'NewItemIOError', 'ResourceExists', 'C:\\l', 'IOException', 'NewItemIOError', first.length + 1));
    const f = await ps(`${first}Set-Content C:\\g.txt g; New-Item -ItemType SymbolicLink -Path C:\\l -Target C:\\g.txt -Force | Out-Null; Get-Content C:\\l`);
    expect(f).toEqual({ stdout: lines('g'), stderr: '', exitCode: 0 });
  });

  it('an unknown type names the three types 5.1 lists', async () => {
    const r = await ps('New-Item -ItemType Foo -Path C:\\l');
    expect(r.stderr.split('\r\n')[0]).toBe('New-Item : The type is not a known type for the file system. Only "file","directory" or "symboliclink" can be specified.');
  });
});
