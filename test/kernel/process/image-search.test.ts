// Which image CreateProcess runs (CreateProcessW's lpApplicationName /
// lpCommandLine rules), through a silo's file system and without one.
import { describe, expect, test } from 'vitest';
import { ERROR_ACCESS_DENIED, ERROR_BAD_EXE_FORMAT, ERROR_FILE_NOT_FOUND, ERROR_FILENAME_EXCED_RANGE, ERROR_PATH_NOT_FOUND, Win32Error } from '../../../src/core/win32.js';
import { moduleNameCandidates } from '../../../src/kernel/process/image-search.js';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import { CMD, MemFs, newKernel, settle } from './support.js';

const errorCode = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof Win32Error) return e.code;
    throw e;
  }
  return 0;
};

function siloWith(files: string[]) {
  const k = newKernel();
  const fs = new MemFs(files);
  const silo = k.createSilo({ fs });
  return { k, fs, silo };
}

const SYSTEM = [CMD, 'C:\\Windows\\system32\\where.exe', 'C:\\Windows\\notepad.exe', 'C:\\tools\\'];

describe('CreateProcess image search', () => {
  test('a bare name gets .exe and is found in the system directory, named as stored', () => {
    const { k, silo } = siloWith(SYSTEM);
    k.programs.register(CMD, () => 0);
    const c = silo.createProcess({ commandLine: 'CMD /c ver' });
    expect(c.process.imagePath).toBe(CMD);
    expect(c.process.imageName).toBe('cmd.exe');
    expect(c.process.commandLine).toBe('CMD /c ver');
  });

  test('the search order: application directory, current directory, system32, System, Windows, then PATH', () => {
    const { k, silo } = siloWith([...SYSTEM, 'C:\\app\\x.exe', 'C:\\work\\x.exe', 'C:\\Windows\\system32\\x.exe', 'C:\\Windows\\x.exe', 'C:\\tools\\x.exe', 'C:\\app\\launcher.exe']);
    const seen: string[] = [];
    for (const p of ['C:\\app\\x.exe', 'C:\\work\\x.exe', 'C:\\Windows\\system32\\x.exe', 'C:\\Windows\\x.exe', 'C:\\tools\\x.exe']) {
      silo.programs.register(p, (ctx) => void seen.push(ctx.imagePath));
    }
    silo.programs.register('C:\\app\\launcher.exe', (ctx: ProcessContext) => {
      ctx.spawn('x');
      return 0;
    });
    silo.userEnvironment.set('PATH', 'C:\\tools');
    silo.createProcess({ commandLine: 'C:\\app\\launcher.exe', cwd: 'C:\\work' });
    silo.createProcess({ commandLine: 'x', cwd: 'C:\\work' });
    silo.createProcess({ commandLine: 'x', cwd: 'C:\\' });
    return settle().then(() => {
      expect(seen).toEqual(['C:\\work\\x.exe', 'C:\\Windows\\system32\\x.exe', 'C:\\app\\x.exe']);
      void k;
    });
  });

  test('PATH is searched last, and PATHEXT plays no part', () => {
    const { silo } = siloWith([...SYSTEM, 'C:\\tools\\run.exe', 'C:\\tools\\script.cmd']);
    silo.programs.register('C:\\tools\\run.exe', () => 0);
    silo.userEnvironment.set('PATH', 'C:\\nowhere;C:\\tools');
    expect(silo.createProcess({ commandLine: 'run' }).process.imagePath).toBe('C:\\tools\\run.exe');
    expect(errorCode(() => silo.createProcess({ commandLine: 'script' }))).toBe(ERROR_FILE_NOT_FOUND);
  });

  test('an unquoted path with spaces tries each longer prefix (the documented program files case)', () => {
    expect(moduleNameCandidates('c:\\program files\\sub dir\\program name')).toEqual([
      'c:\\program',
      'c:\\program files\\sub',
      'c:\\program files\\sub dir\\program',
      'c:\\program files\\sub dir\\program name',
    ]);
    const { silo } = siloWith([...SYSTEM, 'C:\\program files\\sub dir\\program.exe']);
    silo.programs.register('C:\\program files\\sub dir\\program.exe', () => 0);
    expect(silo.createProcess({ commandLine: 'c:\\program files\\sub dir\\program name' }).process.imagePath).toBe('C:\\program files\\sub dir\\program.exe');
  });

  test('a quoted name is taken whole', () => {
    expect(moduleNameCandidates('"C:\\Program Files\\a b.exe" x y')).toEqual(['C:\\Program Files\\a b.exe']);
  });

  test('a missing image is ERROR_FILE_NOT_FOUND; a path through a missing directory ERROR_PATH_NOT_FOUND', () => {
    const { silo } = siloWith(SYSTEM);
    expect(errorCode(() => silo.createProcess({ commandLine: 'nosuch.exe' }))).toBe(ERROR_FILE_NOT_FOUND);
    expect(errorCode(() => silo.createProcess({ commandLine: 'C:\\Windows\\nosuch.exe' }))).toBe(ERROR_FILE_NOT_FOUND);
    expect(errorCode(() => silo.createProcess({ commandLine: 'C:\\nodir\\x.exe' }))).toBe(ERROR_PATH_NOT_FOUND);
  });

  test('a file no program stands for is ERROR_BAD_EXE_FORMAT (193, "%1 is not a valid Win32 application.")', () => {
    const { silo } = siloWith([...SYSTEM, 'C:\\data\\readme.exe']);
    expect(errorCode(() => silo.createProcess({ commandLine: 'C:\\data\\readme.exe' }))).toBe(ERROR_BAD_EXE_FORMAT);
  });

  test('a directory is ERROR_ACCESS_DENIED', () => {
    const { silo } = siloWith([...SYSTEM, 'C:\\dir.exe\\']);
    expect(errorCode(() => silo.createProcess({ commandLine: 'C:\\dir.exe' }))).toBe(ERROR_ACCESS_DENIED);
  });

  test('a deleted image cannot run even though its program is registered', () => {
    const { k, fs, silo } = siloWith(SYSTEM);
    k.programs.register(CMD, () => 0);
    fs.remove(CMD);
    expect(errorCode(() => silo.createProcess({ commandLine: 'cmd' }))).toBe(ERROR_FILE_NOT_FOUND);
  });

  test('lpApplicationName is used as given: no search, no default extension', () => {
    const { k, silo } = siloWith(SYSTEM);
    k.programs.register(CMD, () => 0);
    expect(errorCode(() => silo.createProcess({ applicationName: 'cmd.exe', commandLine: 'cmd' }))).toBe(ERROR_FILE_NOT_FOUND);
    expect(errorCode(() => silo.createProcess({ applicationName: 'C:\\Windows\\system32\\cmd', commandLine: 'x' }))).toBe(ERROR_FILE_NOT_FOUND);
    const c = silo.createProcess({ applicationName: CMD, commandLine: 'whatever /c' });
    expect(c.process.imagePath).toBe(CMD);
    expect(c.process.commandLine).toBe('whatever /c');
  });

  test('a name with an extension or a trailing period gets no .exe', () => {
    const { silo } = siloWith([...SYSTEM, 'C:\\Windows\\system32\\tool.com', 'C:\\Windows\\system32\\noext']);
    silo.programs.register('C:\\Windows\\system32\\tool.com', () => 0);
    silo.programs.register('C:\\Windows\\system32\\noext', () => 0);
    expect(silo.createProcess({ commandLine: 'tool.com' }).process.imageName).toBe('tool.com');
    expect(silo.createProcess({ commandLine: 'noext.' }).process.imageName).toBe('noext');
  });

  test('a batch file runs under cmd.exe /c', () => {
    const { k, silo } = siloWith([...SYSTEM, 'C:\\build.cmd']);
    k.programs.register(CMD, () => 0);
    const c = silo.createProcess({ commandLine: 'C:\\build.cmd all' });
    expect(c.process.imagePath).toBe(CMD);
    expect(c.process.commandLine).toBe('C:\\Windows\\system32\\cmd.exe /c "C:\\build.cmd all"');
  });

  test('a command line over 32,766 characters is ERROR_FILENAME_EXCED_RANGE', () => {
    const { k, silo } = siloWith(SYSTEM);
    k.programs.register(CMD, () => 0);
    expect(errorCode(() => silo.createProcess({ commandLine: 'cmd ' + 'x'.repeat(32762) }))).toBe(0);
    expect(errorCode(() => silo.createProcess({ commandLine: 'cmd ' + 'x'.repeat(32763) }))).toBe(ERROR_FILENAME_EXCED_RANGE);
  });

  test('without a file system, a registered program is the file', () => {
    const k = newKernel();
    const silo = k.createSilo();
    silo.programs.register('C:\\Windows\\system32\\Foo.exe', () => 0);
    expect(silo.createProcess({ commandLine: 'foo' }).process.imageName).toBe('Foo.exe');
    expect(errorCode(() => silo.createProcess({ commandLine: 'bar' }))).toBe(ERROR_FILE_NOT_FOUND);
  });

  test("a container's registration stays in that container", () => {
    const k = newKernel();
    const a = k.createSilo();
    const b = k.createSilo();
    a.programs.register('C:\\Windows\\system32\\only.exe', () => 0);
    expect(a.createProcess({ commandLine: 'only' }).pid).toBeGreaterThan(0);
    expect(errorCode(() => b.createProcess({ commandLine: 'only' }))).toBe(ERROR_FILE_NOT_FOUND);
  });
});
