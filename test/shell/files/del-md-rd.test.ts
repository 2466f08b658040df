import { describe, expect, it } from 'vitest';
import { commands } from './harness.js';

const SETUP = ['md C:\\x\\sub', 'write C:\\x\\a.txt one', 'write C:\\x\\b.log two', 'write C:\\x\\sub\\c.txt three', 'cd C:\\x'];

describe('del', () => {
  it('deletes quietly; a missing name: `Could Not Find C:\\full\\path`; ERRORLEVEL untouched', async () => {
    const r = await commands([...SETUP, 'md sub', 'del a.txt nope.txt', 'el', 'dir /b /a-d']);
    expect(r.stderr).toBe('A subdirectory or file sub already exists.\r\nCould Not Find C:\\x\\nope.txt\r\n');
    expect(r.stdout).toBe('EL=1\r\nb.log\r\n');
  });

  it('* asks `C:\\x\\*, Are you sure (Y/N)? `; N deletes nothing', async () => {
    const r = await commands([...SETUP, 'del *', 'dir /b /a-d'], { stdin: 'n\r\n' });
    expect(r.stdout).toBe('C:\\x\\*, Are you sure (Y/N)? n\r\na.txt\r\nb.log\r\n');
  });

  it('a directory name deletes the files in it after asking; /q does not ask', async () => {
    const r = await commands([...SETUP, 'del sub', 'dir /b sub', 'write sub\\d.txt d', 'del /q sub', 'dir /b /a-d sub', 'del /q sub'], { stdin: 'y\r\n' });
    expect(r.stdout).toBe('C:\\x\\sub\\*, Are you sure (Y/N)? y\r\n');
    expect(r.stderr).toBe('File Not Found\r\nFile Not Found\r\nCould Not Find C:\\x\\sub\\*\r\n');
  });

  it('/s searches subdirectories and names each deleted file', async () => {
    const r = await commands([...SETUP, 'del /s *.txt']);
    expect(r.stdout).toBe('Deleted file - C:\\x\\a.txt\r\nDeleted file - C:\\x\\sub\\c.txt\r\n');
  });

  it('a read-only file needs /f: its path, then Access is denied.', async () => {
    const r = await commands([...SETUP, 'run attrib +r a.txt', 'del a.txt', 'dir /b a.txt', 'del /f a.txt', 'dir /b a.txt']);
    expect(r.stderr).toBe('C:\\x\\a.txt\r\nAccess is denied.\r\nFile Not Found\r\n');
    expect(r.stdout).toBe('a.txt\r\n');
  });

  it('hidden files are skipped unless /a', async () => {
    const r = await commands([...SETUP, 'run attrib +h a.txt', 'del a.txt', 'del /a:h a.txt', 'dir /b /a a.txt']);
    expect(r.stderr).toBe('Could Not Find C:\\x\\a.txt\r\nFile Not Found\r\n');
  });

  it('erase is del', async () => {
    const r = await commands([...SETUP, 'erase b.log', 'dir /b /a-d']);
    expect(r.stdout).toBe('a.txt\r\n');
  });
});

describe('md', () => {
  it('makes the folders on the way with extensions on', async () => {
    const r = await commands(['md C:\\p\\q\\r', 'el', 'dir /b /s C:\\p']);
    expect(r.stdout).toBe('EL=0\r\nC:\\p\\q\r\nC:\\p\\q\\r\r\n');
  });

  it('with extensions off a missing parent is an error', async () => {
    const r = await commands(['noext', 'md C:\\p\\q', 'el']);
    expect(r.stderr).toBe('The system cannot find the path specified.\r\n');
    expect(r.stdout).toBe('EL=1\r\n');
  });

  it('an existing name: `A subdirectory or file NAME already exists.`, ERRORLEVEL 1, the others still made', async () => {
    const r = await commands(['cd C:\\', 'md Windows C:\\n1 mkd2', 'el', 'mkdir mkd3', 'dir /b /ad C:\\mkd*']);
    expect(r.stderr).toBe('A subdirectory or file Windows already exists.\r\n');
    expect(r.stdout).toBe('EL=1\r\nmkd2\r\nmkd3\r\n');
  });

  it('md without a name is a syntax error', async () => {
    const r = await commands(['md']);
    expect(r.stderr).toBe('The syntax of the command is incorrect.\r\n');
  });
});

describe('rd', () => {
  it('a non-empty directory: `The directory is not empty.`', async () => {
    const r = await commands([...SETUP, 'rd sub', 'el']);
    expect(r.stderr).toBe('The directory is not empty.\r\n');
    expect(r.stdout).toBe('EL=1\r\n');
  });

  it('/s /q removes the tree, read-only files too', async () => {
    const r = await commands([...SETUP, 'run attrib +r sub\\c.txt', 'rd /s /q sub', 'dir /b /ad']);
    expect(r.stderr).toBe('File Not Found\r\n');
  });

  it('/s without /q asks `NAME, Are you sure (Y/N)? `', async () => {
    const r = await commands([...SETUP, 'rd /s sub', 'dir /b'], { stdin: 'y\r\n' });
    expect(r.stdout).toBe('sub, Are you sure (Y/N)? y\r\na.txt\r\nb.log\r\n');
  });

  it('a missing name and a file: the Win32 messages', async () => {
    const r = await commands([...SETUP, 'rd nope', 'rd a.txt']);
    expect(r.stderr).toBe('The system cannot find the file specified.\r\nThe directory name is invalid.\r\n');
  });

  it('the current directory cannot go: its contents do, then the sharing message', async () => {
    const r = await commands([...SETUP, 'rd /s /q C:\\x', 'dir /b /a C:\\x', 'el']);
    expect(r.stderr).toBe('The process cannot access the file because it is being used by another process.\r\nFile Not Found\r\n');
  });

  it('a junction in the tree is removed, not followed', async () => {
    const r = await commands([...SETUP, 'md C:\\keep', 'write C:\\keep\\k.txt k', 'mklink /j sub\\j C:\\keep', 'rd /s /q sub', 'dir /b C:\\keep']);
    expect(r.stdout).toContain('k.txt\r\n');
  });
});

describe('mklink', () => {
  it('prints what it made, link and target as typed', async () => {
    const r = await commands([...SETUP, 'mklink l.txt a.txt', 'mklink /d ld sub', 'mklink /j lj sub', 'mklink /h lh.txt a.txt', 'type lh.txt', 'type l.txt']);
    expect(r.stdout).toBe(
      'symbolic link created for l.txt <<===>> a.txt\r\n' +
        'symbolic link created for ld <<===>> sub\r\n' +
        'Junction created for lj <<===>> sub\r\n' +
        'Hardlink created for lh.txt <<===>> a.txt\r\n' +
        'oneone',
    );
  });

  it('an existing link name: Cannot create a file when that file already exists.', async () => {
    const r = await commands([...SETUP, 'mklink a.txt b.log', 'el']);
    expect(r.stderr).toBe('Cannot create a file when that file already exists.\r\n');
    expect(r.stdout).toBe('EL=1\r\n');
  });

  it('one operand is a syntax error; none prints the usage', async () => {
    const r = await commands(['mklink x']);
    expect(r.stderr).toBe('The syntax of the command is incorrect.\r\n');
    const u = await commands(['mklink']);
    expect(u.stdout.startsWith('Creates a symbolic link.\r\n\r\nMKLINK [[/D] | [/H] | [/J]] Link Target\r\n')).toBe(true);
  });
});

describe('type', () => {
  it('one file: its bytes only', async () => {
    expect((await commands([...SETUP, 'type a.txt'])).stdout).toBe('one');
  });
  it('several files: each name on stderr framed by blank lines, contents on stdout', async () => {
    const r = await commands([...SETUP, 'type a.txt b.log']);
    expect(r.stdout).toBe('onetwo');
    expect(r.stderr).toBe('\r\na.txt\r\n\r\n\r\n\r\nb.log\r\n\r\n\r\n');
  });
  it('a missing file: the Win32 message, ERRORLEVEL 1; with several, the processing line too', async () => {
    const r = await commands([...SETUP, 'type nope', 'el']);
    expect(r.stderr).toBe('The system cannot find the file specified.\r\n');
    expect(r.stdout).toBe('EL=1\r\n');
    const s = await commands([...SETUP, 'type a.txt nope']);
    expect(s.stderr).toBe('\r\na.txt\r\n\r\n\r\nThe system cannot find the file specified.\r\nError occurred while processing: nope.\r\n');
  });
  it('a directory: Access is denied.', async () => {
    expect((await commands([...SETUP, 'type sub'])).stderr).toBe('Access is denied.\r\n');
  });
});

describe('del: paths', () => {
  it('a missing folder on the way: The system cannot find the path specified.', async () => {
    const r = await commands([...SETUP, 'del C:\\nodir\\x.txt', 'del C:\\x\\nodir\\y\\*.txt']);
    expect(r.stderr).toBe('The system cannot find the path specified.\r\n'.repeat(2));
  });
});

describe('md and rd: names with a trailing separator and quotes', () => {
  it('md a\\b\\ makes a\\b; quoted names with spaces work in md, ren and rd', async () => {
    const r = await commands(['cd C:\\', 'md C:\\p\\q\\', 'el', 'md "C:\\p\\q r"', 'ren "C:\\p\\q r" "s t"', 'dir /b C:\\p', 'rd "C:\\p\\s t"', 'rd C:\\p\\q\\', 'dir /b /a C:\\p']);
    expect(r.stdout).toBe('EL=0\r\nq\r\ns t\r\n');
    expect(r.stderr).toBe('File Not Found\r\n');
  });
});
