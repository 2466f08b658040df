/**
 * A minimal in-memory Volume for the tree generator's tests ONLY, until the
 * real NTFS volume (src/kernel/fs) lands; then the lead switches these
 * tests to it and deletes this double. It implements just what
 * populateImageTree calls (createDirectory, open 'create' + write/setSize,
 * setAttributes, setTimes, createReparsePoint) plus stat/list for the
 * assertions, and logs every call so determinism can be checked call for
 * call. No sharing modes, no reparse traversal, no free-space accounting.
 */
import { ERROR_ALREADY_EXISTS, ERROR_FILE_EXISTS, ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, Win32Error } from '../../../src/core/win32.js';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_REPARSE_POINT,
  type FileHandle,
  type FileInfo,
  type OpenOptions,
  type ReparseData,
  type Volume,
} from '../../../src/kernel/fs/types.js';

interface Node {
  name: string;
  dir: boolean;
  attributes: number;
  data: Uint8Array;
  size: number;
  times: { creationTime: number; lastAccessTime: number; lastWriteTime: number; changeTime: number };
  reparse?: ReparseData;
  id: number;
}

export class MemoryVolume implements Volume {
  readonly label = '';
  readonly serialNumber = 0x7055b6a6;
  readonly readOnly = false;
  readonly log: string[] = [];
  private readonly nodes = new Map<string, Node>();
  private nextId = 5;

  constructor() {
    this.nodes.set('\\', this.node('', true));
  }

  private node(name: string, dir: boolean): Node {
    return { name, dir, attributes: dir ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE, data: new Uint8Array(0), size: 0, times: { creationTime: 0, lastAccessTime: 0, lastWriteTime: 0, changeTime: 0 }, id: this.nextId++ };
  }

  private parent(path: string): Node {
    const p = path.slice(0, path.lastIndexOf('\\')) || '\\';
    const n = this.nodes.get(p.toUpperCase());
    if (!n || !n.dir) throw new Win32Error('MemoryVolume', ERROR_PATH_NOT_FOUND, path);
    return n;
  }

  private get(path: string): Node {
    const n = this.nodes.get(path.toUpperCase());
    if (!n) {
      this.parent(path);
      throw new Win32Error('MemoryVolume', ERROR_FILE_NOT_FOUND, path);
    }
    return n;
  }

  private info(n: Node): FileInfo {
    return { name: n.name, attributes: n.attributes, size: n.dir ? 0 : n.size, allocationSize: Math.ceil(n.data.length / 4096) * 4096, ...n.times, fileId: n.id, linkCount: 1, ...(n.reparse ? { reparse: n.reparse } : {}) };
  }

  space() {
    return { totalBytes: 20 * 2 ** 30, freeBytes: 20 * 2 ** 30 };
  }

  createDirectory(path: string): void {
    this.log.push(`mkdir ${path}`);
    this.parent(path);
    if (this.nodes.has(path.toUpperCase())) throw new Win32Error('CreateDirectory', ERROR_ALREADY_EXISTS, path);
    this.nodes.set(path.toUpperCase(), this.node(path.slice(path.lastIndexOf('\\') + 1), true));
  }

  open(path: string, opts: OpenOptions): FileHandle {
    this.log.push(`open ${path} ${opts.disposition}`);
    if (opts.disposition !== 'create') throw new Error(`MemoryVolume: only 'create' is implemented (${opts.disposition})`);
    this.parent(path);
    if (this.nodes.has(path.toUpperCase())) throw new Win32Error('CreateFile', ERROR_FILE_EXISTS, path);
    const n = this.node(path.slice(path.lastIndexOf('\\') + 1), false);
    this.nodes.set(path.toUpperCase(), n);
    const log = this.log;
    const self = this;
    return {
      path: `C:${path}`,
      info: () => self.info(n),
      read(position: number, into: Uint8Array): number {
        const end = Math.min(n.size, position + into.length);
        if (position >= end) return 0;
        into.fill(0, 0, end - position);
        into.set(n.data.subarray(position, Math.min(end, n.data.length)), 0);
        return end - position;
      },
      write(position: number, data: Uint8Array): number {
        let h = 0;
        for (const b of data) h = (Math.imul(h, 31) + b) >>> 0;
        log.push(`write ${path} @${position} ${data.length} #${h.toString(16)}`);
        const end = position + data.length;
        if (end > n.data.length) {
          const grown = new Uint8Array(end);
          grown.set(n.data);
          n.data = grown;
        }
        n.data.set(data, position);
        n.size = Math.max(n.size, end);
        return data.length;
      },
      setSize(size: number): void {
        log.push(`setSize ${path} ${size}`);
        if (size < n.data.length) n.data = n.data.slice(0, size);
        n.size = size;
      },
      close(): void {
        log.push(`close ${path}`);
      },
    };
  }

  stat(path: string): FileInfo {
    return this.info(this.get(path));
  }

  /** Entries in upcased-name order, as NTFS indexes them. */
  list(path: string): FileInfo[] {
    const dir = this.get(path);
    if (!dir.dir) throw new Win32Error('FindFirstFile', ERROR_PATH_NOT_FOUND, path);
    const prefix = path === '\\' ? '\\' : `${path.toUpperCase()}\\`;
    const out: FileInfo[] = [];
    for (const [key, n] of this.nodes) {
      if (key !== '\\' && key.startsWith(prefix) && !key.slice(prefix.length).includes('\\')) out.push(this.info(n));
    }
    return out.sort((a, b) => (a.name.toUpperCase() < b.name.toUpperCase() ? -1 : 1));
  }

  /** The bytes of a file as a reader sees them (zeros past what was written). */
  contents(path: string): Uint8Array {
    const n = this.get(path);
    const out = new Uint8Array(n.size);
    out.set(n.data.subarray(0, Math.min(n.size, n.data.length)));
    return out;
  }

  setAttributes(path: string, attributes: number): void {
    this.log.push(`attrib ${path} ${attributes.toString(16)}`);
    const n = this.get(path);
    const keep = n.attributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT);
    n.attributes = keep | (attributes === FILE_ATTRIBUTE_NORMAL ? 0 : attributes);
  }

  setTimes(path: string, times: Partial<Pick<FileInfo, 'creationTime' | 'lastAccessTime' | 'lastWriteTime'>>): void {
    this.log.push(`times ${path} ${times.creationTime} ${times.lastWriteTime} ${times.lastAccessTime}`);
    Object.assign(this.get(path).times, times);
  }

  createReparsePoint(path: string, data: ReparseData, directory: boolean): void {
    this.log.push(`reparse ${path} ${data.tag.toString(16)} ${data.substituteName} ${directory}`);
    this.parent(path);
    if (this.nodes.has(path.toUpperCase())) throw new Win32Error('CreateSymbolicLink', ERROR_ALREADY_EXISTS, path);
    const n = this.node(path.slice(path.lastIndexOf('\\') + 1), directory);
    n.attributes |= FILE_ATTRIBUTE_REPARSE_POINT;
    n.reparse = data;
    this.nodes.set(path.toUpperCase(), n);
  }

  removeDirectory(): void {
    throw new Error('MemoryVolume: removeDirectory not implemented');
  }
  deleteFile(): void {
    throw new Error('MemoryVolume: deleteFile not implemented');
  }
  rename(): void {
    throw new Error('MemoryVolume: rename not implemented');
  }
  createHardLink(): void {
    throw new Error('MemoryVolume: createHardLink not implemented');
  }
}
