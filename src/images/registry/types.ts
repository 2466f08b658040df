/**
 * The registry client's contract: credentials, progress events (what the
 * daemon turns into docker's JSON progress lines, docker-engine-api §3.14)
 * and its limits.
 */

/** Credentials as X-Registry-Auth carries them (username/password, or an identity token). */
export interface RegistryAuth {
  username?: string;
  password?: string;
  /** A refresh token (docker's IdentityToken), sent as the password of the token request. */
  identitytoken?: string;
  /** A bearer token to use as is (docker's RegistryToken). */
  registrytoken?: string;
}

/** One progress line: `status`, the layer's short id, and the bar's numbers while moving bytes. */
export interface ProgressEvent {
  status: string;
  id?: string;
  progressDetail?: { current: number; total?: number };
  /** The push's final aux record (`{"Tag","Digest","Size"}`). */
  aux?: { Tag: string; Digest: string; Size: number };
}

/** One typed source of limits for the client (style.md §6). */
export const REGISTRY_LIMITS = {
  /** PATCH chunk size of a blob upload (docker's default buffer is 32 KiB per write; one request per chunk here). DECIDED: 16 MiB. */
  chunkBytes: 16 << 20,
  /** Pieces a downloaded layer is imported in (see client.ts rechunk). DECIDED: 1 MiB, the exporter's read size. */
  importChunkBytes: 1 << 20,
  /** Layers uploaded at once (dockerd's max-concurrent-uploads default). */
  concurrentUploads: 5,
  /** Layers downloaded at once (dockerd's max-concurrent-downloads default); they are imported in order. */
  concurrentDownloads: 3,
  /** Attempts per request on a network error or a 5xx (docker retries a layer 5 times; requests here 3). */
  attempts: 3,
  /** First retry delay in ms, doubled each time. */
  retryDelayMs: 50,
  /** Largest manifest or config accepted (distribution's own manifest limit is 4 MiB). */
  maxDocumentBytes: 4 << 20,
  /**
   * Milliseconds a registry may stay silent — before its answer's headers,
   * or between two reads of a body — before the request fails (a stalled
   * registry would otherwise hang a pull or push for ever). DECIDED: 30 s,
   * dockerd's own dial and idle-connection timeouts (daemon/pkg/registry/registry.go); docker has no read
   * timeout of its own. Per session: ClientOptions.timeoutMs.
   */
  responseTimeoutMs: 30_000,
} as const;

/** A registry refused something: the HTTP status and the message docker prints. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
