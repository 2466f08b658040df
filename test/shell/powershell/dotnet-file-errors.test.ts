// A System.IO.File method that fails shows .NET Framework's exception text
// inside PowerShell's "Exception calling …" error, the inner exception's
// type as FullyQualifiedErrorId.
import { describe, expect, it } from 'vitest';
import { run } from '../support.js';

const ps = (cmd: string) => run(['powershell', '-NoProfile', '-Command', cmd]);

function methodError(cmd: string, method: string, argc: number, inner: string, type: string): string {
  return [
    `Exception calling "${method}" with "${argc}" argument(s): "${inner}"`,
    'At line:1 char:1',
    `+ ${cmd}`,
    `+ ${'~'.repeat(cmd.length)}`,
    '    + CategoryInfo          : NotSpecified: (:) [], MethodInvocationException',
    `    + FullyQualifiedErrorId : ${type}`,
    ' ',
    '',
  ].join('\r\n');
}

describe('[IO.File] errors', () => {
  it('a missing folder: DirectoryNotFoundException "Could not find a part of the path"', async () => {
    const cmd = "[IO.File]::ReadAllText('C:\\missing\\x')";
    expect(await ps(cmd)).toEqual({ stdout: '', stderr: methodError(cmd, 'ReadAllText', 1, "Could not find a part of the path 'C:\\missing\\x'.", 'DirectoryNotFoundException'), exitCode: 1 });
  });

  it('a missing file: FileNotFoundException "Could not find file"', async () => {
    const cmd = "[IO.File]::ReadAllText('C:\\x')";
    expect((await ps(cmd)).stderr).toBe(methodError(cmd, 'ReadAllText', 1, "Could not find file 'C:\\x'.", 'FileNotFoundException'));
  });

  it('a directory read as a file: UnauthorizedAccessException', async () => {
    const cmd = "[IO.File]::ReadAllLines('C:\\Windows')";
    expect((await ps(cmd)).stderr).toBe(methodError(cmd, 'ReadAllLines', 1, "Access to the path 'C:\\Windows' is denied.", 'UnauthorizedAccessException'));
  });

  it('writing into a missing folder names the method and its argument count', async () => {
    const cmd = "[IO.File]::WriteAllText('C:\\missing\\x', 'a')";
    expect((await ps(cmd)).stderr).toBe(methodError(cmd, 'WriteAllText', 2, "Could not find a part of the path 'C:\\missing\\x'.", 'DirectoryNotFoundException'));
  });

  it('the error is catchable and the script goes on', async () => {
    const r = await ps("try { [IO.File]::ReadAllText('C:\\x') } catch { 'caught: ' + $_.Exception.Message }");
    expect(r.stdout).toBe('caught: Exception calling "ReadAllText" with "1" argument(s): "Could not find file \'C:\\x\'."\r\n');
  });
});
