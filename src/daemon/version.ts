/**
 * The engine winsilo's daemon presents itself as, and the API versions it
 * serves (docker-engine-api.md §1.2): Docker Engine 28.2.2, API 1.24 to
 * 1.50. Every route is served under `/v<version>/…` and bare (the newest).
 */
export const ENGINE_VERSION = '28.2.2';
/** moby v28.2.2's commit, as `docker version` prints it (Git commit). */
export const ENGINE_GIT_COMMIT = '45873be';
/** The Go release moby v28.2.2 was built with. */
export const ENGINE_GO_VERSION = 'go1.24.3';
/** DECIDED: no build time of the Windows release was found; the v28.2.2 tag's day. */
export const ENGINE_BUILD_TIME = '2025-05-30T12:00:00.000000000+00:00';

export const API_VERSION = '1.50';
export const MIN_API_VERSION = '1.24';

/** From this version on, a non-tty hijacked stream is labelled `application/vnd.docker.multiplexed-stream` (§4.1). */
export const MULTIPLEXED_STREAM_SINCE = '1.42';

/** `Server: Docker/28.2.2 (windows)`: the client reads the OS from it (§1.4). */
export const SERVER_HEADER = `Docker/${ENGINE_VERSION} (windows)`;

/** Compares two API versions (`1.9` < `1.24`), as moby's versions.LessThan does: numerically, part by part. */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number.parseInt(pa[i] ?? '0', 10) || 0;
    const y = Number.parseInt(pb[i] ?? '0', 10) || 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function apiAtLeast(version: string, min: string): boolean {
  return compareApiVersions(version, min) >= 0;
}
