// Rules of a Host on a data root (issue 6 "create a host (in memory, or on
// a data root)"; design.md "State and durability"; src/host/README.md
// "Data root"): what a host pulled, created, wrote and stopped is there
// when the root is opened again — the image under the same id, its layers
// reused by a later pull, the container exited with its exit code, and on
// its next start its files and registry values; remove frees the sandbox
// disk for good; one Host holds a root at a time, refusing a second with
// dockerd's pid-file message; what a crash leaves unnamed is collected.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Host, type Container } from '../../src/host/host.js';
import { HostError } from '../../src/host/errors.js';
import { REG_SZ } from '../../src/kernel/registry/index.js';
import type { JournaledBlockStore } from '../../src/kernel/storage/index.js';
import type { ProcessContext } from '../../src/kernel/process/index.js';
import type { ContainerHandle } from '../../src/host/types.js';

const IMAGE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
const STAMP = 'C:\\Windows\\System32\\stamp.exe';
const KEY = 'HKLM\\SOFTWARE\\winsilo-test';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
function freshRoot(): string {
  const r = mkdtempSync(join(tmpdir(), 'winsilo-root-'));
  roots.push(r);
  return r;
}

/** Writes C:\x.txt and a registry value (argv[1] as their content) and exits 7. */
const writer = async (ctx: ProcessContext): Promise<number> => {
  const text = ctx.argv[1] ?? 'none';
  const h = ctx.fs!.open('C:\\x.txt', ctx.cwd, { disposition: 'overwriteIf', write: true, nonDirectory: true });
  try {
    h.write(0, Buffer.from(text));
  } finally {
    h.close();
  }
  ctx.registry!.createKey(KEY);
  ctx.registry!.setValue(KEY, { name: 'Stamp', type: REG_SZ, data: text });
  return 7;
};

/** Prints C:\x.txt and the registry value, or `missing`. */
const reader = async (ctx: ProcessContext): Promise<number> => {
  let file = 'missing';
  try {
    const h = ctx.fs!.open('C:\\x.txt', ctx.cwd, { disposition: 'open', read: true });
    const buf = new Uint8Array(256);
    const n = h.read(0, buf);
    h.close();
    file = Buffer.from(buf.subarray(0, n)).toString('utf8');
  } catch {
    // missing
  }
  const value = ctx.registry!.exists(KEY) ? String(ctx.registry!.getValue(KEY, 'Stamp').data) : 'missing';
  await ctx.stdout.write(`${file}|${value}`);
  return 0;
};

async function output(c: ContainerHandle): Promise<string> {
  const io = await c.start();
  const chunks: Uint8Array[] = [];
  for (let x = await io.stdout!.read(65536); x !== null; x = await io.stdout!.read(65536)) chunks.push(x);
  await c.wait();
  return Buffer.concat(chunks).toString('utf8');
}

function diskIds(host: Host): number[] {
  return (host.blocks as JournaledBlockStore).diskIds();
}

describe('a host on a data root', () => {
  test('keeps the image, the container, its files and registry values across a reopen', async () => {
    const root = freshRoot();
    let host = await Host.open({ dataRoot: root });
    host.registerProgram(STAMP, writer);
    const pulled = await host.pull(IMAGE);
    const c = await host.createContainer({ image: IMAGE, name: 'keeper', cmd: ['stamp.exe', 'round-trip'] });
    await c.start();
    expect(await c.wait()).toBe(7);
    await host.close();

    host = await Host.open({ dataRoot: root });
    try {
      expect(host.loadProblems).toEqual([]);
      expect(host.images()).toEqual([pulled]);
      const again = host.container('keeper')!;
      expect(again.id).toBe(c.id);
      expect(again.status).toBe('exited');
      expect((again as unknown as { exitCode: number }).exitCode).toBe(7);
      // The program file the first session put on the sandbox is still there; this session's reader answers to it.
      host.registerProgram(STAMP, reader);
      expect(await output(again)).toBe('round-trip|round-trip');
      expect(again.status).toBe('exited');
    } finally {
      await host.close();
    }
  });

  test('a pull after a reopen reuses every layer: same image id, nothing downloaded', async () => {
    const root = freshRoot();
    let host = await Host.open({ dataRoot: root });
    const first = host.pullWithLayers(IMAGE);
    expect(first.downloaded).toBe(true);
    const disks = diskIds(host);
    await host.close();

    host = await Host.open({ dataRoot: root });
    try {
      const again = host.pullWithLayers(IMAGE);
      expect(again.downloaded).toBe(false);
      expect(again.image.id).toBe(first.image.id);
      expect(again.layers.every((l) => l.existed)).toBe(true);
      // The IIS image shares Server Core's two layers (the layer cache was refilled from the root).
      const iis = host.pullWithLayers('mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022');
      expect(iis.layers.map((l) => l.existed)).toEqual([true, true, false]);
      expect(diskIds(host)).toEqual([...disks, Math.max(...disks) + 1]);
    } finally {
      await host.close();
    }
  });

  test('a second tag of a kept image is kept too', async () => {
    const root = freshRoot();
    let host = await Host.open({ dataRoot: root });
    await host.pull(IMAGE);
    const tagged = await host.pull('mcr.microsoft.com/windows/servercore:10.0.20348.5499');
    await host.close();
    host = await Host.open({ dataRoot: root });
    try {
      expect(host.images().map((i) => i.RepoTags)).toEqual([tagged.RepoTags]);
      expect(tagged.RepoTags).toEqual([IMAGE, 'mcr.microsoft.com/windows/servercore:10.0.20348.5499']);
    } finally {
      await host.close();
    }
  });

  test('remove frees the sandbox disk, and the container stays gone after a reopen', async () => {
    const root = freshRoot();
    let host = await Host.open({ dataRoot: root });
    host.registerProgram(STAMP, writer);
    await host.pull(IMAGE);
    const layers = diskIds(host);
    const c = await host.createContainer({ image: IMAGE, name: 'doomed', cmd: ['stamp.exe', 'x'] });
    await c.start();
    await c.wait();
    await host.close();

    host = await Host.open({ dataRoot: root });
    const withSandbox = diskIds(host);
    expect(withSandbox.length).toBeGreaterThan(layers.length);
    await host.container('doomed')!.remove();
    // The sandbox disk is gone at once; the programs layer it was cloned from goes at the next open (nothing names it then).
    expect(diskIds(host)).toHaveLength(withSandbox.length - 1);
    expect(readdirSync(join(root, 'containers'))).toEqual([]);
    await host.close();

    host = await Host.open({ dataRoot: root });
    try {
      expect(host.containers({ all: true }).map((c) => c.id)).toEqual([]);
      expect(diskIds(host)).toEqual(layers);
    } finally {
      await host.close();
    }
  });

  test('a created container comes back created, and starts', async () => {
    const root = freshRoot();
    let host = await Host.open({ dataRoot: root });
    await host.pull(IMAGE);
    const c = await host.createContainer({ image: IMAGE, name: 'later', cmd: ['stamp.exe', 'late'], env: ['A=1'], memory: 512 * 2 ** 20 });
    await host.close();
    host = await Host.open({ dataRoot: root });
    try {
      const again = host.container(c.id)!;
      expect(again.status).toBe('created');
      expect((again as unknown as { options: unknown }).options).toEqual({ image: IMAGE, name: 'later', cmd: ['stamp.exe', 'late'], env: ['A=1'], memory: 512 * 2 ** 20 });
      host.registerProgram(STAMP, writer);
      await again.start();
      expect(await again.wait()).toBe(7);
    } finally {
      await host.close();
    }
  });

  test('a file put into a created container (as docker cp does) is kept across a reopen and read at its first start', async () => {
    const root = freshRoot();
    let host = await Host.open({ dataRoot: root });
    await host.pull(IMAGE);
    const c = (await host.createContainer({ image: IMAGE, cmd: ['stamp.exe'] })) as Container;
    const h = c.fileSystem().open('\\x.txt', { disposition: 'create', write: true, nonDirectory: true });
    h.write(0, Buffer.from('put before start'));
    h.close();
    c.keepFiles();
    await host.close();
    host = await Host.open({ dataRoot: root });
    try {
      const again = host.container(c.id)!;
      expect(again.status).toBe('created');
      host.registerProgram(STAMP, reader);
      expect(await output(again)).toBe('put before start|missing');
    } finally {
      await host.close();
    }
  });

  test('an auto-remove container writes no document (moby’s restore removes such a container anyway), and its disk goes at its exit', async () => {
    const root = freshRoot();
    let host = await Host.open({ dataRoot: root });
    await host.pull(IMAGE);
    const kept = await host.createContainer({ image: IMAGE, cmd: ['stamp.exe', 'y'] });
    host.registerProgram(STAMP, async (ctx) => {
      // While it runs, the data root names only the other container.
      await ctx.stdout.write(readdirSync(join(root, 'containers')).join(','));
      return 7;
    });
    expect(await output(await host.createContainer({ image: IMAGE, cmd: ['stamp.exe', 'x'], autoRemove: true }))).toBe(kept.id);
    // A second one after the first made the programs layer: no disk is left behind.
    const disks = diskIds(host);
    expect(await output(await host.createContainer({ image: IMAGE, cmd: ['stamp.exe', 'x'], autoRemove: true }))).toBe(kept.id);
    expect(diskIds(host)).toEqual(disks);
    await host.close();
    host = await Host.open({ dataRoot: root });
    try {
      expect(host.containers({ all: true }).map((x) => x.id)).toEqual([kept.id]);
    } finally {
      await host.close();
    }
  });

  test('closing stops a running container and keeps it exited', async () => {
    const root = freshRoot();
    let host = await Host.open({ dataRoot: root });
    await host.pull(IMAGE);
    const c = await host.createContainer({ image: IMAGE, name: 'resident', cmd: ['svchost.exe'] });
    await c.start();
    await host.close();
    host = await Host.open({ dataRoot: root });
    try {
      const again = host.container('resident')!;
      expect(again.status).toBe('exited');
      // CTRL_SHUTDOWN ends svchost as Ctrl+C does: STATUS_CONTROL_C_EXIT.
      expect((again as unknown as { exitCode: number }).exitCode).toBe(0xc000013a);
    } finally {
      await host.close();
    }
  });
});

describe('one host per data root', () => {
  test("a second open is refused with dockerd's pid-file message while the first holds the root", async () => {
    const root = freshRoot();
    const first = await Host.open({ dataRoot: root });
    let error: unknown;
    try {
      await Host.open({ dataRoot: root });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).status).toBe(500);
    expect((error as HostError).message).toBe(
      `failed to start daemon, ensure winsilo is not running or delete ${join(root, 'winsilo.pid')}: process with PID ${process.pid} is still running`,
    );
    expect(readFileSync(join(root, 'winsilo.pid'), 'utf8')).toBe(String(process.pid));
    await first.close();
    expect(existsSync(join(root, 'winsilo.pid'))).toBe(false);
    await (await Host.open({ dataRoot: root })).close();
  });

  test('a pid file whose process is gone is taken over', async () => {
    const root = freshRoot();
    // A pid no process has: above Linux's pid_max (2^22) and macOS's 99999.
    writeFileSync(join(root, 'winsilo.pid'), '4999999');
    const host = await Host.open({ dataRoot: root });
    expect(readFileSync(join(root, 'winsilo.pid'), 'utf8')).toBe(String(process.pid));
    await host.close();
  });
});

describe('a damaged data root', () => {
  test('a damaged block store is refused with STATUS_FILE_CORRUPT_ERROR, and the root is free again', async () => {
    const root = freshRoot();
    const host = await Host.open({ dataRoot: root });
    await host.pull(IMAGE);
    (host.blocks as JournaledBlockStore).checkpoint();
    await host.close();
    const cp = join(root, 'blocks', 'checkpoint');
    truncateSync(cp, statSync(cp).size - 1);
    let error: unknown;
    try {
      await Host.open({ dataRoot: root });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).message).toBe(
      `blocks.open ${cp}: STATUS_FILE_CORRUPT_ERROR (0xC0000102): {Corrupt File} The file or directory ${cp} is corrupt and unreadable. Please run the Chkdsk utility.`,
    );
    expect(existsSync(join(root, 'winsilo.pid'))).toBe(false);
  });

  test("a damaged registry delta fails the container's start with ERROR_BADDB; the rest of the root is fine", async () => {
    const root = freshRoot();
    let host = await Host.open({ dataRoot: root });
    host.registerProgram(STAMP, writer);
    await host.pull(IMAGE);
    const c = await host.createContainer({ image: IMAGE, name: 'bad-hive', cmd: ['stamp.exe', 'x'] });
    await c.start();
    await c.wait();
    await host.close();
    writeFileSync(join(root, 'containers', c.id, 'hives', 'SOFTWARE'), 'not a hive');
    host = await Host.open({ dataRoot: root });
    try {
      expect(host.loadProblems).toEqual([]);
      let error: unknown;
      try {
        await host.container('bad-hive')!.start();
      } catch (e) {
        error = e;
      }
      expect((error as HostError).message).toBe(`hcs::CreateComputeSystem ${c.id}: The configuration registry database is corrupt.`);
      await host.container('bad-hive')!.remove();
      expect(host.containers({ all: true }).map((x) => x.id)).toEqual([]);
    } finally {
      await host.close();
    }
  });
});

describe('what a crash leaves behind', () => {
  test('disks no document names and temporary files are collected at open; a damaged document is reported, not loaded, and nothing is collected', async () => {
    const root = freshRoot();
    let host = await Host.open({ dataRoot: root });
    await host.pull(IMAGE);
    const layers = diskIds(host);
    // A clone nobody names (a pull or a start cut short before its document), and a document's temporary file.
    const orphan = host.blocks.clone(layers[layers.length - 1]!).disk;
    host.flushBlocks();
    await host.close();
    const image = readdirSync(join(root, 'images'))[0]!;
    writeFileSync(join(root, 'images', `${image}.tmp`), '{"half');

    host = await Host.open({ dataRoot: root });
    expect(host.loadProblems).toEqual([]);
    expect(diskIds(host)).toEqual(layers);
    expect(diskIds(host)).not.toContain(orphan);
    expect(readdirSync(join(root, 'images'))).toEqual([image]);
    const orphan2 = host.blocks.clone(layers[0]!).disk;
    host.flushBlocks();
    await host.close();

    writeFileSync(join(root, 'images', 'f'.repeat(64) + '.json'), '{"version": 1, "id": "sha256:');
    host = await Host.open({ dataRoot: root });
    try {
      expect(host.loadProblems.map((p) => p.path)).toEqual([join(root, 'images', 'f'.repeat(64) + '.json')]);
      expect(host.images()).toHaveLength(1);
      expect(diskIds(host)).toContain(orphan2);
    } finally {
      await host.close();
    }
  });
});
