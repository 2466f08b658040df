// `POST /commit` as moby's CreateImageFromContainer (daemon/commit.go): the
// request body's container.Config (docker-py's conf=, dockerode's body),
// else the container's own, the `changes` applied, then merge() with the
// container's config; and the committed layer taken against the same
// parent `docker diff` compares with, so the host's program stubs are in
// no committed layer.
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { NANOSERVER, run, useDaemon } from './support.js';

const d = useDaemon();
const script = fileURLToPath(new URL('./dockerpy-commit.py', import.meta.url));

describe('commit config (moby daemon/commit.go merge)', () => {
  test('the body config, then changes, then what the container has that the body lacks', async () => {
    const r = await run('python3', [script, `unix://${d().socket}`], { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: d().dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out['conf']).toEqual({
      Cmd: ['say.exe', 'from', 'conf'],
      Entrypoint: null,
      // The body's, the change's, then the container's names the body lacks (SHARED is the body's `shared`: Windows compares names case-insensitively).
      Env: ['FROM_CONF=2', 'shared=conf', 'FROM_CHANGE=3', 'FROM_RUN=1'],
      WorkingDir: 'C:\\Users',
      Labels: { made: 'py' },
      ExposedPorts: { '8080/tcp': {} },
    });
    expect(out['conf_run']).toBe('from conf\r\n');
    // No body: the container's own config (its command, its -e, its -w), as docker commit keeps them.
    expect(out['plain']).toEqual({ Cmd: ['say.exe', 'from', 'run'], Env: ['FROM_RUN=1', 'SHARED=run'], WorkingDir: 'C:\\Users' });
    // An Entrypoint given: the container's Cmd is not carried over (merge fills Cmd only when no Entrypoint is given).
    expect(out['entry']).toEqual({ Cmd: null, Entrypoint: ['say.exe', 'entry'] });
    expect(out['bad']).toEqual([400, 'json: cannot unmarshal number into Go struct field commitRequest.Cmd of type strslice.StrSlice']);
  });

  test('docker commit without a body keeps the container command and -e', async () => {
    expect((await d().docker(['run', '--name', 'clicommit', '-e', 'CLI=yes', NANOSERVER, 'say.exe', 'cli', 'made'])).code).toBe(0);
    expect((await d().docker(['commit', 'clicommit', 'clicommit:v1'])).code).toBe(0);
    const cfg = JSON.parse((await d().docker(['image', 'inspect', '--format', '{{json .Config}}', 'clicommit:v1'])).stdout) as { Cmd: string[]; Env: string[] };
    expect(cfg.Cmd).toEqual(['say.exe', 'cli', 'made']);
    expect(cfg.Env).toContain('CLI=yes');
    expect(await d().docker(['run', '--rm', 'clicommit:v1'])).toMatchObject({ code: 0, stdout: 'cli made\r\n' });
  });
});

describe('commit and diff against one parent (the host programs layer)', () => {
  test('the committed layer holds what docker diff lists, and no program stub', async () => {
    expect((await d().docker(['run', '--name', 'stubs', NANOSERVER, 'write.exe', 'C:\\mine.txt', 'own'])).code).toBe(0);
    const diff = (await d().docker(['diff', 'stubs'])).stdout.trim().split('\n');
    expect(diff).toContain('C Files/mine.txt');
    expect(diff.some((l) => /say\.exe/i.test(l))).toBe(false);
    expect((await d().docker(['commit', 'stubs', 'stubs:v1'])).code).toBe(0);
    // The saved image's own layer: the container's file, no stub.
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(d().dir, 'save-'));
    const tarPath = join(dir, 'img.tar');
    expect((await d().docker(['save', '-o', tarPath, 'stubs:v1'])).code).toBe(0);
    execFileSync('tar', ['-xf', tarPath, '-C', dir]);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
    const own = manifest[0]!.Layers[manifest[0]!.Layers.length - 1]!;
    const names = execFileSync('tar', ['-tf', join(dir, own)], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toContain('Files/mine.txt');
    expect(names.filter((n) => /\.exe$/i.test(n))).toEqual([]);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    // The committed image still runs the host's programs (their stubs come at each start) and has the file.
    expect(await d().docker(['run', '--rm', 'stubs:v1', 'type.exe', 'C:\\mine.txt'])).toMatchObject({ code: 0, stdout: 'own' });
    // A container of the committed image shows no stub in its diff either.
    expect((await d().docker(['run', '--name', 'stubs2', 'stubs:v1', 'write.exe', 'C:\\two.txt', '2'])).code).toBe(0);
    const diff2 = (await d().docker(['diff', 'stubs2'])).stdout.trim().split('\n');
    expect(diff2).toContain('C Files/two.txt');
    expect(diff2.some((l) => /\.exe/i.test(l) || /mine\.txt/.test(l))).toBe(false);
  });
});
