// CMD_LIMITS at their edges: line length, block nesting, long blocks and chains run without
// exhausting the interpreter's stack.
import { describe, expect, it } from 'vitest';
import { CMD_LIMITS } from '../../../src/shell/cmd/limits.js';
import { runBatch } from '../support.js';

const batch = async (body: string) => runBatch(`@echo off\r\n${body}`);

describe('limits', () => {
  it('a line of 8191 characters runs; one more is "The input line is too long."', async () => {
    const ok = await batch(`set a=${'x'.repeat(CMD_LIMITS.maxLineLength - 6)}\r\necho %a:~0,3%\r\n`);
    expect(ok.stdout).toBe('xxx\r\n');
    const long = await batch(`set a=${'x'.repeat(CMD_LIMITS.maxLineLength - 5)}\r\necho after\r\n`);
    expect(long.stderr).toBe('The input line is too long.\r\n');
    expect(long.stdout).toBe('');
  });

  it(`blocks nest ${CMD_LIMITS.maxBlockDepth} deep; deeper is a syntax error, not a crash`, async () => {
    const n = CMD_LIMITS.maxBlockDepth;
    expect((await batch(`${'('.repeat(n)}echo x${')'.repeat(n)}\r\n`)).stdout).toBe('x\r\n');
    const deep = await batch(`${'(\r\n'.repeat(4000)}echo x\r\n${')\r\n'.repeat(4000)}`);
    expect(deep.stderr).toBe('The syntax of the command is incorrect.\r\n');
    expect(deep.exitCode).toBe(255);
  });

  it('a block of 20,000 lines runs', async () => {
    expect((await batch(`(\r\n${'rem x\r\n'.repeat(20000)}echo last\r\n)\r\n`)).stdout).toBe('last\r\n');
  });

  it('long && / || chains and deep IF / FOR nesting run', async () => {
    expect((await batch(`${'cd . &&'.repeat(1000)}echo and\r\n`)).stdout).toBe('and\r\n');
    expect((await batch(`${'if 1==1 '.repeat(1000)}echo if\r\n`)).stdout).toBe('if\r\n');
    expect((await batch(`${'for %%a in (1) do '.repeat(450)}echo for\r\n`)).stdout).toBe('for\r\n');
  });
});
