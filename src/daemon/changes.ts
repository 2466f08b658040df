/**
 * `docker diff` (`GET /containers/{id}/changes`, docker-engine-api.md
 * §3.10, §5.4): on Windows moby's windowsfilter driver answers with what
 * hcsshim's layer reader yields for the container's layer
 * (daemon/graphdriver/windows/windows.go Changes: one entry per name of the
 * exported layer, Kind 2 for a tombstone, Kind 0 for everything else — "no
 * way to tell between an add and a modify", so `A` never appears).
 *
 * Here that is exactly the layer `docker commit` would write
 * (src/images/layer-tar.ts `layerChanges`, the one computation of a
 * container's changes), in the tar's order: `Files` (the root), each new or
 * changed name and the folders above it, tombstones right after their
 * folder; then `Hives` and the carried hive deltas, named as in the layer
 * tar (`HIVE_DELTA_FILES`: hcsshim's System_Delta, Software_Delta,
 * Sam_Delta, Security_Delta, DefaultUser_Delta for the DEFAULT hive, and
 * winsilo's User_Delta for the default user's hive). Paths are relative and
 * `/`-separated, as the layer reader's names after filepath.ToSlash.
 *
 * The base is the disk the sandbox was cloned from (the image's top layer,
 * or the embedder's registered-programs layer above it: those stubs are the
 * embedder's, not the container's changes). A stopped container only: moby
 * refuses a running one on Windows (routes-containers.ts).
 */
import type { Container, Host } from '../host/host.js';
import { STATUS_SUCCESS } from '../core/ntstatus.js';
import { NtStatusError } from '../core/errors.js';
import { HIVE_NAMES } from '../images/types.js';
import { HIVE_DELTA_FILES, layerChanges } from '../images/layer-tar.js';

export interface Change {
  Path: string;
  Kind: 0 | 1 | 2;
}

export function containerChanges(host: Host, c: Container): Change[] {
  const source = c.commitSource();
  const base = c.baseDisk;
  if (!source || base === undefined) return [];
  // A clone (O(1)) is read, as commit reads one: the sandbox disk stays the container's alone.
  const copy = host.blocks.clone(source.disk);
  if (copy.status !== STATUS_SUCCESS) throw new NtStatusError('blocks.clone', copy.status, c.id);
  let files: Change[];
  try {
    files = layerChanges(host.blocks, copy.disk, base).map((x) => ({ Path: x.path === '\\' ? 'Files' : `Files${x.path.replace(/\\/g, '/')}`, Kind: x.info === null ? 2 : 0 }));
  } finally {
    host.blocks.deleteDisk(copy.disk);
  }
  // The hives a commit carries: those holding anything (src/images/commit.ts), in their files' order.
  const hives = HIVE_NAMES.filter((n) => {
    const h = source.hives[n];
    return h !== undefined && (h.root.subkeys.size > 0 || h.root.values.size > 0);
  })
    .map((n) => `Hives/${HIVE_DELTA_FILES[n]}`)
    .sort();
  return [...files, { Path: 'Hives', Kind: 0 }, ...hives.map((Path) => ({ Path, Kind: 0 as const }))];
}
