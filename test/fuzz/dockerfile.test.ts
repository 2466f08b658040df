// Bad input to the builder (issue 11, "Bad input"): random Dockerfiles —
// instruction words, flags, JSON and shell forms, continuations,
// directives, variables, stages — through the parser at volume, and a
// share through Host.build with a random context. Each ends in an image
// id or a BuildError (moby's message; HostError / Win32Error from the host
// beneath a step), within a deadline — never another exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Win32Error } from '../../src/core/win32.js';
import { HostError } from '../../src/host/errors.js';
import { Host } from '../../src/host/host.js';
import { BuildContext } from '../../src/images/build/context.js';
import { BuildError } from '../../src/images/build/errors.js';
import { toProgram } from '../../src/images/build/instructions.js';
import { parseDockerfile } from '../../src/images/build/parser.js';
import { RELIABILITY, SEED, yieldToEventLoop } from '../support/budget.js';
import { recordReliability } from '../support/reliability.js';

const PARSE_CASES = RELIABILITY ? 30_000 : 1_500;
const BUILD_CASES = RELIABILITY ? 400 : 30;
const DEADLINE_MS = 20_000;
const NANO = 'mcr.microsoft.com/windows/nanoserver:ltsc2022';


const WORDS = ['FROM', 'from', 'RUN', 'CMD', 'ENTRYPOINT', 'ENV', 'LABEL', 'ARG', 'COPY', 'ADD', 'WORKDIR', 'USER', 'EXPOSE', 'VOLUME', 'SHELL', 'STOPSIGNAL', 'HEALTHCHECK', 'ONBUILD', 'MAINTAINER', 'NOPE', ''];
const ARGS = fc.oneof(
  fc.constantFrom(NANO, `${NANO} AS a`, 'scratch', 'a', 'nope:latest', '--platform=linux/amd64 ' + NANO, '$BASE', '${BASE:-' + NANO + '}', '["cmd", "/c", "echo hi"]', '["cmd",', '[]', '[1, 2]',
    'cmd /c echo %PATH%', 'cmd /c exit 3', 'A=1 B="2 3"', 'A', 'A=', '"A=1', 'x.txt C:/app/', '--from=a x.txt .', '--chown=x a b', 'nope C:/', '../x .', 'C:\\x', '80/tcp 443', '99999999',
    'SIGKILL', 'SIGNOPE', 'NONE', 'CMD cmd /c ver', '--interval=0s CMD x', '--interval=nope CMD x', 'RUN echo hi', 'ONBUILD RUN x', 'FROM x', '["powershell", "-Command"]', 'ContainerUser', '"quoted', "'single",
    '${A:?missing}', '${A:+x}', '$$', '\\$A', '`$A', 'x\\\n y', 'x`\n y'),
  fc.string({ maxLength: 30 }),
);
const LINE = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...WORDS), fc.array(ARGS, { maxLength: 3 })).map(([w, a]) => `${w} ${a.join(' ')}`) },
  { weight: 1, arbitrary: fc.constantFrom('# escape=`', '# escape=\\', '# escape=x', '# syntax=docker/dockerfile:1', '# check=skip=all', '# comment', '', '   ', '\\', '`', 'RUN x \\', '\t\t', '\r') },
);
const DOCKERFILE = fc.tuple(fc.boolean(), fc.array(LINE, { maxLength: 12 }), fc.constantFrom('\n', '\r\n')).map(([from, lines, eol]) => (from ? [`FROM ${NANO}`, ...lines] : lines).join(eol));

/** Dockerfiles that mostly build, with one random line among them, so builds get past the parser. */
const VALID_LINES = ['ENV A=1', 'ENV P=${A}/x', 'LABEL a=b', 'WORKDIR C:/app', 'WORKDIR sub', 'COPY x.txt .', 'COPY a/ C:/a/', 'ADD x.txt y.txt', 'RUN cmd /c echo hi', 'RUN exit 3', 'CMD ["cmd"]', 'ARG B=2', 'USER ContainerUser',
  'EXPOSE 80', 'SHELL ["cmd", "/S", "/C"]', `FROM ${NANO} AS a`, 'COPY --from=a C:/Windows/System32/cmd.exe .', 'STOPSIGNAL SIGTERM', 'HEALTHCHECK NONE', 'ONBUILD ENV X=1', 'VOLUME C:/data', 'ENTRYPOINT cmd /c'];
const BUILDFILE = fc.oneof(
  DOCKERFILE,
  fc.tuple(fc.array(fc.constantFrom(...VALID_LINES), { maxLength: 6 }), LINE, fc.nat()).map(([lines, odd, at]) => {
    const all = [...lines];
    all.splice(at % (all.length + 1), 0, odd);
    return [`FROM ${NANO}`, ...all].join('\n');
  }),
);

describe('Dockerfile bad input', () => {
  it(`${PARSE_CASES} random Dockerfiles parse to a program or a BuildError`, async () => {
    const findings: string[] = [];
    let cases = 0;
    for (let chunk = 0; chunk * 500 < PARSE_CASES; chunk++) {
      await yieldToEventLoop();
      for (const text of fc.sample(DOCKERFILE, { seed: SEED + chunk, numRuns: Math.min(500, PARSE_CASES - chunk * 500) })) {
        cases++;
        try {
          toProgram(parseDockerfile(text));
        } catch (e) {
          if (!(e instanceof BuildError)) findings.push(`${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)} on ${JSON.stringify(text.slice(0, 300))}`);
        }
      }
    }
    recordReliability({ family: 'fuzz', suite: 'Dockerfiles (parser)', trials: cases, failures: findings.length });
    expect(findings.slice(0, 10)).toEqual([]);
  }, RELIABILITY ? 600_000 : 60_000);

  it(`${BUILD_CASES} random Dockerfiles and contexts build or fail with a BuildError`, async () => {
    const host = await Host.open({});
    const findings: string[] = [];
    const kinds = new Map<string, number>();
    let cases = 0;
    try {
      await host.pull(NANO);
      const CASE = fc.record({
        dockerfile: BUILDFILE,
        files: fc.array(fc.tuple(fc.constantFrom('x.txt', 'a/b.txt', '.dockerignore', 'Dockerfile.other', 'big.bin', 'sub/'), fc.uint8Array({ maxLength: 64 })), { maxLength: 3 }),
        target: fc.option(fc.constantFrom('a', 'nope', ''), { freq: 5 }),
        buildArgs: fc.option(fc.dictionary(fc.constantFrom('BASE', 'A', 'B'), fc.option(fc.constantFrom(NANO, 'x', ''), { freq: 4 }), { maxKeys: 2 }), { freq: 3 }),
      });
      for (let chunk = 0; chunk * 10 < BUILD_CASES; chunk++) {
        await yieldToEventLoop();
        for (const c of fc.sample(CASE, { seed: SEED + 100 + chunk, numRuns: Math.min(10, BUILD_CASES - chunk * 10) })) {
          cases++;
          const label = JSON.stringify(c.dockerfile.slice(0, 300));
          let timer: NodeJS.Timeout | undefined;
          const deadline = new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), DEADLINE_MS)));
          const mtime = new Date(Date.UTC(2026, 0, 1));
          const run = (async () => {
            const context = new BuildContext(
              [
                ['Dockerfile', { type: 'file', data: Buffer.from(c.dockerfile), linkname: '', mtime }],
                ...c.files.map(([name, data]): [string, { type: 'file' | 'directory'; data: Buffer; linkname: string; mtime: Date }] => [name, { type: name.endsWith('/') ? 'directory' : 'file', data: Buffer.from(data), linkname: '', mtime }]),
              ],
              'C:\\ProgramData\\docker\\tmp\\docker-builder000',
            );
            return host.build(context, { ...(c.target !== null ? { target: c.target } : {}), ...(c.buildArgs !== null ? { buildArgs: c.buildArgs } : {}) }, { stdout: () => undefined, stderr: () => undefined, aux: () => undefined });
          })();
          try {
            const r = await Promise.race([run, deadline]);
            if (r === 'hang') findings.push(`hang on ${label}`);
            else kinds.set('built', (kinds.get('built') ?? 0) + 1);
          } catch (e) {
            if (!(e instanceof BuildError || e instanceof HostError || e instanceof Win32Error)) findings.push(`${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)} on ${label}`);
            else {
              const k = `${e.constructor.name}: ${e.message.slice(0, 60)}`;
              kinds.set(k, (kinds.get(k) ?? 0) + 1);
            }
          } finally {
            clearTimeout(timer);
          }
        }
      }
    } finally {
      await host.close();
    }
    // eslint-disable-next-line no-console
    if (process.env['WINSILO_FUZZ_VERBOSE'] === '1') console.log(findings, kinds);
    recordReliability({ family: 'fuzz', suite: 'Dockerfiles (builder)', trials: cases, failures: findings.length, detail: `${kinds.get('built') ?? 0} built` });
    expect(findings.slice(0, 10)).toEqual([]);
  }, RELIABILITY ? 600_000 : 120_000);
});
