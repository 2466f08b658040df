/**
 * Microsoft.PowerShell.Management's item, content and location cmdlets
 * over the FileSystem, Registry and Environment providers
 * (about_Providers). Errors carry the texts and ids 5.1 uses:
 * `Cannot find path 'X' because it does not exist.` (PathNotFound,
 * ItemNotFoundException), `Access to the path 'X' is denied.`
 * (UnauthorizedAccessException), …
 */
import { win32Message, Win32Error } from '../../../core/win32.js';
import type { FileInfo, FileSystemView } from '../../../kernel/fs/types.js';
import { FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_HIDDEN, FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_SYSTEM } from '../../../kernel/fs/types.js';
import type { Registry } from '../../../kernel/registry/types.js';
import { formatToText } from '../format/format.js';
import { tokenUser } from '../../programs/system/machine.js';
import { fileItem, readText, writeText, readAllBytes, writeAllBytes } from '../providers/filesystem.js';
import { displayPath, leafName, parentPath, registryDisplay, resolveLocation, resolvePath, type ProviderPath } from '../providers/paths.js';
import { itemProperties, keyItem, makeValue } from '../providers/registry.js';
import type { CmdletCall, CmdletDef } from '../runtime/commands.js';
import type { ErrorSpec } from '../runtime/errors.js';
import type { Runtime } from '../runtime/interpreter.js';
import { hasWildcard, toNumber, wildcardRegex } from '../runtime/operators.js';
import { PSObject, enumerate, toBool, toStr } from '../runtime/values.js';
import { cmdlet, p, partial, sw } from './define.js';

const DIR = FILE_ATTRIBUTE_DIRECTORY;

function notFound(path: string): ErrorSpec {
  return { message: `Cannot find path '${path}' because it does not exist.`, category: 'ObjectNotFound', targetName: path, reason: 'ItemNotFoundException', id: 'PathNotFound' };
}

/** A Win32 failure as the FileSystem provider reports it. */
export function fsErrorSpec(e: unknown, path: string, id: string): ErrorSpec {
  if (e instanceof Win32Error) {
    if (e.code === 2 || e.code === 3) return notFound(path);
    if (e.code === 5 || e.code === 19) return { message: `Access to the path '${path}' is denied.`, category: 'PermissionDenied', targetName: path, reason: 'UnauthorizedAccessException', id };
    if (e.code === 32) return { message: `The process cannot access the file '${path}' because it is being used by another process.`, category: 'WriteError', targetName: path, reason: 'IOException', id };
    return { message: win32Message(e.code).replace(/\r?\n$/, ''), category: 'WriteError', targetName: path, reason: 'IOException', id };
  }
  throw e;
}

export function itemCmdlets(rt: Runtime): CmdletDef[] {
  const fs = (): FileSystemView => {
    if (!rt.ctx.fs) throw new Win32Error('CreateFile', 3);
    return rt.ctx.fs;
  };
  const reg = (): Registry => {
    if (!rt.ctx.registry) throw new Win32Error('RegOpenKeyEx', 2);
    return rt.ctx.registry;
  };
  const cwd = () => rt.fsCwd();
  const resolve = (path: string): ProviderPath => {
    let pth = path;
    if (pth === '~' || pth.startsWith('~\\') || pth.startsWith('~/')) pth = toStr(rt.getVar('HOME')) + pth.slice(1);
    return resolvePath(pth, rt.location, rt.ctx.fs, cwd());
  };
  const stat = (path: string): FileInfo | undefined => {
    try {
      return fs().stat(path, cwd());
    } catch (e) {
      if (e instanceof Win32Error) return undefined;
      throw e;
    }
  };
  const statLink = (path: string): FileInfo | undefined => {
    try {
      return fs().stat(path, cwd(), { openReparsePoint: true });
    } catch (e) {
      if (e instanceof Win32Error) return undefined;
      throw e;
    }
  };
  /**
   * New-Item -ItemType SymbolicLink | HardLink | Junction, as Windows
   * PowerShell 5.1's FileSystemProvider.NewItem does it (its source,
   * published as PowerShell/PowerShell's first commit, and its
   * FileSystemProviderStrings): the target must exist (a junction's a
   * directory, a hard link's a file); an existing link path is an error
   * unless -Force deletes it first; CreateSymbolicLink without
   * SeCreateSymbolicLinkPrivilege (ContainerUser's token lacks it,
   * ContainerAdministrator's holds it) is "Administrator privilege
   * required for this operation."; a junction may replace an empty
   * directory. The texts keep 5.1's quirks: an existing link path reports the
   * bare resource name "NewItemIOError", a missing junction target the
   * unformatted "Could not find item {0}.". Returns false when it wrote an
   * error.
   */
  const newLink = async (c: CmdletCall, type: 'symboliclink' | 'junction' | 'hardlink', path: string, target: string): Promise<boolean> => {
    if (target === '') {
      // PSTraceSource.NewArgumentNullException("value"): ArgumentNullException's own text.
      throw c.fail({ message: 'Value cannot be null.\r\nParameter name: value', category: 'InvalidArgument', targetName: '', targetType: '', reason: 'PSArgumentNullException', id: 'Argument' });
    }
    const resolved = resolve(target).path;
    const tInfo = stat(resolved);
    const targetIsDir = tInfo !== undefined && (tInfo.attributes & DIR) !== 0;
    const own = statLink(path);
    const ownIsDir = own !== undefined && (own.attributes & DIR) !== 0;
    if (type === 'junction') {
      if (!tInfo) {
        await c.error({ message: 'Could not find item {0}.', category: 'ObjectNotFound', targetName: target, reason: 'InvalidOperationException', id: 'ItemNotFound' });
        return false;
      }
      if (!targetIsDir) {
        await c.error({ message: `A directory is required for the operation. The item '${target}' is not a directory.`, category: 'InvalidOperation', targetName: target, reason: 'InvalidOperationException', id: 'ItemNotDirectory' });
        return false;
      }
      if (own) {
        if (!ownIsDir) {
          await c.error({ message: `A directory is required for the operation. The item '${path}' is not a directory.`, category: 'InvalidOperation', targetName: path, reason: 'InvalidOperationException', id: 'ItemNotDirectory' });
          return false;
        }
        if (fs().list(path, cwd()).length > 0) {
          await c.error({ message: `Directory ${path} cannot be removed because it is not empty.`, category: 'WriteError', targetName: path, reason: 'IOException', id: 'DirectoryNotEmpty' });
          return false;
        }
        if (c.flag('Force')) {
          try {
            fs().removeDirectory(path, cwd());
          } catch (e) {
            await c.error(fsErrorSpec(e, path, 'NewItemDeleteIOError'));
          }
        }
      }
      try {
        // An empty directory already there becomes the junction.
        if (statLink(path)) fs().removeDirectory(path, cwd());
        fs().createJunction(path, resolved, cwd());
      } catch (e) {
        await c.error(fsErrorSpec(e, path, 'NewItemCreateIOError'));
        return false;
      }
      return true;
    }
    if (!tInfo) {
      await c.error({ message: `Could not find item ${target}.`, category: 'ObjectNotFound', targetName: target, reason: 'ItemNotFoundException', id: 'ItemNotFound' });
      return false;
    }
    if (type === 'hardlink' && targetIsDir) {
      await c.error({ message: `A file is required for the operation. The item '${target}' is not a file.`, category: 'InvalidOperation', targetName: target, reason: 'InvalidOperationException', id: 'ItemNotFile' });
      return false;
    }
    if (own) {
      if (!c.flag('Force')) {
        await c.error({ message: 'NewItemIOError', category: 'ResourceExists', targetName: path, reason: 'IOException', id: 'NewItemIOError' });
        return false;
      }
      try {
        if (ownIsDir) fs().removeDirectory(path, cwd());
        else fs().deleteFile(path, cwd());
      } catch (e) {
        await c.error(fsErrorSpec(e, path, 'NewItemDeleteIOError'));
      }
    }
    if (type === 'symboliclink') {
      if (!tokenUser(rt.ctx).admin) {
        await c.error({ message: 'Administrator privilege required for this operation.', category: 'PermissionDenied', targetName: target, reason: 'UnauthorizedAccessException', id: 'NewItemSymbolicLinkElevationRequired' });
        return false;
      }
      // The target as typed: a relative one stays relative to the link (CreateSymbolicLink stores it so).
      const stored = /^[A-Za-z]:|^[\\/]/.test(target) ? resolved : target;
      fs().createSymbolicLink(path, stored, cwd(), targetIsDir);
    } else {
      fs().createHardLink(path, resolved, cwd());
    }
    return true;
  };
  const keyExists = (path: string) => {
    try {
      return reg().exists(path);
    } catch {
      return false;
    }
  };

  /** Paths a -Path argument names: wildcards expand to what exists (none: the error the caller reports). */
  const expand = (path: string): ProviderPath[] => {
    const pp = resolve(path);
    if (!hasWildcard(path) || pp.provider === 'Environment') return [pp];
    if (pp.provider === 'Registry') {
      const parent = pp.path.slice(0, pp.path.lastIndexOf('\\'));
      const re = wildcardRegex(leafName(pp.path));
      if (!keyExists(parent)) return [];
      return reg()
        .enumKeys(parent)
        .filter((k) => re.test(k))
        .map((k) => ({ provider: 'Registry' as const, path: parent + '\\' + k }));
    }
    const parent = parentPath(pp.path);
    const re = wildcardRegex(leafName(pp.path));
    try {
      return sortDirsFirst(fs().list(parent, cwd()))
        .filter((f) => re.test(f.name))
        .map((f) => ({ provider: 'FileSystem' as const, path: join(parent, f.name) }));
    } catch {
      return [];
    }
  };

  const pathsOf = (c: CmdletCall, param = 'Path'): string[] => {
    const lit = c.strings('LiteralPath');
    if (lit) return lit;
    const v = c.strings(param);
    if (v) return v;
    const fromInput = c.input.map((x) => (x instanceof PSObject ? toStr(x.get('PSPath') ?? x.get('FullName') ?? x) : toStr(x)));
    return fromInput.length ? fromInput : ['.'];
  };

  const envItem = (name: string, value: string) => new PSObject(['System.Collections.DictionaryEntry', 'System.Object']).add('Name', name).add('Key', name).add('Value', value);

  async function listChildren(c: CmdletCall, dirPath: string, filter: RegExp | undefined, recurse: boolean, depth: number, opts: { force: boolean; name: boolean; dirsOnly: boolean; filesOnly: boolean; root: string }): Promise<void> {
    let entries: FileInfo[];
    try {
      entries = sortDirsFirst(fs().list(dirPath, cwd()));
    } catch (e) {
      return c.error(fsErrorSpec(e, dirPath, 'DirUnauthorizedAccessError'));
    }
    for (const f of entries) {
      if (!opts.force && f.attributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM) && f.attributes & FILE_ATTRIBUTE_HIDDEN) continue;
      const isDir = (f.attributes & DIR) !== 0;
      if (filter && !filter.test(f.name)) continue;
      if (opts.dirsOnly && !isDir) continue;
      if (opts.filesOnly && isDir) continue;
      const full = join(dirPath, f.name);
      if (opts.name) await c.emit(full.slice(opts.root.length).replace(/^\\/, ''));
      else await c.emit(fileItem(full, f, 'name'));
    }
    if (recurse && depth > 0) {
      for (const f of entries) {
        if ((f.attributes & DIR) === 0 || f.reparse) continue;
        if (!opts.force && f.attributes & FILE_ATTRIBUTE_HIDDEN) continue;
        await listChildren(c, join(dirPath, f.name), filter, recurse, depth - 1, opts);
      }
    }
  }

  const getChildItem = cmdlet(
    'Get-ChildItem',
    [p('Path', 0), p('LiteralPath', undefined, ['PSPath', 'LP']), p('Filter', 1), p('Include'), p('Exclude'), sw('Recurse', ['s']), p('Depth'), sw('Force'), sw('Name'), sw('Directory', ['ad', 'd']), sw('File', ['af']), sw('Hidden', ['ah', 'h']), p('Attributes')],
    async (c) => {
      const paths = c.strings('LiteralPath') ?? c.strings('Path') ?? ['.'];
      const filterText = c.has('Filter') ? toStr(c.get('Filter')) : c.has('Include') ? toStr(enumerate(c.get('Include'))[0]) : undefined;
      const filter = filterText ? wildcardRegex(filterText) : undefined;
      const recurse = c.flag('Recurse') || c.has('Depth');
      const depth = c.has('Depth') ? toNumber(c.get('Depth')) : recurse ? 1000 : 0;
      for (const raw of paths) {
        const pp = resolve(raw);
        if (pp.provider === 'Environment') {
          const rec = rt.ctx.env.toRecord();
          const re = pp.path ? wildcardRegex(pp.path) : undefined;
          for (const k of Object.keys(rec).sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }))) if (!re || re.test(k)) await c.emit(envItem(k, rec[k]!));
          continue;
        }
        if (pp.provider === 'Registry') {
          const targets = hasWildcard(raw) ? expand(raw) : [pp];
          if (targets.length === 0 || !targets.every((t) => keyExists(t.path))) {
            await c.error({ ...notFound(displayPath(pp)), id: 'PathNotFound' });
            continue;
          }
          const walk = async (key: string, d: number) => {
            for (const k of reg().enumKeys(key)) {
              if (!filter || filter.test(k)) await c.emit(c.flag('Name') ? k : keyItem(reg(), key + '\\' + k));
              if (recurse && d > 0) await walk(key + '\\' + k, d - 1);
            }
          };
          for (const t of targets) await walk(t.path, depth);
          continue;
        }
        const opts = { force: c.flag('Force'), name: c.flag('Name'), dirsOnly: c.flag('Directory'), filesOnly: c.flag('File'), root: pp.path };
        if (hasWildcard(leafName(pp.path)) && !c.has('LiteralPath')) {
          const parent = parentPath(pp.path);
          const re = wildcardRegex(leafName(pp.path));
          const matches = expand(raw);
          if (matches.length === 0 && !stat(parent)) {
            await c.error(notFound(parent));
            continue;
          }
          for (const m of matches) {
            const info = stat(m.path)!;
            if (info.attributes & DIR && !recurse) {
              await listChildren(c, m.path, filter, false, 0, { ...opts, root: m.path });
            } else if (!filter || filter.test(leafName(m.path))) await c.emit(opts.name ? leafName(m.path) : fileItem(m.path, info, 'name'));
          }
          if (recurse) {
            void re;
          }
          continue;
        }
        const info = stat(pp.path);
        if (!info) {
          await c.error(notFound(pp.path));
          continue;
        }
        if ((info.attributes & DIR) === 0) {
          await c.emit(opts.name ? leafName(pp.path) : fileItem(pp.path, info, 'full'));
          continue;
        }
        await listChildren(c, pp.path, filter, recurse, depth, opts);
      }
    },
    partial('FileSystem, Registry and Env: drives; -Include uses its first pattern'),
  );

  const getItem = cmdlet('Get-Item', [p('Path', 0), p('LiteralPath', undefined, ['PSPath', 'LP']), sw('Force'), p('Stream')], async (c) => {
    for (const raw of pathsOf(c)) {
      const targets = expand(raw);
      const pp = resolve(raw);
      if (pp.provider === 'Environment') {
        const v = rt.ctx.env.get(pp.path);
        if (v === undefined) await c.error(notFound(pp.path));
        else await c.emit(envItem(pp.path, v));
        continue;
      }
      if (targets.length === 0) {
        await c.error(notFound(pp.provider === 'Registry' ? displayPath(pp) : pp.path));
        continue;
      }
      for (const t of targets) {
        if (t.provider === 'Registry') {
          if (!keyExists(t.path)) await c.error(notFound(displayPath(t)));
          else await c.emit(keyItem(reg(), t.path));
          continue;
        }
        // FileInfo/DirectoryInfo of the entry itself: a link's own attributes, Target and LinkType.
        const info = stat(t.path) && statLink(t.path);
        if (!info) await c.error(notFound(t.path));
        else await c.emit(fileItem(t.path, info, 'full'));
      }
    }
  });

  const setLocation = cmdlet('Set-Location', [p('Path', 0), p('LiteralPath', undefined, ['PSPath', 'LP']), sw('PassThru')], async (c) => {
    const raw = c.strings('LiteralPath')?.[0] ?? c.strings('Path')?.[0] ?? (c.input.length ? toStr(c.input[0] instanceof PSObject ? (c.input[0] as PSObject).get('FullName') ?? c.input[0] : c.input[0]) : toStr(rt.getVar('HOME')));
    const target = hasWildcard(raw) ? expand(raw)[0] ?? resolve(raw) : resolve(raw);
    if (target.provider === 'Registry') {
      if (!keyExists(target.path)) throw c.fail(notFound(displayPath(target)));
      rt.location = displayPath(target);
    } else if (target.provider === 'Environment') {
      rt.location = 'Env:\\';
    } else {
      const info = stat(target.path);
      if (!info || (info.attributes & DIR) === 0) throw c.fail(notFound(target.path));
      rt.ctx.chdir(target.path);
      rt.location = rt.ctx.cwd;
    }
    if (c.flag('PassThru')) await c.emit(rt.locationObject());
  });

  const content = (name: string, append: boolean): CmdletDef =>
    cmdlet(name, [p('Path', 0), p('LiteralPath', undefined, ['PSPath', 'LP']), { name: 'Value', position: 1 }, p('Encoding'), sw('NoNewline'), sw('Force'), sw('PassThru')], async (c) => {
      const values = c.has('Value') ? enumerate(c.get('Value')) : c.input;
      const text = values.map((v) => toStr(v) + (c.flag('NoNewline') ? '' : '\r\n')).join('');
      const encoding = c.has('Encoding') ? toStr(c.get('Encoding')) : 'default';
      for (const raw of c.strings('LiteralPath') ?? c.strings('Path') ?? []) {
        const targets = hasWildcard(raw) ? expand(raw) : [resolve(raw)];
        for (const t of targets) {
          if (t.provider === 'Environment') {
            rt.ctx.env.set(t.path, (append ? rt.ctx.env.get(t.path) ?? '' : '') + values.map(toStr).join(''));
            continue;
          }
          try {
            writeText(fs(), t.path, cwd(), text, append, encoding);
          } catch (e) {
            if (e instanceof Win32Error && e.code === 3) {
              await c.error({ message: `Could not find a part of the path '${t.path}'.`, category: 'ObjectNotFound', targetName: t.path, reason: 'DirectoryNotFoundException', id: 'GetContentWriterDirectoryNotFoundError' });
              continue;
            }
            await c.error(fsErrorSpec(e, t.path, 'GetContentWriterUnauthorizedAccessError'));
          }
        }
      }
    });

  return [
    getChildItem,
    getItem,
    setLocation,
    cmdlet('Get-Location', [p('PSProvider'), p('PSDrive'), sw('Stack')], async (c) => c.emit(rt.locationObject())),
    cmdlet('Push-Location', [p('Path', 0), p('StackName')], async (c) => {
      rt.locations.push(rt.location);
      if (c.has('Path')) await setLocation.run!({ ...c, name: 'Set-Location', input: [], has: (n) => n.toLowerCase() === 'path' || c.has(n), get: (n) => c.get(n), strings: (n) => c.strings(n) });
    }),
    cmdlet('Pop-Location', [sw('PassThru'), p('StackName')], async () => {
      const loc = rt.locations.pop();
      if (loc === undefined) return;
      const pp = resolveLocation(loc);
      if (pp.provider === 'FileSystem') rt.ctx.chdir(pp.path);
      rt.location = loc;
    }),
    cmdlet('Get-Content', [p('Path', 0), p('LiteralPath', undefined, ['PSPath', 'LP']), p('TotalCount', undefined, ['First', 'Head']), p('Tail', undefined, ['Last']), sw('Raw'), p('Encoding'), p('ReadCount'), p('Delimiter'), sw('Wait'), sw('Force')], async (c) => {
      for (const raw of pathsOf(c)) {
        const pp = resolve(raw);
        if (pp.provider === 'Environment') {
          const v = rt.ctx.env.get(pp.path);
          if (v === undefined) await c.error(notFound(pp.path));
          else await c.emit(v);
          continue;
        }
        if (pp.provider === 'Registry') {
          await c.error({ message: 'Cannot use interface. The IContentCmdletProvider interface is not implemented by this provider.', category: 'NotImplemented', targetName: displayPath(pp), reason: 'PSNotSupportedException', id: 'NotSupported' });
          continue;
        }
        const targets = hasWildcard(raw) ? expand(raw) : [pp];
        if (targets.length === 0) await c.error(notFound(pp.path));
        for (const t of targets) {
          const info = stat(t.path);
          if (!info) {
            await c.error(notFound(t.path));
            continue;
          }
          if (info.attributes & DIR) {
            await c.error({ message: `Access to the path '${t.path}' is denied.`, category: 'PermissionDenied', targetName: t.path, reason: 'UnauthorizedAccessException', id: 'GetContentReaderUnauthorizedAccessError' });
            continue;
          }
          let text: string;
          try {
            text = readText(fs(), t.path, cwd());
          } catch (e) {
            await c.error(fsErrorSpec(e, t.path, 'GetContentReaderUnauthorizedAccessError'));
            continue;
          }
          if (c.flag('Raw')) {
            if (text !== '') await c.emit(text);
            continue;
          }
          let lines = text.split(/\r\n|\n|\r/);
          if (lines[lines.length - 1] === '') lines.pop();
          if (c.has('TotalCount')) lines = lines.slice(0, Math.max(0, toNumber(c.get('TotalCount'))));
          if (c.has('Tail')) lines = lines.slice(Math.max(0, lines.length - toNumber(c.get('Tail'))));
          for (const l of lines) await c.emit(l);
        }
      }
    }),
    content('Set-Content', false),
    content('Add-Content', true),
    cmdlet('Clear-Content', [p('Path', 0)], async (c) => {
      for (const raw of c.strings('Path') ?? []) {
        for (const t of expand(raw)) {
          try {
            writeAllBytes(fs(), t.path, cwd(), new Uint8Array(0), false);
          } catch (e) {
            await c.error(fsErrorSpec(e, t.path, 'ClearContentUnauthorizedAccessError'));
          }
        }
      }
    }),
    cmdlet('Out-File', [p('FilePath', 0, ['Path']), p('Encoding', 1), sw('Append'), sw('Force'), sw('NoClobber'), p('Width'), sw('NoNewline'), p('InputObject')], async (c) => {
      const items = c.has('InputObject') && !c.expectingInput ? enumerate(c.get('InputObject')) : c.input;
      let text = formatToText(items, c.has('Width') ? toNumber(c.get('Width')) : rt.host.width);
      if (c.flag('NoNewline')) text = text.replace(/\r\n$/, '');
      const path = resolve(toStr(c.get('FilePath'))).path;
      try {
        writeText(fs(), path, cwd(), text, c.flag('Append'), c.has('Encoding') ? toStr(c.get('Encoding')) : 'unicode');
      } catch (e) {
        if (e instanceof Win32Error && e.code === 3) throw c.fail({ message: `Could not find a part of the path '${path}'.`, category: 'OpenError', targetName: '', targetType: '', reason: 'DirectoryNotFoundException', id: 'FileOpenFailure' });
        throw c.fail(fsErrorSpec(e, path, 'FileOpenFailure'));
      }
    }),
    cmdlet('New-Item', [p('Path', 0), p('Name'), p('ItemType', undefined, ['Type']), p('Value', undefined, ['Target']), sw('Force')], async (c) => {
      const paths = c.strings('Path') ?? ['.'];
      const type = toStr(c.get('ItemType') ?? 'File').toLowerCase();
      for (const base of paths) {
        const raw = c.has('Name') ? (base.endsWith('\\') || base.endsWith(':') ? base + toStr(c.get('Name')) : base + '\\' + toStr(c.get('Name'))) : base;
        const t = resolve(raw);
        if (t.provider === 'Registry') {
          if (keyExists(t.path) && !c.flag('Force')) {
            await c.error({ message: 'A key at this path already exists.', category: 'ResourceExists', targetName: registryDisplay(t.path), reason: 'IOException', id: 'System.IO.IOException' });
            continue;
          }
          try {
            if (c.flag('Force') && keyExists(t.path)) reg().deleteTree(t.path);
            reg().createKey(t.path);
            if (c.has('Value')) reg().setValue(t.path, makeValue('', c.get('Value'), 'String'));
          } catch (e) {
            await c.error(fsErrorSpec(e, registryDisplay(t.path), 'System.Security.SecurityException'));
            continue;
          }
          await c.emit(keyItem(reg(), t.path));
          continue;
        }
        if (t.provider === 'Environment') {
          rt.ctx.env.set(t.path, toStr(c.get('Value') ?? ''));
          await c.emit(envItem(t.path, toStr(c.get('Value') ?? '')));
          continue;
        }
        const existing = stat(t.path);
        try {
          if (type === 'directory') {
            if (existing) {
              if (!c.flag('Force') || (existing.attributes & DIR) === 0) {
                await c.error({ message: `An item with the specified name ${t.path} already exists.`, category: 'ResourceExists', targetName: t.path, reason: 'IOException', id: 'DirectoryExist' });
                continue;
              }
            } else mkdirs(fs(), t.path, cwd());
          } else if (type === 'file') {
            if (existing && !c.flag('Force')) {
              await c.error({ message: `The file '${t.path}' already exists.`, category: 'WriteError', targetName: t.path, reason: 'IOException', id: 'NewItemIOError' });
              continue;
            }
            if (c.flag('Force')) mkdirs(fs(), parentPath(t.path), cwd());
            writeAllBytes(fs(), t.path, cwd(), Buffer.from(c.has('Value') ? toStr(c.get('Value')) : '', 'latin1'), false);
          } else if (type === 'symboliclink' || type === 'junction' || type === 'hardlink') {
            if (!(await newLink(c, type, t.path, c.has('Value') ? toStr(c.get('Value')) : ''))) continue;
          } else {
            // FileSystemProviderStrings.UnknownType, which 5.1 never updated for junction and hardlink.
            throw c.fail({ message: `The type is not a known type for the file system. Only "file","directory" or "symboliclink" can be specified.`, category: 'InvalidArgument', targetName: t.path, reason: 'ArgumentException', id: 'NewItem' });
          }
        } catch (e) {
          if (e instanceof Win32Error) {
            await c.error(fsErrorSpec(e, t.path, 'NewItemUnauthorizedAccessError'));
            continue;
          }
          throw e;
        }
        // FileInfo/DirectoryInfo describe the entry itself: a link shows its own attributes (`l`) and size.
        const info = statLink(t.path);
        if (info) await c.emit(fileItem(t.path, info, 'full'));
      }
    }, partial('FileSystem (File, Directory, SymbolicLink, Junction, HardLink), Registry keys, Env: variables')),
    cmdlet('Remove-Item', [p('Path', 0), p('LiteralPath', undefined, ['PSPath', 'LP']), sw('Recurse', ['r']), sw('Force'), p('Include'), p('Exclude'), p('Filter')], async (c) => {
      for (const raw of pathsOf(c)) {
        const pp = resolve(raw);
        if (pp.provider === 'Environment') {
          if (rt.ctx.env.get(pp.path) === undefined) await c.error(notFound(pp.path));
          else rt.ctx.env.set(pp.path, undefined);
          continue;
        }
        const targets = hasWildcard(raw) && !c.has('LiteralPath') ? expand(raw) : [pp];
        if (targets.length === 0 && !hasWildcard(raw)) await c.error(notFound(pp.path));
        for (const t of targets) {
          if (t.provider === 'Registry') {
            if (!keyExists(t.path)) {
              await c.error(notFound(displayPath(t)));
              continue;
            }
            if (reg().enumKeys(t.path).length && !c.flag('Recurse')) {
              await c.error(nonInteractive(t.path));
              continue;
            }
            reg().deleteTree(t.path);
            continue;
          }
          const info = stat(t.path);
          if (!info) {
            await c.error(notFound(t.path));
            continue;
          }
          try {
            if (info.attributes & DIR && !info.reparse) {
              const children = fs().list(t.path, cwd());
              if (children.length && !c.flag('Recurse')) {
                await c.error(nonInteractive(t.path));
                continue;
              }
              removeTree(fs(), t.path, cwd(), c.flag('Force'));
            } else {
              if (info.attributes & FILE_ATTRIBUTE_READONLY) {
                if (!c.flag('Force')) {
                  await c.error({ message: `Cannot remove item ${t.path}: You do not have sufficient access rights to perform this operation.`, category: 'PermissionDenied', targetName: t.path, reason: 'IOException', id: 'RemoveFileSystemItemUnAuthorizedAccess' });
                  continue;
                }
                fs().setAttributes(t.path, cwd(), info.attributes & ~FILE_ATTRIBUTE_READONLY);
              }
              if (info.attributes & DIR) fs().removeDirectory(t.path, cwd());
              else fs().deleteFile(t.path, cwd());
            }
          } catch (e) {
            if (e instanceof Win32Error) {
              await c.error({ message: `Cannot remove item ${t.path}: ${e.code === 5 ? 'Access to the path \'' + t.path + '\' is denied.' : win32Message(e.code).trim()}`, category: 'WriteError', targetName: t.path, reason: 'IOException', id: 'RemoveFileSystemItemIOError' });
              continue;
            }
            throw e;
          }
        }
      }
    }),
    cmdlet('Copy-Item', [p('Path', 0), p('LiteralPath', undefined, ['PSPath', 'LP']), p('Destination', 1), sw('Recurse'), sw('Force'), sw('PassThru'), sw('Container'), p('Filter'), p('Include'), p('Exclude')], async (c) => {
      const destRaw = toStr(c.get('Destination') ?? '.');
      const dest = resolve(destRaw);
      for (const raw of pathsOf(c)) {
        const targets = hasWildcard(raw) ? expand(raw) : [resolve(raw)];
        if (targets.length === 0) await c.error(notFound(resolve(raw).path));
        for (const t of targets) {
          if (t.provider === 'Registry' || dest.provider === 'Registry') {
            await c.error({ message: 'Copying registry keys is not supported by winsilo.', category: 'NotImplemented', targetName: displayPath(t), reason: 'PSNotSupportedException', id: 'NotSupported' });
            continue;
          }
          const info = stat(t.path);
          if (!info) {
            await c.error(notFound(t.path));
            continue;
          }
          const dInfo = stat(dest.path);
          const target = dInfo && dInfo.attributes & DIR ? join(dest.path, leafName(t.path)) : dest.path;
          try {
            if (info.attributes & DIR) copyTree(fs(), t.path, target, cwd(), c.flag('Recurse'));
            else {
              if (stat(target) && !c.flag('Force') && false) continue;
              const data = readAllBytes(fs(), t.path, cwd());
              writeAllBytes(fs(), target, cwd(), data, false);
            }
          } catch (e) {
            if (e instanceof Win32Error && e.code === 3) {
              await c.error({ message: `Could not find a part of the path '${target}'.`, category: 'WriteError', targetName: target, reason: 'DirectoryNotFoundException', id: 'CopyFileInfoItemIOError' });
              continue;
            }
            await c.error(fsErrorSpec(e, t.path, 'CopyFileInfoItemUnauthorizedAccessError'));
            continue;
          }
          if (c.flag('PassThru')) await c.emit(fileItem(target, stat(target)!, 'full'));
        }
      }
    }),
    cmdlet('Move-Item', [p('Path', 0), p('LiteralPath', undefined, ['PSPath', 'LP']), p('Destination', 1), sw('Force'), sw('PassThru')], async (c) => {
      const dest = resolve(toStr(c.get('Destination') ?? '.'));
      for (const raw of pathsOf(c)) {
        const targets = hasWildcard(raw) ? expand(raw) : [resolve(raw)];
        if (targets.length === 0) await c.error(notFound(resolve(raw).path));
        for (const t of targets) {
          if (!stat(t.path)) {
            await c.error(notFound(t.path));
            continue;
          }
          const dInfo = stat(dest.path);
          const target = dInfo && dInfo.attributes & DIR ? join(dest.path, leafName(t.path)) : dest.path;
          try {
            fs().rename(t.path, target, cwd(), c.flag('Force'));
          } catch (e) {
            if (e instanceof Win32Error && (e.code === 183 || e.code === 80)) {
              await c.error({ message: 'Cannot create a file when that file already exists.', category: 'WriteError', targetName: t.path, reason: 'IOException', id: 'MoveFileInfoItemIOError' });
              continue;
            }
            await c.error(fsErrorSpec(e, t.path, 'MoveFileInfoItemUnauthorizedAccessError'));
            continue;
          }
          if (c.flag('PassThru')) await c.emit(fileItem(target, stat(target)!, 'full'));
        }
      }
    }),
    cmdlet('Rename-Item', [p('Path', 0), p('NewName', 1), sw('Force'), sw('PassThru')], async (c) => {
      const t = resolve(toStr(c.get('Path')));
      const newName = toStr(c.get('NewName'));
      if (t.provider === 'Registry') {
        await c.error({ message: 'Renaming registry keys is not supported by winsilo.', category: 'NotImplemented', reason: 'PSNotSupportedException', id: 'NotSupported' });
        return;
      }
      if (!stat(t.path)) throw c.fail({ message: `Cannot rename because item at '${toStr(c.get('Path'))}' does not exist.`, category: 'InvalidOperation', reason: 'PSInvalidOperationException', id: 'InvalidOperation' });
      const target = join(parentPath(t.path), newName);
      try {
        fs().rename(t.path, target, cwd(), false);
      } catch (e) {
        if (e instanceof Win32Error && (e.code === 183 || e.code === 80)) {
          await c.error({ message: 'Cannot create a file when that file already exists.', category: 'WriteError', targetName: t.path, reason: 'IOException', id: 'RenameItemIOError' });
          return;
        }
        await c.error(fsErrorSpec(e, t.path, 'RenameItemUnauthorizedAccessError'));
        return;
      }
      if (c.flag('PassThru')) await c.emit(fileItem(target, stat(target)!, 'full'));
    }),
    cmdlet('Test-Path', [p('Path', 0), p('LiteralPath', undefined, ['PSPath', 'LP']), p('PathType', undefined, ['Type']), sw('IsValid')], async (c) => {
      const kind = toStr(c.get('PathType') ?? 'Any').toLowerCase();
      for (const raw of c.strings('LiteralPath') ?? c.strings('Path') ?? []) {
        if (c.flag('IsValid')) {
          await c.emit(!/[<>"|?*]/.test(raw.replace(/^[A-Za-z]:/, '')) || hasWildcard(raw));
          continue;
        }
        const pp = resolve(raw);
        let ok = false;
        if (pp.provider === 'Environment') ok = pp.path === '' || rt.ctx.env.get(pp.path) !== undefined;
        else if (pp.provider === 'Registry') ok = (hasWildcard(raw) ? expand(raw) : [pp]).some((t) => keyExists(t.path)) && kind !== 'leaf';
        else {
          const targets = hasWildcard(raw) ? expand(raw) : [pp];
          ok = targets.some((t) => {
            const info = stat(t.path);
            if (!info) return false;
            if (kind === 'leaf') return (info.attributes & DIR) === 0;
            if (kind === 'container') return (info.attributes & DIR) !== 0;
            return true;
          });
        }
        await c.emit(ok);
      }
    }),
    cmdlet('Get-ItemProperty', [p('Path', 0), p('LiteralPath', undefined, ['PSPath', 'LP']), p('Name', 1)], async (c) => {
      for (const raw of pathsOf(c)) {
        const targets = expand(raw);
        if (targets.length === 0) await c.error(notFound(displayPath(resolve(raw))));
        for (const t of targets) {
          if (t.provider === 'Registry') {
            if (!keyExists(t.path)) {
              await c.error(notFound(displayPath(t)));
              continue;
            }
            const names = c.strings('Name');
            if (names) {
              const have = reg().enumValues(t.path).map((v) => (v.name === '' ? '(default)' : v.name).toLowerCase());
              const missing = names.filter((n) => !hasWildcard(n) && !have.includes(n.toLowerCase()));
              for (const m of missing) await c.error({ message: `Property ${m} does not exist at path ${displayPathLong(t.path)}.`, category: 'InvalidArgument', targetName: m, reason: 'PSArgumentException', id: 'System.Management.Automation.PSArgumentException' });
              if (missing.length === names.length) continue;
            }
            await c.emit(itemProperties(reg(), t.path, names));
            continue;
          }
          const info = stat(t.path);
          if (!info) await c.error(notFound(t.path));
          else await c.emit(fileItem(t.path, info, 'full'));
        }
      }
    }),
    cmdlet('Get-ItemPropertyValue', [p('Path', 0), p('Name', 1)], async (c) => {
      const t = resolve(toStr(c.get('Path')));
      for (const n of c.strings('Name') ?? []) {
        if (t.provider !== 'Registry') {
          const info = stat(t.path);
          if (info) await c.emit(fileItem(t.path, info).get(n));
          continue;
        }
        if (!keyExists(t.path)) throw c.fail(notFound(displayPath(t)));
        const v = itemProperties(reg(), t.path, [n]);
        if (!v.has(n)) {
          await c.error({ message: `Property ${n} does not exist at path ${displayPathLong(t.path)}.`, category: 'InvalidArgument', targetName: n, reason: 'PSArgumentException', id: 'System.Management.Automation.PSArgumentException' });
          continue;
        }
        await c.emit(v.get(n));
      }
    }),
    cmdlet('Set-ItemProperty', [p('Path', 0), p('LiteralPath', undefined, ['PSPath', 'LP']), p('Name', 1), p('Value', 2), p('Type', undefined, ['PropertyType']), sw('Force'), sw('PassThru')], async (c) => {
      for (const raw of pathsOf(c)) {
        const t = resolve(raw);
        const name = toStr(c.get('Name'));
        if (t.provider === 'Registry') {
          if (!keyExists(t.path)) {
            await c.error(notFound(displayPath(t)));
            continue;
          }
          const existing = reg().enumValues(t.path).find((v) => v.name.toLowerCase() === name.toLowerCase());
          try {
            reg().setValue(t.path, makeValue(name === '(default)' ? '' : existing?.name ?? name, c.get('Value'), c.has('Type') ? toStr(c.get('Type')) : undefined, existing));
          } catch (e) {
            await c.error(fsErrorSpec(e, displayPath(t), 'System.UnauthorizedAccessException'));
          }
          continue;
        }
        const info = stat(t.path);
        if (!info) {
          await c.error(notFound(t.path));
          continue;
        }
        const n = name.toLowerCase();
        if (n === 'isreadonly') fs().setAttributes(t.path, cwd(), toBool(c.get('Value')) ? info.attributes | FILE_ATTRIBUTE_READONLY : info.attributes & ~FILE_ATTRIBUTE_READONLY);
        else if (n === 'attributes') {
          const names = toStr(c.get('Value')).toLowerCase();
          let a = info.attributes & DIR;
          if (names.includes('readonly')) a |= FILE_ATTRIBUTE_READONLY;
          if (names.includes('hidden')) a |= FILE_ATTRIBUTE_HIDDEN;
          if (names.includes('system')) a |= FILE_ATTRIBUTE_SYSTEM;
          if (names.includes('archive')) a |= 0x20;
          fs().setAttributes(t.path, cwd(), a);
        } else if (n === 'lastwritetime' || n === 'creationtime' || n === 'lastaccesstime') {
          const v = c.get('Value');
          const ms = v && typeof v === 'object' && 'ms' in v ? (v as { ms: number }).ms : Date.parse(toStr(v) + ' UTC');
          fs().setTimes(t.path, cwd(), { [n === 'lastwritetime' ? 'lastWriteTime' : n === 'creationtime' ? 'creationTime' : 'lastAccessTime']: ms });
        } else {
          await c.error({ message: `The property '${name}' cannot be found on this object. Verify that the property exists and can be set.`, category: 'InvalidArgument', targetName: name, reason: 'PSArgumentException', id: 'SetPropertyError' });
        }
      }
    }, partial('Registry values; for files IsReadOnly, Attributes and the three times')),
    cmdlet('New-ItemProperty', [p('Path', 0), p('Name', 1), p('Value', 2), p('PropertyType', undefined, ['Type']), sw('Force')], async (c) => {
      for (const raw of c.strings('Path') ?? []) {
        const t = resolve(raw);
        const name = toStr(c.get('Name'));
        if (t.provider !== 'Registry' || !keyExists(t.path)) {
          await c.error(notFound(displayPath(t)));
          continue;
        }
        const existing = reg().enumValues(t.path).find((v) => v.name.toLowerCase() === name.toLowerCase());
        if (existing && !c.flag('Force')) {
          await c.error({ message: 'The property already exists.', category: 'ResourceExists', targetName: displayPathLong(t.path), reason: 'IOException', id: 'System.IO.IOException' });
          continue;
        }
        reg().setValue(t.path, makeValue(name, c.get('Value') ?? '', c.has('PropertyType') ? toStr(c.get('PropertyType')) : 'String'));
        await c.emit(itemProperties(reg(), t.path, [name]));
      }
    }),
    cmdlet('Remove-ItemProperty', [p('Path', 0), p('Name', 1), sw('Force')], async (c) => {
      for (const raw of c.strings('Path') ?? []) {
        const t = resolve(raw);
        if (t.provider !== 'Registry' || !keyExists(t.path)) {
          await c.error(notFound(displayPath(t)));
          continue;
        }
        for (const n of c.strings('Name') ?? []) {
          try {
            reg().deleteValue(t.path, n);
          } catch {
            await c.error({ message: `Property ${n} does not exist at path ${displayPathLong(t.path)}.`, category: 'InvalidArgument', targetName: n, reason: 'PSArgumentException', id: 'System.Management.Automation.PSArgumentException' });
          }
        }
      }
    }),
    cmdlet('Join-Path', [p('Path', 0), p('ChildPath', 1), { name: 'AdditionalChildPath', position: 2, remaining: true }, sw('Resolve')], async (c) => {
      const children = [toStr(c.get('ChildPath') ?? ''), ...enumerate(c.get('AdditionalChildPath') ?? []).map(toStr)];
      for (const base of c.strings('Path') ?? []) {
        let out = base;
        for (const ch of children) out = ch === '' ? out : out.replace(/[\\/]+$/, '') + '\\' + ch.replace(/^[\\/]+/, '');
        await c.emit(out);
      }
    }),
    cmdlet('Split-Path', [p('Path', 0), sw('Parent'), sw('Leaf'), sw('Qualifier'), sw('NoQualifier'), sw('IsAbsolute'), sw('Resolve')], async (c) => {
      for (const raw of c.strings('Path') ?? c.input.map(toStr)) {
        const path = raw.replace(/\//g, '\\');
        if (c.flag('Leaf')) await c.emit(leafName(path));
        else if (c.flag('Qualifier')) {
          const m = /^([A-Za-z]+:)/.exec(path);
          if (!m) throw c.fail({ message: `Cannot parse path because path '${raw}' does not have a qualifier specified.`, category: 'InvalidArgument', targetName: raw, reason: 'ParameterBindingException', id: 'ParsePathFormatError' });
          await c.emit(m[1]);
        } else if (c.flag('NoQualifier')) await c.emit(path.replace(/^[A-Za-z]+:/, ''));
        else if (c.flag('IsAbsolute')) await c.emit(/^[A-Za-z]+:\\|^\\\\/.test(path));
        else {
          const trimmed = path.replace(/\\+$/, '');
          const i = trimmed.lastIndexOf('\\');
          await c.emit(i < 0 ? '' : i === 2 && trimmed[1] === ':' ? trimmed.slice(0, 3) : trimmed.slice(0, i));
        }
      }
    }),
    cmdlet('Resolve-Path', [p('Path', 0), p('LiteralPath', undefined, ['PSPath', 'LP']), sw('Relative')], async (c) => {
      for (const raw of pathsOf(c)) {
        const targets = expand(raw);
        const found = targets.filter((t) => (t.provider === 'Registry' ? keyExists(t.path) : t.provider === 'Environment' ? true : stat(t.path) !== undefined));
        if (found.length === 0) {
          await c.error(notFound(displayPath(resolve(raw))));
          continue;
        }
        for (const t of found) {
          const shown = displayPath(t);
          if (c.flag('Relative')) {
            const base = rt.location.replace(/\\$/, '');
            await c.emit(shown.toLowerCase().startsWith(base.toLowerCase() + '\\') ? '.' + shown.slice(base.length) : shown);
          } else await c.emit(new PSObject(['System.Management.Automation.PathInfo', 'System.Object'], () => shown).add('Path', shown).add('ProviderPath', t.path).add('Drive', shown.split(':')[0]));
        }
      }
    }),
    cmdlet('Get-PSDrive', [p('Name', 0), p('PSProvider')], async (c) => {
      const drives: [string, string, string][] = [
        ['Alias', 'Alias', ''],
        ['C', 'FileSystem', 'C:\\'],
        ['Cert', 'Certificate', '\\'],
        ['Env', 'Environment', ''],
        ['Function', 'Function', ''],
        ['HKCU', 'Registry', 'HKEY_CURRENT_USER'],
        ['HKLM', 'Registry', 'HKEY_LOCAL_MACHINE'],
        ['Variable', 'Variable', ''],
        ['WSMan', 'WSMan', ''],
      ];
      const names = c.strings('Name');
      for (const [n, prov, root] of drives) {
        if (names && !names.some((x) => wildcardRegex(x).test(n))) continue;
        await c.emit(new PSObject(['System.Management.Automation.PSDriveInfo', 'System.Object'], () => n).add('Name', n).add('Used (GB)', '').add('Free (GB)', '').add('Provider', prov).add('Root', root));
      }
    }, partial('drive list only; no sizes')),
  ];
}

function displayPathLong(path: string): string {
  return registryDisplay(path).replace(/^HKLM:/, 'HKEY_LOCAL_MACHINE').replace(/^HKCU:/, 'HKEY_CURRENT_USER');
}

function nonInteractive(path: string): ErrorSpec {
  // DECIDED: 5.1 asks for confirmation here; with no console to ask on, it fails as a NonInteractive host does.
  return {
    message: `Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.`,
    category: 'InvalidOperation',
    targetName: path,
    reason: 'PSInvalidOperationException',
    id: 'RemoveFileSystemItemUnAuthorizedAccess',
  };
}

function join(dir: string, name: string): string {
  return dir.endsWith('\\') ? dir + name : dir + '\\' + name;
}

/** Directories first, then files, each in the volume's order (FileSystemProvider enumerates directories, then files). */
function sortDirsFirst(list: FileInfo[]): FileInfo[] {
  return [...list.filter((f) => f.attributes & DIR), ...list.filter((f) => !(f.attributes & DIR))];
}

export function mkdirs(fs: FileSystemView, path: string, cwd: string): void {
  if (!path) return;
  try {
    const info = fs.stat(path, cwd);
    if (info.attributes & DIR) return;
  } catch {
    /* create below */
  }
  const parent = parentPath(path);
  if (parent && parent !== path) mkdirs(fs, parent, cwd);
  try {
    fs.createDirectory(path, cwd);
  } catch (e) {
    if (!(e instanceof Win32Error && e.code === 183)) throw e;
  }
}

function removeTree(fs: FileSystemView, path: string, cwd: string, force: boolean): void {
  for (const f of fs.list(path, cwd)) {
    const child = join(path, f.name);
    if (force && f.attributes & FILE_ATTRIBUTE_READONLY) fs.setAttributes(child, cwd, f.attributes & ~FILE_ATTRIBUTE_READONLY);
    if (f.attributes & DIR && !f.reparse) removeTree(fs, child, cwd, force);
    else if (f.attributes & DIR) fs.removeDirectory(child, cwd);
    else fs.deleteFile(child, cwd);
  }
  fs.removeDirectory(path, cwd);
}

function copyTree(fs: FileSystemView, from: string, to: string, cwd: string, recurse: boolean): void {
  mkdirs(fs, to, cwd);
  if (!recurse) return;
  for (const f of fs.list(from, cwd)) {
    const src = join(from, f.name);
    const dst = join(to, f.name);
    if (f.attributes & DIR) copyTree(fs, src, dst, cwd, true);
    else writeAllBytes(fs, dst, cwd, readAllBytes(fs, src, cwd), false);
  }
}
