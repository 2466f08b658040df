// The Windows layer tar (hcsshim ociwclayer's format): Files/ with go-winio's
// PAX records, Hives/*_Delta, whiteouts for deletions, reparse points as
// symlink entries, hard links as link entries; deterministic bytes; import
// gives back the same volume and hives.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import tar from 'tar-stream';
import { WasmBlockStore, type BlockStore } from '../../src/core/blocks/index.js';
import { mountVolume, type NtfsVolume } from '../../src/kernel/fs/index.js';
import { IO_REPARSE_TAG_MOUNT_POINT, IO_REPARSE_TAG_SYMLINK } from '../../src/kernel/fs/types.js';
import { Hive, REG_SZ, serialiseHive } from '../../src/kernel/registry/index.js';
import { ImageStore } from '../../src/images/store.js';
import { exportLayerBytes, importLayer, layerChanges } from '../../src/images/layer-tar.js';
import { parseOsVersion } from '../../src/hcs/versions.js';

const HOST = parseOsVersion('10.0.20348.5499')!;
const NANO = 'mcr.microsoft.com/windows/nanoserver:ltsc2022';

async function entries(bytes: Buffer): Promise<{ name: string; type: string; size: number; linkname: string | null; pax: Record<string, string> | null }[]> {
  const out: { name: string; type: string; size: number; linkname: string | null; pax: Record<string, string> | null }[] = [];
  const ex = tar.extract();
  const done = (async () => {
    for await (const e of ex) {
      const h = e.header;
      out.push({ name: h.name, type: h.type, size: h.size, linkname: h.linkname, pax: (h.pax as Record<string, string> | null) ?? null });
      e.resume();
    }
  })();
  ex.end(bytes);
  await done;
  return out;
}

/** Every name under `dir` with what a user can see of it (and the bytes of files), in listing order. */
function tree(v: NtfsVolume, dir = '\\'): string[] {
  const out: string[] = [];
  for (const f of v.list(dir)) {
    const p = `${dir === '\\' ? '' : dir}\\${f.name}`;
    let digest = '';
    if (!(f.attributes & 0x10) && !f.reparse) {
      const h = v.open(p, { disposition: 'open', read: true });
      const b = new Uint8Array(f.size);
      h.read(0, b);
      h.close();
      digest = createHash('sha256').update(b).digest('hex').slice(0, 12);
    }
    out.push(`${p} ${f.attributes} ${f.size} ${f.creationTime} ${f.lastWriteTime} ${f.linkCount} ${f.reparse ? JSON.stringify(f.reparse) : ''} ${digest}`);
    if (f.attributes & 0x10 && !f.reparse) out.push(...tree(v, p));
  }
  return out;
}

function changedSandbox(blocks: BlockStore, top: number): { disk: number; volume: NtfsVolume } {
  const r = blocks.clone(top);
  let t = Date.parse('2025-01-02T03:04:05.678Z');
  const volume = mountVolume(blocks, r.disk, { clock: () => (t += 1000) });
  volume.createDirectory('\\app');
  const h = volume.open('\\app\\hello.txt', { disposition: 'create', write: true });
  h.write(0, new TextEncoder().encode('hello from a container\r\n'));
  h.close();
  volume.createHardLink('\\app\\again.txt', '\\app\\hello.txt');
  volume.createReparsePoint('\\app\\link', { tag: IO_REPARSE_TAG_SYMLINK, substituteName: 'hello.txt', printName: 'hello.txt', relative: true }, false);
  volume.createReparsePoint('\\app\\junction', { tag: IO_REPARSE_TAG_MOUNT_POINT, substituteName: '\\??\\C:\\Windows', printName: 'C:\\Windows', relative: false }, true);
  volume.deleteFile('\\License.txt');
  return { disk: r.disk, volume };
}

describe('Windows layer tar', () => {
  test('a base layer exports to the same bytes every time and imports back to the same volume', async () => {
    const blocks = new WasmBlockStore();
    const image = new ImageStore(blocks, HOST).pull(NANO).image;
    const layer = image.layers[0]!;
    const a = await exportLayerBytes({ store: blocks, disk: layer.disk, parentDisk: 0, hives: layer.hives });
    const b = await exportLayerBytes({ store: blocks, disk: layer.disk, parentDisk: 0, hives: layer.hives });
    expect(b.diffId).toBe(a.diffId);
    const list = await entries(a.bytes);
    expect(list[0]).toMatchObject({ name: 'Files', type: 'directory' });
    expect(list[0]!.pax).toHaveProperty('MSWINDOWS.fileattr');
    expect(list[0]!.pax).toHaveProperty('LIBARCHIVE.creationtime');
    expect(list.filter((e) => e.name.startsWith('Hives')).map((e) => e.name)).toEqual([
      'Hives',
      'Hives/DefaultUser_Delta',
      'Hives/Sam_Delta',
      'Hives/Security_Delta',
      'Hives/Software_Delta',
      'Hives/System_Delta',
      'Hives/User_Delta',
    ]);

    const other = new WasmBlockStore();
    const imported = await importLayer(other, 0, [a.bytes]);
    expect(imported.diffId).toBe(a.diffId);
    expect(tree(mountVolume(other, imported.disk))).toEqual(tree(mountVolume(blocks, layer.disk)));
    for (const [name, hive] of Object.entries(layer.hives)) expect(Buffer.from(serialiseHive(imported.hives[name as 'SYSTEM']!))).toEqual(Buffer.from(serialiseHive(hive)));
    const again = await exportLayerBytes({ store: other, disk: imported.disk, parentDisk: 0, hives: imported.hives });
    expect(again.diffId).toBe(a.diffId);
  });

  test("a container's changes: new files and their folders, a whiteout for a deletion, links as hcsshim writes them", async () => {
    const blocks = new WasmBlockStore();
    const image = new ImageStore(blocks, HOST).pull(NANO).image;
    const top = image.layers[image.layers.length - 1]!;
    const { disk, volume } = changedSandbox(blocks, top.disk);
    const delta = new Hive();
    const key = delta.root;
    void key;
    const { bytes } = await exportLayerBytes({ store: blocks, disk, parentDisk: top.disk, hives: { SOFTWARE: delta } });
    const list = await entries(bytes);
    expect(list.map((e) => [e.name, e.type, e.linkname])).toEqual([
      ['Files', 'directory', null],
      ['Files/.wh.License.txt', 'file', null],
      ['Files/app', 'directory', null],
      ['Files/app/again.txt', 'file', null],
      ['Files/app/hello.txt', 'link', 'Files/app/again.txt'],
      ['Files/app/junction', 'symlink', 'C:/Windows'],
      ['Files/app/link', 'symlink', 'hello.txt'],
      ['Hives', 'directory', null],
      ['Hives/Software_Delta', 'file', null],
    ]);
    expect(list.find((e) => e.name === 'Files/app/junction')!.pax).toMatchObject({ 'MSWINDOWS.mountpoint': '1' });
    expect(list.find((e) => e.name === 'Files/app/again.txt')!.size).toBe(24);
    expect(layerChanges(blocks, disk, top.disk).map((c) => [c.path, c.info === null])).toContainEqual(['\\License.txt', true]);

    // Applied onto the same parent elsewhere, the tar gives the container's C: back.
    const imported = await importLayer(blocks, top.disk, [bytes]);
    expect(tree(mountVolume(blocks, imported.disk))).toEqual(tree(volume));
  });

  test('an unchanged sandbox exports only the root and the Hives folder', async () => {
    const blocks = new WasmBlockStore();
    const image = new ImageStore(blocks, HOST).pull(NANO).image;
    const top = image.layers[image.layers.length - 1]!;
    const r = blocks.clone(top.disk);
    const list = await entries((await exportLayerBytes({ store: blocks, disk: r.disk, parentDisk: top.disk, hives: {} })).bytes);
    expect(list.map((e) => e.name)).toEqual(['Files', 'Hives']);
  });

  test('a tar with an entry outside Files/ and Hives/ is ERROR_INVALID_DATA and leaves no disk', async () => {
    const blocks = new WasmBlockStore();
    const pack = tar.pack();
    pack.entry({ name: 'etc/passwd', size: 1 }, 'x');
    pack.finalize();
    const before = blocks.storeStats();
    await expect(importLayer(blocks, 0, pack as unknown as AsyncIterable<Uint8Array>)).rejects.toMatchObject({ code: 13 });
    expect(blocks.storeStats().disks).toBe(before.disks);
    void REG_SZ;
  });
});
