/**
 * What an audit can find wrong, by code (assembly/blocks/audit.ts returns
 * the code and three numbers; the reference finds the same problems), and
 * the words a test's failure message shows for each.
 */
import { STATUS_FILE_CORRUPT_ERROR, STATUS_INSUFFICIENT_RESOURCES, STATUS_SUCCESS } from '../ntstatus.js';
import type { AuditResult } from './types.js';

export const AuditProblem = {
  None: 0,
  NodeRefs: 1,
  BlockRefs: 2,
  FreeNode: 3,
  FreeBlock: 4,
  NodeCount: 5,
  BlockCount: 6,
  BeyondEnd: 7,
  Tail: 8,
  Quota: 9,
  Depth: 10,
  Disks: 11,
  NoMemory: 12,
  BadId: 13,
  /** WASM only: a leaf entry claims its block alone (assembly/blocks/layout.ts OWN) but others map it. */
  Own: 14,
} as const;

const WORDS: Record<number, (a: number, b: number, c: number) => string> = {
  [AuditProblem.NodeRefs]: (a, b, c) => `node ${a} has ${c} references, expected ${b}`,
  [AuditProblem.BlockRefs]: (a, b, c) => `block ${a} has ${c} references, expected ${b}`,
  [AuditProblem.FreeNode]: (a, b) => `free node list entry ${b} (node ${a}) is in use, out of range or listed twice`,
  [AuditProblem.FreeBlock]: (a, b) => `free block list entry ${b} (block ${a}) is in use, out of range or listed twice`,
  [AuditProblem.NodeCount]: (a, b, c) => `nodes: ${a} in use + ${b} free ≠ ${c} ids, or the counters disagree`,
  [AuditProblem.BlockCount]: (a, b, c) => `blocks: ${a} in use + ${b} free ≠ ${c} ids, or the counters disagree`,
  [AuditProblem.BeyondEnd]: (a, b, c) => `disk ${a} maps block index ${b}, beyond its ${c} blocks`,
  [AuditProblem.Tail]: (a, b, c) => `disk ${a}: block ${b} has a non-zero byte at ${c}, beyond the virtual size`,
  [AuditProblem.Quota]: (a, b) => `${a} blocks in use exceed the quota of ${b}`,
  [AuditProblem.Depth]: (a, b, c) => `disk ${a}: depth ${b} does not cover ${c} blocks`,
  [AuditProblem.Disks]: (a, b, c) => `disks: ${a} live + ${b} free ≠ ${c} ids`,
  [AuditProblem.NoMemory]: () => 'no memory for the audit',
  [AuditProblem.BadId]: (a, b, c) => `node or disk ${a} names id ${b} (level ${c}) that was never handed out`,
  [AuditProblem.Own]: (a, b) => `block ${a} is marked as one disk's alone (OWN) but has ${b} mappers`,
};

/** The AuditResult for a problem code and its numbers. */
export function auditResult(code: number, a: number, b: number, c: number, mappers: Map<number, number>): AuditResult {
  if (code === AuditProblem.None) return { status: STATUS_SUCCESS, problem: '', mappers };
  const status = code === AuditProblem.NoMemory ? STATUS_INSUFFICIENT_RESOURCES : STATUS_FILE_CORRUPT_ERROR;
  return { status, problem: WORDS[code]?.(a, b, c) ?? `audit problem ${code}`, mappers };
}
