// -v: the client's split (docker/cli internal/volumespec) and the Windows
// daemon's parse (moby daemon/volume/mounts/windows_parser.go), with a
// POSIX host path allowed as the source.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { clientBinds, MountError, parseBinds, parseVolumeSpec, VolumeSpecError, type HostDirProbe } from '../../src/cli/volumes.js';

const dirs = new Set(['/srv/data', 'c:\\host', 'c:\\host dir', '/srv/My Data']);
const files = new Set(['/srv/file.txt', 'c:\\file.txt']);
// Like stat: a trailing separator names the same directory.
const probe: HostDirProbe = (path) => {
  const p = path.length > 3 ? path.replace(/[\\/]+$/, '') : path;
  return { exists: dirs.has(p) || files.has(p), isDir: dirs.has(p) };
};

const daemonError = (spec: string): string => {
  try {
    parseBinds([spec], probe);
  } catch (e) {
    if (e instanceof MountError) return e.message;
    throw e;
  }
  throw new Error('parsed');
};

describe('client split (volumespec.Parse): drive letters are not separators', () => {
  test.each([
    ['C:\\host:C:\\ctr:ro', { type: 'bind', source: 'C:\\host', target: 'C:\\ctr', readOnly: true }],
    ['C:\\host:C:\\ctr', { type: 'bind', source: 'C:\\host', target: 'C:\\ctr', readOnly: false }],
    ['/srv/data:C:\\data:rw', { type: 'bind', source: '/srv/data', target: 'C:\\data', readOnly: false }],
    ['./rel:C:\\data', { type: 'bind', source: './rel', target: 'C:\\data', readOnly: false }],
    ['myvol:C:\\data', { type: 'volume', source: 'myvol', target: 'C:\\data', readOnly: false }],
    ['C:\\data', { type: 'volume', source: '', target: 'C:\\data', readOnly: false }],
    ['C:', { type: 'volume', source: '', target: 'C:', readOnly: false }],
    ['\\\\.\\pipe\\x:\\\\.\\pipe\\y', { type: 'bind', source: '\\\\.\\pipe\\x', target: '\\\\.\\pipe\\y', readOnly: false }],
  ])('%s', (spec, want) => {
    expect(parseVolumeSpec(spec)).toEqual(want);
  });

  test.each([
    ['', 'invalid empty volume spec'],
    ['C:\\a::C:\\b', 'invalid spec: C:\\a::C:\\b: empty section between colons'],
    ['C:\\a:C:\\b:ro:x', 'invalid spec: C:\\a:C:\\b:ro:x: too many colons'],
    [':C:\\b', 'invalid spec: :C:\\b: empty section between colons'],
  ])('%j → %s', (spec, message) => {
    expect(() => parseVolumeSpec(spec)).toThrow(VolumeSpecError);
    expect(() => parseVolumeSpec(spec)).toThrow(message);
  });

  test('a relative host part starting with "." is made absolute against the working directory', () => {
    expect(clientBinds(['./data:C:\\data', '../up:C:\\up:ro', 'rel:C:\\x'], '/home/me/proj')).toEqual({
      binds: ['/home/me/proj/data:C:\\data', '/home/me/up:C:\\up:ro', 'rel:C:\\x'],
      anonymous: [],
    });
  });

  test('repeated specs count once; specs without a source are anonymous volumes', () => {
    expect(clientBinds(['/a:C:\\a', '/a:C:\\a', 'C:\\anon'], '/')).toEqual({ binds: ['/a:C:\\a'], anonymous: ['C:\\anon'] });
  });
});

describe('daemon parse (Windows parser), bind sources on the host', () => {
  test('a POSIX source keeps its case; the destination is lower-cased with backslashes, as moby stores it', () => {
    expect(parseBinds(['/srv/My Data:C:/Data/Sub:RO'], probe)).toEqual([{ hostPath: '/srv/My Data', containerPath: 'c:\\data\\sub', readOnly: true }]);
  });

  test('a Windows source is lower-cased and trailing separators go (but not a root)', () => {
    expect(parseBinds(['C:\\Host\\:C:\\Ctr\\'], probe)).toEqual([{ hostPath: 'c:\\host', containerPath: 'c:\\ctr', readOnly: false }]);
    expect(parseBinds(['/srv/data/:D:\\'], probe)).toEqual([{ hostPath: '/srv/data', containerPath: 'd:\\', readOnly: false }]);
  });

  test.each([
    ['/srv/data:C:\\', `invalid volume specification: '/srv/data:C:\\': invalid mount config for type "bind": destination path (c:\\) cannot be 'c:' or 'c:\\'`],
    ['/srv/data:c:', `invalid volume specification: '/srv/data:c:': invalid mount config for type "bind": destination path (c:) cannot be 'c:' or 'c:\\'`],
    ['/srv/nope:C:\\data', `invalid volume specification: '/srv/nope:C:\\data': invalid mount config for type "bind": bind source path does not exist: /srv/nope`],
    ['C:\\Nope:C:\\data', `invalid volume specification: 'C:\\Nope:C:\\data': invalid mount config for type "bind": bind source path does not exist: c:\\nope`],
    ['/srv/file.txt:C:\\f', `invalid volume specification: '/srv/file.txt:C:\\f': invalid mount config for type "bind": source path must be a directory`],
    ['/srv/data:relative', "invalid volume specification: '/srv/data:relative'"],
    ['/srv/data:C:\\a:ro:x', "invalid volume specification: '/srv/data:C:\\a:ro:x'"],
    ['/srv/data:C:\\a:rx', "invalid volume specification: '/srv/data:C:\\a:rx'"],
    ['C:\\data:ro', "invalid volume specification: 'C:\\data:ro'"],
    ['/srv/data:C:\\a*b', "invalid volume specification: '/srv/data:C:\\a*b'"],
  ])('%s', (spec, message) => {
    expect(daemonError(spec)).toBe(message);
  });

  test('named and anonymous volumes are mounts the Host makes volumes for; a reserved device name is refused', () => {
    expect(parseBinds(['myvol:C:\\data:ro', 'C:\\Cache\\'], probe)).toEqual([
      { hostPath: '', containerPath: 'c:\\data', readOnly: true, volume: 'myvol' },
      { hostPath: '', containerPath: 'c:\\cache', readOnly: false, volume: '' },
    ]);
    expect(daemonError('con:C:\\data')).toBe('invalid volume specification: \'con:C:\\data\': invalid mount config for type "volume": volume name "con" cannot be a reserved word for Windows filenames');
    expect(daemonError('C:\\')).toBe("invalid volume specification: 'C:\\': invalid mount config for type \"volume\": destination path (c:\\) cannot be 'c:' or 'c:\\'");
  });

  test('two binds on one destination: Duplicate mount point', () => {
    expect(() => parseBinds(['/srv/data:C:\\x', 'C:\\host:c:/X/'], probe)).toThrow('Duplicate mount point: c:\\x');
  });

  test('the real host file system is probed by default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'winsilo-v-'));
    writeFileSync(join(dir, 'f'), 'x');
    expect(parseBinds([`${dir}:C:\\data:ro`])).toEqual([{ hostPath: dir, containerPath: 'c:\\data', readOnly: true }]);
    expect(() => parseBinds([`${dir}/f:C:\\data`])).toThrow('source path must be a directory');
    expect(() => parseBinds([`${dir}/none:C:\\data`])).toThrow(`bind source path does not exist: ${dir}/none`);
  });
});
