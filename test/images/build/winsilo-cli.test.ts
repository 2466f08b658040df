// `winsilo build`: the classic builder in-process, printing what the docker
// CLI prints against a Windows daemon.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Host } from '../../../src/host/host.js';
import { runMain } from '../../../src/cli/main.js';
import { testContext } from '../../cli/context.js';
import { hostWithBase, NANOSERVER, runImage } from './support.js';

let host: Host;
let dir: string;
beforeAll(async () => {
  host = await hostWithBase(NANOSERVER);
  dir = mkdtempSync(join(tmpdir(), 'winsilo-build-'));
});
afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function folder(files: Record<string, string>): string {
  const d = join(dir, `ctx${n++}`);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(d, p, '..'), { recursive: true });
    writeFileSync(join(d, p), text);
  }
  return d;
}

/** Runs `winsilo build …` on the shared host (the command's close() leaves it open). */
async function winsilo(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const shared = new Proxy(host, { get: (t, p) => (p === 'close' ? async () => {} : Reflect.get(t, p, t)) });
  const ctx = testContext(async () => shared, { cwd: dir });
  const code = await runMain(['build', ...args], ctx);
  return { stdout: ctx.stdout.text, stderr: ctx.stderr.text, code };
}

const ID = /^ ---> [0-9a-f]{12}$/;

describe('winsilo build', () => {
  test('the classic output, then the cache', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nCOPY a.txt /\nCMD type C:\\a.txt\n`, 'a.txt': 'A' });
    const r = await winsilo(['-t', 'cli:1', ctx]);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Sending build context to Docker daemon  3.072kB\r\r');
    expect(lines.slice(1, 4)).toEqual([`Step 1/3 : FROM ${NANOSERVER}`, expect.stringMatching(ID), 'Step 2/3 : COPY a.txt /']);
    expect(lines.slice(-3)).toEqual([expect.stringMatching(/^Successfully built [0-9a-f]{12}$/), 'Successfully tagged cli:1', '']);
    const again = await winsilo([ctx]);
    expect(again.stdout.split('\n').filter((l) => l === ' ---> Using cache')).toHaveLength(2);
    expect((await runImage(host, 'cli:1')).out).toBe('A');
  }, 30000);

  test('-q prints only the id; --iidfile writes it', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nLABEL x=y\n` });
    const r = await winsilo(['-q', '--iidfile', join(dir, 'iid'), ctx]);
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dir, 'iid'), 'utf8')).toBe(r.stdout.trim());
  }, 30000);

  test('-f, --build-arg, --label and --target', async () => {
    const ctx = folder({ 'docker/Windows.Dockerfile': `FROM ${NANOSERVER} AS base\nARG WHO\nENV WHO=\${WHO}\nFROM base AS final\nENV LATE=1\n` });
    const r = await winsilo(['-f', join(ctx, 'docker/Windows.Dockerfile'), '--build-arg', 'WHO=me', '--label', 'team=infra', '--target', 'base', '-q', ctx]);
    expect(r.code, r.stderr).toBe(0);
    const image = host.image(r.stdout.trim())!;
    expect(image.config.Env).toContain('WHO=me');
    expect(image.config.Env!.some((e) => e.startsWith('LATE='))).toBe(false);
    expect(image.config.Labels).toEqual({ team: 'infra' });
  }, 30000);

  test('-f naming a Dockerfile outside the context sends it inside under another name', async () => {
    const ctx = folder({ 'app.txt': 'x' });
    writeFileSync(join(dir, 'outside.Dockerfile'), `FROM ${NANOSERVER}\nCOPY app.txt /\n`);
    const r = await winsilo(['-q', '-f', join(dir, 'outside.Dockerfile'), ctx]);
    expect(r.code, r.stderr).toBe(0);
  }, 30000);

  test('a failing RUN exits with its code and moby’s message', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nRUN exit 7\n` });
    const r = await winsilo([ctx]);
    expect(r.code).toBe(7);
    expect(r.stderr).toBe("The command 'cmd /S /C exit 7' returned a non-zero code: 7\n");
  }, 30000);

  test('a parse error is the daemon’s error response; a missing folder the CLI’s', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nXYZZY\n` });
    expect(await winsilo([ctx])).toMatchObject({ code: 1, stderr: 'Error response from daemon: dockerfile parse error on line 2: unknown instruction: XYZZY\n' });
    expect(await winsilo([join(dir, 'missing')])).toMatchObject({ code: 1, stderr: `unable to prepare context: path "${join(dir, 'missing')}" not found\n` });
  });

  test('.dockerignore keeps files out of the context (and its size)', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nCOPY . /src/\nCMD dir /b C:\\src\n`, '.dockerignore': '*.log\nbin/\n', 'a.cs': 'x', 'debug.log': 'l'.repeat(2000), 'bin/app.exe': 'b' });
    const r = await winsilo(['-t', 'ignore:1', ctx]);
    expect(r.stdout.split('\n')[0]).toBe('Sending build context to Docker daemon  4.096kB\r\r');
    expect((await runImage(host, 'ignore:1')).out).toBe('.dockerignore\r\na.cs\r\nDockerfile\r\n');
  }, 30000);
});
