/**
 * The reliability report's ledger (issue 11): every escape attempt, crash
 * trial, fuzz run and load run records what it tried and what went wrong,
 * and `npm run test:reliability` ends with one table built from these
 * records (scripts/reliability-report.mjs).
 *
 * Records are JSON lines appended to build/reliability/<family>.jsonl — one
 * file per family so parallel vitest workers never interleave inside a
 * line (each append is a single write of a line shorter than PIPE_BUF).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The four rows of the report, as issue 11 names them. */
export type ReliabilityFamily = 'escape' | 'crash' | 'fuzz' | 'load';

export interface ReliabilityRecord {
  family: ReliabilityFamily;
  /** What was exercised, e.g. "object namespace", "SIGKILL during commit", "Docker API requests". */
  suite: string;
  /** Attempts, trials, cases or operations made. */
  trials: number;
  /**
   * What must be 0: escapes, losses or corruptions, crashes and hangs,
   * failed operations under load.
   */
  failures: number;
  /** A short free-text figure to print beside the row ("p99 41 ms", "RSS +3 MiB"). */
  detail?: string;
}

const LEDGER = join(process.cwd(), 'build', 'reliability');

/** Appends one record to the ledger. */
export function recordReliability(record: ReliabilityRecord): void {
  mkdirSync(LEDGER, { recursive: true });
  appendFileSync(join(LEDGER, `${record.family}.jsonl`), JSON.stringify({ ...record, at: new Date().toISOString() }) + '\n');
}
