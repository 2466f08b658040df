import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default (one fork fewer than the CPUs) runs a single fork on
    // the 2-core CI machine; most tests wait on sockets, child processes and
    // timers, so two forks there take the suite from ≈ 470 s to ≈ 290 s.
    maxWorkers: Math.max(2, availableParallelism()),
    reporters: ['default'],
  },
});
