// The current directory: CreateProcess's lpCurrentDirectory and
// SetCurrentDirectory, checked through the silo's file system.
import { describe, expect, test } from 'vitest';
import { ERROR_DIRECTORY, ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, Win32Error } from '../../../src/core/win32.js';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import { CMD, MemFs, newKernel } from './support.js';

const TOOL = 'C:\\Windows\\system32\\tool.exe';

function silo(main: (ctx: ProcessContext) => unknown) {
  const k = newKernel();
  const fs = new MemFs([CMD, TOOL, 'C:\\work\\sub\\', 'C:\\work\\file.txt']);
  k.programs.register(TOOL, main as never);
  return k.createSilo({ fs });
}

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof Win32Error) return e.code;
    throw e;
  }
  return 0;
};

describe('current directory', () => {
  test('a new process starts in lpCurrentDirectory, made absolute', async () => {
    let cwd = '';
    const s = silo((ctx) => void (cwd = ctx.cwd));
    await s.createProcess({ commandLine: 'tool', cwd: 'C:\\work\\sub\\..' }).wait();
    expect(cwd).toBe('C:\\work');
  });

  test('a missing or non-directory lpCurrentDirectory is ERROR_DIRECTORY (267)', () => {
    const s = silo(() => 0);
    expect(code(() => s.createProcess({ commandLine: 'tool', cwd: 'C:\\nope' }))).toBe(ERROR_DIRECTORY);
    expect(code(() => s.createProcess({ commandLine: 'tool', cwd: 'C:\\work\\file.txt' }))).toBe(ERROR_DIRECTORY);
  });

  test('SetCurrentDirectory: relative paths, a missing directory (2), a missing parent (3), a file (267)', async () => {
    const results: (string | number)[] = [];
    const s = silo((ctx) => {
      ctx.chdir('sub');
      results.push(ctx.cwd);
      for (const bad of ['missing', 'C:\\no\\such', 'C:\\work\\file.txt']) results.push(code(() => ctx.chdir(bad)));
      results.push(ctx.cwd);
      return 0;
    });
    await s.createProcess({ commandLine: 'tool', cwd: 'C:\\work' }).wait();
    expect(results).toEqual(['C:\\work\\sub', ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_DIRECTORY, 'C:\\work\\sub']);
  });

  test('a child inherits its parent\'s current directory', async () => {
    const seen: string[] = [];
    const s = silo(async (ctx) => {
      seen.push(ctx.cwd);
      if (ctx.argv[1] !== 'child') {
        ctx.chdir('C:\\work\\sub');
        await ctx.spawn('tool child').wait();
      }
      return 0;
    });
    await s.createProcess({ commandLine: 'tool', cwd: 'C:\\work' }).wait();
    expect(seen).toEqual(['C:\\work', 'C:\\work\\sub']);
  });

  test("closing a child's handle after its parent ended is harmless", async () => {
    let child!: ReturnType<ProcessContext['spawn']>;
    const s = silo((ctx) => {
      if (ctx.argv[1] === 'child') return 0;
      child = ctx.spawn('tool child');
      return 0;
    });
    await s.createProcess({ commandLine: 'tool' }).wait();
    await child.wait();
    child.close();
    child.close();
    expect(child.process.refs).toBe(0);
  });
});
