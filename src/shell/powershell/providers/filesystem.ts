/**
 * The FileSystem provider: FileInfo/DirectoryInfo objects as Get-Item and
 * Get-ChildItem return them, and file text in the encodings Windows
 * PowerShell 5.1 uses: Out-File and `>` write UTF-16LE with a BOM
 * ("Unicode"), Set-Content and Add-Content the ANSI code page ("Default"),
 * `-Encoding UTF8` UTF-8 with a BOM. Reading detects a BOM.
 */
import type { FileInfo, FileSystemView } from '../../../kernel/fs/types.js';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NOT_CONTENT_INDEXED,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  FILE_ATTRIBUTE_SYSTEM,
  IO_REPARSE_TAG_MOUNT_POINT,
} from '../../../kernel/fs/types.js';
import { PSDateTime, PSObject } from '../runtime/values.js';
import { leafName, parentPath } from './paths.js';
import { readToEnd } from '../../../kernel/fs/whole-file.js';

/** The Mode column: d a r h s l (FileSystemInfo's Mode code property). */
export function modeString(attributes: number): string {
  return (
    (attributes & FILE_ATTRIBUTE_DIRECTORY ? 'd' : '-') +
    (attributes & FILE_ATTRIBUTE_ARCHIVE ? 'a' : '-') +
    (attributes & FILE_ATTRIBUTE_READONLY ? 'r' : '-') +
    (attributes & FILE_ATTRIBUTE_HIDDEN ? 'h' : '-') +
    (attributes & FILE_ATTRIBUTE_SYSTEM ? 's' : '-') +
    (attributes & FILE_ATTRIBUTE_REPARSE_POINT ? 'l' : '-')
  );
}

const ATTRIBUTE_NAMES: [number, string][] = [
  [FILE_ATTRIBUTE_READONLY, 'ReadOnly'],
  [FILE_ATTRIBUTE_HIDDEN, 'Hidden'],
  [FILE_ATTRIBUTE_SYSTEM, 'System'],
  [FILE_ATTRIBUTE_DIRECTORY, 'Directory'],
  [FILE_ATTRIBUTE_ARCHIVE, 'Archive'],
  [FILE_ATTRIBUTE_REPARSE_POINT, 'ReparsePoint'],
  [FILE_ATTRIBUTE_NOT_CONTENT_INDEXED, 'NotContentIndexed'],
];

/** FileAttributes.ToString(): the flag names, comma separated ("Normal" for none). */
export function attributeNames(attributes: number): string {
  const names = ATTRIBUTE_NAMES.filter(([bit]) => attributes & bit).map(([, n]) => n);
  return names.length ? names.join(', ') : 'Normal';
}

/** A FileInfo or DirectoryInfo as PowerShell's FileSystem provider returns it. */
export function fileItem(fullPath: string, info: FileInfo, display: 'name' | 'full' = 'full'): PSObject {
  const dir = (info.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;
  const name = leafName(fullPath) || fullPath;
  const parent = parentPath(fullPath);
  const o = new PSObject(dir ? ['System.IO.DirectoryInfo', 'System.IO.FileSystemInfo', 'System.Object'] : ['System.IO.FileInfo', 'System.IO.FileSystemInfo', 'System.Object'], () =>
    display === 'name' ? name : fullPath,
  );
  o.add('PSPath', `Microsoft.PowerShell.Core\\FileSystem::${fullPath}`);
  o.add('PSParentPath', parent ? `Microsoft.PowerShell.Core\\FileSystem::${parent}` : '');
  o.add('PSChildName', name);
  o.add('PSDrive', fullPath[0]!.toUpperCase());
  o.add('PSProvider', 'Microsoft.PowerShell.Core\\FileSystem');
  o.add('PSIsContainer', dir);
  o.add('Mode', modeString(info.attributes));
  const dot = name.lastIndexOf('.');
  o.add('BaseName', !dir && dot > 0 ? name.slice(0, dot) : name);
  o.add('Target', info.reparse ? [info.reparse.printName] : []);
  o.add('LinkType', info.reparse ? (info.reparse.tag === IO_REPARSE_TAG_MOUNT_POINT ? 'Junction' : 'SymbolicLink') : null);
  o.add('Name', name);
  o.add('FullName', fullPath);
  if (dir) {
    o.add('Parent', parent ? leafName(parent) || parent : null);
    o.add('Root', fullPath.slice(0, 3));
  } else {
    o.add('Length', info.size);
    o.add('DirectoryName', parent);
    o.add('Directory', parent);
    o.add('IsReadOnly', (info.attributes & FILE_ATTRIBUTE_READONLY) !== 0);
  }
  o.add('Exists', true);
  o.add('Extension', dot > 0 ? name.slice(dot) : '');
  o.add('CreationTime', new PSDateTime(info.creationTime));
  o.add('CreationTimeUtc', new PSDateTime(info.creationTime));
  o.add('LastAccessTime', new PSDateTime(info.lastAccessTime));
  o.add('LastAccessTimeUtc', new PSDateTime(info.lastAccessTime));
  o.add('LastWriteTime', new PSDateTime(info.lastWriteTime));
  o.add('LastWriteTimeUtc', new PSDateTime(info.lastWriteTime));
  o.add('Attributes', attributeNames(info.attributes));
  return o;
}

/** Decodes file bytes: UTF-16LE/BE or UTF-8 by BOM; otherwise UTF-8 when valid, else the ANSI code page (Latin-1 here). */
export function decodeFile(b: Uint8Array): string {
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return Buffer.from(b.subarray(2)).toString('utf16le');
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    const swapped = Buffer.from(b.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return Buffer.from(b.subarray(3)).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return Buffer.from(b).toString('latin1');
  }
}

/** Encodes text as an -Encoding value names it; `bom` false when appending to an existing file. */
export function encodeFile(text: string, encoding: string, bom: boolean): Uint8Array {
  switch (encoding.toLowerCase()) {
    case 'unicode':
    case 'utf16':
    case 'string': {
      const body = Buffer.from(text, 'utf16le');
      return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
    }
    case 'bigendianunicode': {
      const body = Buffer.from(text, 'utf16le');
      body.swap16();
      return bom ? Buffer.concat([Buffer.from([0xfe, 0xff]), body]) : body;
    }
    case 'utf8': {
      const body = Buffer.from(text, 'utf8');
      return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
    }
    case 'utf8nobom':
      return Buffer.from(text, 'utf8');
    case 'ascii':
      return Buffer.from([...text].map((c) => (c.charCodeAt(0) < 128 ? c : '?')).join(''), 'latin1');
    case 'oem':
    case 'default':
    default:
      // DECIDED: the ANSI code page is Windows-1252; Latin-1 covers it for the characters scripts write, others become '?'.
      return Buffer.from([...text].map((c) => (c.charCodeAt(0) < 256 ? c : '?')).join(''), 'latin1');
  }
}

export function readAllBytes(fs: FileSystemView, path: string, cwd: string): Uint8Array {
  const h = fs.open(path, cwd, { disposition: 'open', read: true, nonDirectory: true });
  try {
    return readToEnd(h);
  } finally {
    h.close();
  }
}

export function writeAllBytes(fs: FileSystemView, path: string, cwd: string, data: Uint8Array, append: boolean): void {
  const h = fs.open(path, cwd, { disposition: append ? 'openIf' : 'overwriteIf', write: true, read: true, nonDirectory: true });
  try {
    const at = append ? h.info().size : 0;
    if (!append) h.setSize(0);
    if (data.length) h.write(at, data);
  } finally {
    h.close();
  }
}

/** Text of a file, as Get-Content reads it. */
export function readText(fs: FileSystemView, path: string, cwd: string): string {
  return decodeFile(readAllBytes(fs, path, cwd));
}

/** Writes text with an encoding; appending writes no second BOM and keeps an existing file's encoding when it has a BOM. */
export function writeText(fs: FileSystemView, path: string, cwd: string, text: string, append: boolean, encoding: string): void {
  let enc = encoding;
  let exists = false;
  if (append) {
    try {
      const b = readAllBytes(fs, path, cwd);
      exists = b.length > 0;
      if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) enc = 'unicode';
      else if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) enc = 'utf8';
    } catch {
      exists = false;
    }
  }
  writeAllBytes(fs, path, cwd, encodeFile(text, enc, !exists), append && exists);
}
