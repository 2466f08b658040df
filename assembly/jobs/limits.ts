// Limits and defaults of the job module: the mirror of src/core/jobs/limits.ts
// (AssemblyScript cannot import from src/), where each one is documented;
// test/core/jobs/mirror.test.ts pins the two together.

export const MAX_JOBS: i32 = 1 << 20;
export const MAX_PROCESSES: i32 = 1 << 22;
export const MAX_BATCH: i32 = 16384;
export const MAX_QUEUED_MESSAGES: i32 = 4096;
export const MAX_READ_MESSAGES: i32 = 1024;
export const MAX_CPUS: i32 = 32;
export const DEFAULT_CPU_COUNT: i32 = 4;
export const DEFAULT_INTERVAL: i32 = 100000;
export const MAX_INTERVAL: i32 = 100000000;
export const MAX_THREADS: i32 = 65535;
export const DEFAULT_WEIGHT: i32 = 5;
export const MAX_WEIGHT: i32 = 9;
export const RATE_SCALE: i32 = 10000;
export const MAX_QUANTITY: f64 = 9007199254740991;
