// Mapped directories (-v HOST:C:\path): the <SYMLINKD> on C:, its
// \\?\ContainerMappedDirectories\<GUID> target, read-only binds, and adding
// and removing them while the container runs.
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Win32Error } from '../../src/core/win32.js';
import { FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT, IO_REPARSE_TAG_SYMLINK } from '../../src/kernel/fs/index.js';
import { HcsError, ResourcePath, mappedDirectoryGuid } from '../../src/hcs/index.js';
import { containerId, sharedHost } from './support.js';

const roots: string[] = [];
function hostDir(): string {
  const d = nodeFs.mkdtempSync(path.join(os.tmpdir(), 'winsilo-hcs-'));
  roots.push(d);
  return d;
}
afterAll(() => {
  for (const d of roots) nodeFs.rmSync(d, { recursive: true, force: true });
});

function win32Code(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Win32Error);
    return { code: (e as Win32Error).code, message: (e as Win32Error).message };
  }
  throw new Error('expected a Win32Error');
}

describe('how a mapped directory shows inside', () => {
  test('C:\\data is a <SYMLINKD> to \\\\?\\ContainerMappedDirectories\\<GUID>, the GUID derived from the id and the path', () => {
    const h = sharedHost();
    const id = containerId('symlinkd');
    const dir = hostDir();
    const s = h.service.createComputeSystem(id, { Image: h.image(), MappedDirectories: [{ HostPath: dir, ContainerPath: 'C:\\data' }] });
    s.start();
    const guid = mappedDirectoryGuid(id, 'C:\\data');
    expect(guid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(mappedDirectoryGuid(id, 'c:\\DATA\\')).toBe(guid);
    expect(mappedDirectoryGuid(containerId('other'), 'C:\\data')).not.toBe(guid);
    const entry = s.silo!.fs!.list('C:\\', 'C:\\').find((e) => e.name === 'data')!;
    expect(entry.attributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)).toBe(FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT);
    expect(entry.reparse).toEqual({
      tag: IO_REPARSE_TAG_SYMLINK,
      substituteName: `\\??\\ContainerMappedDirectories\\${guid}`,
      printName: `\\\\?\\ContainerMappedDirectories\\${guid}`,
      relative: false,
    });
    s.terminate();
  });

  test('a file written through the mapping lands in the host directory; the host\'s files show inside', () => {
    const h = sharedHost();
    const dir = hostDir();
    nodeFs.writeFileSync(path.join(dir, 'from-host.txt'), 'hi');
    const s = h.service.createComputeSystem(containerId('rw'), { Image: h.image(), MappedDirectories: [{ HostPath: dir, ContainerPath: 'C:\\data' }] });
    s.start();
    expect(s.silo!.fs!.stat('C:\\data\\from-host.txt', 'C:\\').size).toBe(2);
    const f = s.silo!.fs!.open('C:\\data\\from-container.txt', 'C:\\', { disposition: 'create', write: true });
    f.write(0, new TextEncoder().encode('yo'));
    f.close();
    expect(nodeFs.readFileSync(path.join(dir, 'from-container.txt'), 'utf8')).toBe('yo');
    s.terminate();
  });

  test('a read-only mapping refuses writes with "Access is denied."', () => {
    const h = sharedHost();
    const dir = hostDir();
    nodeFs.writeFileSync(path.join(dir, 'x.txt'), 'x');
    const s = h.service.createComputeSystem(containerId('ro'), { Image: h.image(), MappedDirectories: [{ HostPath: dir, ContainerPath: 'C:\\ro', ReadOnly: true }] });
    s.start();
    const fs = s.silo!.fs!;
    expect(fs.stat('C:\\ro\\x.txt', 'C:\\').size).toBe(1);
    const e = win32Code(() => fs.open('C:\\ro\\new.txt', 'C:\\', { disposition: 'create', write: true }));
    expect(e.code).toBe(5);
    expect(e.message).toContain('Access is denied.');
    expect(win32Code(() => fs.deleteFile('C:\\ro\\x.txt', 'C:\\')).code).toBe(5);
    expect(nodeFs.existsSync(path.join(dir, 'new.txt'))).toBe(false);
    s.terminate();
  });

  test('a mapping survives a restart of the system', async () => {
    const h = sharedHost();
    const dir = hostDir();
    nodeFs.writeFileSync(path.join(dir, 'k.txt'), 'k');
    const s = h.service.createComputeSystem(containerId('remap'), { Image: h.image(), MappedDirectories: [{ HostPath: dir, ContainerPath: 'C:\\m' }] });
    s.start();
    await s.shutdown();
    s.start();
    expect(s.silo!.fs!.stat('C:\\m\\k.txt', 'C:\\').size).toBe(1);
    s.terminate();
  });
});

describe('creating with mappings', () => {
  test('a host path that does not exist: hcs::CreateComputeSystem with ERROR_PATH_NOT_FOUND', () => {
    const h = sharedHost();
    const id = containerId('missing');
    let caught: unknown;
    try {
      h.service.createComputeSystem(id, { Image: h.image(), MappedDirectories: [{ HostPath: path.join(hostDir(), 'nope'), ContainerPath: 'C:\\data' }] });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(HcsError);
    expect((caught as HcsError).message).toBe(`hcs::CreateComputeSystem ${id}: The system cannot find the path specified.`);
  });

  test('two mappings of one container path: INVALID_JSON', () => {
    const h = sharedHost();
    const dir = hostDir();
    expect(() =>
      h.service.createComputeSystem(containerId('twice'), {
        Image: h.image(),
        MappedDirectories: [
          { HostPath: dir, ContainerPath: 'C:\\data' },
          { HostPath: dir, ContainerPath: 'c:\\DATA\\' },
        ],
      }),
    ).toThrow(/JSON document is invalid/);
  });
});

describe('HcsModifyComputeSystem on Container/MappedDirectories', () => {
  test('Add maps a directory into the running container; Remove takes the link and the GUID away', () => {
    const h = sharedHost();
    const id = containerId('modify-md');
    const dir = hostDir();
    nodeFs.writeFileSync(path.join(dir, 'f.txt'), 'f');
    const s = h.service.createComputeSystem(id, { Image: h.image() });
    s.start();
    const fs = s.silo!.fs!;
    s.modify({ ResourcePath: ResourcePath.MappedDirectories, RequestType: 'Add', Settings: { HostPath: dir, ContainerPath: 'C:\\added', ReadOnly: true } });
    expect(fs.stat('C:\\added\\f.txt', 'C:\\').size).toBe(1);
    expect(s.mappedDirectories).toEqual([{ HostPath: dir, ContainerPath: 'C:\\added', ReadOnly: true }]);
    const guid = mappedDirectoryGuid(id, 'C:\\added');
    s.modify({ ResourcePath: ResourcePath.MappedDirectories, RequestType: 'Remove', Settings: { ContainerPath: 'C:\\added' } });
    expect(win32Code(() => fs.stat('C:\\added', 'C:\\')).code).toBe(2);
    expect(win32Code(() => fs.stat(`\\\\?\\ContainerMappedDirectories\\${guid}\\f.txt`, 'C:\\')).code).toBe(3);
    expect(s.mappedDirectories).toEqual([]);
    s.terminate();
  });

  test('Remove of a path that is not mapped: ERROR_FILE_NOT_FOUND', () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('modify-none'), { Image: h.image() });
    s.start();
    expect(() => s.modify({ ResourcePath: ResourcePath.MappedDirectories, RequestType: 'Remove', Settings: { ContainerPath: 'C:\\x' } })).toThrow(
      `hcs::System::Modify ${s.id}: The system cannot find the file specified.`,
    );
    s.terminate();
  });
});
