/**
 * Populating a namespace from a declarative tree: the host's at boot, a
 * silo's when its container starts. Every object is created permanent
 * (the kernel's own objects outlive any handle), through the ObjectNamespace
 * interface only, so both implementations get identical namespaces.
 */
import { NtStatusError } from '../../core/errors.js';
import {
  OBJ_CASE_INSENSITIVE,
  OBJ_OPENIF,
  OBJ_PERMANENT,
  ObjectType,
  type ObjectNamespace,
  type ObjectTypeName,
} from '../../core/ob/index.js';

/** A node of a namespace tree: a directory's children, or a leaf. */
export type NamespaceNode =
  | { type: 'Directory'; children?: Record<string, NamespaceNode>; shadow?: string }
  | { type: 'SymbolicLink'; target: string }
  | { type: Exclude<ObjectTypeName, 'Directory' | 'SymbolicLink'> };

/**
 * Creates `tree` under the directory `base` (a full path, `\` for the
 * root). `shadow` paths are resolved by `process` as given. Each directory
 * created stays open while its children are created relative to it (an
 * OBJECT_ATTRIBUTES RootDirectory and a one-component name, as a driver
 * filling its own directory does): the same objects as full paths give,
 * without walking every path from the root again. `root`: a handle to
 * `base` already open, if the caller has one.
 */
export function populate(ob: ObjectNamespace, process: number, base: string, tree: Record<string, NamespaceNode>, root = 0): void {
  for (const name in tree) {
    const node = tree[name]!;
    // Only errors and children (and a create without a root) need the full path.
    const path = (): string => (base === '\\' ? `\\${name}` : `${base}\\${name}`);
    let shadowHandle = 0;
    if (node.type === 'Directory' && node.shadow) {
      const s = ob.open(process, ObjectType.Directory, { name: node.shadow, attributes: OBJ_CASE_INSENSITIVE });
      if (s.status < 0) throw new NtStatusError('NtOpenDirectoryObject', s.status, node.shadow);
      shadowHandle = s.handle;
    }
    const r = ob.create(
      process,
      ObjectType[node.type],
      root === 0 ? { name: path(), attributes: ATTRIBUTES } : { name, root, attributes: ATTRIBUTES },
      node.type === 'SymbolicLink' ? { target: node.target } : shadowHandle ? { shadow: shadowHandle } : {},
    );
    if (shadowHandle) ob.close(process, shadowHandle);
    if (r.status < 0) throw new NtStatusError(`NtCreate${node.type}Object`, r.status, path());
    try {
      if (node.type === 'Directory' && node.children) populate(ob, process, path(), node.children, r.handle);
    } finally {
      ob.close(process, r.handle);
    }
  }
}

const ATTRIBUTES = OBJ_PERMANENT | OBJ_OPENIF | OBJ_CASE_INSENSITIVE;
