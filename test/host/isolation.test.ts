// Seed 003's demonstration, end to end through the embedding API (issue 6
// "Tests"; windows-facts §4): in one container everything on C: is deleted
// (what `rd /s /q C:\` does — whatever is not in use goes: the images of
// the running processes stay, mapped, with the directories that hold them,
// "Access is denied." and "The directory is not empty.") and registry keys
// are deleted (`reg delete … /f`), while a second container on the same
// image keeps working with all of its files and keys, and a third started
// afterwards is whole. Then a property: random writes in containers never
// leak into another container or into the image.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Win32Error } from '../../src/core/win32.js';
import type { ProcessContext } from '../../src/kernel/process/index.js';
import type { FileSystemView } from '../../src/kernel/fs/index.js';
import { FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_READONLY } from '../../src/kernel/fs/index.js';
import { Host } from '../../src/host/host.js';
import type { ContainerHandle } from '../../src/host/types.js';
import { numRuns } from '../support/budget.js';

const IMAGE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
const VERSION_KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';

/** `rd /s /q`: every entry below `dir` that can go goes (read-only ones too, as /s /q clears nothing but del /f would; rd deletes them). */
function removeTree(fs: FileSystemView, dir: string): void {
  for (const e of fs.list(dir, 'C:\\')) {
    const path = `${dir.endsWith('\\') ? dir : `${dir}\\`}${e.name}`;
    try {
      if (e.attributes & FILE_ATTRIBUTE_READONLY) fs.setAttributes(path, 'C:\\', e.attributes & ~FILE_ATTRIBUTE_READONLY & ~FILE_ATTRIBUTE_DIRECTORY);
      if (e.reparse) {
        if (e.attributes & FILE_ATTRIBUTE_DIRECTORY) fs.removeDirectory(path, 'C:\\');
        else fs.deleteFile(path, 'C:\\');
      } else if (e.attributes & FILE_ATTRIBUTE_DIRECTORY) {
        removeTree(fs, path);
        fs.removeDirectory(path, 'C:\\');
      } else {
        fs.deleteFile(path, 'C:\\');
      }
    } catch (err) {
      if (!(err instanceof Win32Error)) throw err; // in use: rd reports it and goes on
    }
  }
}

/** Deletes everything it can on C: and the version key, then shows what is left: the root, System32, the build. */
const wipe = async (ctx: ProcessContext): Promise<number> => {
  removeTree(ctx.fs!, 'C:\\');
  ctx.registry!.deleteTree(VERSION_KEY);
  await ctx.stdout.write(`${ctx.fs!.list('C:\\Windows\\System32', ctx.cwd).map((e) => e.name).join('|')}\n`);
  return look(ctx);
};

/** Prints what a healthy container shows: its root and its build number. */
const look = async (ctx: ProcessContext): Promise<number> => {
  const names = ctx.fs!.list('C:\\', ctx.cwd).map((e) => e.name);
  const build = ctx.registry!.exists(VERSION_KEY) ? String(ctx.registry!.getValue(VERSION_KEY, 'CurrentBuild').data) : 'gone';
  await ctx.stdout.write(`${names.join('|')}\n${build}\n`);
  return 0;
};

/** Waits until stopped: a container's long-running main process. */
const idle = async (ctx: ProcessContext): Promise<number> => {
  await ctx.sleep(2 ** 31 - 1);
  return 0;
};

async function readAll(io: { stdout: { read(max: number): Promise<Uint8Array | null> } | null }): Promise<string> {
  const chunks: Uint8Array[] = [];
  for (let c = await io.stdout!.read(65536); c !== null; c = await io.stdout!.read(65536)) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

async function execText(c: ContainerHandle, cmd: string[]): Promise<string> {
  const io = await c.exec({ cmd });
  const text = await readAll(io);
  expect(await io.wait()).toBe(0);
  return text;
}

async function output(host: Host, cmd: string[]): Promise<{ code: number; text: string }> {
  const c = await host.createContainer({ image: IMAGE, cmd });
  const text = await readAll(await c.start());
  const code = await c.wait();
  await c.remove();
  return { code, text };
}

describe('seed 003: deleting C: and registry keys in one container', () => {
  let host: Host;
  beforeAll(async () => {
    host = await Host.open({ clock: () => 1_763_000_000_000 });
    host.registerProgram('C:\\Windows\\System32\\wipe.exe', wipe);
    host.registerProgram('C:\\Windows\\System32\\look.exe', look);
    host.registerProgram('C:\\Windows\\System32\\idle.exe', idle);
    await host.pull(IMAGE);
  });
  afterAll(() => host.close());

  test('the wiped container loses its files and keys; a running neighbour and a new container keep theirs', async () => {
    const whole = await output(host, ['look.exe']);
    expect(whole.code).toBe(0);
    // The image's root (and whatever files programs registered machine-wide put there), and its build.
    const [rootNames, build] = whole.text.split('\n');
    expect(rootNames!.split('|')).toEqual(expect.arrayContaining(['Documents and Settings', 'License.txt', 'Program Files', 'Program Files (x86)', 'ProgramData', 'Users', 'Windows']));
    expect(build).toBe('20348');

    const [wiped, neighbour] = [await host.createContainer({ image: IMAGE, cmd: ['idle.exe'] }), await host.createContainer({ image: IMAGE, cmd: ['idle.exe'] })];
    await wiped.start();
    await neighbour.start();
    // What `rd /s /q C:\` leaves: the images of the running processes — the boot's (smss, csrss, wininit,
    // services, lsass, CExecSvc, svchost), the main process's and wipe.exe's own — and the folders holding them.
    expect(await execText(wiped, ['wipe.exe'])).toBe('CExecSvc.exe|csrss.exe|idle.exe|lsass.exe|services.exe|smss.exe|svchost.exe|wininit.exe|wipe.exe\nWindows\ngone\n');
    // Nothing else is left to run in it (as after `rd /s /q C:\` on Windows).
    await expect(wiped.exec({ cmd: ['look.exe'] })).rejects.toThrow(/^container [0-9a-f]{64} encountered an error during hcs::System::CreateProcess: failure in a Windows system call: The system cannot find the file specified\. \(0x2\)$/);

    expect(await execText(neighbour, ['look.exe'])).toBe(whole.text);
    expect(await output(host, ['look.exe'])).toEqual(whole);
    await wiped.stop(0);
    await neighbour.stop(0);
  });
});

describe('container writes never leak (property)', () => {
  test('files written in random containers are seen only there, never in the image or a sibling', async () => {
    const host = await Host.open({ clock: () => 1_763_000_000_000 });
    try {
      await host.pull(IMAGE);
      const written = new Map<string, Set<string>>();
      host.registerProgram('C:\\Windows\\System32\\put.exe', async (ctx) => {
        const name = ctx.argv[1]!;
        const h = ctx.fs!.open(`C:\\${name}`, 'C:\\', { disposition: 'overwriteIf', write: true });
        h.write(0, new TextEncoder().encode(name));
        h.close();
        return 0;
      });
      host.registerProgram('C:\\Windows\\System32\\ls.exe', async (ctx) => {
        await ctx.stdout.write(ctx.fs!.list('C:\\', 'C:\\').map((e) => e.name).join('|'));
        return 0;
      });
      host.registerProgram('C:\\Windows\\System32\\idle.exe', idle);
      const containers: ContainerHandle[] = [];
      for (let i = 0; i < 3; i++) {
        const c = await host.createContainer({ image: IMAGE, cmd: ['idle.exe'] });
        await c.start();
        containers.push(c);
      }
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.stringMatching(/^f[a-z0-9]{1,8}\.txt$/)), { minLength: 1, maxLength: 6 }), async (writes) => {
          for (const [i, name] of writes) {
            const c = containers[i]!;
            const io = await c.exec({ cmd: ['put.exe', name] });
            expect(await io.wait()).toBe(0);
            const set = written.get(c.id) ?? new Set<string>();
            set.add(name.toUpperCase());
            written.set(c.id, set);
          }
          for (const c of containers) {
            const seen = new Set((await execText(c, ['ls.exe'])).split('|').filter((n) => n.startsWith('f')).map((n) => n.toUpperCase()));
            expect([...seen].sort()).toEqual([...(written.get(c.id) ?? [])].sort());
          }
          const fresh = await output(host, ['ls.exe']);
          expect(fresh.text.split('|').filter((n) => n.startsWith('f'))).toEqual([]);
        }),
        { numRuns: numRuns(20), seed: 6 },
      );
    } finally {
      await host.close();
    }
  });
});

describe('a stopped container keeps its sandbox', () => {
  test('`start` again boots a new silo on the same C:: what the first run wrote is still there', async () => {
    const host = await Host.open({ clock: () => 1_763_000_000_000 });
    try {
      await host.pull(IMAGE);
      host.registerProgram('C:\\Windows\\System32\\count.exe', async (ctx) => {
        let n = 0;
        try {
          const h = ctx.fs!.open('C:\\runs.txt', 'C:\\', { disposition: 'open', read: true });
          const b = new Uint8Array(16);
          n = Number(new TextDecoder().decode(b.subarray(0, h.read(0, b))));
          h.close();
        } catch (e) {
          if (!(e instanceof Win32Error)) throw e;
        }
        const h = ctx.fs!.open('C:\\runs.txt', 'C:\\', { disposition: 'overwriteIf', write: true });
        h.write(0, new TextEncoder().encode(String(n + 1)));
        h.close();
        await ctx.stdout.write(`${n + 1} ${ctx.sessionId}`);
        return 0;
      });
      const c = await host.createContainer({ image: IMAGE, cmd: ['count.exe'] });
      expect(await readAll(await c.start())).toBe('1 14');
      expect(await c.wait()).toBe(0);
      expect(c.status).toBe('exited');
      expect(await readAll(await c.start())).toBe('2 14');
      expect(await c.wait()).toBe(0);
      const other = await host.createContainer({ image: IMAGE, cmd: ['count.exe'] });
      expect(await readAll(await other.start())).toBe('1 14');
    } finally {
      await host.close();
    }
  });
});
