/**
 * Limits of the process layer (house style §6: one source of limits). Every
 * default is Windows' own where Windows has one; the others say they are
 * decisions.
 */
export const PROCESS_LIMITS = {
  /**
   * CreateProcess lpCommandLine: "The maximum length of this string is 32,767
   * characters, including the Unicode terminating null character" — so 32,766
   * characters; one more is ERROR_FILENAME_EXCED_RANGE (206), the error Java
   * and Gradle users know as "CreateProcess error=206".
   */
  maxCommandLine: 32766,
  /** "The maximum size of a user-defined environment variable is 32,767 characters" (Environment Variables, Microsoft Learn). */
  maxEnvironmentValue: 32767,
  /**
   * Entries of one handle-table page on x64: a 4 KiB page of 16-byte
   * HANDLE_TABLE_ENTRYs. The first entry of each page is reserved (WRK
   * ex/handle.c, ExpAllocateLowLevelTable: "We reserve the first entry in the
   * table"), so handle and CID values that are multiples of 1024 never occur.
   */
  handleTablePageEntries: 256,
  /** Handle-table entries at most (WRK ex/handle.c MAX_HANDLES = 1 << 24); CIDs and handles alike. */
  maxHandleTableEntries: 1 << 24,
  /**
   * A strict-FIFO table (the CID table) moves its freed entries back for
   * reuse only once it has this many; fewer, and it grows a new page first
   * (WRK ex/handle.c, ExpMoveFreeHandles: "If we haven't got a pool of a few
   * handles then force table expansion").
   */
  strictFifoMinFree: 100,
  /**
   * Bytes a pipe holds before a writer waits. Decision: CreatePipe's default
   * buffer is 4 KiB; we keep 64 KiB in flight so a chatty program pays fewer
   * event-loop turns. Only timing differs, never the bytes that arrive.
   */
  pipeBufferBytes: 64 * 1024,
  /**
   * How long a silo shutdown waits for processes that handled
   * CTRL_SHUTDOWN_EVENT before terminating them. Decision: Windows' own
   * HungAppTimeout default (5000 ms); `docker stop -t` passes its own.
   */
  shutdownTimeoutMs: 5000,
  /**
   * Answers a shared image-lookup cache keeps per kind (full paths, probes):
   * boots on one image ask the same few, user commands can ask any. Decision:
   * past this, answers are computed and not kept (a cache, not a limit anyone sees).
   */
  sharedImageLookups: 4096,
  /**
   * The quantum of kernel work between two turns of the host's event loop
   * (scheduler.ts). Decision: NT's own quantum is 2 clock ticks on a client,
   * 12 on a server (15.6 ms each); ours bounds how long the daemon's sockets
   * wait behind busy containers, so it is short. Only timing depends on it.
   */
  eventLoopSliceMs: 4,
  /**
   * The machine's commit limit, as a fraction of the V8 heap limit of the
   * Node process that hosts it (memory-guard.ts). Decision: Windows refuses
   * a commit past RAM + paging file; the simulated machine's real memory is
   * the host's JavaScript heap, and a program that fills it would end the
   * host (V8 aborts the process), so commits are refused with
   * ERROR_COMMITMENT_LIMIT once the heap in use passes this share of it.
   */
  machineCommitFraction: 0.6,
  /** How stale the machine commit limit's reading of the heap may be (memory-guard.ts). Decision: 1 ms. */
  machineCommitRereadMs: 1,
} as const;

export type ProcessLimits = typeof PROCESS_LIMITS;
