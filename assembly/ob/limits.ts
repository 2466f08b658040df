// Limits of the object namespace, in one place (house style §6). Mirrored
// in src/core/ob/limits.ts; test/core/ob/limits-mirror.test.ts keeps the two
// equal.

/** Buckets of a directory's hash table: 37 in the NT design (windows-facts §1). */
export const DIRECTORY_BUCKETS: u32 = 37;
/** Reparses one lookup may make before NAME_NOT_FOUND (64 in current kernels; 32 before). */
export const MAX_REPARSE: i32 = 64;
/** A UNICODE_STRING name of this many bytes or more is NAME_INVALID. */
export const MAX_NAME_BYTES: i32 = 65534;
/** A link expansion (target + remaining name) longer than this is NAME_TOO_LONG. */
export const MAX_EXPANSION_BYTES: i32 = 0xfff0;
/** Shadow directories followed in a row before the lookup gives up. */
export const MAX_SHADOW_DEPTH: i32 = 16;
/** Handles one process may hold (NT's per-process limit is 2^24). */
export const MAX_HANDLES_PER_PROCESS: u32 = 1 << 24;
/** Names one batch call may carry (the TypeScript side splits larger batches). */
export const MAX_BATCH: i32 = 4096;
/** Code units of batch name data one batch call may carry. */
export const BATCH_NAME_UNITS: i32 = 1 << 19;
/** Largest NtQueryDirectoryObject buffer honoured (longer ones are clamped). */
export const MAX_QUERY_BUFFER: i32 = 1 << 20;
/** Longest name a query returns, in code units (a UNICODE_STRING's limit). */
export const MAX_QUERY_NAME_UNITS: i32 = 32767;
