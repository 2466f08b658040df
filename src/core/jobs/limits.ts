/**
 * Limits and defaults of the job module (house style §6: one source of
 * limits). Mirror of assembly/jobs/limits.ts; test/core/jobs/mirror.test.ts
 * pins both.
 */
export const JOBS_LIMITS = {
  /** Job ids are 1 … maxJobs; one more is STATUS_INSUFFICIENT_RESOURCES. */
  maxJobs: 1 << 20,
  /** Process ids are 1 … maxProcesses (exited but undeleted ones count). */
  maxProcesses: 1 << 22,
  /** Entries of one chargeBatch call. */
  maxBatch: 16384,
  /** Messages a job's queue holds; further ones are dropped and counted (delivery is not guaranteed on Windows either). */
  maxQueuedMessages: 4096,
  /** Messages one readMessages call returns at most. */
  maxReadMessages: 1024,
  /** Logical processors of the simulated host (affinity masks are 32-bit). */
  maxCpus: 32,
  /** Default processors. */
  defaultCpuCount: 4,
  /** Default scheduling interval: 10 ms in 100 ns units. */
  defaultInterval: 100_000,
  /** Longest scheduling interval accepted: 10 s. */
  maxInterval: 100_000_000,
  /** Threads a runnable process may declare. */
  maxThreads: 65535,
  /** Scheduling weight of a job without WEIGHT_BASED control and of every process (JOBOBJECT_CPU_RATE_CONTROL_INFORMATION: "The default is 5"). */
  defaultWeight: 5,
  /** Largest Weight ("a value from 1 through 9"). */
  maxWeight: 9,
  /** CpuRate, MinRate and MaxRate are "the number of cycles per 10,000 cycles" (percent × 100). */
  rateScale: 10000,
  /** Largest 64-bit quantity (time, bytes, counts) that crosses the ABI exactly: 2^53 − 1. */
  maxQuantity: Number.MAX_SAFE_INTEGER,
} as const;
