/**
 * The restore rules the SIGKILL trials found wanting, pinned in process
 * (src/host/README.md "What is acknowledged when", "Opening a data root
 * again"). A root copied while its Host is open — pid file left out — is
 * what a SIGKILL at that moment leaves (written bytes are in the files;
 * only what the process still held in memory is lost).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Host, EXIT_CODE_HOST_LOST, type Container } from '../../src/host/host.js';
import type { JournaledBlockStore } from '../../src/kernel/storage/index.js';
import type { ProcessIo } from '../../src/host/types.js';

const IMAGE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
function freshRoot(): string {
  const r = mkdtempSync(join(tmpdir(), 'wcr-rules-'));
  roots.push(r);
  return r;
}

/** The root as a SIGKILL now would leave it: a copy without the pid file. */
function killedCopy(root: string): string {
  const copy = freshRoot();
  cpSync(root, copy, { recursive: true, filter: (src) => !src.endsWith('winsilo.pid') });
  return copy;
}

async function output(io: ProcessIo): Promise<string> {
  const parts: Uint8Array[] = [];
  for (let c = await io.stdout!.read(65536); c !== null; c = await io.stdout!.read(65536)) parts.push(c);
  await io.wait();
  return Buffer.concat(parts).toString('utf8');
}

async function runOnce(host: Host, image: string, command: string): Promise<string> {
  const c = (await host.createContainer({ image, cmd: ['cmd', '/c', command] })) as Container;
  const out = await output(await c.start());
  await c.wait();
  await c.remove();
  return out;
}

/** Every disk of the store is one a document names (images' layers, containers' sandboxes). */
function disksNamed(host: Host): { have: number[]; named: number[] } {
  const named = new Set<number>();
  for (const i of host.images()) for (const l of host.image(i.Id)!.layers) named.add(l.disk);
  for (const c of host.containers({ all: true }) as Container[]) {
    const s = c.record().sandbox;
    if (s) named.add(s.disk);
  }
  return { have: (host.blocks as JournaledBlockStore).diskIds(), named: [...named].sort((a, b) => a - b) };
}

describe('restore after a SIGKILL', () => {
  test('an exec that returned has its files on the disk: an exec end is a flush point', async () => {
    const root = freshRoot();
    const host = await Host.open({ dataRoot: root });
    let copy: string;
    try {
      await host.pull(IMAGE);
      const c = (await host.createContainer({ image: IMAGE, name: 'writer', cmd: ['ping', '-t', 'localhost'] })) as Container;
      await c.start();
      expect(await output(await c.exec({ cmd: ['cmd', '/c', 'echo kept> C:\\kept.txt'] }))).toBe('');
      copy = killedCopy(root);
    } finally {
      await host.close();
    }
    const again = await Host.open({ dataRoot: copy });
    try {
      const c = again.container('writer') as Container;
      expect(c.exitCode).toBe(EXIT_CODE_HOST_LOST);
      await c.start();
      expect(await output(await c.exec({ cmd: ['cmd', '/c', 'type C:\\kept.txt'] }))).toBe('kept\r\n');
    } finally {
      await again.close();
    }
  }, 60_000);

  test('commits of the same changes under two configs keep a layer disk each across a restart', async () => {
    const root = freshRoot();
    let host = await Host.open({ dataRoot: root });
    try {
      await host.pull(IMAGE);
      await runOnce(host, IMAGE, 'echo x');
      const src = (await host.createContainer({ image: IMAGE, name: 'src', cmd: ['cmd', '/c', 'echo same> C:\\same.txt'] })) as Container;
      await output(await src.start());
      await src.wait();
      const one = await host.commit('src', { reference: 'crash/one:1', changes: ['LABEL n=1'] });
      const two = await host.commit('src', { reference: 'crash/two:1', changes: ['LABEL n=2'] });
      expect(one.id).not.toBe(two.id);
      expect(one.layers.at(-1)!.diffId).toBe(two.layers.at(-1)!.diffId);
      const disks = [one.layers.at(-1)!.disk, two.layers.at(-1)!.disk];
      await host.close();
      host = await Host.open({ dataRoot: root });
      expect([host.image('crash/one:1')!.layers.at(-1)!.disk, host.image('crash/two:1')!.layers.at(-1)!.disk]).toEqual(disks);
      const { have, named } = disksNamed(host);
      expect(have).toEqual(named);
      host.deleteImage('crash/one:1');
      expect(await runOnce(host, 'crash/two:1', 'type C:\\same.txt')).toBe('same\r\n');
      await host.close();
      host = await Host.open({ dataRoot: root });
      expect(await runOnce(host, 'crash/two:1', 'type C:\\same.txt')).toBe('same\r\n');
      expect(disksNamed(host).have).toEqual(disksNamed(host).named);
    } finally {
      await host.close();
    }
  }, 60_000);

  test('rmi -f of an image a stopped container uses: gone from the list across a restart, there for the container, collected once the container goes', async () => {
    const root = freshRoot();
    let host = await Host.open({ dataRoot: root });
    try {
      await host.pull(IMAGE);
      const src = (await host.createContainer({ image: IMAGE, name: 'src', cmd: ['cmd', '/c', 'echo app> C:\\app.txt'] })) as Container;
      await output(await src.start());
      await src.wait();
      const app = await host.commit('src', { reference: 'crash/app:1' });
      const user = (await host.createContainer({ image: 'crash/app:1', name: 'user', cmd: ['cmd', '/c', 'type C:\\app.txt'] })) as Container;
      expect(await output(await user.start())).toBe('app\r\n');
      await user.wait();
      expect(host.deleteImage(app.id, { force: true })).toContainEqual({ Deleted: app.id });
      expect(host.images().map((i) => i.Id)).not.toContain(app.id);
      // The base goes too: the container's image stands on its layers.
      await src.remove();
      host.deleteImage(IMAGE, { force: true });
      await host.close();

      host = await Host.open({ dataRoot: root });
      expect(host.loadProblems).toEqual([]);
      expect(host.images().map((i) => i.Id)).toEqual([]);
      const back = host.container('user') as Container;
      expect(await output(await back.start())).toBe('app\r\n');
      await back.wait();
      await back.remove();
      await host.close();

      host = await Host.open({ dataRoot: root });
      expect(host.loadProblems).toEqual([]);
      expect((host.blocks as JournaledBlockStore).diskIds()).toEqual([]);
    } finally {
      await host.close();
    }
  }, 60_000);

  test('a tag move cut short between its two documents ends on the image that gained the tag', async () => {
    const root = freshRoot();
    let host = await Host.open({ dataRoot: root });
    let older: string;
    let newer: string;
    try {
      await host.pull(IMAGE);
      const src = (await host.createContainer({ image: IMAGE, name: 'src', cmd: ['cmd', '/c', 'echo x> C:\\x.txt'] })) as Container;
      await output(await src.start());
      await src.wait();
      older = (await host.commit('src', { reference: 'crash/app:latest', changes: ['LABEL v=1'] })).id;
      newer = (await host.commit('src', { reference: 'crash/app:latest', changes: ['LABEL v=2'] })).id;
      expect(host.image('crash/app:latest')!.id).toBe(newer);
    } finally {
      await host.close();
    }
    // The kill landed after the gaining image's document and before the losing one's was rewritten.
    const file = join(root, 'images', `${older.slice(7)}.json`);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { repoTags: string[]; written: number };
    const gained = JSON.parse(readFileSync(join(root, 'images', `${newer.slice(7)}.json`), 'utf8')) as { written: number };
    doc.repoTags = ['crash/app:latest'];
    doc.written = gained.written - 1;
    writeFileSync(file, JSON.stringify(doc));
    host = await Host.open({ dataRoot: root });
    try {
      expect(host.loadProblems).toEqual([]);
      expect(host.image('crash/app:latest')!.id).toBe(newer);
      expect(host.image(older)!.repoTags).toEqual([]);
      expect((JSON.parse(readFileSync(file, 'utf8')) as { repoTags: string[] }).repoTags).toEqual([]);
    } finally {
      await host.close();
    }
  }, 60_000);
});
