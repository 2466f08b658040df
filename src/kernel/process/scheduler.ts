/**
 * Turns of the host's event loop for the simulated machine's work.
 *
 * NT preempts a thread at the end of its quantum, so a busy process never
 * keeps the rest of the machine (or the host's own services) from running.
 * Here every simulated process runs on the one JavaScript thread, and what
 * programs do between two awaits — and every await they make through their
 * context, every process start — continues as a promise job (microtask).
 * Microtasks run to exhaustion before Node's event loop takes its next turn,
 * so a loop of execs, a pipe ping-pong between two processes or a process
 * bomb would keep the daemon's sockets, timers and dynamic imports waiting
 * for as long as it lasts.
 *
 * The slice is this file's quantum: once kernel work has run for
 * `PROCESS_LIMITS.eventLoopSliceMs` without the event loop taking a turn,
 * the next process start or context await is held until the loop has had
 * one (timers, I/O poll, then the check phase where a `setImmediate` lets
 * the held work go on). Work is held only at those points: a program that
 * computes for seconds without awaiting its context is not preempted
 * (JavaScript cannot be), which is why the shells' interpreters await their
 * context (or yield) every few hundred steps.
 *
 * One per Node process, not per kernel (the event loop is per process:
 * a host kernel and its utility VMs' kernels share the one slice). It holds
 * no state a test can observe but timing.
 */
import { PROCESS_LIMITS } from './limits.js';

const now: () => number = typeof performance !== 'undefined' ? () => performance.now() : Date.now;

export class EventLoopTurns {
  /** When the current run of kernel work began (performance.now()), or -1 once the loop has taken a turn since. */
  private sliceStart = -1;
  /** Resolves in the check phase after the slice began: the loop's turn. */
  private turn: Promise<void> | undefined;
  private resolveTurn: (() => void) | undefined;
  /** Event-loop turns the kernel gave because a slice was spent (a figure for tests and benchmarks). */
  yields = 0;

  constructor(private readonly sliceMs: number = PROCESS_LIMITS.eventLoopSliceMs) {}

  /**
   * Whether the slice is spent. The first call after a turn begins a slice
   * and books the turn that ends it (one setImmediate per slice, not per call).
   */
  private spent(): boolean {
    const t = now();
    if (this.sliceStart < 0) {
      this.sliceStart = t;
      this.turn = new Promise<void>((resolve) => {
        this.resolveTurn = resolve;
      });
      setImmediate(this.endSlice);
      return false;
    }
    return t - this.sliceStart >= this.sliceMs;
  }

  private readonly endSlice = (): void => {
    this.sliceStart = -1;
    const resolve = this.resolveTurn;
    this.resolveTurn = undefined;
    this.turn = undefined;
    resolve?.();
  };

  /** Runs `work` as a promise job, or after the loop's next turn when the slice is spent. */
  run(work: () => void): void {
    if (!this.spent()) {
      queueMicrotask(work);
      return;
    }
    this.yields++;
    void this.turn!.then(work);
  }

  /**
   * SwitchToThread: a promise that settles at once while the slice lasts,
   * else at the loop's next turn. For a program's own loops that await
   * nothing of its context for a while (an interpreter between commands).
   */
  switchToThread(): Promise<void> {
    if (!this.spent()) return RESOLVED;
    this.yields++;
    return this.turn!;
  }

  /**
   * The continuation of an await: `p` itself while the slice lasts, else `p`
   * settled no earlier than the loop's next turn (its value or its failure unchanged).
   */
  pass<T>(p: Promise<T>): Promise<T> {
    if (!this.spent()) return p;
    this.yields++;
    const turn = this.turn!;
    const held = p.then(
      (v) => turn.then(() => v),
      (e: unknown) => turn.then(() => Promise.reject(e)),
    );
    // As Silo.gate: a failed write nobody awaits must not become the host's unhandled rejection.
    held.catch(noop);
    return held;
  }
}

function noop(): void {}

const RESOLVED = Promise.resolve();

/** The one slice of this Node process. */
export const EVENT_LOOP_TURNS = new EventLoopTurns();
