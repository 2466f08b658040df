// Escapes through processes, jobs, the network stack and the environment
// (windows-facts §2–3): a container sees and signals only its own
// processes, cannot leave its job (CREATE_BREAKAWAY_FROM_JOB without
// JOB_OBJECT_LIMIT_BREAKAWAY_OK is ERROR_ACCESS_DENIED), its loopback is
// its own compartment's (a service on the host's 127.0.0.1 is not there),
// and the host's environment is not its environment.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CREATE_BREAKAWAY_FROM_JOB } from '../../src/core/jobs/index.js';
import { ERROR_ACCESS_DENIED, ERROR_INVALID_PARAMETER, WSAECONNREFUSED, Win32Error } from '../../src/core/win32.js';
import { denied, lab, record, type Lab } from './support.js';

const SUITE = 'processes, jobs and network';
const HOST_ENV = 'WINSILO_ESCAPE_HOST_SECRET';

let l: Lab;
let neighbourPid: number;
let server: Server;
let hostPort: number;

beforeAll(async () => {
  // Set before the lab's host opens: a host variable a container must not inherit.
  process.env[HOST_ENV] = 'host-environment-secret';
  l = await lab();
  const theirs = [...l.neighbour.computeSystem!.silo!.processes];
  neighbourPid = theirs.find((p) => p.imageName.toLowerCase() === 'cmd.exe')!.pid;
  server = createServer((s) => s.end('HOST SERVICE'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  hostPort = (server.address() as { port: number }).port;
});

afterAll(() => {
  delete process.env[HOST_ENV];
  server?.close();
});

async function code(fn: (ctx: Parameters<Parameters<Lab['probe']>[0]>[0]) => unknown): Promise<number> {
  return l.probe(async (ctx) => {
    try {
      await fn(ctx);
      return 0;
    } catch (e) {
      if (e instanceof Win32Error) return e.code;
      throw e;
    }
  });
}

describe("another container's processes", () => {
  test("tasklist lists only the container's own processes", async () => {
    const r = await l.cmd('tasklist /fo csv /nh');
    const pids = r.stdout.split('\r\n').filter(Boolean).map((line) => Number(line.split('","')[1]));
    record(SUITE, pids.includes(neighbourPid));
    expect(pids).not.toContain(neighbourPid);
  });

  test("taskkill /F of the neighbour's cmd.exe: ERROR: The process \"<pid>\" not found.", async () => {
    const r = await l.cmd(`taskkill /F /PID ${neighbourPid}`);
    denied(SUITE, r, { stderr: `ERROR: The process "${neighbourPid}" not found.\r\n`, exitCode: 128 });
    expect(l.neighbour.status).toBe('running');
  });

  test("TerminateProcess of the neighbour's pid from a program: ERROR_INVALID_PARAMETER (OpenProcess finds no such process)", async () => {
    const c = await code((ctx) => ctx.terminateProcess(neighbourPid));
    record(SUITE, c === 0);
    expect(c).toBe(ERROR_INVALID_PARAMETER);
  });

  test('taskkill /F /PID 4 (System): a critical system process, not terminated', async () => {
    const r = await l.cmd('taskkill /F /PID 4');
    denied(SUITE, r, { stderr: 'ERROR: The process with PID 4 could not be terminated.\r\nReason: This is critical system process. Taskkill cannot end this process.\r\n', exitCode: 1 });
  });

  test('CREATE_BREAKAWAY_FROM_JOB (leaving the container\'s job and its limits): ERROR_ACCESS_DENIED', async () => {
    const c = await code(async (ctx) => {
      const child = ctx.spawn('cmd /c exit 0', { creationFlags: CREATE_BREAKAWAY_FROM_JOB });
      await child.wait();
    });
    record(SUITE, c === 0);
    expect(c).toBe(ERROR_ACCESS_DENIED);
  });
});

describe("the host's network and environment", () => {
  test("a service on the host's 127.0.0.1 is not on the container's loopback: WSAECONNREFUSED", async () => {
    const c = await code(async (ctx) => (await ctx.net!.connect('127.0.0.1', hostPort, { timeoutMs: 200 })).destroy());
    record(SUITE, c === 0);
    expect(c).toBe(WSAECONNREFUSED);
  });

  test('curl to the host loopback service: Failed to connect (7)', async () => {
    const r = await l.cmd(`curl http://127.0.0.1:${hostPort}/`);
    denied(SUITE, r, { stderr: new RegExp(`curl: \\(7\\) Failed to connect to 127\\.0\\.0\\.1 port ${hostPort}`), exitCode: 7 });
  });

  test('curl to the NAT gateway on that port: Failed to connect (7)', async () => {
    const r = await l.cmd(`curl http://172.26.96.1:${hostPort}/`);
    record(SUITE, r.stdout.includes('HOST SERVICE'));
    expect(r.stdout).not.toContain('HOST SERVICE');
    expect(r.exitCode).toBe(7);
  });

  test("the host's environment variables are not the container's", async () => {
    const r = await l.cmd('set');
    record(SUITE, r.stdout.includes(HOST_ENV));
    expect(r.stdout).not.toContain(HOST_ENV);
    expect(r.stdout).not.toContain('host-environment-secret');
  });
});
