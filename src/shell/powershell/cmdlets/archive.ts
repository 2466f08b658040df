/**
 * Compress-Archive and Expand-Archive: Microsoft.PowerShell.Archive
 * 1.0.1.0, the module Windows PowerShell 5.1 ships in Server Core (a
 * script module over System.IO.Compression's ZipArchive). Zip files are
 * read and written with fflate.
 *
 * What 1.0.1.0 does, as users see it:
 *  - Compress-Archive: -Path (wildcards) or -LiteralPath, -DestinationPath
 *    (`.zip` appended when it has no extension), -CompressionLevel
 *    Optimal|NoCompression|Fastest, -Update, -Force. A folder is stored
 *    under its own name (its empty sub-folders as `dir\sub\` entries); a
 *    file by its name. Entry names keep Windows' backslashes (1.0.1.0 did
 *    not normalise them; 1.2.3 does). An existing archive without -Update
 *    or -Force is the terminating `ArchiveFileExists`; nothing to archive
 *    deletes the archive it made.
 *  - Expand-Archive: -Path or -LiteralPath of a `.zip` (any other
 *    extension is `NotSupportedArchiveFileExtension`), -DestinationPath
 *    (made when missing; without it, a folder named after the archive in
 *    the current location), -Force. A file that exists is the
 *    non-terminating `ExpandArchiveFileExists` unless -Force.
 *  - Paths that do not resolve: `ArchiveCmdletPathNotFound` (terminating).
 *
 * Errors carry the module's LocalizedData texts, and the function's name
 * as the FullyQualifiedErrorId's command part (`…,Expand-Archive`): these
 * are functions, not compiled cmdlets.
 */
import { unzipSync, zipSync, type Zippable, type ZipOptions } from 'fflate';
import { Win32Error } from '../../../core/win32.js';
import type { FileSystemView } from '../../../kernel/fs/types.js';
import { FILE_ATTRIBUTE_DIRECTORY } from '../../../kernel/fs/types.js';
import { readAllBytes, writeAllBytes } from '../providers/filesystem.js';
import { leafName, parentPath, resolvePath } from '../providers/paths.js';
import type { CmdletCall, CmdletDef } from '../runtime/commands.js';
import type { ErrorSpec } from '../runtime/errors.js';
import type { Runtime } from '../runtime/interpreter.js';
import { hasWildcard, wildcardRegex } from '../runtime/operators.js';
import { enumerate, toStr } from '../runtime/values.js';
import { mkdirs } from './items.js';
import { cmdlet, p, sw } from './define.js';

const DIR = FILE_ATTRIBUTE_DIRECTORY;

const TEXT = {
  pathNotFound: (p: string) => `The path '${p}' either does not exist or is not a valid file system path.`,
  badExtension: (ext: string) => `${ext} is not a supported archive file format. .zip is the only supported archive file format.`,
  zipExists: (p: string) => `The archive file ${p} already exists. Use the -Update parameter to update the existing archive file or use the -Force parameter to overwrite the existing archive file.`,
  duplicate: (param: string, p: string) => `The input to ${param} parameter contains a duplicate path '${p}'. Provide a unique set of paths as input to ${param} parameter.`,
  multiple: (p: string, param: string) => `The archive file path '${p}' specified as input to the ${param} parameter is resolving to multiple file system paths. Provide a unique path to the ${param} parameter where the archive file has to be created.`,
  fileExists: (file: string, archive: string) => `Failed to create file '${file}' while expanding the archive file '${archive}' contents as the file '${file}' already exists. Use the -Force parameter if you want to overwrite the existing directory '${file}' contents when expanding the archive file.`,
  badEntry: (name: string) => `Can not process invalid archive entry '${name}'.`,
};

export function archiveCmdlets(rt: Runtime): CmdletDef[] {
  const fs = (): FileSystemView => {
    if (!rt.ctx.fs) throw new Win32Error('CreateFile', 3);
    return rt.ctx.fs;
  };
  const cwd = () => rt.fsCwd();
  const stat = (path: string) => {
    try {
      return fs().stat(path, cwd());
    } catch (e) {
      if (e instanceof Win32Error) return undefined;
      throw e;
    }
  };
  const fail = (c: CmdletCall, id: string, message: string, target: string, reason = 'IOException', category = 'InvalidArgument'): never => {
    throw c.fail({ message, category, reason, targetName: target, id: `${id},${c.name}` });
  };
  /** GetResolvedPathHelper: Resolve-Path (-Path expands wildcards), file-system paths only. */
  const resolveAll = (c: CmdletCall, raw: string, literal: boolean): string[] => {
    const r = resolvePath(raw, rt.location, rt.ctx.fs, cwd());
    const notFound = (): never => fail(c, 'ArchiveCmdletPathNotFound', TEXT.pathNotFound(raw), raw, 'InvalidOperationException');
    if (r.provider !== 'FileSystem') return notFound();
    if (!literal && hasWildcard(leafName(r.path))) {
      const dir = parentPath(r.path);
      const re = wildcardRegex(leafName(r.path));
      let names: string[] = [];
      try {
        names = fs()
          .list(dir, cwd())
          .map((f) => f.name)
          .filter((n) => re.test(n))
          .sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
      } catch {
        return notFound();
      }
      if (names.length === 0) return notFound();
      return names.map((n) => joinPath(dir, n));
    }
    if (!stat(r.path)) return notFound();
    return [r.path];
  };

  return [
    cmdlet(
      'Compress-Archive',
      [p('Path', 0), p('LiteralPath', undefined, ['PSPath']), p('DestinationPath', 1), p('CompressionLevel'), sw('Update'), sw('Force')],
      async (c) => {
        const literal = c.has('LiteralPath');
        const param = literal ? 'LiteralPath' : 'Path';
        const inputs = (literal ? enumerate(c.get('LiteralPath')) : c.has('Path') ? enumerate(c.get('Path')) : c.input).map((x) => toStr(x));
        const level = toStr(c.get('CompressionLevel') ?? 'Optimal');
        if (!['optimal', 'nocompression', 'fastest'].includes(level.toLowerCase())) {
          throw c.fail({
            message: `Cannot validate argument on parameter 'CompressionLevel'. The argument "${level}" does not belong to the set "Optimal,NoCompression,Fastest" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`,
            category: 'InvalidData',
            reason: 'ParameterBindingValidationException',
            id: `ParameterArgumentValidationError,${c.name}`,
          });
        }
        // BEGIN: the destination, its parent resolved, `.zip` appended, an existing archive refused.
        let dest = resolvePath(toStr(c.get('DestinationPath') ?? ''), rt.location, rt.ctx.fs, cwd()).path;
        const parent = parentPath(dest) || dest;
        const parentInfo = stat(parent);
        if (!parentInfo || !(parentInfo.attributes & DIR)) fail(c, 'ArchiveCmdletPathNotFound', TEXT.pathNotFound(parent), parent, 'InvalidOperationException');
        if (!/\.[^.\\]*$/.test(leafName(dest))) dest += '.zip';
        const existing = stat(dest);
        const exists = existing !== undefined && !(existing.attributes & DIR);
        if (exists && !c.flag('Update') && !c.flag('Force')) fail(c, 'ArchiveFileExists', TEXT.zipExists(dest), dest);
        // END: duplicates, then every input resolved.
        const seen = new Set<string>();
        for (const i of inputs) {
          if (seen.has(i.toUpperCase())) fail(c, 'DuplicatePathFound', TEXT.duplicate(param, i), i);
          seen.add(i.toUpperCase());
        }
        const sources = inputs.flatMap((i) => resolveAll(c, i, literal));
        const entries = new Map<string, { path: string | undefined; mtime: number }>();
        const addTree = (dir: string, prefix: string): void => {
          const list = fs().list(dir, cwd());
          for (const f of list) {
            const full = joinPath(dir, f.name);
            const name = `${prefix}${f.name}`;
            if (f.attributes & DIR) {
              // A folder with no files of its own (GetFiles() is empty) is an entry of its own.
              if (!fs().list(full, cwd()).some((x) => !(x.attributes & DIR))) entries.set(`${name}\\`, { path: undefined, mtime: f.lastWriteTime });
              addTree(full, `${name}\\`);
            } else entries.set(name, { path: full, mtime: f.lastWriteTime });
          }
        };
        for (const s of sources) {
          const info = stat(s)!;
          if (info.attributes & DIR) addTree(s, `${leafName(s)}\\`);
          else entries.set(leafName(s), { path: s, mtime: info.lastWriteTime });
        }
        const files: Zippable = {};
        if (exists && c.flag('Update')) {
          try {
            for (const [name, data] of Object.entries(unzipSync(readAllBytes(fs(), dest, cwd())))) files[name] = data;
          } catch {
            /* an unreadable archive is written anew */
          }
        }
        const options: ZipOptions = { level: level.toLowerCase() === 'nocompression' ? 0 : level.toLowerCase() === 'fastest' ? 1 : 6 };
        for (const [name, e] of entries) {
          // 1.0.1.0 writes times before 1980 as they are; the zip format cannot hold them (DOS time): 1980-01-01.
          const mtime = new Date(Math.max(e.mtime, Date.UTC(1980, 0, 1, 12)));
          files[name] = e.path === undefined ? [new Uint8Array(0), { ...options, mtime }] : [readAllBytes(fs(), e.path, cwd()), { ...options, mtime }];
        }
        if (entries.size === 0) {
          // Nothing archived: the archive it would have made is not kept.
          if (!exists) return;
        }
        try {
          writeAllBytes(fs(), dest, cwd(), zipSync(files), false);
        } catch (e) {
          if (e instanceof Win32Error) fail(c, 'CompressArchiveUnauthorizedAccessError', `Access to the path '${dest}' is denied.`, dest, 'UnauthorizedAccessException', 'PermissionDenied');
          throw e;
        }
      },
    ),
    cmdlet('Expand-Archive', [p('Path', 0), p('LiteralPath', undefined, ['PSPath']), p('DestinationPath', 1), sw('Force')], async (c) => {
      const literal = c.has('LiteralPath');
      const raw = toStr(literal ? c.get('LiteralPath') : (c.get('Path') ?? c.input[0] ?? ''));
      // BEGIN: the destination folder, made when missing.
      let destination: string | undefined;
      if (c.has('DestinationPath')) {
        const d = resolvePath(toStr(c.get('DestinationPath')), rt.location, rt.ctx.fs, cwd());
        if (d.provider !== 'FileSystem') fail(c, 'InvalidDirectoryPath', `The path '${toStr(c.get('DestinationPath'))}' is not a valid file system directory path.`, toStr(c.get('DestinationPath')));
        destination = d.path;
        if (!stat(destination)) mkdirs(fs(), destination, cwd());
      }
      // PROCESS: one archive, a .zip, that exists.
      const sources = resolveAll(c, raw, literal);
      if (sources.length > 1) fail(c, 'InvalidArchiveFilePath', TEXT.multiple(raw, literal ? 'LiteralPath' : 'Path'), raw);
      const archive = sources[0]!;
      const info = stat(archive);
      if (!info || info.attributes & DIR) fail(c, 'PathNotFound', TEXT.pathNotFound(archive), archive);
      const ext = /\.[^.\\]*$/.exec(leafName(archive))?.[0] ?? '';
      if (ext.toLowerCase() !== '.zip') fail(c, 'NotSupportedArchiveFileExtension', TEXT.badExtension(ext), ext);
      if (destination === undefined) {
        destination = joinPath(rt.ctx.fs ? resolvePath('.', rt.location, rt.ctx.fs, cwd()).path : cwd(), leafName(archive).replace(/\.[^.]*$/, ''));
        if (!stat(destination)) mkdirs(fs(), destination, cwd());
      }
      let contents: Record<string, Uint8Array>;
      try {
        contents = unzipSync(readAllBytes(fs(), archive, cwd()));
      } catch {
        // DECIDED: ZipArchive's constructor fails inside the module (New-Object); its .NET text, reported against the call.
        throw c.fail({ message: 'Exception calling ".ctor" with "3" argument(s): "End of Central Directory record could not be found."', category: 'InvalidOperation', reason: 'MethodInvocationException', id: 'ConstructorInvokedThrowException,Microsoft.PowerShell.Commands.NewObjectCommand', targetName: '' });
      }
      const root = destination.endsWith('\\') ? destination : `${destination}\\`;
      for (const [name, data] of Object.entries(contents)) {
        const parts = name.split(/[\\/]/);
        const isDir = parts[parts.length - 1] === '';
        const normal: string[] = [];
        let escapes = false;
        for (const part of parts.filter((x) => x !== '' && x !== '.')) {
          if (part === '..') {
            if (normal.length === 0) escapes = true;
            else normal.pop();
          } else normal.push(part.trim());
        }
        if (escapes || /^[a-z]:/i.test(name)) {
          await c.error({ message: TEXT.badEntry(name), category: 'NotSpecified', reason: 'WriteErrorException', id: `Microsoft.PowerShell.Commands.WriteErrorException,${c.name}` });
          continue;
        }
        const target = root + normal.join('\\');
        if (isDir) {
          if (!stat(target)) mkdirs(fs(), target, cwd());
          continue;
        }
        const parentDir = parentPath(target);
        if (parentDir && !stat(parentDir)) mkdirs(fs(), parentDir, cwd());
        if (stat(target) && !c.flag('Force')) {
          await c.error({ message: TEXT.fileExists(target, archive), category: 'InvalidOperation', reason: 'IOException', targetName: target, id: `ExpandArchiveFileExists,${c.name}` });
          continue;
        }
        writeAllBytes(fs(), target, cwd(), data, false);
      }
    }),
  ];
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('\\') ? dir + name : `${dir}\\${name}`;
}
