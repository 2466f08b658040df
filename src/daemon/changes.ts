/**
 * `docker diff` (`GET /containers/{id}/changes`, docker-engine-api.md
 * §3.10, §5.4): the container's sandbox volume against the layer it was
 * cloned from, as windowsfilter reports it — paths relative, `/`-separated,
 * under `Files/`; Kind 0 (changed) for anything added or modified (the
 * Windows layer reader cannot tell the two apart, so `A` never appears) and
 * Kind 2 (deleted). A stopped container only: moby refuses a running one
 * on Windows (routes-containers.ts).
 *
 * The block store first says whether the disks differ at all (an untouched
 * sandbox answers at once); otherwise both trees are walked, the layer
 * mounted read-only. An entry counts as changed when its kind, size, last
 * write time or attributes differ.
 *
 * Registry changes are the layer's hive deltas, one entry per hive that
 * holds anything: `Hives/Sam_Delta`, `Hives/Security_Delta`,
 * `Hives/Software_Delta`, `Hives/System_Delta`, `Hives/DefaultUser_Delta`
 * (the names of a Windows layer's `Hives/` folder, as windowsfilter lays
 * them out). DECIDED: both user hives winsilo keeps (HKU\.DEFAULT and the
 * default user's) are reported as the one DefaultUser_Delta.
 */
import type { Container, Host } from '../host/host.js';
import type { Sandbox } from '../hcs/sandbox.js';
import { HIVE_NAMES, type HiveName } from '../images/types.js';
import { STATUS_SUCCESS } from '../core/ntstatus.js';
import { FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT, mountVolume, type FileInfo, type NtfsVolume } from '../kernel/fs/index.js';

export interface Change {
  Path: string;
  Kind: 0 | 1 | 2;
}

const isDir = (i: FileInfo): boolean => (i.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;
/** A junction or symbolic link is compared as an entry, never walked into (it names another place). */
const walkable = (i: FileInfo): boolean => isDir(i) && (i.attributes & FILE_ATTRIBUTE_REPARSE_POINT) === 0;

function listing(v: NtfsVolume, path: string): Map<string, FileInfo> {
  const out = new Map<string, FileInfo>();
  for (const i of v.list(path)) if (i.name !== '.' && i.name !== '..') out.set(i.name.toUpperCase(), i);
  return out;
}

const DELTA_NAMES: Readonly<Record<HiveName, string>> = {
  SAM: 'Sam_Delta',
  SECURITY: 'Security_Delta',
  SOFTWARE: 'Software_Delta',
  SYSTEM: 'System_Delta',
  DEFAULT: 'DefaultUser_Delta',
  USER: 'DefaultUser_Delta',
};

export function containerChanges(host: Host, c: Container): Change[] {
  const sandbox = c.computeSystem?.sandbox;
  if (!sandbox || sandbox.destroyed) return [];
  const hives = new Set<string>();
  for (const name of HIVE_NAMES) {
    const root = sandbox.hives[name].root;
    if (root.subkeys.size > 0 || root.values.size > 0) hives.add(`Hives/${DELTA_NAMES[name]}`);
  }
  const files = fileChanges(host, sandbox);
  return [...files, ...[...hives].sort().map((Path) => ({ Path, Kind: 0 as const }))];
}

function fileChanges(host: Host, sandbox: Sandbox): Change[] {
  const base = sandbox.baseDisk;
  const d = host.blocks.diff(base, sandbox.disk);
  if (d.status === STATUS_SUCCESS && d.ranges.length === 0) return [];
  const layer = mountVolume(host.blocks, base, { readOnly: true });
  const out: Change[] = [];
  const walk = (path: string, rel: string): void => {
    const mine = listing(sandbox.volume, path);
    const theirs = listing(layer, path);
    for (const [key, a] of mine) {
      const childPath = `${path === '\\' ? '' : path}\\${a.name}`;
      const childRel = `${rel}/${a.name}`;
      const b = theirs.get(key);
      if (!b || isDir(a) !== isDir(b)) {
        out.push({ Path: childRel, Kind: 0 });
        if (walkable(a)) addAll(sandbox.volume, childPath, childRel, out);
        continue;
      }
      if (a.size !== b.size || a.lastWriteTime !== b.lastWriteTime || a.attributes !== b.attributes) out.push({ Path: childRel, Kind: 0 });
      if (walkable(a) && walkable(b)) walk(childPath, childRel);
    }
    for (const [key, b] of theirs) if (!mine.has(key)) out.push({ Path: `${rel}/${b.name}`, Kind: 2 });
  };
  walk('\\', 'Files');
  out.sort((x, y) => (x.Path < y.Path ? -1 : x.Path > y.Path ? 1 : 0));
  return out;
}

function addAll(v: NtfsVolume, path: string, rel: string, out: Change[]): void {
  for (const i of v.list(path)) {
    if (i.name === '.' || i.name === '..') continue;
    out.push({ Path: `${rel}/${i.name}`, Kind: 0 });
    if (walkable(i)) addAll(v, `${path}\\${i.name}`, `${rel}/${i.name}`, out);
  }
}
