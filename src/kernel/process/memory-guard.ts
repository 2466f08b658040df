/**
 * The machine's commit limit: what keeps one container's program from
 * filling the host's memory.
 *
 * Windows refuses a commit once the system's commit charge would pass its
 * limit (RAM + paging files): VirtualAlloc fails with
 * ERROR_COMMITMENT_LIMIT (1455, "The paging file is too small for this
 * operation to complete.") in whichever process asks, and .NET turns that
 * into System.OutOfMemoryException. The simulated machine's real memory is
 * the V8 heap of the Node process hosting it: a PowerShell script that
 * keeps adding megabyte strings to a list, run without limits, makes V8
 * abort the whole host ("JavaScript heap out of memory"). So the charge
 * checked here is the heap actually in use, and the limit is a share of
 * V8's heap limit (PROCESS_LIMITS.machineCommitFraction, a decision).
 *
 * Programs whose memory the kernel cannot see (interpreters holding script
 * values) ask `ProcessContext.probeCommit` now and then and before large
 * allocations; `ProcessContext.commit` asks too. The one asking when the
 * heap is full fails — as on Windows, usually the process that filled it,
 * since it is the one allocating.
 *
 * The heap in use includes garbage V8 has not collected yet; V8 collects
 * long before the share is reached unless live data fills it, so a refusal
 * means live data (decision; no forced collection here: `gc` is not exposed
 * in production).
 */
import { getHeapStatistics } from 'node:v8';
import { PROCESS_LIMITS } from './limits.js';

const now: () => number = typeof performance !== 'undefined' ? () => performance.now() : Date.now;

export class MachineCommitLimit {
  /** Bytes of V8 heap in use past which commits are refused. */
  readonly limit: number;
  /** The heap in use at the last reading, and when (performance.now()). */
  private used = 0;
  private readAt = -Infinity;

  constructor(fraction: number = PROCESS_LIMITS.machineCommitFraction, heapLimit: number = getHeapStatistics().heap_size_limit) {
    this.limit = Math.floor(heapLimit * fraction);
  }

  /**
   * Whether `bytes` more can be committed. The heap is read at most every
   * `PROCESS_LIMITS.machineCommitRereadMs` (a reading costs ~1 µs, and an
   * interpreter asks every few steps: reading each time cost a PowerShell
   * loop ~25 % of its CPU); what a program allocates in between is at most
   * a millisecond's worth, well inside the limit's headroom.
   */
  fits(bytes: number): boolean {
    const t = now();
    if (t - this.readAt >= PROCESS_LIMITS.machineCommitRereadMs) {
      this.used = getHeapStatistics().used_heap_size;
      this.readAt = t;
    }
    return this.used + bytes <= this.limit;
  }
}
