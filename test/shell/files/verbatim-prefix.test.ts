// `\\?\` and `\\.\` are DOS device path prefixes ("File path formats on
// Windows systems"), not wildcards: a command given `\\?\C:\x.txt` works on
// that one file, as if the name held no `?`.
import { describe, expect, it } from 'vitest';
import { runBatch } from '../support.js';

const setup = '@echo off\r\necho hi> C:\\x.txt\r\n';

describe('the \\\\?\\ and \\\\.\\ prefixes are not wildcards', () => {
  it('type prints one file with no name header', async () => {
    expect(await runBatch(`${setup}type \\\\?\\C:\\x.txt\r\ntype \\\\.\\C:\\x.txt\r\n`)).toEqual({ stdout: 'hi\r\nhi\r\n', stderr: '', exitCode: 0 });
  });

  it('a wildcard after the prefix is still one', async () => {
    const r = await runBatch(`${setup}type \\\\?\\C:\\x.tx?\r\n`);
    expect(r).toEqual({ stdout: 'hi\r\n', stderr: '\r\n\\\\?\\C:\\x.txt\r\n\r\n\r\n', exitCode: 0 });
  });

  it('copy, del and dir take the prefixed path as one name', async () => {
    const r = await runBatch(`${setup}copy \\\\?\\C:\\x.txt \\\\?\\C:\\y.txt\r\ndir /b C:\\y.txt\r\ndel \\\\?\\C:\\y.txt\r\nif not exist C:\\y.txt echo gone\r\n`);
    expect(r).toEqual({ stdout: '        1 file(s) copied.\r\ny.txt\r\ngone\r\n', stderr: '', exitCode: 0 });
  });

  it('xcopy prints the source as typed, root separator kept', async () => {
    const r = await runBatch(`${setup}xcopy \\\\?\\C:\\x.txt C:\\z\\ >C:\\out.txt\r\nxcopy C:\\x.txt C:\\w\\\r\ntype C:\\out.txt\r\n`);
    expect(r.stdout).toBe('C:\\x.txt\r\n1 File(s) copied\r\n\\\\?\\C:\\x.txt\r\n1 File(s) copied\r\n');
  });
});
