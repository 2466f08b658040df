/**
 * Windows build numbers and OS version strings as container hosts and
 * images carry them (windows-facts §5).
 *
 * Sources: hcsshim `osversion/windowsbuilds.go` (microsoft/hcsshim, the
 * build constants and their release names); learn.microsoft.com "Windows
 * Server release information" and "Windows container version
 * compatibility" (virtualization/windowscontainers/deploy-containers/
 * version-compatibility.md). An OS version is major.minor.build.revision,
 * e.g. `10.0.20348.5499`: the build changes with a new release of Windows,
 * the revision (UBR, "update build revision") with each monthly update.
 */

/** Windows Server 2016 (version 1607, "Redstone 1"). */
export const LTSC2016 = 14393;
/** Windows Server version 1709 (semi-annual channel, "Redstone 3"). */
export const V1709 = 16299;
/** Windows Server version 1803 (semi-annual channel, "Redstone 4"). */
export const V1803 = 17134;
/** Windows Server 2019 = version 1809 ("Redstone 5"). */
export const LTSC2019 = 17763;
/** Windows Server version 1903 (semi-annual channel, 19H1). */
export const V1903 = 18362;
/** Windows Server version 1909 (semi-annual channel, 19H2). */
export const V1909 = 18363;
/** Windows Server version 2004 (semi-annual channel, 20H1). */
export const V2004 = 19041;
/** Windows Server version 20H2 (semi-annual channel). */
export const V20H2 = 19042;
/** Windows Server 2022 (version 21H2, the first stable-ABI LTSC). */
export const LTSC2022 = 20348;
/** Windows Server version 23H2 (annual channel). */
export const V23H2 = 25398;
/** Windows Server 2025 (version 24H2). */
export const LTSC2025 = 26100;

/** One Windows Server release a container host or base image can be. */
export interface WindowsRelease {
  readonly build: number;
  /** The tags and names the release goes by, the canonical one first (`ltsc2019`, `1809`). */
  readonly names: readonly string[];
  /** The product, as release information pages name it. */
  readonly product: string;
  /** Servicing channel: Long-Term Servicing Channel, Semi-Annual Channel or Annual Channel. */
  readonly channel: 'LTSC' | 'SAC' | 'AC';
}

/** The build table of windows-facts §5, in build order. */
export const WINDOWS_RELEASES: readonly WindowsRelease[] = [
  { build: LTSC2016, names: ['ltsc2016', '1607'], product: 'Windows Server 2016', channel: 'LTSC' },
  { build: V1709, names: ['1709'], product: 'Windows Server, version 1709', channel: 'SAC' },
  { build: V1803, names: ['1803'], product: 'Windows Server, version 1803', channel: 'SAC' },
  { build: LTSC2019, names: ['ltsc2019', '1809'], product: 'Windows Server 2019', channel: 'LTSC' },
  { build: V1903, names: ['1903'], product: 'Windows Server, version 1903', channel: 'SAC' },
  { build: V1909, names: ['1909'], product: 'Windows Server, version 1909', channel: 'SAC' },
  { build: V2004, names: ['2004'], product: 'Windows Server, version 2004', channel: 'SAC' },
  { build: V20H2, names: ['20H2'], product: 'Windows Server, version 20H2', channel: 'SAC' },
  { build: LTSC2022, names: ['ltsc2022'], product: 'Windows Server 2022', channel: 'LTSC' },
  { build: V23H2, names: ['23H2'], product: 'Windows Server, version 23H2', channel: 'AC' },
  { build: LTSC2025, names: ['ltsc2025'], product: 'Windows Server 2025', channel: 'LTSC' },
];

/**
 * The LTSC releases whose user/kernel boundary is a stable ABI, ascending:
 * from Windows Server 2022 on, a host runs process-isolated containers of
 * the previous stable-ABI LTSC up to its own build (hcsshim
 * `osversion/platform_compat_windows.go`, `compatLTSCReleases`).
 */
export const STABLE_ABI_LTSC_BUILDS: readonly number[] = [LTSC2022, LTSC2025];

/** The release with `build`, if it is in the table. */
export function releaseForBuild(build: number): WindowsRelease | undefined {
  return WINDOWS_RELEASES.find((r) => r.build === build);
}

/** The build a release name or tag stands for (`ltsc2022` → 20348, `1809` → 17763), case-insensitive. */
export function buildForName(name: string): number | undefined {
  const n = name.toLowerCase();
  return WINDOWS_RELEASES.find((r) => r.names.some((x) => x.toLowerCase() === n))?.build;
}

/** An OS version as RtlGetVersion and the image config's `os.version` give it. */
export interface OsVersion {
  readonly major: number;
  readonly minor: number;
  readonly build: number;
  /** The update build revision (UBR); 0 when not known. */
  readonly revision: number;
}

/**
 * Parses `10.0.20348` or `10.0.20348.5499` (the `os.version` of an image
 * config, the `platform.os.version` of a manifest list entry). Undefined
 * for anything else, including numbers out of the fields' ranges (major and
 * minor are bytes, build 16 bits, revision 32 bits — hcsshim `OSVersion`).
 */
export function parseOsVersion(text: string): OsVersion | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,5})(?:\.(\d{1,10}))?$/.exec(text);
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const build = Number(m[3]);
  const revision = m[4] === undefined ? 0 : Number(m[4]);
  if (major > 0xff || minor > 0xff || build > 0xffff || revision > 0xffffffff) return undefined;
  return { major, minor, build, revision };
}

/** `10.0.20348.5499`; with `withRevision` false, `10.0.20348` (how moby prints a host version). */
export function formatOsVersion(v: OsVersion, withRevision = true): string {
  const base = `${v.major}.${v.minor}.${v.build}`;
  return withRevision ? `${base}.${v.revision}` : base;
}

/** A Windows 10-generation version (10.0.build.revision). */
export function windows10(build: number, revision = 0): OsVersion {
  return { major: 10, minor: 0, build, revision };
}
