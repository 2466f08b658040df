// Redirection of handles 3–9 (Microsoft Learn "Using command redirection
// operators": handles 3–9 are "defined individually by the application"):
// `n>file` opens one, `m>&n` duplicates it, left to right; a block's
// redirection is seen by the commands inside it; duplicating a handle
// nothing opened fails and the command does not run.
import { describe, expect, it } from 'vitest';
import { runBatch } from '../support.js';

const batch = (body: string) => runBatch(`@echo off\r\n${body}`);

describe('handles 3–9', () => {
  it('3>file then 1>&3 sends the output to the file', async () => {
    const r = await batch('echo one 3>C:\\h.txt 1>&3\r\necho [shown]\r\ntype C:\\h.txt\r\n');
    expect(r.stdout).toBe('[shown]\r\none  \r\n');
  });

  it('a block redirected with 3>file: a command inside writes to it with 1>&3', async () => {
    const r = await batch('(echo inside 1>&3\r\necho plain) 3>C:\\g.txt\r\ntype C:\\g.txt\r\n');
    expect(r.stdout).toBe('plain\r\ninside \r\n');
  });

  it('duplicating a handle nothing opened: the message, ERRORLEVEL 1, the command does not run', async () => {
    const r = await batch('echo x 1>&5\r\necho %errorlevel%\r\n');
    expect(r.stderr).toBe('The handle could not be duplicated during redirection of handle 1.\r\n');
    expect(r.stdout).toBe('1\r\n');
  });
});
