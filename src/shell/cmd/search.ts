/**
 * cmd's own search for a command (cmd does it, not CreateProcess: ss64
 * "PATHEXT", Microsoft Learn "cmd" — "Searching for and running
 * executables"): the current directory first, then each PATH directory; in
 * each, the name as typed when it has an extension, then the name with each
 * PATHEXT extension in order. A name with a path is looked for there only.
 */
import type { FileSystemView } from '../../kernel/fs/types.js';
import { consoleName, dosDeviceName } from '../../kernel/fs/names.js';
import { FILE_ATTRIBUTE_DIRECTORY } from '../../kernel/fs/types.js';

export const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC';

export type SearchResult = { kind: 'found'; path: string } | { kind: 'notFound' } | { kind: 'pathNotFound' };

/**
 * A DOS device (`C:\x\con`, `nul.exe`, `CONIN$`) answers a stat, but it is
 * no file: cmd looks for executables by enumerating directories
 * (FindFirstFile), which never lists a device — so `cmd /c "echo C:\con"`
 * runs ECHO instead of trying to start the console device. The `\\?\`
 * and `\\.\` forms name no legacy device (RtlIsDosDeviceName_U).
 */
function isDevice(path: string): boolean {
  if (path.startsWith('\\\\')) return false;
  return dosDeviceName(path) !== undefined || consoleName(path.replace(/^.*[\\/]/, '')) !== undefined;
}

function isFile(fs: FileSystemView, path: string, cwd: string): boolean {
  if (isDevice(path)) return false;
  try {
    return (fs.stat(path, cwd).attributes & FILE_ATTRIBUTE_DIRECTORY) === 0;
  } catch {
    return false;
  }
}

function isDirectory(fs: FileSystemView, path: string, cwd: string): boolean {
  try {
    return (fs.stat(path, cwd).attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;
  } catch {
    return false;
  }
}

export function hasExtension(name: string): boolean {
  const base = name.replace(/^.*[\\/:]/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 && dot < base.length - 1;
}

/** Where `name` (quotes removed) runs from. */
export function searchCommand(fs: FileSystemView, name: string, cwd: string, path: string | undefined, pathext: string | undefined): SearchResult {
  const exts = (pathext ?? DEFAULT_PATHEXT).split(';').filter((e) => e !== '');
  const withExt = hasExtension(name);
  const tryIn = (dir: string | undefined): string | undefined => {
    const base = dir === undefined ? name : dir.endsWith('\\') ? dir + name : `${dir}\\${name}`;
    if (withExt && isFile(fs, base, cwd)) return fs.fullPath(base, cwd);
    for (const e of exts) if (isFile(fs, base + e, cwd)) return fs.fullPath(base + e, cwd);
    return undefined;
  };
  if (/[\\/:]/.test(name)) {
    const found = tryIn(undefined);
    if (found) return { kind: 'found', path: found };
    const dir = name.replace(/[\\/][^\\/]*$/, '');
    if (dir !== name && dir !== '' && !/^[A-Za-z]:$/.test(dir) && !isDirectory(fs, dir, cwd)) return { kind: 'pathNotFound' };
    return { kind: 'notFound' };
  }
  const here = tryIn(cwd);
  if (here) return { kind: 'found', path: here };
  for (let d of (path ?? '').split(';')) {
    d = d.replace(/"/g, '').trim();
    if (d === '') continue;
    const f = tryIn(d);
    if (f) return { kind: 'found', path: f };
  }
  return { kind: 'notFound' };
}
