// GetFullPathName / RtlDosPathNameToNtPathName rules: learn.microsoft.com "Naming Files, Paths,
// and Namespaces" and (.NET) "File path formats on Windows systems" — identify the form, legacy
// devices, apply the current directory, canonicalize separators, evaluate . and .., trim trailing
// periods and spaces, skip all of it for \\?\.
import { describe, expect, test } from 'vitest';
import { getFullPathName, parseNtPath, parseWin32Path } from '../../../src/kernel/fs/win32-path.js';
import { win32Of } from './support.js';

const CWD = 'C:\\Users\\ContainerUser';

describe('GetFullPathName', () => {
  test.each([
    // drive absolute
    ['C:\\x', 'C:\\x'],
    ['C:\\', 'C:\\'],
    ['c:\\Windows', 'c:\\Windows'],
    ['C:\\x\\..\\y', 'C:\\y'],
    ['C:\\..\\..\\x', 'C:\\x'],
    ['C:\\x\\.\\y\\.', 'C:\\x\\y'],
    ['C:\\x\\..', 'C:\\'],
    // forward slashes, repeated separators
    ['C:/x/y', 'C:\\x\\y'],
    ['C:\\x\\\\\\y', 'C:\\x\\y'],
    ['C:///x//y//', 'C:\\x\\y\\'],
    // trailing periods and spaces: stripped from the last component only, kept after a separator
    ['C:\\x\\y.', 'C:\\x\\y'],
    ['C:\\x\\y. . ..', 'C:\\x\\y'],
    ['C:\\x\\y   ', 'C:\\x\\y'],
    ['C:\\x.\\y', 'C:\\x.\\y'],
    ['C:\\x \\y', 'C:\\x \\y'],
    ['C:\\x\\y.\\', 'C:\\x\\y.\\'],
    ['C:\\x\\...', 'C:\\x'],
    // drive relative
    ['C:x', 'C:\\Users\\ContainerUser\\x'],
    ['C:', 'C:\\Users\\ContainerUser'],
    ['C:..\\x', 'C:\\Users\\x'],
    ['D:x', 'D:\\x'],
    ['D:', 'D:\\'],
    ['d:..\\..\\x', 'd:\\x'],
    // rooted: the current drive
    ['\\x', 'C:\\x'],
    ['\\', 'C:\\'],
    ['/x/../y', 'C:\\y'],
    // relative
    ['x', 'C:\\Users\\ContainerUser\\x'],
    ['.\\x', 'C:\\Users\\ContainerUser\\x'],
    ['..\\x', 'C:\\Users\\x'],
    ['..\\..\\..\\..\\x', 'C:\\x'],
    ['.', 'C:\\Users\\ContainerUser'],
    ['..', 'C:\\Users'],
    ['x\\', 'C:\\Users\\ContainerUser\\x\\'],
    // devices
    ['NUL', '\\\\.\\NUL'],
    ['nul.txt', '\\\\.\\nul'],
    ['C:\\dir\\COM1.log', '\\\\.\\COM1'],
    ['..\\aux', '\\\\.\\aux'],
    // verbatim: untouched
    ['\\\\?\\C:\\x\\..\\y.', '\\\\?\\C:\\x\\..\\y.'],
    ['\\\\?\\C:\\nul', '\\\\?\\C:\\nul'],
    // local device paths: normalised, `..` stops at the device
    ['\\\\.\\C:\\x\\..\\y', '\\\\.\\C:\\y'],
    ['\\\\.\\C:\\..\\..', '\\\\.\\C:\\'],
    ['//./C:/x', '\\\\.\\C:\\x'],
    ['//?/C:/x/../y', '\\\\?\\C:\\y'],
    // UNC: `..` stops at the share
    ['\\\\server\\share\\x\\..\\..\\y', '\\\\server\\share\\y'],
    ['//server/share/x', '\\\\server\\share\\x'],
    ['\\\\server\\share', '\\\\server\\share'],
    ['\\\\server\\share\\nul', '\\\\server\\share\\nul'],
  ])('%j → %j', (path, full) => {
    expect(getFullPathName(path, CWD)).toBe(full);
  });

  test('a cwd with a trailing separator is the same directory', () => {
    expect(getFullPathName('x', 'C:\\Users\\')).toBe('C:\\Users\\x');
    expect(getFullPathName('x', 'C:\\')).toBe('C:\\x');
  });

  test('relative and rooted paths against a UNC current directory stay on the share', () => {
    expect(getFullPathName('x', '\\\\srv\\sh\\dir')).toBe('\\\\srv\\sh\\dir\\x');
    expect(getFullPathName('\\x', '\\\\srv\\sh\\dir')).toBe('\\\\srv\\sh\\x');
    expect(getFullPathName('..\\..\\..\\x', '\\\\srv\\sh\\dir')).toBe('\\\\srv\\sh\\x');
  });
});

describe('what a path names', () => {
  test('a drive path names the volume path under that letter (upper case)', () => {
    expect(parseWin32Path('c:\\Windows\\System32', CWD).target).toEqual({ kind: 'drive', drive: 'C', path: '\\Windows\\System32' });
    expect(parseWin32Path('C:\\', CWD).target).toEqual({ kind: 'drive', drive: 'C', path: '\\' });
  });

  test('\\\\?\\ keeps every component, so `..` reaches the volume as a name (which it refuses)', () => {
    const p = parseWin32Path('\\\\?\\C:\\x\\..\\y.', CWD);
    expect(p.verbatim).toBe(true);
    expect(p.target).toEqual({ kind: 'drive', drive: 'C', path: '\\x\\..\\y.' });
  });

  test('\\??\\ is the NT spelling of \\\\?\\', () => {
    expect(parseWin32Path('\\??\\C:\\x', CWD).target).toEqual({ kind: 'drive', drive: 'C', path: '\\x' });
  });

  test('a trailing separator is remembered (the target must be a directory)', () => {
    expect(parseWin32Path('C:\\x\\', CWD).trailingSeparator).toBe(true);
    expect(parseWin32Path('C:\\x', CWD).trailingSeparator).toBe(false);
    expect(parseWin32Path('C:\\', CWD).trailingSeparator).toBe(false);
  });

  test('devices, UNC paths and other \\?? objects', () => {
    expect(parseWin32Path('nul.txt', CWD).target).toEqual({ kind: 'device', name: 'nul' });
    expect(parseWin32Path('\\\\.\\NUL', CWD).target).toEqual({ kind: 'device', name: 'NUL' });
    expect(parseWin32Path('\\\\.\\CONOUT$', CWD).target).toEqual({ kind: 'device', name: 'CONOUT$' });
    expect(parseWin32Path('\\\\server\\share\\x', CWD).target).toEqual({ kind: 'unc', server: 'server', share: 'share', path: '\\x' });
    expect(parseWin32Path('\\\\?\\UNC\\server\\share\\x', CWD).target).toEqual({ kind: 'unc', server: 'server', share: 'share', path: '\\x' });
    expect(parseWin32Path('\\\\?\\ContainerMappedDirectories\\AB-12\\x', CWD).target).toEqual({ kind: 'object', path: 'ContainerMappedDirectories\\AB-12\\x' });
    expect(parseWin32Path('\\\\?\\GLOBALROOT\\Device\\HarddiskVolume1', CWD).target).toEqual({ kind: 'object', path: 'GLOBALROOT\\Device\\HarddiskVolume1' });
    expect(parseWin32Path('\\\\?\\C:', CWD).target).toEqual({ kind: 'device', name: 'C:' });
  });

  test('an empty path is ERROR_PATH_NOT_FOUND; a NUL character ERROR_INVALID_NAME', () => {
    expect(win32Of(() => parseWin32Path('', CWD))).toBe('ERROR_PATH_NOT_FOUND');
    expect(win32Of(() => parseWin32Path('C:\\a\u0000b', CWD))).toBe('ERROR_INVALID_NAME');
  });

  test('a full path of 32,768 characters is ERROR_FILENAME_EXCED_RANGE; 32,767 is accepted', () => {
    const ok = 'C:\\' + 'a\\'.repeat(16381) + 'bb';
    expect(ok.length).toBe(32767);
    expect(getFullPathName(ok, CWD)).toBe(ok);
    expect(win32Of(() => parseWin32Path(ok + 'c', CWD))).toBe('ERROR_FILENAME_EXCED_RANGE');
  });
});

describe('NT paths in reparse points', () => {
  test.each([
    ['\\??\\C:\\x', { kind: 'drive', drive: 'C', path: '\\x' }],
    ['\\??\\c:\\', { kind: 'drive', drive: 'C', path: '\\' }],
    ['\\DosDevices\\D:\\y', { kind: 'drive', drive: 'D', path: '\\y' }],
    ['\\GLOBAL??\\C:\\z', { kind: 'drive', drive: 'C', path: '\\z' }],
    ['\\??\\UNC\\srv\\sh\\x', { kind: 'unc', server: 'srv', share: 'sh', path: '\\x' }],
    ['\\??\\ContainerMappedDirectories\\G', { kind: 'object', path: 'ContainerMappedDirectories\\G' }],
  ])('%j names %j', (nt, target) => {
    expect(parseNtPath(nt)).toEqual(target);
  });

  test('paths outside \\?? (a host device path) name nothing the silo can reach', () => {
    expect(parseNtPath('\\Device\\HarddiskVolume1\\x')).toBeUndefined();
    expect(parseNtPath('C:\\x')).toBeUndefined();
  });
});
