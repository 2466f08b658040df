/**
 * The engine's one error type (house style §2): what the Engine API answers
 * (HTTP status + moby's message) and what `winsilo run` prints after
 * "Error response from daemon: ".
 */
export class HostError extends Error {
  override readonly name = 'HostError';
  constructor(
    /** The HTTP status the Engine API answers with: 400, 403 (networks), 404, 409 or 500. */
    readonly status: 400 | 403 | 404 | 409 | 500,
    message: string,
  ) {
    super(message);
  }
}
