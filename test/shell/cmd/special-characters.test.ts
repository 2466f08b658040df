// Phase 2: special characters, carets, quotes, operators, blocks (ss64 "Escape characters", "Redirection", "Conditional execution").
import { describe, expect, it } from 'vitest';
import { run, runBatch } from '../support.js';

const batch = async (body: string) => runBatch(`@echo off\r\n${body}`);

describe('special characters', () => {
  it('^ escapes the next special character and is removed', async () => {
    expect((await batch('echo a ^& b ^| c ^> d ^< e ^^ f\r\n')).stdout).toBe('a & b | c > d < e ^ f\r\n');
  });

  it('inside quotes special characters and carets are literal', async () => {
    expect((await batch('echo "a & b ^ c | d"\r\n')).stdout).toBe('"a & b ^ c | d"\r\n');
  });

  it('a caret at the end of a line joins the next line', async () => {
    expect((await batch('echo one ^\r\ntwo\r\n')).stdout).toBe('one two\r\n');
  });

  it('& runs commands one after another', async () => {
    expect((await batch('echo a& echo b &echo c\r\n')).stdout).toBe('a\r\nb \r\nc\r\n');
  });

  it('&& runs the next command on success, || on failure', async () => {
    const r = await batch('echo ok&& echo yes\r\nnotacommand 2>nul && echo no || echo failed\r\ncd C:\\nope 2>nul || echo cdfailed\r\n');
    expect(r.stdout).toBe('ok\r\nyes\r\nfailed\r\ncdfailed\r\n');
  });

  it('a parenthesised block spans lines and takes redirections as a whole', async () => {
    const r = await batch('(\r\necho one\r\necho two\r\n) > C:\\t\\out.txt\r\ntype C:\\t\\out.txt 2>nul || more < C:\\t\\out.txt\r\n');
    expect(r.stdout).toMatch(/^one\r\ntwo\r\n/);
  });

  it('> creates, >> appends, < reads a file', async () => {
    const r = await batch('echo first> C:\\t\\f.txt\r\necho second>> C:\\t\\f.txt\r\nset /p line=< C:\\t\\f.txt\r\necho [%line%]\r\n');
    expect(r.stdout).toBe('[first]\r\n');
  });

  it('2>&1 sends errors where output goes; 2>nul discards them', async () => {
    const r = await batch('notacommand 2>&1\r\nnotacommand 2>nul\r\n');
    expect(r.stdout).toBe("'notacommand' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n");
    expect(r.stderr).toBe('');
  });

  it('a digit directly before > names the handle; otherwise it is text', async () => {
    expect((await batch('echo 1 2>nul\r\necho a2>C:\\t\\o.txt\r\nset /p v=<C:\\t\\o.txt\r\necho %v%\r\n')).stdout).toBe('1 \r\na2\r\n');
  });

  it('a redirection may come first', async () => {
    const r = await batch('>C:\\t\\g.txt echo hi\r\nset /p v=<C:\\t\\g.txt\r\necho %v%\r\n');
    expect(r.stdout).toBe('hi\r\n');
  });

  it('redirection into a missing directory: The system cannot find the path specified.', async () => {
    const r = await batch('echo x > C:\\nope\\f.txt\r\necho %errorlevel%\r\n');
    expect(r.stderr).toBe('The system cannot find the path specified.\r\n');
    expect(r.stdout).toBe('1\r\n');
  });

  it('< from a missing file: The system cannot find the file specified.', async () => {
    const r = await batch('set /p v=< C:\\t\\nofile.txt\r\n');
    expect(r.stderr).toBe('The system cannot find the file specified.\r\n');
  });

  it('a pipe feeds one side into the other; each side runs in its own cmd.exe', async () => {
    const r = await batch('set x=before\r\nset x=after | set /p y=\r\necho %x%\r\n');
    expect(r.stdout).toBe('before\r\n');
  });

  it('ERRORLEVEL after a pipe is the right side\'s', async () => {
    const r = await batch('echo hi | notacommand 2>nul\r\necho %errorlevel%\r\n');
    expect(r.stdout).toBe('9009\r\n');
  });

  it('a stray & at the end of a line is a syntax error', async () => {
    const r = await run(['cmd', '/c', 'echo a |']);
    expect(r.stderr).toBe('| was unexpected at this time.\r\n');
    expect(r.exitCode).toBe(255);
  });

  it(') outside a block is ordinary text', async () => {
    expect((await batch('echo a)b\r\n')).stdout).toBe('a)b\r\n');
  });

  it(') inside a block must be escaped', async () => {
    expect((await batch('(echo a^)b)\r\n')).stdout).toBe('a)b\r\n');
  });
});
