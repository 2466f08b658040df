// `docker build --cache-from` through the real docker CLI (moby v28.2.2
// image/cache ImageCache): an image that came from elsewhere (here: saved,
// deleted, loaded back — no parent chain, not built here) serves as cache
// only when named, and only where its history and layers continue the
// current image's; a step that is not its last is restored as a new
// image. Without --cache-from a loaded image is never cache (moby's local
// cache takes only images built here, by their parent relation).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { NANOSERVER, useDaemon } from '../../daemon/support.js';

const d = useDaemon();
let n = 0;

function folder(files: Record<string, string>): string {
  const dir = join(d().dir, `cf${n++}`);
  rmSync(dir, { recursive: true, force: true });
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

const ok = async (args: string[]): Promise<string> => {
  const r = await d().docker(args);
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.code, args.join(' ')).toBe(0);
  return r.stdout;
};

const STEPS = `FROM ${NANOSERVER}\nENV CF=1\nRUN echo cached> C:\\cf.txt\nCMD type C:\\cf.txt\n`;
const usingCache = (out: string): number => out.split('\n').filter((l) => l === ' ---> Using cache').length;

describe('--cache-from', () => {
  test('a loaded image is cache only when named: every step hits and the result is that image', async () => {
    const ctx = folder({ Dockerfile: STEPS });
    await ok(['build', '-q', '-t', 'cf-src:1', ctx]);
    const id = JSON.parse(await ok(['image', 'inspect', 'cf-src:1']))[0].Id as string;
    const archive = join(d().dir, 'cf-src.tar');
    await ok(['save', '-o', archive, 'cf-src:1']);
    await ok(['rmi', 'cf-src:1']);
    expect((await d().docker(['image', 'inspect', id])).code).toBe(1);
    expect(await ok(['load', '-i', archive])).toContain('Loaded image: cf-src:1');
    expect(JSON.parse(await ok(['image', 'inspect', 'cf-src:1']))[0].Parent).toBe('');

    // Not named: the loaded image is not cache (it is no child of the base here).
    const plain = await ok(['build', ctx]);
    expect(usingCache(plain), plain).toBe(0);

    // Named: the three steps are cache; the last one answers the source itself, which gains its parent.
    const hit = await ok(['build', '--cache-from', 'cf-src:1', ctx]);
    expect(usingCache(hit), hit).toBe(3);
    expect(hit).toContain(`Successfully built ${id.slice(7, 19)}`);
    expect(JSON.parse(await ok(['image', 'inspect', 'cf-src:1']))[0].Parent).toMatch(/^sha256:/);

    // A first step the source does not have: no cache.
    const fresh = folder({ Dockerfile: STEPS.replace('CF=1', 'CF=2') });
    const miss = await ok(['build', '--cache-from', 'cf-src:1', fresh]);
    expect(usingCache(miss), miss).toBe(0);
  }, 90000);

  test('a shorter Dockerfile restores the source’s steps as new images; a different step ends the cache', async () => {
    const ctx = folder({ Dockerfile: STEPS });
    await ok(['build', '-q', '-t', 'cf-two:1', ctx]);
    const archive = join(d().dir, 'cf-two.tar');
    await ok(['save', '-o', archive, 'cf-two:1']);
    await ok(['rmi', 'cf-two:1']);
    await ok(['load', '-i', archive]);
    const src = JSON.parse(await ok(['image', 'inspect', 'cf-two:1']))[0];
    // Same first two steps, then another CMD: two hits (restored images), then the step runs.
    const other = folder({ Dockerfile: STEPS.replace('CMD type C:\\cf.txt', 'CMD echo other') });
    const out = await ok(['build', '--cache-from', 'cf-two:1', '-t', 'cf-other:1', other]);
    expect(usingCache(out), out).toBe(2);
    expect(out).toContain('Step 4/4 : CMD echo other\n ---> Running in ');
    const built = JSON.parse(await ok(['image', 'inspect', 'cf-other:1']))[0];
    // Its layers continue the source's: the RUN layer is the source's own.
    expect(built.RootFS.Layers.slice(0, -1)).toEqual(src.RootFS.Layers.slice(0, -1));
    expect((await ok(['run', '--rm', 'cf-other:1'])).trim()).toBe('other');
    // A step that matches nothing in the source: no cache at all (the cache is busted from the first miss).
    const diverged = folder({ Dockerfile: `FROM ${NANOSERVER}\nENV CF=other\nRUN echo cached> C:\\cf.txt\n` });
    expect(usingCache(await ok(['build', '--cache-from', 'cf-two:1', diverged]))).toBe(0);
  }, 90000);

  test('a source that does not exist is skipped (moby logs it and builds without it)', async () => {
    const out = await ok(['build', '--cache-from', 'no-such-image:1', folder({ Dockerfile: `FROM ${NANOSERVER}\nENV CF=missing\n` })]);
    expect(usingCache(out)).toBe(0);
  }, 60000);
});
