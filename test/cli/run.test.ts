// `winsilo run` in-process against the real engine (src/host/host.ts):
// exit codes, streams, pull output, docker's order of checks and messages.
// Test programs are registered through the embedding API on images'
// existing System32 files (the shell's programs come later).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { runMain } from '../../src/cli/main.js';
import { hostExitStatus } from '../../src/cli/status.js';
import { Host } from '../../src/host/host.js';
import type { HostApi, HostOptions } from '../../src/host/types.js';
import { testContext, type TestContext } from './context.js';

const IMAGE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
/** Prints its arguments, X and the console size, writes to stderr, exits with argv[1]. */
const ECHO = 'whoami.exe';
/** Copies stdin to stdout until end of input. */
const CAT = 'where.exe';
/** Says "ready" and waits until ended (Ctrl+C ends it with 0xC000013A). */
const WAIT = 'timeout.exe';
/** Writes 200 numbered lines, one write each. */
const LINES = 'sort.exe';
const STATUS_CONTROL_C_EXIT = 0xc000013a;

function registerPrograms(host: Host): void {
  host.registerProgram(`C:\\Windows\\System32\\${ECHO}`, async (ctx) => {
    const size = ctx.console ? ` console=${ctx.console.rows}x${ctx.console.columns}` : '';
    await ctx.stdout.write(`args=${JSON.stringify(ctx.argv.slice(1))} X=${ctx.env.get('X') ?? '(unset)'}${size}\n`);
    await ctx.stderr.write('to stderr\n');
    return Number(ctx.argv[1] ?? 0);
  });
  host.registerProgram(`C:\\Windows\\System32\\${CAT}`, async (ctx) => {
    await ctx.stdout.write(await ctx.stdin.readAll());
    return 0;
  });
  host.registerProgram(`C:\\Windows\\System32\\${LINES}`, async (ctx) => {
    for (let i = 0; i < 200; i++) await ctx.stdout.write(`line ${i}\n`);
    return 0;
  });
  host.registerProgram(`C:\\Windows\\System32\\${WAIT}`, async (ctx) => {
    await ctx.stdout.write('ready\n');
    const line = await ctx.stdin.readLine();
    if (line !== null) await ctx.stdout.write(`typed ${JSON.stringify(line)} console=${ctx.console?.rows}x${ctx.console?.columns}\n`);
    await ctx.sleep(1e9);
    return 5;
  });
}

/** The host for a command; `close` is left to the test so one host serves many runs. */
function keepOpen(host: Host): HostApi {
  return new Proxy(host, {
    get(target, prop) {
      if (prop === 'close') return async () => {};
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

let shared: Host;
let opened: HostOptions[] = [];
const ctxFor = (o: Parameters<typeof testContext>[1] = {}): TestContext =>
  testContext(async (options) => {
    opened.push(options);
    return keepOpen(shared);
  }, o);
const run = async (args: string[], o: Parameters<typeof testContext>[1] = {}): Promise<{ code: number; out: string; err: string; ctx: TestContext }> => {
  const ctx = ctxFor(o);
  const code = await runMain(['run', ...args], ctx);
  return { code, out: ctx.stdout.text, err: ctx.stderr.text, ctx };
};

beforeAll(async () => {
  shared = await Host.open({});
  await shared.pull(IMAGE);
  registerPrograms(shared);
});

describe('exit codes', () => {
  test("winsilo's exit code is the main process's own", async () => {
    expect((await run(['--rm', IMAGE, ECHO, '3'])).code).toBe(3);
    expect((await run(['--rm', IMAGE, ECHO, '0'])).code).toBe(0);
  });

  test('a DWORD exit code comes back whole; the shell sees its low 8 bits on Linux, the whole code on Windows', async () => {
    expect((await run(['--rm', IMAGE, ECHO, String(STATUS_CONTROL_C_EXIT)])).code).toBe(STATUS_CONTROL_C_EXIT);
    expect(hostExitStatus(STATUS_CONTROL_C_EXIT, 'linux')).toBe(58);
    expect(hostExitStatus(STATUS_CONTROL_C_EXIT, 'win32')).toBe(STATUS_CONTROL_C_EXIT | 0);
    expect(hostExitStatus(256 + 3, 'linux')).toBe(3);
  });

  test('a command that does not exist: 127 with the engine\'s message', async () => {
    const r = await run(['--rm', IMAGE, 'nosuch.exe']);
    expect(r.code).toBe(127);
    expect(r.err).toMatch(/^winsilo: Error response from daemon: container [0-9a-f]{64} encountered an error during hcs::System::CreateProcess: failure in a Windows system call: The system cannot find the file specified\. \(0x2\)\n\nRun 'winsilo run --help' for more information\n$/);
  });
});

describe('streams', () => {
  test('without -t, stdout and stderr stay apart', async () => {
    const r = await run(['--rm', '-e', 'X=1', IMAGE, ECHO, '0', 'a b']);
    expect(r.out).toBe('args=["0","a b"] X=1\n');
    expect(r.err).toBe('to stderr\n');
  });

  test('with -t the console carries both, and the console has the terminal\'s size', async () => {
    const ctx = ctxFor({ stdoutTTY: true });
    ctx.stdout.rows = 40;
    ctx.stdout.columns = 132;
    expect(await runMain(['run', '--rm', '-t', IMAGE, ECHO, '0'], ctx)).toBe(0);
    expect(ctx.stdout.text).toContain('args=["0"] X=(unset) console=40x132');
    expect(ctx.stdout.text).toContain('to stderr');
    expect(ctx.stderr.text).toBe('');
  });

  test('-e NAME passes the value winsilo has, or nothing', async () => {
    expect((await run(['--rm', '-e', 'X', IMAGE, ECHO], { env: { X: 'from winsilo' } })).out).toBe('args=[] X=from winsilo\n');
    expect((await run(['--rm', '-e', 'X', IMAGE, ECHO], { env: {} })).out).toBe('args=[] X=(unset)\n');
  });

  test('-i feeds winsilo\'s stdin to the container until end of input', async () => {
    const ctx = ctxFor();
    const done = runMain(['run', '--rm', '-i', IMAGE, CAT], ctx);
    await ctx.stdin.attached();
    ctx.stdin.send('line 1\nline 2\n');
    ctx.stdin.end();
    expect(await done).toBe(0);
    expect(ctx.stdout.text).toBe('line 1\nline 2\n');
    expect(ctx.stdin.paused).toBe(true);
  });

  test('a terminal that falls behind holds the output back: it comes whole and in order, never more than one write ahead', async () => {
    const ctx = ctxFor();
    // A terminal whose buffer is always full: every write returns false and completes a turn later.
    let unacknowledged = 0;
    let most = 0;
    const take = ctx.stdout.write.bind(ctx.stdout);
    ctx.stdout.write = (data, callback) => {
      most = Math.max(most, ++unacknowledged);
      setImmediate(() => {
        unacknowledged--;
        take(data, callback);
      });
      return false;
    };
    expect(await runMain(['run', '--rm', IMAGE, LINES], ctx)).toBe(0);
    expect(ctx.stdout.text).toBe(Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join(''));
    // A chunk, then the empty write the relay waits on.
    expect(most).toBe(2);
  });

  test('without -i, stdin is not read', async () => {
    const ctx = ctxFor();
    expect(await runMain(['run', '--rm', IMAGE, CAT], ctx)).toBe(0);
    expect(ctx.stdin.listenerCount('data')).toBe(0);
  });
});

describe('-it on a terminal', () => {
  test('raw mode while attached, keystrokes and resizes forwarded, the terminal restored', async () => {
    const ctx = ctxFor({ stdinTTY: true, stdoutTTY: true });
    ctx.stdout.rows = 30;
    ctx.stdout.columns = 100;
    const done = runMain(['run', '--rm', '-it', IMAGE, WAIT], ctx);
    await ctx.stdout.waitFor('ready');
    expect(ctx.stdin.rawMode).toEqual([true]);
    ctx.stdout.resize(50, 160);
    ctx.stdin.send('dir\r\n');
    await ctx.stdout.waitFor('typed');
    expect(ctx.stdout.text).toContain('typed "dir" console=50x160');
    // A signal winsilo itself gets still shuts the container down (docker's signal proxy works with -t too).
    ctx.signals.emit('SIGTERM');
    expect(await done).toBe(STATUS_CONTROL_C_EXIT);
    expect(ctx.stdin.rawMode).toEqual([true, false]);
    expect(ctx.stdin.listenerCount('data')).toBe(0);
  });

  test('Ctrl+C typed in raw mode reaches the container as the key, and its console makes it CTRL_C_EVENT (processed input)', async () => {
    const ctx = ctxFor({ stdinTTY: true, stdoutTTY: true });
    const done = runMain(['run', '--rm', '-it', IMAGE, CAT], ctx);
    await ctx.stdin.attached();
    ctx.stdin.send('a\x03b');
    // The program has no handler: the default one ends it, and the byte never becomes input.
    expect(await done).toBe(STATUS_CONTROL_C_EXIT);
    expect(ctx.stdout.text).not.toContain('\x03');
  });

  test('-it with a stdin that is not a terminal is refused before anything runs (exit 1)', async () => {
    const r = await run(['-it', IMAGE, ECHO]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('cannot attach stdin to a TTY-enabled container because stdin is not a terminal\n');
    expect(r.out).toBe('');
  });

  test('-t alone or -it with -d needs no terminal', async () => {
    expect((await run(['--rm', '-t', IMAGE, ECHO])).code).toBe(0);
  });
});

describe("signals (docker's --sig-proxy, a Windows daemon's shutdown)", () => {
  test('SIGINT shuts the container down: winsilo returns the main process\'s exit code', async () => {
    const ctx = ctxFor();
    const done = runMain(['run', '--rm', '--name', 'sigint', IMAGE, WAIT], ctx);
    await ctx.stdout.waitFor('ready');
    ctx.signals.emit('SIGINT');
    // The engine's shutdown sends CTRL_SHUTDOWN; the default handler ends the process with STATUS_CONTROL_C_EXIT.
    expect(await done).toBe(STATUS_CONTROL_C_EXIT);
    expect(shared.container('sigint')).toBeUndefined();
    expect(ctx.signals.listenerCount('SIGINT')).toBe(0);
    expect(ctx.signals.listenerCount('SIGTERM')).toBe(0);
  });

  test('the third signal ends winsilo: exit 1, docker\'s message', async () => {
    const ctx = ctxFor();
    shared.registerProgram('C:\\Windows\\System32\\tzutil.exe', async (p) => {
      p.ignoreCtrlC(true);
      p.onConsoleCtrl(() => true);
      await p.stdout.write('stubborn\n');
      await p.sleep(1e9);
    });
    const done = runMain(['run', '--name', 'stubborn', IMAGE, 'tzutil.exe'], ctx);
    await ctx.stdout.waitFor('stubborn');
    ctx.signals.emit('SIGTERM');
    ctx.signals.emit('SIGINT');
    ctx.signals.emit('SIGINT');
    expect(await done).toBe(1);
    expect(ctx.stderr.text).toBe('\ngot 3 SIGTERM/SIGINTs, forcefully exiting\n');
    await shared.container('stubborn')?.remove({ force: true });
  });
});

describe('-d, --rm, --name', () => {
  test('-d prints the full container id and returns 0 once the container runs', async () => {
    const r = await run(['-d', '--name', 'detached1', IMAGE, WAIT]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^[0-9a-f]{64}\n$/);
    const c = shared.container('detached1')!;
    expect(c.id).toBe(r.out.trim());
    expect(c.status).toBe('running');
    await c.remove({ force: true });
  });

  test('-d --rm with a command that cannot start: 127, the id printed (run.go prints it before the start), the container gone', async () => {
    const r = await run(['-d', '--rm', '--name', 'never-started', IMAGE, 'nosuch.exe']);
    expect(r.code).toBe(127);
    expect(r.out).toMatch(/^[0-9a-f]{64}\n$/);
    expect(shared.container('never-started')).toBeUndefined();
  });

  test('--rm removes the container after it exits; without it the container stays, exited', async () => {
    await run(['--rm', '--name', 'gone', IMAGE, ECHO]);
    expect(shared.container('gone')).toBeUndefined();
    await run(['--name', 'kept', IMAGE, ECHO, '4']);
    const kept = shared.container('kept')!;
    expect(kept.status).toBe('exited');
    expect(await kept.wait()).toBe(4);
    await kept.remove();
  });

  test("a name in use: the engine's conflict, exit 125", async () => {
    await run(['--name', 'twice', IMAGE, ECHO]);
    const r = await run(['--name', 'twice', IMAGE, ECHO]);
    expect(r.code).toBe(125);
    expect(r.err).toMatch(/^winsilo: Error response from daemon: Conflict\. The container name "\/twice" is already in use by container "[0-9a-f]{64}"\. You have to remove \(or rename\) that container to be able to reuse that name\.\n\nRun 'winsilo run --help' for more information\n$/);
    await shared.container('twice')!.remove();
  });
});

describe('pulling a missing image', () => {
  test('docker\'s lines: Unable to find image, Pulling from, one line per layer, Status', async () => {
    const host = await Host.open({});
    registerPrograms(host);
    const ctx = testContext(async () => host);
    expect(await runMain(['run', '--rm', IMAGE, ECHO, '7'], ctx)).toBe(7);
    const ids = host.image(IMAGE)!.layers.map((l) => l.diffId.slice(7, 19));
    expect(ids.length).toBeGreaterThan(0);
    expect(ctx.stderr.text).toBe(
      [
        `Unable to find image '${IMAGE}' locally`,
        'ltsc2022: Pulling from windows/servercore',
        ...ids.map((id) => `${id}: Pulling fs layer`),
        ...ids.flatMap((id) => [`${id}: Verifying Checksum`, `${id}: Download complete`]),
        ...ids.map((id) => `${id}: Pull complete`),
        `Status: Downloaded newer image for ${IMAGE}`,
        'to stderr',
        '',
      ].join('\n'),
    );
  });

  test('-q keeps the pull quiet; --pull never refuses; --pull always says the image is up to date', async () => {
    const host = await Host.open({});
    registerPrograms(host);
    const fresh = (): TestContext => testContext(async () => keepOpen(host));
    const never = fresh();
    expect(await runMain(['run', '--rm', '--pull', 'never', IMAGE, ECHO], never)).toBe(125);
    expect(never.stderr.text).toBe(`winsilo: Error response from daemon: No such image: ${IMAGE}\n\nRun 'winsilo run --help' for more information\n`);
    const quiet = fresh();
    expect(await runMain(['run', '--rm', '-q', IMAGE, ECHO], quiet)).toBe(0);
    expect(quiet.stderr.text).toBe('to stderr\n');
    const always = fresh();
    expect(await runMain(['run', '--rm', '--pull=always', IMAGE, ECHO], always)).toBe(0);
    expect(always.stderr.text).toBe(`ltsc2022: Pulling from windows/servercore\nStatus: Image is up to date for ${IMAGE}\nto stderr\n`);
    await host.close();
  });

  test('an image no registry has: the pull error, exit 125', async () => {
    const r = await run(['--rm', 'contoso/app']);
    expect(r.code).toBe(125);
    expect(r.err).toBe(
      "Unable to find image 'contoso/app:latest' locally\n" +
        "winsilo: Error response from daemon: pull access denied for contoso/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n\nRun 'winsilo run --help' for more information\n",
    );
  });

  test('an invalid reference: the reference library\'s text, exit 125', async () => {
    expect((await run(['Ubuntu'])).err).toBe("winsilo: invalid reference format: repository name (library/Ubuntu) must be lowercase\n\nRun 'winsilo run --help' for more information\n");
    // An upper-case first element is taken for a registry host, as the library does.
    expect((await run(['Contoso/App'])).err).toBe("winsilo: invalid reference format: repository name (App) must be lowercase\n\nRun 'winsilo run --help' for more information\n");
    expect((await run(['a@b'])).err).toBe("winsilo: invalid reference format\n\nRun 'winsilo run --help' for more information\n");
  });
});

describe("the engine's checks, in docker's order", () => {
  test('isolation and resources are refused before any pull', async () => {
    const bad = await run(['--isolation', 'vm', 'contoso/never-pulled']);
    expect(bad.code).toBe(125);
    expect(bad.err).toBe("winsilo: Error response from daemon: invalid isolation (vm): Windows supports 'default', 'process', or 'hyperv'\n\nRun 'winsilo run --help' for more information\n");
    const pct = await run(['--cpu-percent', '200', IMAGE, ECHO]);
    expect(pct.err).toBe("winsilo: Error response from daemon: range of CPUPercent is from 1 to 100\n\nRun 'winsilo run --help' for more information\n");
  });

  test('resource conflicts are warnings, printed as docker prints them', async () => {
    const r = await run(['--rm', '--cpu-count', '2', '--cpu-shares', '100', IMAGE, ECHO]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('WARNING: Conflicting options: CPU count takes priority over CPU shares on Windows Server Containers. CPU shares discarded\nto stderr\n');
  });

  test('a bad bind is the daemon\'s error, after the settings checks', async () => {
    const r = await run(['--rm', '-v', '/no/such/dir:C:\\data', IMAGE, ECHO]);
    expect(r.code).toBe(125);
    expect(r.err).toBe(
      'winsilo: Error response from daemon: invalid volume specification: \'/no/such/dir:C:\\data\': invalid mount config for type "bind": bind source path does not exist: /no/such/dir\n\nRun \'winsilo run --help\' for more information\n',
    );
    const iso = await run(['--rm', '--isolation=bogus', '-v', '/no/such/dir:C:\\data', IMAGE, ECHO]);
    expect(iso.err).toContain('invalid isolation (bogus)');
  });

  test('a bad bind of an image not here yet: the pull happens first, then the bind error', async () => {
    const host = await Host.open({});
    const ctx = testContext(async () => host);
    expect(await runMain(['run', '-q', '-v', '/no/such/dir:C:\\data', IMAGE], ctx)).toBe(125);
    expect(ctx.stderr.text).toBe("winsilo: Error response from daemon: invalid volume specification: '/no/such/dir:C:\\data': invalid mount config for type \"bind\": bind source path does not exist: /no/such/dir\n\nRun 'winsilo run --help' for more information\n");
    expect(host.images()).toHaveLength(1);
  });

  test('a good bind reaches the engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'winsilo-bind-'));
    const r = await run(['--rm', '-v', `${dir}:C:\\Data:ro`, IMAGE, ECHO]);
    expect(r.code).toBe(0);
  });
});

describe('client-side errors (exit 125, before the engine)', () => {
  test.each([
    [['-v', 'C:\\a:C:\\b:ro:x', IMAGE], "winsilo: invalid spec: C:\\a:C:\\b:ro:x: too many colons\n\nRun 'winsilo run --help' for more information\n"],
    [['--env-file', '/no/such.env', IMAGE], "winsilo: --env-file: open /no/such.env: no such file or directory\n\nRun 'winsilo run --help' for more information\n"],
    [['--pull', 'sometimes', IMAGE], 'winsilo: invalid pull option: \'sometimes\': must be one of "always", "missing" or "never"\n\nRun \'winsilo run --help\' for more information\n'],
  ])('%j', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(125);
    expect(r.err).toBe(message);
  });

  test('flag errors print the short usage and exit 125', async () => {
    const r = await run(['--foo', IMAGE]);
    expect(r.code).toBe(125);
    expect(r.err).toBe("unknown flag: --foo\n\nUsage:  winsilo run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'winsilo run --help' for more information\n");
    expect((await run(['-e'])).err).toBe("flag needs an argument: 'e' in -e\n\nUsage:  winsilo run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'winsilo run --help' for more information\n");
    expect((await run(['-m', 'abc', IMAGE])).err.split('\n')[0]).toBe('invalid argument "abc" for "-m, --memory" flag: invalid size: \'abc\'');
  });

  test('no IMAGE: docker\'s argument-count message, exit 1', async () => {
    const r = await run([]);
    expect(r.code).toBe(1);
    expect(r.err).toBe("winsilo: 'winsilo run' requires at least 1 argument\n\nUsage:  winsilo run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'winsilo run --help' for more information\n");
  });

  test('flag and argument errors never open the engine', async () => {
    opened = [];
    await run(['--foo']);
    await run([]);
    await run(['--pull', 'x', IMAGE]);
    expect(opened).toEqual([]);
  });
});

describe('the data root', () => {
  test('WINSILO_DATA_ROOT names it (relative to the working directory); ~/.winsilo otherwise', async () => {
    opened = [];
    await run(['--rm', IMAGE, ECHO], { env: { WINSILO_DATA_ROOT: 'state' }, cwd: '/tmp/x' });
    await run(['--rm', IMAGE, ECHO], { env: {} });
    expect(opened.map((o) => o.dataRoot)).toEqual(['/tmp/x/state', join(process.env['HOME'] ?? '', '.winsilo')]);
  });

  test('an engine that cannot open: exit 1 with the reason', async () => {
    const ctx = testContext(async () => {
      throw new Error('EACCES: permission denied');
    }, { env: { WINSILO_DATA_ROOT: '/root/x' } });
    expect(await runMain(['run', IMAGE], ctx)).toBe(1);
    expect(ctx.stderr.text).toBe('winsilo: cannot open the data root /root/x: EACCES: permission denied\n');
  });
});


describe('--storage-opt (docker run --storage-opt size=…: the sandbox size on Windows)', () => {
  const SPACE = 'space.exe';
  beforeAll(() => {
    shared.registerProgram(`C:\\Windows\\System32\\${SPACE}`, async (ctx) => {
      await ctx.stdout.write(`${ctx.fs!.volume('C')!.space().totalBytes}\n`);
      return 0;
    });
  });

  test('size=50G reaches the engine: C: is 50 GB; without it 127 GB', async () => {
    const r = await run(['--rm', '--storage-opt', 'size=50G', IMAGE, SPACE]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${50 * 2 ** 30}\n`);
    expect((await run(['--rm', IMAGE, SPACE])).out).toBe(`${127 * 2 ** 30}\n`);
  });

  test('a value without "=" is the client\'s error, exit 125, before the engine', async () => {
    opened = [];
    const r = await run(['--storage-opt', 'size', IMAGE, SPACE]);
    expect(r.code).toBe(125);
    expect(r.err).toBe("winsilo: invalid storage option\n\nRun 'winsilo run --help' for more information\n");
  });

  test("a size that does not parse is the daemon's error, exit 125", async () => {
    const r = await run(['--rm', '--storage-opt', 'size=abc', IMAGE, SPACE]);
    expect(r.code).toBe(125);
    expect(r.err).toBe("winsilo: Error response from daemon: failed to parse storage options: invalid size: 'abc'\n\nRun 'winsilo run --help' for more information\n");
  });
});
