// Handle values in a process's table, and named objects in its session's
// BaseNamedObjects (windows-facts §1–2).
import { describe, expect, test } from 'vitest';
import { STATUS_OBJECT_NAME_NOT_FOUND, STATUS_SUCCESS } from '../../../src/core/ntstatus.js';
import { OBJ_CASE_INSENSITIVE } from '../../../src/core/ob/index.js';
import { ERROR_FILE_NOT_FOUND, ERROR_INVALID_HANDLE, Win32Error } from '../../../src/core/win32.js';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import { newKernel } from './support.js';

const TOOL = 'C:\\Windows\\system32\\tool.exe';

async function runIn(silo: ReturnType<ReturnType<typeof newKernel>['createSilo']> | undefined, k: ReturnType<typeof newKernel>, main: (ctx: ProcessContext) => unknown) {
  k.programs.register(TOOL, main as never);
  const c = silo ? silo.createProcess({ commandLine: 'tool' }) : k.createProcess({ commandLine: 'tool' });
  return c.wait();
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

describe('handles and named objects', () => {
  test("a process's first handles are 4, 8, 12; a closed value is reused next", async () => {
    const k = newKernel();
    let values: number[] = [];
    await runIn(undefined, k, (ctx) => {
      const a = ctx.objects.create('Event').handle;
      const b = ctx.objects.create('Mutant').handle;
      const c = ctx.objects.create('Semaphore').handle;
      ctx.objects.close(b);
      const d = ctx.objects.create('Event').handle;
      values = [a, b, c, d, ctx.objects.count];
      return 0;
    });
    expect(values).toEqual([4, 8, 12, 8, 3]);
  });

  test('spawn puts the child process and thread handles in the parent table', async () => {
    const k = newKernel();
    let handles: readonly number[] = [];
    await runIn(undefined, k, (ctx) => {
      if (ctx.argv[1] === 'child') return 0;
      const child = ctx.spawn('tool child');
      handles = [...(child as unknown as { handleValues: number[] }).handleValues, ctx.objects.count];
      child.close();
      return 0;
    });
    expect(handles).toEqual([4, 8, 2]);
  });

  test('Create* opens an existing object and says so; Open* of a missing name is ERROR_FILE_NOT_FOUND', async () => {
    const k = newKernel();
    const silo = k.createSilo();
    const seen: unknown[] = [];
    await runIn(silo, k, (ctx) => {
      seen.push(ctx.objects.create('Event', 'Ready').existed);
      seen.push(ctx.objects.create('Event', 'Ready').existed);
      seen.push(code(() => ctx.objects.open('Event', 'Missing')));
      seen.push(code(() => ctx.objects.create('Mutant', 'Ready')));
      seen.push(code(() => ctx.objects.close(400)));
      return 0;
    });
    expect(seen).toEqual([false, true, ERROR_FILE_NOT_FOUND, ERROR_INVALID_HANDLE, ERROR_INVALID_HANDLE]);
  });

  test("a Local name lands in the container session's BaseNamedObjects, a Global one in the silo's own \\BaseNamedObjects", async () => {
    const k = newKernel();
    const a = k.createSilo();
    let release!: () => void;
    k.programs.register(TOOL, (async (ctx: ProcessContext) => {
      ctx.objects.create('Event', 'Local\\OnlyInA');
      ctx.objects.create('Event', 'Global\\GlobalInA');
      ctx.objects.create('Event', 'Plain');
      await new Promise<void>((r) => (release = r));
      return 0;
    }) as never);
    const holder = a.createProcess({ commandLine: 'tool' });
    await Promise.resolve();
    await Promise.resolve();
    const host = k.hostObProcess;
    const opened = (name: string) => {
      const r = k.ob.open(host, 0, { name, attributes: OBJ_CASE_INSENSITIVE });
      if (r.handle) k.ob.close(host, r.handle);
      return r.status;
    };
    expect(opened(`\\Silos\\${a.id}\\Sessions\\${a.sessionId}\\BaseNamedObjects\\OnlyInA`)).toBe(STATUS_SUCCESS);
    expect(opened(`\\Silos\\${a.id}\\Sessions\\${a.sessionId}\\BaseNamedObjects\\Plain`)).toBe(STATUS_SUCCESS);
    expect(opened(`\\Silos\\${a.id}\\BaseNamedObjects\\GlobalInA`)).toBe(STATUS_SUCCESS);
    expect(opened('\\BaseNamedObjects\\GlobalInA')).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
    release();
    await holder.wait();
    // Temporary objects go with their last handle.
    expect(opened(`\\Silos\\${a.id}\\BaseNamedObjects\\GlobalInA`)).toBe(STATUS_OBJECT_NAME_NOT_FOUND);
  });

  test('an object one container keeps open is visible to its other processes but not to another container', async () => {
    const k = newKernel();
    const a = k.createSilo();
    const b = k.createSilo();
    let release!: () => void;
    k.programs.register(TOOL, (async (ctx: ProcessContext) => {
      ctx.objects.create('Mutant', 'Global\\Lock');
      await new Promise<void>((r) => (release = r));
      return 0;
    }) as never);
    const holder = a.createProcess({ commandLine: 'tool' });
    await Promise.resolve();
    await Promise.resolve();
    const seen: number[] = [];
    const probe = 'C:\\Windows\\system32\\probe.exe';
    k.programs.register(probe, ((ctx: ProcessContext) => {
      seen.push(code(() => ctx.objects.open('Mutant', 'Global\\Lock')));
      return 0;
    }) as never);
    await a.createProcess({ commandLine: 'probe' }).wait();
    await b.createProcess({ commandLine: 'probe' }).wait();
    release();
    await holder.wait();
    expect(seen).toEqual([0, ERROR_FILE_NOT_FOUND]);
  });
});
