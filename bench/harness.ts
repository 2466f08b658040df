/**
 * The benchmark harness: every bench/<module>.bench.ts exports a default
 * function that receives a `Bench` and records rows. A row names the
 * benchmark (`<module>.<what>`), the implementation (`wasm`, `ref`, or a
 * floor/peer such as `memcpy`), and either a time per operation or a size.
 * The runner (bench/run.ts) prints every row beside its baseline measured in
 * the same run and the ratio baseline ÷ row (so > 1 means faster or smaller
 * than the baseline; for a floor row used as baseline, the ratio is the
 * fraction of the floor's speed the row reaches).
 */
export interface BenchRow {
  bench: string;
  impl: string;
  ns_per_op?: number;
  bytes?: number;
  /** Filled in by the runner: baseline ÷ this row (1 for the baseline). */
  ratio?: number;
  /** The impl this row is compared against (default `ref`). */
  baseline?: string;
  /** Anything else worth printing (targets, sizes, counts). */
  note?: string;
}

export interface MeasureOptions {
  /** Operations each call of `fn` performs (a batch of 1000 → 1000). */
  opsPerCall?: number;
  /** Minimum total measuring time in ms (after warm-up). */
  minTimeMs?: number;
  /** Number of samples whose median is reported. */
  samples?: number;
  /** Runs before each sample is timed; default: one warm-up sample. */
  setup?: () => void;
}

export class Bench {
  readonly rows: BenchRow[] = [];

  add(row: BenchRow): void {
    this.rows.push(row);
  }

  /**
   * Times `fn` and records ns per operation: calls it in growing loops until
   * a sample lasts ≥ minTimeMs / samples, then reports the median sample.
   * Returns the figure too.
   */
  time(bench: string, impl: string, fn: () => void, opts: MeasureOptions = {}, extra: Partial<BenchRow> = {}): number {
    const ns = measure(fn, opts);
    this.add({ bench, impl, ns_per_op: ns, ...extra });
    return ns;
  }
}

export function measure(fn: () => void, opts: MeasureOptions = {}): number {
  const opsPerCall = opts.opsPerCall ?? 1;
  const minTimeMs = opts.minTimeMs ?? 400;
  const samples = opts.samples ?? 7;
  // Warm-up and calibrate: how many calls fill one sample?
  let calls = 1;
  for (;;) {
    opts.setup?.();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    const dt = Number(process.hrtime.bigint() - t0) / 1e6;
    if (dt >= minTimeMs / samples || calls >= 1 << 26) break;
    calls = dt <= 0 ? calls * 16 : Math.max(calls * 2, Math.ceil((calls * (minTimeMs / samples)) / dt));
  }
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    opts.setup?.();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    times.push(Number(process.hrtime.bigint() - t0) / (calls * opsPerCall));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Heap + external + array buffers in use, after a full GC if exposed. */
export function memoryInUse(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

/** mulberry32: a small seeded PRNG, so that every run builds the same data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
