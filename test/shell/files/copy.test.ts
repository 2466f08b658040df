import { describe, expect, it } from 'vitest';
import { commands } from './harness.js';

const SETUP = ['md C:\\x', 'write C:\\x\\a.txt one', 'write C:\\x\\b.txt two', 'cd C:\\x'];

describe('copy', () => {
  it('one file: `1 file(s) copied.`, ERRORLEVEL 0, the copy has the same bytes', async () => {
    const r = await commands([...SETUP, 'copy a.txt c.txt', 'el', 'type c.txt']);
    expect(r.stdout).toBe('        1 file(s) copied.\r\nEL=0\r\none');
  });

  it('a wildcard prints each source name as found', async () => {
    const r = await commands([...SETUP, 'md d', 'copy *.txt d', 'dir /b d']);
    expect(r.stdout).toBe('a.txt\r\nb.txt\r\n        2 file(s) copied.\r\na.txt\r\nb.txt\r\n');
  });

  it('into a directory keeps the name', async () => {
    const r = await commands([...SETUP, 'md d', 'copy C:\\x\\a.txt d', 'type d\\a.txt']);
    expect(r.stdout).toBe('        1 file(s) copied.\r\none');
  });

  it('+ concatenates as text: names printed, one file copied, Ctrl+Z at the end', async () => {
    const r = await commands([...SETUP, 'copy a.txt+b.txt c.txt', 'type c.txt']);
    expect(r.stdout).toBe('a.txt\r\nb.txt\r\n        1 file(s) copied.\r\nonetwo\x1a');
  });

  it('/b concatenates bytes as they are', async () => {
    const r = await commands([...SETUP, 'copy /b a.txt + b.txt c.txt', 'type c.txt']);
    expect(r.stdout).toBe('a.txt\r\nb.txt\r\n        1 file(s) copied.\r\nonetwo');
  });

  it('a missing source: the Win32 message, 0 file(s) copied, ERRORLEVEL 1', async () => {
    const r = await commands([...SETUP, 'copy nope.txt z.txt', 'el']);
    expect(r.stderr).toBe('The system cannot find the file specified.\r\n');
    expect(r.stdout).toBe('        0 file(s) copied.\r\nEL=1\r\n');
  });

  it('onto itself: `The file cannot be copied onto itself.`', async () => {
    const r = await commands([...SETUP, 'copy a.txt C:\\x\\A.TXT', 'el']);
    expect(r.stderr).toBe('The file cannot be copied onto itself.\r\n');
    expect(r.stdout).toBe('        0 file(s) copied.\r\nEL=1\r\n');
  });

  it('overwriting asks (Yes/No/All); No keeps the file', async () => {
    const r = await commands([...SETUP, 'copy a.txt b.txt', 'type b.txt'], { stdin: 'n\r\n' });
    expect(r.stdout).toBe('Overwrite C:\\x\\b.txt? (Yes/No/All): n\r\n        0 file(s) copied.\r\ntwo');
  });

  it('overwriting: Yes replaces', async () => {
    const r = await commands([...SETUP, 'copy a.txt b.txt', 'type b.txt'], { stdin: 'y\r\n' });
    expect(r.stdout).toBe('Overwrite C:\\x\\b.txt? (Yes/No/All): y\r\n        1 file(s) copied.\r\none');
  });

  it('/y, COPYCMD=/Y and batch files overwrite without asking; /-y asks even in a batch file', async () => {
    expect((await commands([...SETUP, 'copy /y a.txt b.txt'])).stdout).toBe('        1 file(s) copied.\r\n');
    expect((await commands([...SETUP, 'set COPYCMD=/Y', 'copy a.txt b.txt'])).stdout).toBe('        1 file(s) copied.\r\n');
    expect((await commands([...SETUP, 'batch', 'copy a.txt b.txt'])).stdout).toBe('        1 file(s) copied.\r\n');
    expect((await commands([...SETUP, 'batch', 'copy /-y a.txt b.txt'], { stdin: 'a\r\n' })).stdout).toBe('Overwrite C:\\x\\b.txt? (Yes/No/All): a\r\n        1 file(s) copied.\r\n');
  });

  it('a read-only destination: Access is denied.', async () => {
    const r = await commands([...SETUP, 'run attrib +r b.txt', 'copy /y a.txt b.txt']);
    expect(r.stderr).toBe('Access is denied.\r\n');
    expect(r.stdout).toBe('        0 file(s) copied.\r\n');
  });
});

describe('move', () => {
  it('a file into a directory: `1 file(s) moved.`', async () => {
    const r = await commands([...SETUP, 'md d', 'move a.txt d', 'dir /b', 'dir /b d']);
    expect(r.stdout).toBe('        1 file(s) moved.\r\nb.txt\r\nd\r\na.txt\r\n');
  });

  it('a wildcard prints each full source path', async () => {
    const r = await commands([...SETUP, 'md d', 'move *.txt d']);
    expect(r.stdout).toBe('C:\\x\\a.txt\r\nC:\\x\\b.txt\r\n        2 file(s) moved.\r\n');
  });

  it('renames a directory: `1 dir(s) moved.`', async () => {
    const r = await commands([...SETUP, 'md d', 'move d e', 'dir /b /ad']);
    expect(r.stdout).toBe('        1 dir(s) moved.\r\ne\r\n');
  });

  it('a missing source: the Win32 message, ERRORLEVEL 1', async () => {
    const r = await commands([...SETUP, 'move nope.txt d', 'el']);
    expect(r.stderr).toBe('The system cannot find the file specified.\r\n');
    expect(r.stdout).toBe('EL=1\r\n');
  });

  it('replacing a file asks (Yes/No/All)', async () => {
    const r = await commands([...SETUP, 'move a.txt b.txt', 'type b.txt'], { stdin: 'y\r\n' });
    expect(r.stdout).toBe('Overwrite C:\\x\\b.txt? (Yes/No/All): y\r\n        1 file(s) moved.\r\none');
  });
});

describe('ren', () => {
  it('renames in place and leaves ERRORLEVEL alone on success', async () => {
    const r = await commands([...SETUP, 'copy nope x', 'ren a.txt c.txt', 'el', 'dir /b']);
    expect(r.stdout).toContain('EL=1\r\nb.txt\r\nc.txt\r\n');
  });

  it('wildcards rename every match by the mask', async () => {
    const r = await commands([...SETUP, 'ren *.txt *.bak', 'dir /b']);
    expect(r.stdout).toBe('a.bak\r\nb.bak\r\n');
  });

  it('a missing source or a taken name: the two-line message, ERRORLEVEL 1', async () => {
    const r = await commands([...SETUP, 'ren nope.txt x.txt', 'el', 'ren a.txt b.txt', 'el']);
    expect(r.stderr).toBe('A duplicate file name exists, or the file\r\ncannot be found.\r\n'.repeat(2));
    expect(r.stdout).toBe('EL=1\r\nEL=1\r\n');
  });

  it('a path in the new name is a syntax error', async () => {
    const r = await commands([...SETUP, 'ren a.txt C:\\y.txt']);
    expect(r.stderr).toBe('The syntax of the command is incorrect.\r\n');
  });
});

describe('copy with devices', () => {
  it('copy nul makes an empty file; copy FILE con writes it out; copy con reads standard input up to Ctrl+Z', async () => {
    const r = await commands([...SETUP, 'copy nul e.txt', 'dir /b /a-d', 'copy a.txt con', 'copy con c.txt', 'type c.txt'], { stdin: 'line1\r\nline2\r\n\x1atail' });
    expect(r.stdout).toBe('        1 file(s) copied.\r\na.txt\r\nb.txt\r\ne.txt\r\none        1 file(s) copied.\r\n        1 file(s) copied.\r\nline1\r\nline2\r\n');
  });
});

describe('destinations with a trailing separator', () => {
  it('name a directory: an existing one takes the file, a missing one is path not found', async () => {
    const r = await commands([...SETUP, 'md d', 'copy a.txt d\\', 'copy a.txt C:\\nodir\\', 'move b.txt d\\', 'dir /b d']);
    expect(r.stdout).toBe('        1 file(s) copied.\r\n        0 file(s) copied.\r\n        1 file(s) moved.\r\na.txt\r\nb.txt\r\n');
    expect(r.stderr).toBe('The system cannot find the path specified.\r\n');
  });
});
