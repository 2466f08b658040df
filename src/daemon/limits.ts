/** The daemon's limits (house style: one typed limits object per layer). */
export interface DaemonLimits {
  /** A request body larger than this is refused (413-free: 400 with the reason); archives and builds stream instead. */
  readonly maxBodyBytes: number;
  /** Log lines a container keeps (json-file's rotation is not modelled; the oldest go first). */
  readonly logLinesPerContainer: number;
  /** Events kept for `docker events --since` (moby keeps 256 in its events.Events ring). */
  readonly eventHistory: number;
  /**
   * Milliseconds between the 101 of a hijacked exec start and the process's
   * start, for clients other than the Go CLI. docker-py reads the 101 through
   * a buffered reader and then reads the raw socket, so output that arrived
   * with the headers is lost; on Windows process creation takes long enough
   * that this never shows. The Go client keeps its buffer and gets no delay.
   */
  readonly hijackGraceMs: number;
  /** Exec instances kept after they end (moby removes them 5 minutes after exit; by count here). */
  readonly finishedExecs: number;
}

export const DAEMON_LIMITS: DaemonLimits = {
  maxBodyBytes: 64 * 2 ** 20,
  logLinesPerContainer: 100_000,
  eventHistory: 256,
  finishedExecs: 1000,
  hijackGraceMs: 15,
};
