/**
 * The daemon's errors: an HTTP status and moby's message, answered as
 * `{"message":"…"}` with `Content-Type: application/json` exactly (the CLI
 * parses JSON only on that exact value; docker-engine-api.md §2.1).
 * HostError (src/host/errors.ts) carries the same two things and is
 * answered the same way.
 */
import { HostError } from '../host/errors.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (m: string): ApiError => new ApiError(404, m);
export const badRequest = (m: string): ApiError => new ApiError(400, m);
export const conflict = (m: string): ApiError => new ApiError(409, m);
export const serverError = (m: string): ApiError => new ApiError(500, m);

/** Any thrown value as the status and message the daemon answers with; an unexpected one is a 500 with its text (never a crash). */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof HostError) return new ApiError(e.status, e.message);
  if (e instanceof SyntaxError) return new ApiError(400, e.message);
  if (e instanceof Error) return new ApiError(500, e.message);
  return new ApiError(500, String(e));
}
