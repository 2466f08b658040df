// A built image on a data root survives a restart: its layers, its config
// (ArgsEscaped, Volumes, …) and its tag; the build cache still finds it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { Host } from '../../../src/host/host.js';
import { contextOf, NANOSERVER, RecordedOutput, runImage, seeded } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'winsilo-build-root-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a built image is kept on the data root and runs after a restart', async () => {
  const files = { Dockerfile: `FROM ${NANOSERVER}\nCOPY a.txt /\nVOLUME C:\\\\data\nCMD type C:\\a.txt`, 'a.txt': 'kept' };
  const a = await Host.open({ dataRoot: dir }, { random: seeded(7) });
  await a.pull(NANOSERVER);
  const id = await a.build(contextOf(files), { tags: ['kept:1'] }, new RecordedOutput());
  await a.close();

  const b = await Host.open({ dataRoot: dir }, { random: seeded(8) });
  try {
    expect(b.image('kept:1')?.id).toBe(id);
    expect(b.image(id)!.config).toMatchObject({ ArgsEscaped: true, Volumes: { 'C:\\data': {} } });
    expect((await runImage(b, 'kept:1')).out).toBe('kept');
    // The cache finds the images the first process made (their stored container_config).
    const out = new RecordedOutput();
    expect(await b.build(contextOf(files), {}, out)).toBe(id);
    expect(out.lines.filter((l) => l === ' ---> Using cache')).toHaveLength(3);
  } finally {
    await b.close();
  }
}, 60000);

test('the parent relation survives a restart: rmi of the built image still deletes its untagged parents', async () => {
  const root = mkdtempSync(join(tmpdir(), 'winsilo-build-parent-'));
  try {
    const a = await Host.open({ dataRoot: root }, { random: seeded(9) });
    await a.pull(NANOSERVER);
    const id = await a.build(contextOf({ Dockerfile: `FROM ${NANOSERVER}\nENV A=1\nLABEL b=2\n` }), { tags: ['parents:1'] }, new RecordedOutput());
    const mid = a.image(id)!.parent!;
    const first = a.image(mid)!.parent!;
    expect(first).toBe(a.image(NANOSERVER)!.id);
    await a.close();

    const b = await Host.open({ dataRoot: root }, { random: seeded(10) });
    try {
      expect(b.image(id)!.parent).toBe(mid);
      expect(b.image(mid)!.parent).toBe(first);
      expect(b.image(NANOSERVER)!.parent).toBeUndefined();
      const records = b.deleteImage('parents:1');
      // The base is named: the walk stops there.
      expect(records.filter((r) => r.Deleted === id || r.Deleted === mid || r.Deleted === first).map((r) => r.Deleted)).toEqual([id, mid]);
      expect(b.image(mid)).toBeUndefined();
      expect(b.image(NANOSERVER)).toBeDefined();
    } finally {
      await b.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}, 60000);
