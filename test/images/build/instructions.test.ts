// Instruction semantics through Host.build (the embedded classic builder):
// the config each instruction leaves, what a container of the built image
// sees, and the cache.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Host } from '../../../src/host/host.js';
import { BuildError } from '../../../src/images/build/errors.js';
import { contextOf, hostWithBase, NANOSERVER, RecordedOutput, runImage } from './support.js';

let host: Host;
beforeAll(async () => {
  host = await hostWithBase(NANOSERVER);
});
afterAll(async () => {
  await host.close();
});

async function build(files: Record<string, string | Buffer | { link: string }>, options: Parameters<Host['build']>[1] = {}): Promise<{ id: string; out: RecordedOutput }> {
  const out = new RecordedOutput();
  const id = await host.build(contextOf(files), options, out);
  return { id, out };
}

async function failure(files: Record<string, string | Buffer | { link: string }>, options: Parameters<Host['build']>[1] = {}): Promise<BuildError> {
  try {
    await build(files, options);
  } catch (e) {
    if (e instanceof BuildError) return e;
    throw e;
  }
  throw new Error('the build succeeded');
}

describe('the config each instruction leaves (the image runs with it)', () => {
  test('ENV, WORKDIR (created, relative to the previous), USER, CMD shell form, EXPOSE, LABEL, VOLUME, STOPSIGNAL, HEALTHCHECK', async () => {
    const { id } = await build({
      Dockerfile: [
        `FROM ${NANOSERVER}`,
        'ENV GREETING="hello world" OTHER=${GREETING}-x',
        'WORKDIR /app',
        'WORKDIR data',
        'USER ContainerUser',
        'EXPOSE 80 443/udp',
        'LABEL org.example.name="demo app"',
        'VOLUME C:\\\\data',
        'STOPSIGNAL SIGINT',
        'HEALTHCHECK --interval=5s --retries=2 CMD ping -n 1 localhost',
        'CMD echo %GREETING%& cd& whoami',
      ].join('\n'),
    });
    const image = host.image(id)!;
    expect(image.config).toMatchObject({
      Env: expect.arrayContaining(['GREETING=hello world', 'OTHER=hello world-x']),
      WorkingDir: 'C:\\app\\data',
      User: 'ContainerUser',
      ExposedPorts: { '80/tcp': {}, '443/udp': {} },
      Labels: { 'org.example.name': 'demo app' },
      Volumes: { 'C:\\data': {} },
      StopSignal: 'SIGINT',
      Healthcheck: { Test: ['CMD-SHELL', 'ping -n 1 localhost'], Interval: 5e9, Retries: 2 },
      Cmd: ['cmd /S /C echo %GREETING%& cd& whoami'],
      ArgsEscaped: true,
    });
    // docker history's CREATED BY: the step's nop command line, as moby's commit writes it.
    const createdBy = image.layers.slice(-10).map((l) => l.createdBy);
    expect(createdBy).toEqual([
      'cmd /S /C #(nop)  ENV GREETING=hello world OTHER=hello world-x',
      'cmd /S /C #(nop) WORKDIR C:\\app',
      'cmd /S /C #(nop) WORKDIR C:\\app\\data',
      'cmd /S /C #(nop)  USER ContainerUser',
      'cmd /S /C #(nop)  EXPOSE 443/udp 80',
      'cmd /S /C #(nop)  LABEL org.example.name=demo app',
      'cmd /S /C #(nop)  VOLUME [C:\\data]',
      'cmd /S /C #(nop)  STOPSIGNAL SIGINT',
      'cmd /S /C #(nop)  HEALTHCHECK &{["CMD-SHELL" "ping -n 1 localhost"] "5s" "0s" "0s" "0s" \'\\x02\'}',
      'cmd /S /C #(nop)  CMD ["cmd /S /C echo %GREETING%& cd& whoami"]',
    ]);
    const r = await runImage(host, id);
    expect(r).toEqual({ out: 'hello world\r\nC:\\app\\data\r\nuser manager\\containeruser\r\n', code: 0 });
  }, 30000);

  test('COPY: a file to a folder (trailing slash), a folder’s contents, wildcards, a Windows path destination', async () => {
    const { id } = await build({
      Dockerfile: `# escape=\`\nFROM ${NANOSERVER}\nCOPY a.txt C:\\app\\\nCOPY site/ C:\\inetpub\\\nCOPY *.cfg /conf/\nCOPY a.txt /renamed.txt\nCMD ["cmd", "/c", "type C:\\\\app\\\\a.txt C:\\\\inetpub\\\\index.html C:\\\\inetpub\\\\css\\\\s.css C:\\\\conf\\\\x.cfg C:\\\\renamed.txt"]`,
      'a.txt': 'A',
      'site/index.html': 'I',
      'site/css/s.css': 'S',
      'x.cfg': 'X',
      'y.txt': 'Y',
    });
    const r = await runImage(host, id);
    expect(r.code).toBe(0);
    // type names each file (on stderr) before its text when given several, as cmd does.
    expect(r.out.split('\r\n').filter((l) => /^[AISX]$/.test(l) || l === 'A')).toEqual(['A', 'I', 'S', 'X', 'A']);
    expect(r.out.endsWith('C:\\renamed.txt\r\n\r\n\r\nA')).toBe(true);
  }, 30000);

  test('RUN shell form goes through cmd /S /C and its files are in the image', async () => {
    const { id, out } = await build({ Dockerfile: `FROM ${NANOSERVER}\nRUN echo built> C:\\b.txt && echo done\nCMD type C:\\b.txt` });
    expect(out.text).toContain('done\r\n');
    // cmd keeps the blank before && in echo's text, as on Windows.
    expect((await runImage(host, id)).out).toBe('built \r\n');
    expect(host.image(id)!.layers.at(-2)!.createdBy).toBe('cmd /S /C echo built> C:\\b.txt && echo done');
  }, 30000);

  test('RUN exec form runs the program as given', async () => {
    const { out } = await build({ Dockerfile: `FROM ${NANOSERVER}\nRUN ["cmd", "/c", "echo exec form"]` });
    expect(out.text).toContain('exec form\r\n');
  }, 30000);

  test('SHELL changes the shell form’s prefix', async () => {
    const { id } = await build({ Dockerfile: `FROM ${NANOSERVER}\nSHELL ["cmd", "/V:ON", "/C"]\nCMD set X=1&& echo !X!` });
    expect(host.image(id)!.config.Cmd).toEqual(['cmd /V:ON /C set X=1&& echo !X!']);
    expect((await runImage(host, id)).out).toBe('1\r\n');
  }, 30000);

  test('ENTRYPOINT exec form with CMD as its arguments', async () => {
    const { id } = await build({ Dockerfile: `FROM ${NANOSERVER}\nENTRYPOINT ["cmd", "/c", "echo"]\nCMD ["from", "cmd"]` });
    expect((await runImage(host, id)).out).toBe('from cmd\r\n');
  }, 30000);
});

describe('the registry carries from step to step', () => {
  test('setx /M in one RUN is in the environment of the next RUN and of the image’s containers (the machine environment is the registry’s)', async () => {
    // Nano Server runs as ContainerUser, whom /M refuses (the registry path is the administrators').
    const denied = await failure({ Dockerfile: [`FROM ${NANOSERVER}`, 'RUN setx /M TOOLS C:\\tools'].join('\n') });
    expect(denied.message).toBe("The command 'cmd /S /C setx /M TOOLS C:\\tools' returned a non-zero code: 1");
    const { id, out } = await build({ Dockerfile: [`FROM ${NANOSERVER}`, 'USER ContainerAdministrator', 'RUN setx /M TOOLS C:\\tools', 'RUN echo tools=%TOOLS%'].join('\n') });
    expect(out.text).toContain('SUCCESS: Specified value was saved.\r\n');
    expect(out.text).toContain('tools=C:\\tools\r\n');
    expect((await runImage(host, id, ['cmd', '/c', 'echo %TOOLS%'])).out).toBe('C:\\tools\r\n');
  });
});

describe('ONBUILD', () => {
  test('triggers run when a build starts FROM the image', async () => {
    const parent = await build({ Dockerfile: `FROM ${NANOSERVER}\nONBUILD ENV TRIGGERED=yes` }, { tags: ['onbuild-parent:1'] });
    expect(host.image(parent.id)!.config.OnBuild).toEqual(['ENV TRIGGERED=yes']);
    const child = await build({ Dockerfile: 'FROM onbuild-parent:1\nLABEL child=1' });
    expect(child.out.lines).toContain('# Executing 1 build trigger');
    expect(host.image(child.id)!.config.Env).toContain('TRIGGERED=yes');
    expect(host.image(child.id)!.config.OnBuild ?? null).toBeNull();
  }, 30000);
});

describe('ARG and --build-arg', () => {
  test('a default, overridden by --build-arg, seen by RUN and kept out of the image’s Env', async () => {
    const { id, out } = await build({ Dockerfile: `FROM ${NANOSERVER}\nARG NAME=default\nRUN echo name=%NAME%\nENV SEEN=\${NAME}` }, { buildArgs: { NAME: 'given' } });
    expect(out.text).toContain('name=given\r\n');
    expect(host.image(id)!.config.Env).toContain('SEEN=given');
    expect(host.image(id)!.config.Env!.some((e) => e.startsWith('NAME='))).toBe(false);
  }, 30000);

  test('an unused --build-arg is moby’s warning', async () => {
    const { out } = await build({ Dockerfile: `FROM ${NANOSERVER}\nENV A=1` }, { buildArgs: { unused: 'x', other: null, HTTP_PROXY: 'p' } });
    expect(out.lines).toContain('[Warning] One or more build-args [other unused] were not consumed');
  }, 30000);

  test('predefined proxy ARGs reach RUN without an ARG line and stay out of the history', async () => {
    const { id, out } = await build({ Dockerfile: `FROM ${NANOSERVER}\nRUN echo proxy=%HTTP_PROXY%` }, { buildArgs: { HTTP_PROXY: 'http://proxy:3128' } });
    expect(out.text).toContain('proxy=http://proxy:3128\r\n');
    expect(out.text).not.toContain('[Warning]');
    expect(host.image(id)!.layers.at(-1)!.createdBy).toBe('|0 cmd /S /C echo proxy=%HTTP_PROXY%');
  }, 30000);

  test('an ARG before FROM parameterises the base', async () => {
    const { out } = await build({ Dockerfile: `ARG BASE=${NANOSERVER}\nFROM \${BASE}\nENV A=1` });
    expect(out.lines.slice(0, 2)).toEqual([`Step 1/3 : ARG BASE=${NANOSERVER}`, 'Step 2/3 : FROM ${BASE}']);
  }, 30000);
});

describe('multi-stage', () => {
  test('COPY --from a named stage, --target stops at a stage', async () => {
    const files = { Dockerfile: `FROM ${NANOSERVER} AS build\nRUN mkdir C:\\out && echo artifact> C:\\out\\app.txt\nFROM ${NANOSERVER}\nCOPY --from=build C:/out/app.txt /app/\nCMD type C:\\app\\app.txt` };
    const { id, out } = await build(files);
    expect((await runImage(host, id)).out).toBe('artifact\r\n');
    expect(out.ids).toHaveLength(2);
    const target = await build(files, { target: 'build' });
    expect(target.out.lines.at(-1)).toMatch(/^Successfully built [0-9a-f]{12}$/);
    expect(target.out.lines.filter((l) => l.startsWith('Step'))).toHaveLength(2);
    expect((await failure(files, { target: 'nope' })).message).toBe('target stage "nope" could not be found');
  }, 60000);
});

describe('ADD', () => {
  test('a local tar archive is extracted into the destination', async () => {
    const { default: tar } = await import('tar-stream');
    const pack = tar.pack();
    pack.entry({ name: 'inner/file.txt' }, 'from tar');
    pack.finalize();
    const parts: Buffer[] = [];
    for await (const c of pack) parts.push(Buffer.from(c as Uint8Array));
    const { id } = await build({ Dockerfile: `FROM ${NANOSERVER}\nADD bundle.tar /dest/\nCMD type C:\\dest\\inner\\file.txt`, 'bundle.tar': Buffer.concat(parts) });
    expect((await runImage(host, id)).out).toBe('from tar');
  }, 30000);

  test('a URL is refused: the host is offline', async () => {
    const e = await failure({ Dockerfile: `FROM ${NANOSERVER}\nADD https://example.com/x.zip /x.zip` });
    expect(e.message).toBe('ADD failed: Get "https://example.com/x.zip": dial tcp: lookup example.com: no such host');
  });

  test('COPY of a URL is moby’s error', async () => {
    expect((await failure({ Dockerfile: `FROM ${NANOSERVER}\nCOPY https://example.com/x /x` })).message).toBe("COPY failed: source can't be a URL for COPY");
  });
});

describe('failures in moby’s words', () => {
  test('a RUN that exits non-zero: the command line and its code', async () => {
    const e = await failure({ Dockerfile: `FROM ${NANOSERVER}\nRUN exit 1` });
    expect(e.message).toBe("The command 'cmd /S /C exit 1' returned a non-zero code: 1");
    expect(e.code).toBe(1);
  }, 30000);
  test('a missing COPY source', async () => {
    expect((await failure({ Dockerfile: `FROM ${NANOSERVER}\nCOPY nope.txt /` })).message).toBe('COPY failed: file not found in build context or excluded by .dockerignore: stat nope.txt: file does not exist');
  });
  test('FROM scratch on Windows', async () => {
    expect((await failure({ Dockerfile: 'FROM scratch' })).message).toBe('Windows does not support FROM scratch');
  });
  test('several sources need a folder destination', async () => {
    expect((await failure({ Dockerfile: `FROM ${NANOSERVER}\nCOPY a b /dest`, a: '1', b: '2' })).message).toBe('When using COPY with more than one source file, the destination must be a directory and end with a /');
  });
  test('a Dockerfile that is not there', async () => {
    expect((await failure({ 'x.txt': '' })).message).toBe('Cannot locate specified Dockerfile: Dockerfile');
  });
  test('RUN --mount needs BuildKit', async () => {
    expect((await failure({ Dockerfile: `FROM ${NANOSERVER}\nRUN --mount=type=cache,target=/x echo` })).message).toBe('the --mount option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled');
  });
});

describe('the build cache', () => {
  test('a second build uses the cache at every step; a changed COPY source misses from there on', async () => {
    const df = `FROM ${NANOSERVER}\nENV A=1\nCOPY a.txt /\nRUN echo ran\nCMD type C:\\a.txt`;
    const first = await build({ Dockerfile: df, 'a.txt': 'one' });
    const second = await build({ Dockerfile: df, 'a.txt': 'one' });
    expect(second.id).toBe(first.id);
    expect(second.out.lines.filter((l) => l === ' ---> Using cache')).toHaveLength(4);
    const changed = await build({ Dockerfile: df, 'a.txt': 'two' });
    expect(changed.out.lines.filter((l) => l === ' ---> Using cache')).toHaveLength(1);
    expect((await runImage(host, changed.id)).out).toBe('two');
    const noCache = await build({ Dockerfile: df, 'a.txt': 'one' }, { noCache: true });
    expect(noCache.out.text).not.toContain('Using cache');
  }, 60000);
});
