// IF (Microsoft Learn "if"; ss64 IF).
import { describe, expect, it } from 'vitest';
import { runBatch } from '../support.js';

const batch = async (body: string, files?: Record<string, string>) => runBatch(`@echo off\r\n${body}`, { files });

describe('if', () => {
  it('== compares strings exactly, quotes included; /i ignores case', async () => {
    expect((await batch('if a==a echo 1\r\nif a==A echo 2\r\nif /i a==A echo 3\r\nif "a"==a echo 4\r\nif "a b"=="a b" echo 5\r\n')).stdout).toBe('1\r\n3\r\n5\r\n');
  });

  it('not negates', async () => {
    expect((await batch('if not a==b echo differ\r\n')).stdout).toBe('differ\r\n');
  });

  it('EQU NEQ LSS LEQ GTR GEQ compare numbers numerically, other text as strings', async () => {
    expect((await batch('if 10 GTR 9 echo a\r\nif 10 LSS 9 echo b\r\nif 010 EQU 8 echo c\r\nif 0x10 EQU 16 echo d\r\nif abc LSS abd echo e\r\nif 5 GEQ 5 echo f\r\nif 5 NEQ 6 echo g\r\nif 4 LEQ 3 echo h\r\n')).stdout).toBe('a\r\nc\r\nd\r\ne\r\nf\r\ng\r\n');
  });

  it('strings compare in linguistic order: a before B, a before A; /i ignores case', async () => {
    expect((await batch('if a LSS B echo 1\r\nif a LSS A echo 2\r\nif /i a EQU A echo 3\r\nif b GTR A echo 4\r\n')).stdout).toBe('1\r\n2\r\n3\r\n4\r\n');
  });

  it('exist finds files and directories, wildcards too', async () => {
    const r = await batch('if exist C:\\t\\f.txt echo file\r\nif exist C:\\Windows echo dir\r\nif exist C:\\t\\*.txt echo wild\r\nif exist C:\\nope echo no\r\n', { 'f.txt': 'x' });
    expect(r.stdout).toBe('file\r\ndir\r\nwild\r\n');
  });

  it('defined tests a variable', async () => {
    expect((await batch('set v=1\r\nif defined v echo yes\r\nif defined nope echo no\r\n')).stdout).toBe('yes\r\n');
  });

  it('errorlevel N is true when ERRORLEVEL >= N', async () => {
    expect((await batch('cmd /c exit 3\r\nif errorlevel 3 echo ge3\r\nif errorlevel 4 echo ge4\r\nif not errorlevel 1 echo lt1\r\n')).stdout).toBe('ge3\r\n');
  });

  it('else follows a parenthesised command', async () => {
    expect((await batch('if 1==2 (echo yes) else (echo no)\r\nif 1==2 (\r\necho yes\r\n) else (\r\necho no2\r\n)\r\n')).stdout).toBe('no\r\nno2\r\n');
  });

  it('the command runs to the end of the line: & belongs to it', async () => {
    expect((await batch('if 1==2 echo a & echo b\r\necho c\r\n')).stdout).toBe('c\r\n');
  });

  it('without parentheses, else is text of the command', async () => {
    expect((await batch('if 1==1 echo a else echo b\r\n')).stdout).toBe('a else echo b\r\n');
  });

  it('a missing operand is a syntax error that ends the batch file', async () => {
    const r = await batch('if a==\r\necho after\r\n');
    expect(r.stderr).toBe('The syntax of the command is incorrect.\r\n');
    expect(r.stdout).toBe('');
  });

  it('an unknown comparison operator: "x was unexpected at this time."', async () => {
    const r = await batch('if a FOO b echo x\r\n');
    expect(r.stderr).toBe('FOO was unexpected at this time.\r\n');
  });
});
