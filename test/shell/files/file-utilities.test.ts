import { describe, expect, it } from 'vitest';
import { run } from '../support.js';
import { commands } from './harness.js';

const SETUP = ['md C:\\src\\sub\\empty', 'write C:\\src\\a.txt one', 'write C:\\src\\sub\\b.txt two', 'cd C:\\'];

describe('attrib', () => {
  it('shows the 15-column flag field and the full path', async () => {
    const r = await commands([...SETUP, 'run attrib C:\\src\\a.txt', 'run attrib +r +h C:\\src\\a.txt', 'run attrib C:\\src\\a.txt']);
    expect(r.stdout).toBe('A              C:\\src\\a.txt\r\nA     HR       C:\\src\\a.txt\r\n');
  });
  it('without a path: the files of the current directory; /s recurses', async () => {
    const r = await commands([...SETUP, 'cd C:\\src', 'run attrib', 'run attrib /s *.txt']);
    expect(r.stdout).toBe('A              C:\\src\\a.txt\r\n' + 'A              C:\\src\\a.txt\r\nA              C:\\src\\sub\\b.txt\r\n');
  });
  it('a hidden file is not changed unless h is named', async () => {
    const r = await commands([...SETUP, 'run attrib +h C:\\src\\a.txt', 'run attrib +r C:\\src\\a.txt', 'run attrib -h +s C:\\src\\a.txt', 'run attrib C:\\src\\a.txt']);
    expect(r.stdout).toBe('Not resetting hidden file - C:\\src\\a.txt\r\nA    S         C:\\src\\a.txt\r\n');
  });
  it('nothing matched: `File not found - PATH`', async () => {
    expect(await run(['attrib', 'C:\\nope.txt'])).toEqual({ stdout: '', stderr: 'File not found - C:\\nope.txt\r\n', exitCode: 1 });
  });
});

describe('xcopy', () => {
  it('/s /i copies a tree of files into a new directory, printing each source', async () => {
    const r = await commands([...SETUP, 'run xcopy src dst /s /i', 'el', 'dir /b /s dst']);
    expect(r.stdout).toBe('src\\a.txt\r\nsrc\\sub\\b.txt\r\n2 File(s) copied\r\nEL=0\r\nC:\\dst\\a.txt\r\nC:\\dst\\sub\r\nC:\\dst\\sub\\b.txt\r\n');
  });
  it('/e copies empty directories too; /q prints only the total', async () => {
    const r = await commands([...SETUP, 'run xcopy C:\\src C:\\dst /e /i /q', 'dir /b /s /ad C:\\dst']);
    expect(r.stdout).toBe('2 File(s) copied\r\nC:\\dst\\sub\r\nC:\\dst\\sub\\empty\r\n');
  });
  it('a new destination for one file asks file or directory', async () => {
    const r = await commands([...SETUP, 'run xcopy C:\\src\\a.txt C:\\new'], { stdin: 'd\r\n' });
    expect(r.stdout).toBe('Does C:\\new specify a file name\r\nor directory name on the target\r\n(F = file, D = directory)? d\r\nC:\\src\\a.txt\r\n1 File(s) copied\r\n');
  });
  it('existing files: `Overwrite NAME (Yes/No/All)? `; /y does not ask', async () => {
    const r = await commands([...SETUP, 'md C:\\dst', 'write C:\\dst\\a.txt old', 'run xcopy C:\\src\\a.txt C:\\dst', 'type C:\\dst\\a.txt'], { stdin: 'n\r\n' });
    expect(r.stdout).toBe('Overwrite C:\\dst\\a.txt (Yes/No/All)? n\r\n0 File(s) copied\r\nold');
    const y = await commands([...SETUP, 'md C:\\dst', 'write C:\\dst\\a.txt old', 'run xcopy /y C:\\src\\a.txt C:\\dst', 'type C:\\dst\\a.txt']);
    expect(y.stdout).toBe('C:\\src\\a.txt\r\n1 File(s) copied\r\none');
  });
  it('a missing source: `File not found - NAME`, `0 File(s) copied`, exit 4', async () => {
    expect(await run(['xcopy', 'C:\\nope.txt', 'C:\\d\\'])).toEqual({ stdout: '0 File(s) copied\r\n', stderr: 'File not found - nope.txt\r\n', exitCode: 4 });
  });
  it('syntax errors exit 4', async () => {
    expect(await run(['xcopy'])).toEqual({ stdout: '', stderr: 'Invalid number of parameters\r\n', exitCode: 4 });
    expect((await run(['xcopy', 'a', 'b', '/qq'])).stderr).toBe('Invalid switch - /qq\r\n');
  });
  it('copying a tree into itself is cyclic', async () => {
    const r = await commands([...SETUP, 'run xcopy C:\\src C:\\src\\sub\\x /s /i', 'el']);
    expect(r.stderr).toBe('Cannot perform a cyclic copy\r\n');
    expect(r.stdout).toBe('0 File(s) copied\r\nEL=4\r\n');
  });
});

describe('xcopy: how sources print', () => {
  it('under the source as typed: `.\\name` for the current directory', async () => {
    const r = await commands([...SETUP, 'cd C:\\src', 'run xcopy . C:\\dst /i', 'run xcopy *.txt C:\\dst2 /i']);
    expect(r.stdout).toBe('.\\a.txt\r\n1 File(s) copied\r\na.txt\r\n1 File(s) copied\r\n');
  });
});

describe('xcopy /exclude', () => {
  it('skips files whose full path contains a line of the exclude file', async () => {
    const r = await commands([...SETUP, 'write C:\\ex.txt \\sub\\\r\n', 'run xcopy C:\\src C:\\dst /s /i /exclude:C:\\ex.txt']);
    expect(r.stdout).toBe('C:\\src\\a.txt\r\n1 File(s) copied\r\n');
  });
});
