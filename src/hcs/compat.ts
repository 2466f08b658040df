/**
 * Which container images a host can run, and in which isolation
 * (windows-facts §5), with the errors Docker and the Host Compute Service
 * really give.
 *
 * Rules and sources:
 *  - Process isolation shares the host's kernel, so the image's user mode
 *    must match it: hcsshim `osversion.CheckHostAndContainerCompat`
 *    (microsoft/hcsshim `osversion/platform_compat_windows.go`, as fixed in
 *    bacda396 "osversion: Add new versions, fix compat bug"). Major and
 *    minor must match; a host older than Windows Server 2022 needs the very
 *    same build; from 20348 on, the image build must lie between the newest
 *    stable-ABI LTSC build *strictly older* than the host (20348 when there
 *    is none) and the host build itself. So 20348 runs 20348 only, 26100
 *    runs 20348…26100, and a later host (say 26200) would run 26100…26200.
 *  - Hyper-V isolation boots the image's own kernel in a utility VM, so any
 *    image no newer than the host runs ("Windows container version
 *    compatibility", learn.microsoft.com: every Hyper-V column is ✅ for
 *    images up to the host's release and ❌ above it — a WS2019 host cannot
 *    run WS2022 images, Windows 10 cannot run WS2022, Windows 11 runs WS2025
 *    only from 24H2).
 *  - A mismatch fails HcsCreateComputeSystem; docker shows hcsshim's
 *    SystemError text `hcs::CreateComputeSystem <id>: The container
 *    operating system does not match the host operating system.` (hcsshim
 *    `internal/hcs/errors.go`, `SystemError.Error`; the op name from
 *    `internal/hcs/system.go`). The code vmcompute returns is 0xC0370101
 *    (the docs' sample error ends "(0xc0370101)").
 *  - An image newer than the host is refused before that, at pull time,
 *    by moby (`daemon/internal/distribution/pull_v2_windows.go`,
 *    `checkImageCompatibility`, "Fixes moby/moby#36184"): `a Windows version
 *    10.0.26100-based image is incompatible with a 10.0.20348 host`. If such
 *    an image reaches the compute service anyway (docker load), we refuse
 *    it with the same image-mismatch error in either isolation — decided
 *    here: the docs mark the combination unsupported but do not quote the
 *    error a Hyper-V start gives.
 *  - Isolation values (moby `api/types/container/hostconfig.go`: compared
 *    lower-cased; '' is default) and the validation message
 *    (`daemon/internal/runconfig/hostconfig_windows.go`). The daemon's
 *    default is hyperv on Windows client SKUs and process on servers
 *    (`daemon/daemon_windows.go`, `setDefaultIsolation`), overridable by
 *    `--exec-opt isolation=…`.
 *  - Not modelled: Windows Server 2016's extra rule that host and image
 *    revisions should match ("the image might not start" — the docs make it
 *    a recommendation, hcsshim does not check it).
 */
import { ERROR_VMCOMPUTE_IMAGE_MISMATCH, HcsError, HcsOp } from './errors.js';
import { LTSC2022, STABLE_ABI_LTSC_BUILDS, formatOsVersion, type OsVersion } from './versions.js';

/** How a container is isolated once the default is resolved. */
export type Isolation = 'process' | 'hyperv';

/** What kind of Windows the host is: moby picks the default isolation from it. */
export type HostSku = 'server' | 'client';

// The HCS codes, texts and HcsError live in errors.ts; re-exported here for existing importers.
export { HCS_E_IMAGE_MISMATCH, ERROR_VMCOMPUTE_IMAGE_MISMATCH, hcsMessage, HcsError } from './errors.js';

/** The HCS operation that creates a compute system; names the error's op as hcsshim does. */
export const OP_CREATE_COMPUTE_SYSTEM = HcsOp.CreateComputeSystem;

/** `--isolation` with a value Windows does not know: moby's validation error (HTTP 400). */
export class InvalidIsolationError extends Error {
  override readonly name = 'InvalidIsolationError';
  /** Docker answers a validation error with 400 Bad Request. */
  readonly httpStatus = 400;
  constructor(readonly value: string) {
    super(`invalid isolation (${value}): Windows supports 'default', 'process', or 'hyperv'`);
  }
}

/** `dockerd --exec-opt isolation=<v>` with an unknown value: the daemon refuses to start. */
export class InvalidDaemonIsolationError extends Error {
  override readonly name = 'InvalidDaemonIsolationError';
  constructor(readonly value: string) {
    super(`invalid exec-opt value for 'isolation':'${value}'`);
  }
}

/** A pull of an image built for a newer Windows than the host: moby's refusal. */
export class ImageIncompatibleError extends Error {
  override readonly name = 'ImageIncompatibleError';
  constructor(
    /** The image's `os.version` as the registry gave it. */
    readonly imageOsVersion: string,
    readonly host: OsVersion,
  ) {
    const parts = imageOsVersion.split('.');
    super(`a Windows version ${parts[0]}.${parts[1]}.${parts[2]}-based image is incompatible with a ${formatOsVersion(host, false)} host`);
  }
}

/** The daemon's default isolation: Hyper-V on client SKUs, process on servers. */
export function defaultIsolation(sku: HostSku): Isolation {
  return sku === 'client' ? 'hyperv' : 'process';
}

/**
 * The daemon's default after `--exec-opt isolation=<v>` (`undefined`: not
 * given). `default` (any case) keeps the SKU's default, as moby does.
 */
export function daemonIsolation(sku: HostSku, execOpt: string | undefined): Isolation {
  const base = defaultIsolation(sku);
  if (execOpt === undefined) return base;
  const v = execOpt.toLowerCase();
  if (v === 'process' || v === 'hyperv') return v;
  if (v === 'default' || v === '') return base;
  throw new InvalidDaemonIsolationError(execOpt);
}

/**
 * A container's isolation from HostConfig.Isolation: '', `default` (any
 * case) or absent take the daemon's default; `process` and `hyperv` are
 * compared case-insensitively; anything else is InvalidIsolationError.
 */
export function resolveIsolation(requested: string | undefined, daemonDefault: Isolation): Isolation {
  if (requested === undefined) return daemonDefault;
  const v = requested.toLowerCase();
  if (v === '' || v === 'default') return daemonDefault;
  if (v === 'process' || v === 'hyperv') return v;
  throw new InvalidIsolationError(requested);
}

/**
 * hcsshim's CheckHostAndContainerCompat: can `host` run an image of
 * version `ctr` with process isolation? Revisions are ignored (since 1809
 * they need not match).
 */
export function processIsolationCompatible(host: OsVersion, ctr: OsVersion): boolean {
  if (host.major !== ctr.major || host.minor !== ctr.minor) return false;
  if (host.build < LTSC2022) return host.build === ctr.build;
  return oldestProcessIsolatedBuild(host.build) <= ctr.build && ctr.build <= host.build;
}

/**
 * The oldest image build a host of build `hostBuild` (≥ 20348) runs in
 * process isolation: the newest stable-ABI LTSC strictly older than the
 * host, or 20348 when none is (the host is 20348 itself). An LTSC host so
 * runs everything from the previous LTSC up to itself.
 */
export function oldestProcessIsolatedBuild(hostBuild: number): number {
  let oldest = LTSC2022;
  for (let i = STABLE_ABI_LTSC_BUILDS.length - 1; i >= 0; i--) {
    if (hostBuild > STABLE_ABI_LTSC_BUILDS[i]!) {
      oldest = STABLE_ABI_LTSC_BUILDS[i]!;
      break;
    }
  }
  return oldest;
}

/** Hyper-V isolation: the image's own kernel runs, so any image no newer than the host. */
export function hypervIsolationCompatible(host: OsVersion, ctr: OsVersion): boolean {
  if (ctr.major !== host.major) return ctr.major < host.major;
  if (ctr.minor !== host.minor) return ctr.minor < host.minor;
  return ctr.build <= host.build;
}

/** Can `host` run an image of version `ctr` in `isolation`? */
export function isCompatible(host: OsVersion, ctr: OsVersion, isolation: Isolation): boolean {
  return isolation === 'process' ? processIsolationCompatible(host, ctr) : hypervIsolationCompatible(host, ctr);
}

/**
 * The compute service's check when creating compute system `id`: throws
 * HcsError(`hcs::CreateComputeSystem`, 0xC0370101, id) when the host
 * cannot run the image in that isolation.
 */
export function checkComputeSystemCompat(id: string, host: OsVersion, ctr: OsVersion, isolation: Isolation): void {
  if (!isCompatible(host, ctr, isolation)) {
    throw new HcsError(OP_CREATE_COMPUTE_SYSTEM, ERROR_VMCOMPUTE_IMAGE_MISMATCH, id);
  }
}

/**
 * moby's pull-time check on an image's (or manifest list entry's)
 * `os.version`: an image whose build is above the host's is refused with
 * ImageIncompatibleError. A version that is not at least three dotted
 * parts with a numeric build passes, as in moby.
 */
export function checkImageCompatibility(imageOsVersion: string, host: OsVersion): void {
  const parts = imageOsVersion.split('.');
  if (parts.length < 3) return;
  const build = /^[+-]?\d+$/.test(parts[2]!) ? Number(parts[2]) : NaN;
  if (Number.isFinite(build) && build > host.build) throw new ImageIncompatibleError(imageOsVersion, host);
}
