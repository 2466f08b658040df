// `docker build` through the real docker CLI against the in-process daemon:
// the CLI takes the classic builder for a Windows daemon on its own, and
// with DOCKER_BUILDKIT=0; the output is moby v28.2.2's, line for line.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tar from 'tar-stream';
import { describe, expect, test } from 'vitest';
import { NANOSERVER, useDaemon } from '../../daemon/support.js';

const d = useDaemon();
let n = 0;

/** A fresh context folder with `files`. */
function folder(files: Record<string, string>): string {
  const dir = join(d().dir, `ctx${n++}`);
  rmSync(dir, { recursive: true, force: true });
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

const ID = /^ ---> [0-9a-f]{12}$/;
const RUNNING = /^ ---> Running in [0-9a-f]{12}$/;
const REMOVED = /^ ---> Removed intermediate container [0-9a-f]{12}$/;

function expectLines(text: string, expected: (string | RegExp)[]): void {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  expect(lines.length, text).toBe(expected.length);
  expected.forEach((e, i) => (typeof e === 'string' ? expect(lines[i], text).toBe(e) : expect(lines[i], text).toMatch(e)));
}

const FIVE_STEPS = `FROM ${NANOSERVER}\nENV GREETING=hello\nCOPY app.txt C:/app/\nRUN echo built> C:\\app\\built.txt\nCMD type C:\\app\\app.txt C:\\app\\built.txt\n`;

describe('docker build (classic builder)', () => {
  for (const [label, env] of [
    ['chosen by the CLI for a Windows daemon', {}],
    ['with DOCKER_BUILDKIT=0', { DOCKER_BUILDKIT: '0' }],
  ] as const) {
    test(`the classic output, ${label}; a second build uses the cache`, async () => {
      const ctx = folder({ Dockerfile: FIVE_STEPS, 'app.txt': 'app' });
      const tag = `five:${n}`;
      const r = await d().docker(['build', '--no-cache', '-t', tag, ctx], { env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expectLines(r.stdout, [
        'Sending build context to Docker daemon  3.072kB\r\r',
        `Step 1/5 : FROM ${NANOSERVER}`,
        ID,
        'Step 2/5 : ENV GREETING=hello',
        RUNNING,
        REMOVED,
        ID,
        'Step 3/5 : COPY app.txt C:/app/',
        ID,
        'Step 4/5 : RUN echo built> C:\\app\\built.txt',
        RUNNING,
        REMOVED,
        ID,
        'Step 5/5 : CMD type C:\\app\\app.txt C:\\app\\built.txt',
        RUNNING,
        REMOVED,
        ID,
        /^Successfully built [0-9a-f]{12}$/,
        `Successfully tagged ${tag}`,
      ]);
      const again = await d().docker(['build', ctx], { env });
      expect(again.stdout.split('\n').filter((l) => l === ' ---> Using cache')).toHaveLength(4);
      expect(again.stdout.split('\n').at(-2)).toBe(r.stdout.split('\n').at(-3));
    }, 60000);
  }

  test('the built image runs: its files, env and CMD', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nENV GREETING=hello\nWORKDIR /app\nCOPY app.txt .\nUSER ContainerUser\nCMD echo %GREETING%& cd& whoami& type app.txt\n`, 'app.txt': 'from the context' });
    expect((await d().docker(['build', '-q', '-t', 'runs:1', ctx])).code).toBe(0);
    const r = await d().docker(['run', '--rm', 'runs:1']);
    expect(r.stdout).toBe('hello\r\nC:\\app\r\nuser manager\\containeruser\r\nfrom the context');
    const inspect = JSON.parse((await d().docker(['image', 'inspect', 'runs:1'])).stdout)[0];
    expect(inspect.Config).toMatchObject({ Cmd: ['cmd /S /C echo %GREETING%& cd& whoami& type app.txt'], ArgsEscaped: true, WorkingDir: 'C:\\app', User: 'ContainerUser' });
  }, 60000);

  test('docker images hides the intermediate images of a build; -a shows them', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nENV STEP=1\nENV STEP=2\n` });
    expect((await d().docker(['build', '-q', '-t', 'layers:1', ctx])).code).toBe(0);
    const short = (await d().docker(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n');
    expect(short).toContain('layers:1');
    expect(short).not.toContain('<none>:<none>');
    const all = (await d().docker(['images', '-a', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n');
    expect(all.filter((l) => l === '<none>:<none>').length).toBeGreaterThanOrEqual(1);
  }, 30000);

  test('-q prints only the image id', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nLABEL a=b\n` });
    const r = await d().docker(['build', '-q', ctx]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
  }, 30000);

  test('a failing RUN: moby’s message on stderr, the command’s exit code', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nRUN exit 1\n` });
    const r = await d().docker(['build', ctx]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("The command 'cmd /S /C exit 1' returned a non-zero code: 1\n");
    expectLines(r.stdout, ['Sending build context to Docker daemon  2.048kB\r\r', `Step 1/2 : FROM ${NANOSERVER}`, ID, 'Step 2/2 : RUN exit 1', RUNNING]);
  }, 30000);

  test('an unknown instruction is the daemon’s error response', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nCOPPY a b\n` });
    const r = await d().docker(['build', ctx]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error response from daemon: dockerfile parse error on line 2: unknown instruction: COPPY (did you mean COPY?)\n');
  });

  test('.dockerignore: an excluded file is not sent; COPY of it is moby’s error', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nCOPY secret.txt /\n`, '.dockerignore': 'secret.txt\n', 'secret.txt': 'x'.repeat(4096) });
    const r = await d().docker(['build', ctx]);
    expect(r.stdout.split('\n')[0]).toBe('Sending build context to Docker daemon  3.072kB\r\r');
    expect(r.stderr).toBe('COPY failed: file not found in build context or excluded by .dockerignore: stat secret.txt: file does not exist\n');
    expect(r.code).toBe(1);
  }, 30000);

  test('a Windows Dockerfile with the backtick escape, multi-stage and a build-arg', async () => {
    const ctx = folder({
      Dockerfile: [
        '# escape=`',
        `FROM ${NANOSERVER} AS build`,
        'ARG VERSION=0.0',
        'RUN mkdir C:\\out && `',
        '    echo version %VERSION%> C:\\out\\version.txt',
        `FROM ${NANOSERVER}`,
        'COPY --from=build C:\\out\\ C:\\app\\',
        'CMD ["cmd", "/c", "type", "C:\\\\app\\\\version.txt"]',
        '',
      ].join('\n'),
    });
    const r = await d().docker(['build', '--build-arg', 'VERSION=1.2', '--build-arg', 'UNUSED=1', '-t', 'multi:1', ctx]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('Step 3/6 : RUN mkdir C:\\out &&     echo version %VERSION%> C:\\out\\version.txt');
    expect(lines).toContain('Step 5/6 : COPY --from=build C:\\out\\ C:\\app\\');
    expect(lines).toContain('[Warning] One or more build-args [UNUSED] were not consumed');
    expect((await d().docker(['run', '--rm', 'multi:1'])).stdout).toBe('version 1.2\r\n');
  }, 60000);

  test('a symbolic link in the context that points out of it copies nothing from the host', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nCOPY leak /leak\n` });
    symlinkSync('/etc/hostname', join(ctx, 'leak'));
    const r = await d().docker(['build', ctx]);
    expect(r.stderr).toBe('COPY failed: file not found in build context or excluded by .dockerignore: stat leak: file does not exist\n');
  }, 30000);
});

describe('contexts and bases', () => {
  test('docker build - < Dockerfile: the body is the Dockerfile, the context empty', async () => {
    const r = await d().docker(['build', '-q', '-'], { stdin: `FROM ${NANOSERVER}\nENV FROM_STDIN=1\n` });
    expect(r.code, r.stderr).toBe(0);
    const inspect = JSON.parse((await d().docker(['image', 'inspect', r.stdout.trim()])).stdout)[0];
    expect(inspect.Config.Env).toContain('FROM_STDIN=1');
  }, 30000);

  test('FROM an image no registry has: the pull’s error after the step line', async () => {
    const ctx = folder({ Dockerfile: 'FROM nosuch/image:1\n' });
    const r = await d().docker(['build', ctx]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[1]).toBe('Step 1/1 : FROM nosuch/image:1');
    expect(r.stderr).toBe("pull access denied for nosuch/image, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n");
  }, 30000);

  test('FROM an image that is not here pulls it; the pull’s lines are in the build output', async () => {
    const ctx = folder({ Dockerfile: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n' });
    const r = await d().docker(['build', ctx]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(1, 3)).toEqual(['Step 1/1 : FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'ltsc2022: Pulling from windows/servercore']);
    expect(lines).toContain('Status: Downloaded newer image for mcr.microsoft.com/windows/servercore:ltsc2022');
  }, 60000);
});

describe('POST /build on the wire', () => {
  async function contextTar(files: Record<string, string>): Promise<Buffer> {
    const pack = tar.pack();
    for (const [name, text] of Object.entries(files)) pack.entry({ name }, text);
    pack.finalize();
    const parts: Buffer[] = [];
    for await (const c of pack) parts.push(Buffer.from(c as Uint8Array));
    return Buffer.concat(parts);
  }

  test('moby’s JSON lines: the step and its newline apart, aux, errorDetail with the exit code', async () => {
    const body = await contextTar({ Dockerfile: `FROM ${NANOSERVER}\nRUN exit 3\n` });
    const r = await d().http('POST', '/v1.50/build?version=1', body as unknown as string, { 'Content-Type': 'application/x-tar' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    const lines = r.body.split('\r\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ stream: `Step 1/2 : FROM ${NANOSERVER}` });
    expect(lines[1]).toEqual({ stream: '\n' });
    expect(lines.at(-1)).toEqual({ errorDetail: { code: 3, message: "The command 'cmd /S /C exit 3' returned a non-zero code: 3" }, error: "The command 'cmd /S /C exit 3' returned a non-zero code: 3" });
    const ok = await d().http('POST', '/v1.50/build?q=1', (await contextTar({ Dockerfile: `FROM ${NANOSERVER}\nENV A=1\n` })) as unknown as string);
    expect(ok.body).toMatch(/^\{"stream":"sha256:[0-9a-f]{64}\\n"\}\r\n$/);
  }, 30000);

  test('version=2 (BuildKit) and an unknown version are refused before the build', async () => {
    const body = await contextTar({ Dockerfile: `FROM ${NANOSERVER}\n` });
    const two = await d().http('POST', '/build?version=2', body as unknown as string);
    expect(two.status).toBe(400);
    const three = await d().http('POST', '/build?version=3', body as unknown as string);
    expect(JSON.parse(three.body)).toEqual({ message: 'invalid version "3"' });
  });
});
