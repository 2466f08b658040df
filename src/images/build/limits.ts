/**
 * The builder's limits (house style: one typed limits object per layer).
 * moby has no Dockerfile size limit beyond bufio's 64 KiB line
 * (`dockerfile line greater than max allowed size of 65535`); winsilo keeps
 * the whole context in memory, so it bounds what it holds.
 */
export interface BuildLimits {
  /** Largest Dockerfile read (bytes). */
  readonly maxDockerfileBytes: number;
  /** Largest build context held in memory (bytes of file content). */
  readonly maxContextBytes: number;
  /** Most entries in a context tar. */
  readonly maxContextEntries: number;
  /** Symbolic links followed while resolving one context path (moby's evalSymlinksInScope: 255). */
  readonly maxSymlinks: number;
}

export const BUILD_LIMITS: BuildLimits = {
  maxDockerfileBytes: 1 << 20,
  maxContextBytes: 1 << 30,
  maxContextEntries: 200_000,
  maxSymlinks: 255,
};
