// How processes end and with which exit code.
import { describe, expect, test } from 'vitest';
import { CTRL_BREAK_EVENT, CTRL_C_EVENT, CREATE_NEW_PROCESS_GROUP, ExitCode, STILL_ACTIVE } from '../../../src/kernel/process/constants.js';
import { ProcessExitSignal, type ProcessContext } from '../../../src/kernel/process/context.js';
import { Console } from '../../../src/kernel/process/console.js';
import { newKernel, settle } from './support.js';

const TOOL = 'C:\\Windows\\system32\\tool.exe';

/** A kernel with `tool.exe` running `main`. */
function withTool(main: (ctx: ProcessContext) => unknown) {
  const k = newKernel();
  k.programs.register(TOOL, main as never);
  return k;
}

const forever = (ctx: ProcessContext) => new Promise<number>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));

describe('exit codes', () => {
  test('the exit code is what the program returns, as a DWORD', async () => {
    const k = withTool(() => -1);
    expect(await k.createProcess({ commandLine: 'tool' }).wait()).toBe(0xffffffff);
  });

  test('returning nothing is exit code 0; a promise resolves to the exit code', async () => {
    expect(await withTool(() => undefined).createProcess({ commandLine: 'tool' }).wait()).toBe(0);
    expect(await withTool(async () => 42).createProcess({ commandLine: 'tool' }).wait()).toBe(42);
  });

  test('the exit code reads STILL_ACTIVE (259) while the process runs', async () => {
    const k = withTool(forever);
    const c = k.createProcess({ commandLine: 'tool' });
    await settle();
    expect(c.exitCode).toBe(STILL_ACTIVE);
    expect(c.process.state).toBe('running');
    c.terminate();
  });

  test('ExitProcess ends the process at once with its code; the rest of the program does not run', async () => {
    let after = false;
    const k = withTool((ctx) => {
      ctx.exit(7);
      after = true;
    });
    expect(await k.createProcess({ commandLine: 'tool' }).wait()).toBe(7);
    expect(after).toBe(false);
  });

  test('taskkill /F (TerminateProcess with 1) ends a running process with exit code 1', async () => {
    const k = withTool(forever);
    const c = k.createProcess({ commandLine: 'tool' });
    await settle();
    c.terminate();
    expect(await c.wait()).toBe(ExitCode.Terminated);
    expect(ExitCode.Terminated).toBe(1);
  });

  test('a program that throws ends with 0xC0000409 and the error stays inside (Process.crash)', async () => {
    const boom = new Error('boom');
    const k = withTool(() => {
      throw boom;
    });
    const c = k.createProcess({ commandLine: 'tool' });
    expect(await c.wait()).toBe(0xc0000409);
    expect(c.process.crash).toBe(boom);
  });

  test('a program whose promise rejects ends the same way', async () => {
    const k = withTool(async () => {
      await Promise.resolve();
      throw new TypeError('x is undefined');
    });
    expect(await k.createProcess({ commandLine: 'tool' }).wait()).toBe(ExitCode.UnhandledException);
  });

  test('after the process ends every context call throws ProcessExitSignal and a late return is ignored', async () => {
    let late: unknown;
    let resume!: () => void;
    const k = withTool(async (ctx) => {
      await new Promise<void>((r) => (resume = r));
      try {
        ctx.spawn('tool');
      } catch (e) {
        late = e;
      }
      return 5;
    });
    const c = k.createProcess({ commandLine: 'tool' });
    await settle();
    c.terminate(9);
    resume();
    await settle();
    expect(late).toBeInstanceOf(ProcessExitSignal);
    expect(c.exitCode).toBe(9);
  });

  test('a write a dead program does not await never becomes an unhandled rejection', async () => {
    let resume!: () => void;
    let write!: Promise<void>;
    const k = withTool(async (ctx) => {
      await new Promise<void>((r) => (resume = r));
      write = ctx.stdout.write('late'); // not awaited, as careless programs do
      return 0;
    });
    const c = k.createProcess({ commandLine: 'tool' });
    await settle();
    c.terminate();
    resume();
    await settle();
    await expect(write).rejects.toBeInstanceOf(ProcessExitSignal);
  });
});

describe('console control events', () => {
  test('CTRL+C to a process without a handler ends it with STATUS_CONTROL_C_EXIT (0xC000013A = 3221225786)', async () => {
    const k = withTool(forever);
    const console = new Console();
    const c = k.createProcess({ commandLine: 'tool', console });
    await settle();
    console.generateCtrlEvent(CTRL_C_EVENT);
    expect(await c.wait()).toBe(3221225786);
  });

  test('a handler that returns true keeps the process running; handlers run last-registered first', async () => {
    const seen: string[] = [];
    const k = withTool((ctx) => {
      ctx.onConsoleCtrl(() => {
        seen.push('first');
        return true;
      });
      ctx.onConsoleCtrl((e) => {
        seen.push(`second:${e}`);
        return false;
      });
      return forever(ctx);
    });
    const console = new Console();
    const c = k.createProcess({ commandLine: 'tool', console });
    await settle();
    console.generateCtrlEvent(CTRL_C_EVENT);
    expect(seen).toEqual(['second:0', 'first']);
    expect(c.exitCode).toBe(STILL_ACTIVE);
    c.terminate();
  });

  test('CTRL+C ignored (SetConsoleCtrlHandler(NULL, TRUE)) leaves the process alone; CTRL+BREAK still ends it', async () => {
    const k = withTool((ctx) => {
      ctx.ignoreCtrlC(true);
      return forever(ctx);
    });
    const console = new Console();
    const c = k.createProcess({ commandLine: 'tool', console });
    await settle();
    console.generateCtrlEvent(CTRL_C_EVENT);
    expect(c.exitCode).toBe(STILL_ACTIVE);
    console.generateCtrlEvent(CTRL_BREAK_EVENT);
    expect(await c.wait()).toBe(ExitCode.ControlC);
  });

  test('CREATE_NEW_PROCESS_GROUP disables CTRL+C for the new group', async () => {
    const k = withTool(forever);
    const console = new Console();
    const c = k.createProcess({ commandLine: 'tool', console, creationFlags: CREATE_NEW_PROCESS_GROUP });
    await settle();
    console.generateCtrlEvent(CTRL_C_EVENT);
    expect(c.exitCode).toBe(STILL_ACTIVE);
    c.terminate();
  });

  test('CTRL+C reaches every process attached to the console, children included', async () => {
    let child!: ReturnType<ProcessContext['spawn']>;
    const k = withTool((ctx) => {
      if (ctx.argv[1] === 'parent') child = ctx.spawn('tool child');
      return forever(ctx);
    });
    const console = new Console();
    const c = k.createProcess({ commandLine: 'tool parent', console });
    await settle();
    await settle();
    expect(child.process.console).toBe(console);
    console.generateCtrlEvent(CTRL_C_EVENT);
    expect(await c.wait()).toBe(ExitCode.ControlC);
    expect(await child.wait()).toBe(ExitCode.ControlC);
  });

  test('a handler that throws is an unhandled exception in the program', async () => {
    const k = withTool((ctx) => {
      ctx.onConsoleCtrl(() => {
        throw new Error('in handler');
      });
      return forever(ctx);
    });
    const console = new Console();
    const c = k.createProcess({ commandLine: 'tool', console });
    await settle();
    console.generateCtrlEvent(CTRL_C_EVENT);
    expect(await c.wait()).toBe(ExitCode.UnhandledException);
  });
});
