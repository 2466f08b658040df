/**
 * Limits of the object namespace (house style §6: one source of limits).
 * Mirror of assembly/ob/limits.ts; test/core/ob/limits.test.ts pins both.
 */
export const OB_LIMITS = {
  /** Directory hash buckets: 37 in the NT design (windows-facts §1). */
  directoryBuckets: 37,
  /** Reparses before STATUS_OBJECT_NAME_NOT_FOUND (64 in current kernels, 32 before). */
  maxReparse: 64,
  /** A name of this many bytes or more is STATUS_OBJECT_NAME_INVALID. */
  maxNameBytes: 65534,
  /** A link expansion longer than this is STATUS_NAME_TOO_LONG. */
  maxExpansionBytes: 0xfff0,
  /** Shadow directories followed in a row. */
  maxShadowDepth: 16,
  /** Handles per process (NT's limit, 2^24). */
  maxHandlesPerProcess: 1 << 24,
  /** Names per batch call (larger batches are split). */
  maxBatch: 4096,
  /** Code units of names per batch call. */
  batchNameUnits: 1 << 19,
  /** Largest NtQueryDirectoryObject buffer honoured. */
  maxQueryBuffer: 1 << 20,
  /** Longest name a query returns, in code units. */
  maxQueryNameUnits: 32767,
} as const;
