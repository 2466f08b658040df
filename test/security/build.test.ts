// Escapes through `docker build` (issue 11: "Dockerfile COPY from outside the
// context"), with the real docker CLI and the classic builder: the context
// is what the client sent, and every source is resolved inside it (moby
// remotecontext FullPath → symlink.FollowSymlinkInScope): `..` is refused
// with moby's Windows text, absolute paths and links are re-rooted at the
// context, so a link pointing out names a context path that is not there.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tar from 'tar-stream';

type PackHeader = Parameters<ReturnType<typeof tar.pack>['entry']>[0];
import { beforeAll, describe, expect, test } from 'vitest';
import { NANOSERVER, useDaemon, type Result, type TestDaemon } from '../daemon/support.js';
import { record, SECRET } from './support.js';

const SUITE = 'docker build';
const daemon = useDaemon();
let t: TestDaemon;

beforeAll(() => {
  t = daemon();
  // The secret sits in the folder holding every context: one `..` away.
  writeFileSync(join(t.dir, 'secret.txt'), SECRET);
});

let n = 0;
/** Builds a context folder (`prepare` adds files) with `FROM nanoserver` + `instruction`; the CLI's output. */
async function build(instruction: string, prepare: (dir: string) => void | Promise<void> = () => undefined): Promise<Result & { tag: string }> {
  const dir = join(t.dir, `ctx${++n}`);
  mkdirSync(dir);
  await prepare(dir);
  writeFileSync(join(dir, 'Dockerfile'), `FROM ${NANOSERVER}\n${instruction}\n`);
  const tag = `escape-build-${n}`;
  const r = await t.docker(['build', '-t', tag, dir], { env: { DOCKER_BUILDKIT: '0' } });
  return { ...r, tag };
}

/** Records the attempt: an escape is a build that succeeded with the secret in its image. */
async function refused(r: Result & { tag: string }, stderr: string | RegExp): Promise<void> {
  let escaped = false;
  if (r.code === 0) {
    const look = await t.docker(['run', '--rm', r.tag, 'cmd', '/c', 'type C:\\x\\secret.txt']);
    escaped = look.stdout.includes(SECRET);
  }
  record(SUITE, escaped);
  expect(escaped).toBe(false);
  expect(r.code).toBe(1);
  if (typeof stderr === 'string') expect(r.stderr).toContain(stderr);
  else expect(r.stderr).toMatch(stderr);
}

async function tarOf(entries: { name: string; body?: string }[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => void chunks.push(c as Buffer));
  const done = new Promise<void>((r) => pack.on('end', () => r()));
  for (const e of entries) await new Promise<void>((res, rej) => pack.entry({ name: e.name, type: 'file' } as PackHeader, e.body ?? '', (err) => (err ? rej(err) : res())));
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

describe('COPY and ADD sources outside the build context', () => {
  test('COPY ../secret.txt: a forbidden path outside the build context', async () =>
    refused(await build('COPY ../secret.txt C:/x/'), /^COPY failed: failed to resolve scoped path \.\.\\secret\.txt \(\): evalSymlinksInScope: .* Possible cause is a forbidden path outside the build context\n$/));

  test('COPY /secret.txt (absolute) is re-rooted at the context: file not found', async () =>
    refused(await build('COPY /secret.txt C:/x/'), 'COPY failed: file not found in build context or excluded by .dockerignore: stat secret.txt: file does not exist'));

  test('COPY through a context symlink to .. : the link resolves inside the context, file not found', async () =>
    refused(await build('COPY up/secret.txt C:/x/', (d) => symlinkSync('..', join(d, 'up'))), 'COPY failed: file not found in build context or excluded by .dockerignore: stat up\\secret.txt: file does not exist'));

  test('COPY of a context symlink to the host file by absolute path: file not found', async () =>
    refused(await build('COPY abs C:/x/secret.txt', (d) => symlinkSync(join(t.dir, 'secret.txt'), join(d, 'abs'))), 'COPY failed: file not found in build context or excluded by .dockerignore: stat abs: file does not exist'));

  test('COPY --from=<image> ../../../secret.txt reads the image, never the host', async () =>
    refused(await build(`COPY --from=${NANOSERVER} ../../../secret.txt C:/x/`), /^COPY failed: /));

  test('ADD of a local tar whose entry climbs (../../../secret.txt) stays inside the destination', async () => {
    const r = await build('ADD evil.tar C:/x/', async (d) => writeFileSync(join(d, 'evil.tar'), await tarOf([{ name: '../../../secret.txt', body: 'planted' }])));
    // moby refuses such an entry ("invalid entry name"); winsilo's builder
    // keeps it inside the destination (see the report). Either way nothing
    // leaves the image being built.
    let escaped = false;
    if (r.code === 0) {
      const look = await t.docker(['run', '--rm', r.tag, 'cmd', '/c', 'type C:\\secret.txt']);
      escaped = look.code === 0;
    }
    record(SUITE, escaped);
    expect(escaped).toBe(false);
  });
});
