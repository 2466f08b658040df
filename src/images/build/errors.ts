/**
 * A build's failure in moby's words. `status` is the HTTP status the
 * daemon answers with when nothing has been streamed yet (moby's errdefs:
 * InvalidParameter 400, NotFound 404, System 500); once the stream has
 * begun the message goes out as an `errorDetail` line, with `code` when
 * moby's JSONError carries one (a RUN's exit code).
 */
export class BuildError extends Error {
  override readonly name = 'BuildError';
  constructor(
    message: string,
    readonly status: number = 500,
    /** The exit code of a failed RUN (jsonmessage.JSONError.Code); undefined otherwise. */
    readonly code?: number,
  ) {
    super(message);
  }
}
