/**
 * A WinObj-like listing of an object namespace: every directory walked with
 * NtQueryDirectoryObject (resuming with its context, as WinObj does), names
 * sorted case-insensitively as WinObj shows them, links with their targets.
 */
import { NtStatusError } from '../core/errors.js';
import { STATUS_MORE_ENTRIES, STATUS_NO_MORE_ENTRIES } from '../core/ntstatus.js';
import { OBJ_CASE_INSENSITIVE, ObjectType, type DirectoryEntry, type ObjectNamespace } from '../core/ob/index.js';

function listDirectory(ob: ObjectNamespace, process: number, handle: number): DirectoryEntry[] {
  const all: DirectoryEntry[] = [];
  let context = 0;
  for (;;) {
    const r = ob.queryDirectory(process, handle, { bufferLength: 4096, context });
    if (r.status === STATUS_NO_MORE_ENTRIES) break;
    if (r.status < 0) throw new NtStatusError('NtQueryDirectoryObject', r.status);
    all.push(...r.entries);
    context = r.context;
    if (r.status !== STATUS_MORE_ENTRIES) break;
  }
  return all.sort((a, b) => a.name.toUpperCase().localeCompare(b.name.toUpperCase(), 'en'));
}

/** The tree below `path` as `process` sees it, one line per object. */
export function winobjTree(ob: ObjectNamespace, process: number, path: string, maxDepth = Infinity): string[] {
  const lines: string[] = [path];
  const walk = (dirPath: string, handle: number, prefix: string, depth: number): void => {
    const entries = listDirectory(ob, process, handle);
    entries.forEach((e, i) => {
      const last = i === entries.length - 1;
      const branch = prefix + (last ? '└── ' : '├── ');
      const childPath = dirPath === '\\' ? `\\${e.name}` : `${dirPath}\\${e.name}`;
      if (e.type === 'SymbolicLink') {
        const h = ob.open(process, ObjectType.SymbolicLink, { name: e.name, root: handle, attributes: OBJ_CASE_INSENSITIVE });
        const t = h.status >= 0 ? ob.queryLink(process, h.handle).target : '?';
        if (h.status >= 0) ob.close(process, h.handle);
        lines.push(`${branch}${e.name}  SymbolicLink → ${t === '' ? '""' : t}`);
        return;
      }
      lines.push(`${branch}${e.name}  ${e.type}`);
      if (e.type === 'Directory' && depth < maxDepth) {
        const h = ob.open(process, ObjectType.Directory, { name: e.name, root: handle, attributes: OBJ_CASE_INSENSITIVE });
        if (h.status < 0) throw new NtStatusError('NtOpenDirectoryObject', h.status, childPath);
        walk(childPath, h.handle, prefix + (last ? '    ' : '│   '), depth + 1);
        ob.close(process, h.handle);
      }
    });
  };
  const root = ob.open(process, ObjectType.Directory, { name: path, attributes: OBJ_CASE_INSENSITIVE });
  if (root.status < 0) throw new NtStatusError('NtOpenDirectoryObject', root.status, path);
  walk(path, root.handle, '', 1);
  ob.close(process, root.handle);
  return lines;
}
