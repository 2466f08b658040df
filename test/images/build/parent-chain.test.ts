// The parent relation of built images, through the real docker CLI (moby
// v28.2.2 daemon/images: image_delete.go PruneChildren, image_prune.go,
// image_list.go's intermediate images, image_history.go's parent walk):
// each step's image is its parent's child, so `docker images` hides the
// untagged intermediates (shown with -a), `docker history` gives every
// step's row its image id and leaves only the base's lower rows
// <missing>, and `docker rmi` / `docker image prune` delete the
// untagged parents with the image.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { NANOSERVER, useDaemon } from '../../daemon/support.js';

const d = useDaemon();
let n = 0;

function folder(files: Record<string, string>): string {
  const dir = join(d().dir, `chain${n++}`);
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

/** The step images of `tag`, top first: the image and its parents up to (not including) the FROM image. */
async function chainOf(tag: string, steps: number): Promise<string[]> {
  const ids = [JSON.parse(await ok(['image', 'inspect', tag]))[0].Id as string];
  for (let i = 1; i < steps; i++) ids.push(JSON.parse(await ok(['image', 'inspect', ids[i - 1]!]))[0].Parent as string);
  return ids;
}

const THREE_STEPS = (marker: string): string => `FROM ${NANOSERVER}\nENV X=${marker}\nRUN echo ${marker}> C:\\m.txt\nCMD type C:\\m.txt\n`;

describe('built images and their parents', () => {
  test('docker images hides the intermediate images; -a and dangling=true follow moby image_list', async () => {
    const ctx = folder({ Dockerfile: THREE_STEPS('list') });
    await ok(['build', '-q', '-t', 'chain-list:1', ctx]);
    const [top, mid, first] = await chainOf('chain-list:1', 3);
    const base = JSON.parse(await ok(['image', 'inspect', NANOSERVER]))[0].Id as string;
    expect(JSON.parse(await ok(['image', 'inspect', first!]))[0].Parent).toBe(base);
    const listed = (await ok(['images', '-q', '--no-trunc'])).split('\n').filter(Boolean);
    expect(listed).toContain(top);
    expect(listed).not.toContain(mid);
    expect(listed).not.toContain(first);
    const all = (await ok(['images', '-a', '-q', '--no-trunc'])).split('\n').filter(Boolean);
    expect(all).toEqual(expect.arrayContaining([top, mid, first]));
    // An intermediate image has a child: never dangling, with or without -a.
    expect((await ok(['images', '-a', '-q', '--no-trunc', '-f', 'dangling=true'])).split('\n').filter(Boolean)).not.toContain(mid);
    expect((await ok(['images', '-a', '-q', '--no-trunc', '-f', 'dangling=false'])).split('\n').filter(Boolean)).not.toContain(mid);
  }, 60000);

  test('docker history: every step with its CREATED BY and image id; <missing> only below the FROM image', async () => {
    const ctx = folder({ Dockerfile: THREE_STEPS('hist') });
    await ok(['build', '-q', '-t', 'chain-hist:1', ctx]);
    const [top, mid, first] = await chainOf('chain-hist:1', 3);
    const base = JSON.parse(await ok(['image', 'inspect', NANOSERVER]))[0];
    const rows = (await ok(['history', '--no-trunc', '--format', '{{.ID}}|{{.CreatedBy}}', 'chain-hist:1'])).split('\n').filter(Boolean);
    expect(rows.slice(0, 3)).toEqual([`${top}|cmd /S /C #(nop)  CMD ["cmd /S /C type C:\\\\m.txt"]`, `${mid}|cmd /S /C echo hist> C:\\m.txt`, `${first}|cmd /S /C #(nop)  ENV X=hist`]);
    const baseRows = rows.slice(3);
    expect(baseRows).toHaveLength(base.RootFS.Layers.length);
    expect(baseRows[0]!.split('|')[0]).toBe(base.Id);
    for (const r of baseRows.slice(1)) expect(r.split('|')[0]).toBe('<missing>');
    // The short form: 12-hex ids, the same rows.
    const short = (await ok(['history', '--format', '{{.ID}}', 'chain-hist:1'])).split('\n').filter(Boolean);
    expect(short.slice(0, 3)).toEqual([top, mid, first].map((i) => i!.slice(7, 19)));
  }, 60000);

  test('docker rmi deletes the image, then each untagged parent in order, with their layers', async () => {
    const ctx = folder({ Dockerfile: THREE_STEPS('rmi') });
    await ok(['build', '-q', '-t', 'chain-rmi', ctx]);
    const [top, mid, first] = await chainOf('chain-rmi', 3);
    const out = (await ok(['rmi', 'chain-rmi'])).split('\n').filter(Boolean);
    expect(out[0]).toBe('Untagged: chain-rmi:latest');
    // Each image's Deleted line is followed by its own top layer's chain id (the only layer no other image has).
    const deleted = out.slice(1);
    expect(deleted).toHaveLength(6);
    expect(deleted.filter((_, i) => i % 2 === 0)).toEqual([`Deleted: ${top}`, `Deleted: ${mid}`, `Deleted: ${first}`]);
    for (const l of deleted.filter((_, i) => i % 2 === 1)) expect(l).toMatch(/^Deleted: sha256:[0-9a-f]{64}$/);
    for (const id of [top, mid, first]) expect((await d().docker(['image', 'inspect', id!])).code).toBe(1);
    // The base image stays: it is named.
    expect((await d().docker(['image', 'inspect', NANOSERVER])).code).toBe(0);
  }, 60000);

  test('rmi stops at a parent that is named, used or has another child; --no-prune keeps the parents', async () => {
    const ctx = folder({ Dockerfile: THREE_STEPS('keep') });
    await ok(['build', '-q', '-t', 'chain-keep:1', ctx]);
    const [top, mid, first] = await chainOf('chain-keep:1', 3);
    // A second build sharing the first step: `first` has two children.
    await ok(['build', '-q', '-t', 'chain-keep:2', folder({ Dockerfile: `FROM ${NANOSERVER}\nENV X=keep\nCMD echo other\n` })]);
    const out = (await ok(['rmi', 'chain-keep:1'])).split('\n').filter(Boolean);
    expect(out.filter((l) => l.startsWith('Deleted: sha256:') && [top, mid, first].some((i) => l === `Deleted: ${i}`))).toEqual([`Deleted: ${top}`, `Deleted: ${mid}`]);
    expect((await d().docker(['image', 'inspect', first!])).code).toBe(0);

    // An intermediate image by id: a hard conflict, force or not.
    const again = await d().docker(['rmi', '-f', first!.slice(7, 19)]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`Error response from daemon: conflict: unable to delete ${first!.slice(7, 19)} (cannot be forced) - image has dependent child images`);

    await ok(['build', '-q', '-t', 'chain-np', folder({ Dockerfile: THREE_STEPS('noprune') })]);
    const [npTop, npMid] = await chainOf('chain-np', 2);
    const np = (await ok(['rmi', '--no-prune', 'chain-np'])).split('\n').filter(Boolean);
    expect(np.slice(0, 2)).toEqual(['Untagged: chain-np:latest', `Deleted: ${npTop}`]);
    expect(np.some((l) => l === `Deleted: ${npMid}`)).toBe(false);
    // The parent left behind is now dangling: listed, and pruned with its own parents.
    expect((await ok(['images', '-q', '--no-trunc', '-f', 'dangling=true'])).split('\n')).toContain(npMid);
    const pruned = await ok(['image', 'prune', '-f']);
    expect(pruned).toContain(`deleted: ${npMid}`);
    expect((await d().docker(['image', 'inspect', npMid!])).code).toBe(1);
    expect(pruned).toMatch(/Total reclaimed space: \d/);
  }, 90000);

  test('docker image prune leaves intermediate images of named images; -a deletes named images and their chains', async () => {
    await ok(['build', '-q', '-t', 'chain-prune:1', folder({ Dockerfile: THREE_STEPS('prune') })]);
    const [top, mid, first] = await chainOf('chain-prune:1', 3);
    const plain = await ok(['image', 'prune', '-f']);
    for (const id of [top, mid, first]) expect(plain).not.toContain(id!);
    const all = await ok(['image', 'prune', '-a', '-f']);
    expect(all).toContain('untagged: chain-prune:1');
    for (const id of [top, mid, first]) expect(all).toContain(`deleted: ${id}`);
  }, 60000);
});
