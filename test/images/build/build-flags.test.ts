// `docker build` flags through the real docker CLI, as moby v28.2.2's
// classic builder answers them on Windows: --chown (a SID only when the
// build's platform is exactly `windows`), --chmod (BuildKit only),
// --squash (experimental daemons only), --pull, --iidfile, and the events
// a build logs.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { NANOSERVER, useDaemon } from '../../daemon/support.js';

const d = useDaemon();
let n = 0;

function folder(files: Record<string, string>): string {
  const dir = join(d().dir, `flags${n++}`);
  rmSync(dir, { recursive: true, force: true });
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

describe('COPY --chown / --chmod on Windows', () => {
  test('--chown without --platform windows changes nothing (moby takes the root pair, which has no SID)', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nCOPY --chown=nobody-here a.txt C:/a.txt\nCMD type C:\\a.txt\n`, 'a.txt': 'owned' });
    const r = await d().docker(['build', '-q', '-t', 'chown:1', ctx]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await d().docker(['run', '--rm', 'chown:1'])).stdout).toBe('owned');
    // The flag is part of the step's cache key (moby's comment `COPY --chown=… file:… in …`).
    const history = (await d().docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}', 'chown:1'])).stdout.split('\n');
    expect(history[1]).toMatch(/^cmd \/S \/C #\(nop\) COPY --chown=nobody-here file:[0-9a-f]{64} in C:\\a\.txt $/);
  }, 60000);

  test('with --platform windows the account must map to a SID: a string SID, a built-in name or a container account', async () => {
    for (const account of ['ContainerUser', 'Administrators', 'S-1-5-93-2-2']) {
      const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nCOPY --chown=${account} a.txt C:/a.txt\n`, 'a.txt': account });
      const r = await d().docker(['build', '-q', '--platform', 'windows', ctx]);
      expect(r.stderr, account).toBe('');
      expect(r.code, account).toBe(0);
    }
    const bad = await d().docker(['build', '--platform', 'windows', folder({ Dockerfile: `FROM ${NANOSERVER}\nCOPY --chown=nobody-here a.txt C:/a.txt\n`, 'a.txt': 'x' })]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('unable to map container user account name to SID: No mapping between account names and security IDs was done.');
  }, 60000);

  test('--chmod needs BuildKit', async () => {
    const r = await d().docker(['build', folder({ Dockerfile: `FROM ${NANOSERVER}\nCOPY --chmod=644 a.txt C:/a.txt\n`, 'a.txt': 'x' })]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('the --chmod option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled');
  }, 30000);
});

describe('build options', () => {
  test('--squash is refused: the CLI checks the daemon is experimental; the API answers moby’s text', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nENV S=1\n` });
    const r = await d().docker(['build', '--squash', ctx]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"--squash" is only supported on a Docker daemon with experimental features enabled');
    const api = await d().http('POST', '/v1.47/build?squash=1', '', { 'Content-Type': 'application/x-tar' });
    expect(api.status).toBe(400);
    expect(JSON.parse(api.body)).toEqual({ message: 'squash is only supported with experimental mode' });
  }, 30000);

  test('--iidfile: the CLI writes the id of the aux message (with -q: the quiet output, its newline included)', async () => {
    const file = join(d().dir, 'iid.txt');
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nENV IID=1\n` });
    const r = await d().docker(['build', '--iidfile', file, ctx]);
    expect(r.code).toBe(0);
    const id = readFileSync(file, 'utf8');
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.stdout).toContain(`Successfully built ${id.slice(7, 19)}`);
    const q = await d().docker(['build', '-q', '--iidfile', file, ctx]);
    expect(q.stdout).toBe(`${id}\n`);
    expect(readFileSync(file, 'utf8')).toBe(`${id}\n`);
  }, 30000);

  test('--pull pulls the FROM image even when it is here (moby PullOptionForcePull)', async () => {
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nENV P=1\n` });
    const without = await d().docker(['build', ctx]);
    expect(without.stdout).not.toContain('Pulling from');
    const r = await d().docker(['build', '--pull', ctx]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ltsc2022: Pulling from windows/nanoserver');
    expect(r.stdout).toContain(`Status: Image is up to date for ${NANOSERVER}`);
  }, 30000);

  test('events: each step’s container (create, attach/start/die for RUN, destroy) and its commit (image create), then the tag', async () => {
    const since = (Date.now() / 1000).toFixed(3);
    const ctx = folder({ Dockerfile: `FROM ${NANOSERVER}\nENV EV=1\nRUN echo ev\nCOPY a.txt C:/a.txt\n`, 'a.txt': 'a' });
    const b = await d().docker(['build', '-q', '--no-cache', '-t', 'events:1', ctx]);
    expect(b.code).toBe(0);
    const until = (Date.now() / 1000 + 0.5).toFixed(3);
    const ev = await d().docker(['events', '--since', since, '--until', until, '--format', '{{.Type}} {{.Action}}']);
    const lines = ev.stdout.split('\n').filter(Boolean);
    expect(lines).toEqual([
      'container create',
      'image create',
      'container destroy',
      'container create',
      'container attach',
      'container start',
      'container die',
      'image create',
      'container destroy',
      'image tag',
    ]);
  }, 60000);
});
