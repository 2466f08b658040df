// Rule: a running process holds the file it was created from — its image
// section, from CreateProcess to exit (WDK "Executable Images": while an
// image section is in use the file system refuses a delete, STATUS_CANNOT_DELETE
// → ERROR_ACCESS_DENIED, and an open for write, STATUS_SHARING_VIOLATION).
// Reading and renaming a running image are allowed. The boot's resident
// processes (smss, csrss, wininit, services, lsass, CExecSvc, svchost) hold
// theirs too, so `rd /s /q C:\` leaves them and the folders holding them.
import { describe, expect, test } from 'vitest';
import { WasmBlockStore } from '../../../src/core/blocks/index.js';
import { ERROR_ACCESS_DENIED, ERROR_DIR_NOT_EMPTY, ERROR_SHARING_VIOLATION, Win32Error } from '../../../src/core/win32.js';
import { SiloFileSystem, formatVolume, type FileSystemView } from '../../../src/kernel/fs/index.js';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import { SYSTEM_IMAGES } from '../../../src/kernel/silo/index.js';
import { newKernel, settle } from './support.js';

const SYSTEM32 = 'C:\\Windows\\System32';
const TOOL = `${SYSTEM32}\\tool.exe`;
const ROOT = 'C:\\';

const forever = (ctx: ProcessContext) => new Promise<number>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));

/** A kernel whose silo has a real NTFS C: holding the boot's images and tool.exe (which waits until ended). */
function machine() {
  const store = new WasmBlockStore();
  const vol = formatVolume(store, store.createDisk(64 * 2 ** 20).disk, { clock: () => 1_700_000_000_000 });
  const fs = new SiloFileSystem({ drives: { C: vol } });
  fs.createDirectory('C:\\Windows', ROOT);
  fs.createDirectory(SYSTEM32, ROOT);
  const images = [...Object.values(SYSTEM_IMAGES).filter((p) => p.startsWith('C:\\Windows')), TOOL];
  for (const path of images) put(fs, path, 'MZ');
  const k = newKernel();
  k.programs.register(TOOL, forever as never);
  const silo = k.createSilo({ flavor: 'nanoserver', fs });
  return { k, fs, silo };
}

function put(fs: FileSystemView, path: string, text: string): void {
  const h = fs.open(path, ROOT, { disposition: 'overwriteIf', write: true });
  h.write(0, new TextEncoder().encode(text));
  h.close();
}

/** The Win32 error code `fn` throws (undefined when it succeeds). */
function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof Win32Error) return e.code;
    throw e;
  }
}

describe('a running process holds its image file', () => {
  test('DeleteFile of a running image fails with ERROR_ACCESS_DENIED (5), a write open with ERROR_SHARING_VIOLATION (32); both succeed after the process exits', async () => {
    const { k, fs, silo } = machine();
    silo.start();
    const child = k.createProcess({ silo, commandLine: 'tool.exe' });
    await settle();
    expect(codeOf(() => fs.deleteFile(TOOL, ROOT))).toBe(ERROR_ACCESS_DENIED);
    expect(() => fs.deleteFile(TOOL, ROOT)).toThrow(/^DeleteFile .*tool\.exe: Access is denied\. \(5\)$/);
    expect(codeOf(() => fs.open(TOOL, ROOT, { disposition: 'open', write: true }))).toBe(ERROR_SHARING_VIOLATION);
    expect(codeOf(() => fs.open(TOOL, ROOT, { disposition: 'overwriteIf', write: true }))).toBe(ERROR_SHARING_VIOLATION);
    // Reading (copying) it is allowed, even refusing to share write: the mapping holds no share access.
    const r = fs.open(TOOL, ROOT, { disposition: 'open', read: true, shareWrite: false });
    r.close();

    child.terminate();
    await child.wait();
    const w = fs.open(TOOL, ROOT, { disposition: 'open', write: true });
    w.close();
    expect(codeOf(() => fs.deleteFile(TOOL, ROOT))).toBeUndefined();
    expect(codeOf(() => fs.stat(TOOL, ROOT))).toBe(2);
  });

  test('renaming a running image is allowed; the renamed file stays held, and a new file under the old name runs and is held on its own', async () => {
    const { k, fs, silo } = machine();
    silo.start();
    const first = k.createProcess({ silo, commandLine: 'tool.exe' });
    fs.rename(TOOL, `${SYSTEM32}\\tool.old`, ROOT, false);
    expect(codeOf(() => fs.deleteFile(`${SYSTEM32}\\tool.old`, ROOT))).toBe(ERROR_ACCESS_DENIED);
    put(fs, TOOL, 'MZ2');
    const second = k.createProcess({ silo, commandLine: 'tool.exe' });
    first.terminate();
    await first.wait();
    expect(codeOf(() => fs.deleteFile(`${SYSTEM32}\\tool.old`, ROOT))).toBeUndefined();
    expect(codeOf(() => fs.deleteFile(TOOL, ROOT))).toBe(ERROR_ACCESS_DENIED);
    second.terminate();
    await second.wait();
    expect(codeOf(() => fs.deleteFile(TOOL, ROOT))).toBeUndefined();
  });

  test('two processes of one image: the file is held until the last of them exits', async () => {
    const { k, fs, silo } = machine();
    silo.start();
    const a = k.createProcess({ silo, commandLine: 'tool.exe' });
    const b = k.createProcess({ silo, commandLine: 'tool.exe' });
    a.terminate();
    await a.wait();
    expect(codeOf(() => fs.deleteFile(TOOL, ROOT))).toBe(ERROR_ACCESS_DENIED);
    b.terminate();
    await b.wait();
    expect(codeOf(() => fs.deleteFile(TOOL, ROOT))).toBeUndefined();
  });

  test('an image open for write cannot be run: CreateProcess fails with ERROR_SHARING_VIOLATION (32), creating nothing', async () => {
    const { k, fs, silo } = machine();
    silo.start();
    const before = silo.processes.size;
    const writer = fs.open(TOOL, ROOT, { disposition: 'open', write: true });
    expect(codeOf(() => k.createProcess({ silo, commandLine: 'tool.exe' }))).toBe(ERROR_SHARING_VIOLATION);
    expect(silo.processes.size).toBe(before);
    writer.close();
    const c = k.createProcess({ silo, commandLine: 'tool.exe' });
    c.terminate();
    await c.wait();
    expect(codeOf(() => fs.deleteFile(TOOL, ROOT))).toBeUndefined();
  });

  test("the boot's resident processes hold their images, and their folder is not empty, until the silo ends", async () => {
    const { fs, silo } = machine();
    silo.start();
    for (const image of ['smss.exe', 'csrss.exe', 'wininit.exe', 'services.exe', 'lsass.exe', 'svchost.exe', 'CExecSvc.exe']) {
      expect(codeOf(() => fs.deleteFile(`${SYSTEM32}\\${image}`, ROOT))).toBe(ERROR_ACCESS_DENIED);
    }
    expect(codeOf(() => fs.removeDirectory(SYSTEM32, ROOT))).toBe(ERROR_DIR_NOT_EMPTY);
    // A folder holding a running image cannot be moved either.
    expect(codeOf(() => fs.rename('C:\\Windows', 'C:\\Win', ROOT, false))).toBe(ERROR_ACCESS_DENIED);
    silo.terminate();
    for (const e of fs.list(SYSTEM32, ROOT)) fs.deleteFile(`${SYSTEM32}\\${e.name}`, ROOT);
    fs.removeDirectory(SYSTEM32, ROOT);
    expect(fs.list('C:\\Windows', ROOT)).toEqual([]);
  });
});
