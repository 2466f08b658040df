/**
 * How hard the property and fault tests push, in one place.
 *
 *  - `npm test`: fixed seed, base run counts (the whole suite stays under
 *    10 minutes on 2 cores).
 *  - `npm run test:deep` (WINSILO_DEEP=1): 20× the runs and a fresh seed,
 *    printed so a failure can be replayed with WINSILO_SEED=<seed>.
 *  - `npm run test:reliability` (WINSILO_RELIABILITY=1): 10× the fault and
 *    crash trials.
 */
export const DEEP = process.env.WINSILO_DEEP === '1';
export const RELIABILITY = process.env.WINSILO_RELIABILITY === '1';

/** The fast-check seed: WINSILO_SEED, else fixed, else (deep) the clock. */
export const SEED: number = process.env.WINSILO_SEED
  ? Number(process.env.WINSILO_SEED)
  : DEEP
    ? Date.now() % 0x7fffffff
    : 20261123;

if (DEEP && !process.env.WINSILO_SEED) {
  // eslint-disable-next-line no-console
  console.log(`[winsilo] property seed ${SEED} (replay with WINSILO_SEED=${SEED})`);
}

/** Property-test runs: `base` normally, 20× under test:deep. */
export function numRuns(base: number): number {
  return DEEP ? base * 20 : base;
}

/** Fault/crash trials: `base` normally, 10× under test:reliability. */
export function trials(base: number): number {
  return RELIABILITY ? base * 10 : base;
}

/**
 * The runs of a long property test, cut into separate tests: one chunk of
 * `base` runs normally; under test:deep, 20 chunks of `base` runs, each
 * with its own seed (SEED + chunk index, printed in the test name) — one
 * synchronous test of 20× the runs would block its worker for minutes,
 * past vitest's timeouts.
 */
export function propertyChunks(base: number): { label: string; seed: number; numRuns: number }[] {
  const count = DEEP ? 20 : 1;
  return Array.from({ length: count }, (_, i) => ({
    label: count === 1 ? '' : ` (chunk ${i + 1}/${count}, seed ${SEED + i})`,
    seed: SEED + i,
    numRuns: base,
  }));
}

/**
 * Lets the worker's event loop run (vitest's progress messages to the main
 * process are answered there): called at the start of each chunk, since
 * tests that never await a macrotask keep it blocked from one to the next.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
