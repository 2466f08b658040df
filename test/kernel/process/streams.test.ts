// Standard handles: pipes, inheritance, the console, end of file and broken pipes.
import { describe, expect, test } from 'vitest';
import { ERROR_NO_DATA, Win32Error } from '../../../src/core/win32.js';
import { Console } from '../../../src/kernel/process/console.js';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import { decodeText, Pipe } from '../../../src/kernel/process/pipe.js';
import { newKernel, settle } from './support.js';

const TOOL = 'C:\\Windows\\system32\\tool.exe';

function withTool(main: (ctx: ProcessContext) => unknown) {
  const k = newKernel();
  k.programs.register(TOOL, main as never);
  return k;
}

describe('pipes', () => {
  test('stdin and stdout pipes: the program reads lines until end of file and writes back', async () => {
    const k = withTool(async (ctx) => {
      let n = 0;
      for (let line = await ctx.stdin.readLine(); line !== null; line = await ctx.stdin.readLine()) {
        await ctx.stdout.write(`${++n}: ${line}\r\n`);
      }
      return n;
    });
    const c = k.createProcess({ commandLine: 'tool', stdin: 'pipe', stdout: 'pipe' });
    await c.stdin!.write('alpha\r\nbeta\ngamma');
    c.stdin!.close();
    expect(await c.stdout!.readText()).toBe('1: alpha\r\n2: beta\r\n3: gamma\r\n');
    expect(await c.wait()).toBe(3);
  });

  test("a child's stdout reaches end of file when the child exits", async () => {
    const k = withTool((ctx) => {
      void ctx.stdout.write('bye');
      return 0;
    });
    const c = k.createProcess({ commandLine: 'tool', stdout: 'pipe' });
    expect(decodeText(await c.stdout!.readAll())).toBe('bye');
    expect(await c.stdout!.read()).toBeNull();
  });

  test('writing when nobody can read is ERROR_NO_DATA (232)', async () => {
    const pipe = new Pipe();
    const w = pipe.writeEnd();
    pipe.readEnd().close();
    const err = await w.write('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Win32Error);
    expect((err as Win32Error).code).toBe(ERROR_NO_DATA);
  });

  test('a writer waits while the pipe is full and goes on once a reader drains it', async () => {
    const pipe = new Pipe(8);
    const w = pipe.writeEnd();
    const r = pipe.readEnd();
    let done = false;
    void w.write('0123456789').then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    expect(decodeText((await r.read(6))!)).toBe('012345');
    await settle();
    expect(done).toBe(true);
  });

  test('inherited handles: a child writes to its parent\'s stdout', async () => {
    const k = withTool(async (ctx) => {
      if (ctx.argv[1] === 'child') {
        await ctx.stdout.write('from child\n');
        return 0;
      }
      await ctx.stdout.write('from parent\n');
      const child = ctx.spawn('tool child');
      await child.wait();
      return 0;
    });
    const c = k.createProcess({ commandLine: 'tool', stdout: 'pipe' });
    expect(await c.stdout!.readText()).toBe('from parent\nfrom child\n');
  });

  test('a spawned child with piped stdout: the parent reads it', async () => {
    const k = withTool(async (ctx) => {
      if (ctx.argv[1] === 'child') {
        await ctx.stdout.write('42');
        return 0;
      }
      const child = ctx.spawn('tool child', { stdout: 'pipe' });
      const text = decodeText(await child.stdout!.readAll());
      return Number(text);
    });
    expect(await k.createProcess({ commandLine: 'tool' }).wait()).toBe(42);
  });

  test("a closed handle's pending read ends as end of file and takes nothing from other readers", async () => {
    const pipe = new Pipe();
    const w = pipe.writeEnd();
    const a = pipe.readEnd();
    const b = a.duplicate();
    const pa = a.read();
    a.close();
    expect(await pa).toBeNull();
    await w.write('data');
    expect(decodeText((await b.read())!)).toBe('data');
  });

  test('readEach: what is buffered at once, then each chunk as it is written, in order, until end of file', async () => {
    const pipe = new Pipe();
    const w = pipe.writeEnd();
    const r = pipe.readEnd();
    await w.write('early');
    const got: string[] = [];
    const done = r.readEach((chunk) => void got.push(decodeText(chunk)));
    expect(got).toEqual(['early']);
    void w.write('one');
    void w.write('two');
    // Handed over within write(): no turn of the event loop in between.
    expect(got).toEqual(['early', 'one', 'two']);
    w.close();
    await done;
    expect(got).toEqual(['early', 'one', 'two']);
  });

  test("readEach: a sink's promise holds the next chunk back until it settles", async () => {
    const pipe = new Pipe();
    const w = pipe.writeEnd();
    const r = pipe.readEnd();
    const got: string[] = [];
    let release!: () => void;
    const done = r.readEach((chunk) => {
      got.push(decodeText(chunk));
      if (got.length === 1) return new Promise<void>((resolve) => (release = resolve));
    });
    void w.write('one');
    void w.write('two');
    expect(got).toEqual(['one']);
    release();
    await settle();
    expect(got).toEqual(['one', 'two']);
    w.close();
    await done;
  });

  test('readEach: a sink that throws ends it with that error; what follows stays for the next reader', async () => {
    const pipe = new Pipe();
    const w = pipe.writeEnd();
    const r = pipe.readEnd();
    const boom = new Error('terminal gone');
    const done = r.readEach(() => {
      throw boom;
    });
    void w.write('lost');
    await expect(done).rejects.toBe(boom);
    await w.write('kept');
    expect(decodeText((await r.read())!)).toBe('kept');
  });

  test('readEach on a handle that closes ends as at end of file; on a closed handle it is ERROR_INVALID_HANDLE', async () => {
    const pipe = new Pipe();
    pipe.writeEnd();
    const r = pipe.readEnd();
    const done = r.readEach(() => {});
    r.close();
    await expect(done).resolves.toBeUndefined();
    await expect(r.readEach(() => {})).rejects.toMatchObject({ code: 6 });
  });

  test('stdin "null" reads end of file; stdout "null" swallows', async () => {
    const k = withTool(async (ctx) => {
      await ctx.stdout.write('nothing');
      return (await ctx.stdin.read()) === null ? 0 : 1;
    });
    expect(await k.createProcess({ commandLine: 'tool', stdin: 'null', stdout: 'null' }).wait()).toBe(0);
  });
});

describe('the console', () => {
  test('console handles: programs read typed input and write to the console; size and title are visible', async () => {
    const console = new Console({ columns: 100, rows: 40 });
    const k = withTool(async (ctx) => {
      const info = ctx.console!;
      ctx.console!.title = 'Administrator: tool';
      const name = await ctx.stdin.readLine();
      await ctx.stdout.write(`hello ${name} ${info.columns}x${info.rows} ${ctx.stdin.isConsole} ${ctx.stdout.isConsole}\r\n`);
      return 0;
    });
    const c = k.createProcess({ commandLine: 'tool', console });
    await console.input.write('world\r\n');
    await c.wait();
    // SetConsoleTitle reaches the terminal as OSC 0, as ConPTY sends it (console.ts).
    expect(decodeText((await console.output.read())!)).toBe('\x1b]0;Administrator: tool\x07hello world 100x40 true true\r\n');
    expect(console.title).toBe('Administrator: tool');
  });

  test('a redirected handle is not a console handle even in a console process', async () => {
    const console = new Console();
    let isConsole: boolean | undefined;
    const k = withTool((ctx) => {
      isConsole = ctx.stdout.isConsole;
      return 0;
    });
    await k.createProcess({ commandLine: 'tool', console, stdout: 'pipe' }).wait();
    expect(isConsole).toBe(false);
  });

  test('a console title defaults to the first program path', () => {
    const console = new Console();
    withTool(() => 0).createProcess({ commandLine: 'tool', console });
    expect(console.title).toBe(TOOL);
  });

  test('a process without a console sees none', async () => {
    let seen: unknown = 'unset';
    const k = withTool((ctx) => {
      seen = ctx.console;
      return 0;
    });
    await k.createProcess({ commandLine: 'tool' }).wait();
    expect(seen).toBeUndefined();
  });
});
