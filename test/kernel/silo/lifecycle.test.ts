// A silo's life: sessions, its namespace, shutdown and terminate, and what
// a process inside cannot do (windows-facts §2).
import { describe, expect, test } from 'vitest';
import { NtStatusError } from '../../../src/core/errors.js';
import { STATUS_OBJECT_PATH_NOT_FOUND, STATUS_PRIVILEGE_NOT_HELD, STATUS_SUCCESS } from '../../../src/core/ntstatus.js';
import { OBJ_CASE_INSENSITIVE } from '../../../src/core/ob/index.js';
import { CTRL_SHUTDOWN_EVENT, ExitCode } from '../../../src/kernel/process/constants.js';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import { ManualTimers, newKernel, settle } from '../process/support.js';

const TOOL = 'C:\\Windows\\system32\\tool.exe';
const forever = (ctx: ProcessContext) => new Promise<number>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));

function opens(k: ReturnType<typeof newKernel>, name: string): number {
  const r = k.ob.open(k.hostObProcess, 0, { name, attributes: OBJ_CASE_INSENSITIVE });
  if (r.handle) k.ob.close(k.hostObProcess, r.handle);
  return r.status;
}

describe('sessions', () => {
  test('containers get sessions 14, 15, … and a freed session is the next one given', async () => {
    const k = newKernel();
    const a = k.createSilo();
    const b = k.createSilo();
    expect([a.sessionId, b.sessionId]).toEqual([14, 15]);
    a.start();
    await a.shutdown();
    expect(k.createSilo().sessionId).toBe(14);
    expect(k.createSilo().sessionId).toBe(16);
  });

  test('the first container session is configurable', () => {
    const k = newKernel({ firstContainerSession: 2 });
    expect(k.createSilo().sessionId).toBe(2);
  });

  test("each container has its own namespace root, session directory and BaseNamedObjects", () => {
    const k = newKernel();
    const a = k.createSilo();
    const b = k.createSilo();
    expect(opens(k, `\\Silos\\${a.id}\\Sessions\\${a.sessionId}\\BaseNamedObjects`)).toBe(STATUS_SUCCESS);
    expect(opens(k, `\\Silos\\${b.id}\\Sessions\\${b.sessionId}\\BaseNamedObjects`)).toBe(STATUS_SUCCESS);
    expect(opens(k, `\\Silos\\${a.id}\\Sessions\\${b.sessionId}\\BaseNamedObjects`)).toBe(STATUS_OBJECT_PATH_NOT_FOUND);
    expect(a.volume).not.toBe(b.volume);
  });
});

describe('shutdown and terminate', () => {
  test('shutdown: a user process without a handler ends with STATUS_CONTROL_C_EXIT; then services and system processes end', async () => {
    const k = newKernel();
    k.programs.register(TOOL, forever);
    const silo = k.createSilo({ flavor: 'nanoserver' });
    silo.start();
    const c = silo.createProcess({ commandLine: 'tool' });
    await settle();
    const all = silo.listProcesses();
    await silo.shutdown();
    expect(c.exitCode).toBe(3221225786);
    for (const p of all.filter((x) => x.system)) expect(p.exitCode).toBe(0);
    expect(silo.state).toBe('stopped');
    expect(silo.listProcesses()).toEqual([]);
    expect(silo.accounting()!.BasicInfo.ActiveProcesses).toBe(0);
    expect(opens(k, `\\Silos\\${silo.id}`)).not.toBe(STATUS_SUCCESS);
    expect(k.silos()).not.toContain(silo);
  });

  test('shutdown: a process that handles CTRL_SHUTDOWN_EVENT gets the grace period, then is terminated with 1067', async () => {
    const timers = new ManualTimers();
    const k = newKernel({ timers });
    let event = -1;
    k.programs.register(TOOL, ((ctx: ProcessContext) => {
      ctx.onConsoleCtrl((e) => {
        event = e;
        return true;
      });
      return forever(ctx);
    }) as never);
    const silo = k.createSilo({ flavor: 'nanoserver' });
    silo.start();
    const c = silo.createProcess({ commandLine: 'tool' });
    await settle();
    const done = silo.shutdown({ timeoutMs: 10_000 });
    await settle();
    expect(event).toBe(CTRL_SHUTDOWN_EVENT);
    expect(c.exitCode).toBe(259);
    timers.advance(9_999);
    await settle();
    expect(c.exitCode).toBe(259);
    timers.advance(1);
    await done;
    expect(c.exitCode).toBe(ExitCode.SiloTerminated);
    expect(ExitCode.SiloTerminated).toBe(1067);
  });

  test('shutdown: a process that exits on its own in the grace period keeps its exit code', async () => {
    const timers = new ManualTimers();
    const k = newKernel({ timers });
    k.programs.register(TOOL, ((ctx: ProcessContext) => {
      ctx.onConsoleCtrl(() => {
        void ctx.sleep(100).then(() => ctx.exit(0));
        return true;
      });
      return forever(ctx);
    }) as never);
    const silo = k.createSilo({ flavor: 'nanoserver' });
    silo.start();
    const c = silo.createProcess({ commandLine: 'tool' });
    await settle();
    const done = silo.shutdown();
    await settle();
    timers.advance(100);
    await done;
    expect(c.exitCode).toBe(0);
  });

  test('terminate: every process ends now, the job has no active process, the session is free', async () => {
    const k = newKernel();
    k.programs.register(TOOL, forever);
    const silo = k.createSilo();
    silo.start();
    const c = silo.createProcess({ commandLine: 'tool' });
    silo.terminate();
    expect(c.exitCode).toBe(ExitCode.SiloTerminated);
    expect(silo.state).toBe('stopped');
    expect(silo.finalAccounting!.BasicInfo.ActiveProcesses).toBe(0);
    expect(k.createSilo().sessionId).toBe(silo.sessionId);
    expect(() => silo.createProcess({ commandLine: 'tool' })).toThrow();
  });

  test('stopping one container leaves another running', async () => {
    const k = newKernel();
    const a = k.createSilo({ flavor: 'nanoserver' });
    const b = k.createSilo({ flavor: 'nanoserver' });
    a.start();
    b.start();
    const before = b.listProcesses().map((p) => p.pid);
    await a.shutdown();
    expect(b.state).toBe('running');
    expect(b.listProcesses().map((p) => p.pid)).toEqual(before);
    expect(opens(k, `\\Silos\\${b.id}\\BaseNamedObjects`)).toBe(STATUS_SUCCESS);
  });
});

describe('what a silo refuses', () => {
  test('creating a server silo from inside a silo fails with STATUS_PRIVILEGE_NOT_HELD (0xC0000061)', async () => {
    const k = newKernel();
    let err: unknown;
    k.programs.register(TOOL, ((ctx: ProcessContext) => {
      try {
        ctx.createServerSilo();
      } catch (e) {
        err = e;
      }
      return 0;
    }) as never);
    const silo = k.createSilo({ flavor: 'nanoserver' });
    silo.start();
    const silos = k.silos().length;
    await silo.createProcess({ commandLine: 'tool' }).wait();
    expect(err).toBeInstanceOf(NtStatusError);
    expect((err as NtStatusError).status).toBe(STATUS_PRIVILEGE_NOT_HELD);
    expect((err as NtStatusError).message).toContain('0xC0000061');
    expect(k.silos().length).toBe(silos);
  });

  test('from the host, a process can create a server silo', async () => {
    const k = newKernel();
    let id = 0;
    k.programs.register(TOOL, ((ctx: ProcessContext) => {
      id = ctx.createServerSilo().id;
      return 0;
    }) as never);
    await k.createProcess({ commandLine: 'tool' }).wait();
    expect(k.silo(id)?.state).toBe('created');
  });

  test('loading a driver from a silo is refused silently: no error, nothing loads', async () => {
    const k = newKernel();
    k.programs.register(TOOL, ((ctx: ProcessContext) => {
      ctx.loadDriver('evil');
      return 0;
    }) as never);
    const silo = k.createSilo({ flavor: 'nanoserver' });
    silo.start();
    expect(await silo.createProcess({ commandLine: 'tool' }).wait()).toBe(0);
    expect(k.loadedDrivers.has('EVIL')).toBe(false);
    await k.createProcess({ commandLine: 'tool' }).wait();
    expect(k.loadedDrivers.has('EVIL')).toBe(true);
  });

  test('a process in a silo cannot terminate the protected system processes, and sees no other silo', async () => {
    const k = newKernel();
    const codes: number[] = [];
    const other = k.createSilo({ flavor: 'nanoserver' });
    other.start();
    const silo = k.createSilo({ flavor: 'nanoserver' });
    silo.start();
    k.programs.register(TOOL, ((ctx: ProcessContext) => {
      for (const pid of [silo.roles.csrss!.pid, other.roles.lsass!.pid, 999_996]) {
        try {
          ctx.terminateProcess(pid);
          codes.push(0);
        } catch (e) {
          codes.push((e as { code: number }).code);
        }
      }
      return 0;
    }) as never);
    await silo.createProcess({ commandLine: 'tool' }).wait();
    expect(codes).toEqual([5, 87, 87]);
  });

  test("a process lists its silo's processes after Idle and System", async () => {
    const k = newKernel();
    let names: string[] = [];
    k.programs.register(TOOL, ((ctx: ProcessContext) => {
      names = ctx.processes().map((p) => `${p.pid}:${p.imageName}`);
      return 0;
    }) as never);
    const silo = k.createSilo({ flavor: 'nanoserver' });
    silo.start();
    const c = silo.createProcess({ commandLine: 'tool' });
    await c.wait();
    expect(names.slice(0, 3)).toEqual(['0:System Idle Process', '4:System', `${silo.roles.smss!.pid}:smss.exe`]);
    expect(names[names.length - 1]).toBe(`${c.pid}:tool.exe`);
  });
});
