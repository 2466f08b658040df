/**
 * A sandbox rebuilt from what a data root kept of it (src/host/README.md,
 * "Data root"): its disk, still in the host's (journaled) block store, and
 * the registry deltas written when the container last stopped. moby does
 * the same for a stopped container after a daemon restart: the scratch
 * layer is still in windowsfilter\<id>, and `docker start` creates the
 * compute system again on it (libcontainerd/local: LayerFolderPath).
 *
 * Kept apart from sandbox.ts so that the sandbox's own constructor stays the
 * one place a sandbox's parts are assembled; this file only hands it parts
 * that already exist.
 */
import { NtStatusError } from '../core/errors.js';
import type { BlockStore } from '../core/blocks/index.js';
import { Win32Error, ntStatusToWin32 } from '../core/win32.js';
import { mountVolume, type NtfsVolume } from '../kernel/fs/index.js';
import type { Hive } from '../kernel/registry/index.js';
import { HIVE_NAMES, type HiveName, type Image } from '../images/types.js';
import { HcsError, HcsOp } from './errors.js';
import { Sandbox } from './sandbox.js';

/**
 * The sandbox on `disk` (a clone of `image`'s top layer made for container
 * `id` earlier) with `hives` as its registry deltas; a hive not given
 * starts empty. Mounts the volume (O(1)); a disk that is gone or holds no
 * NTFS volume is an HcsError(hcs::CreateComputeSystem, the mount's Win32
 * code — ERROR_INVALID_HANDLE, ERROR_UNRECOGNIZED_VOLUME — , id), as a
 * missing scratch layer fails the create on Windows.
 */
export function restoreSandbox(
  store: BlockStore,
  disk: number,
  image: Image,
  id: string,
  requestedSizeBytes: number,
  hives: Readonly<Partial<Record<HiveName, Hive>>>,
  clock: () => number,
): Sandbox {
  let volume: NtfsVolume;
  try {
    volume = mountVolume(store, disk, { clock });
  } catch (e) {
    if (e instanceof Win32Error) throw new HcsError(HcsOp.CreateComputeSystem, e.code, id);
    if (e instanceof NtStatusError) throw new HcsError(HcsOp.CreateComputeSystem, ntStatusToWin32(e.status), id);
    throw e;
  }
  const sandbox = new Sandbox(store, disk, image, volume, requestedSizeBytes);
  // The constructor made fresh, empty deltas; nothing holds them yet, so the kept ones take their places.
  const own = sandbox.hives as Record<HiveName, Hive>;
  for (const name of HIVE_NAMES) {
    const h = hives[name];
    if (h) own[name] = h;
  }
  return sandbox;
}
