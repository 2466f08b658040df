/**
 * A layer's download between the network and its import. Pull downloads
 * several layers at once (dockerd's max-concurrent-downloads) but imports
 * them in order, each on the one below: a layer that is not yet being
 * imported is held here whole (dockerd spools it to a temporary file;
 * DECIDED: memory — the blobs are compressed, and a pull's own layers are
 * rarely more than a few hundred MB); the layer being imported streams
 * through with backpressure (`streamingBytes` held at most).
 */

export class Spool {
  private readonly chunks: Uint8Array[] = [];
  private held = 0;
  private limit = Number.POSITIVE_INFINITY;
  private ended: { error?: unknown } | undefined;
  private wake: () => void = () => undefined;
  private changed: Promise<void> = Promise.resolve();
  private room: (() => void)[] = [];

  constructor(private readonly streamingBytes: number) {
    this.arm();
  }

  /** Appends a chunk; a promise to await when the reader is behind (only while it reads). */
  push(chunk: Uint8Array): Promise<void> | undefined {
    this.chunks.push(chunk);
    this.held += chunk.byteLength;
    this.signal();
    if (this.held <= this.limit) return undefined;
    return new Promise((r) => this.room.push(r));
  }

  /** No more chunks: the download ended, or failed with `error` (the reader throws it after what came before). */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = error === undefined ? {} : { error };
    this.signal();
  }

  /** The chunks in order, each handed out once; abandoning it lets the writer go on unhindered. */
  async *read(): AsyncIterable<Uint8Array> {
    this.limit = this.streamingBytes;
    this.release();
    try {
      for (;;) {
        const c = this.chunks.shift();
        if (c) {
          this.held -= c.byteLength;
          if (this.held <= this.limit) this.release();
          yield c;
          continue;
        }
        if (this.ended) {
          if ('error' in this.ended) throw this.ended.error;
          return;
        }
        await this.changed;
      }
    } finally {
      this.limit = Number.POSITIVE_INFINITY;
      this.release();
    }
  }

  private arm(): void {
    this.changed = new Promise((r) => (this.wake = r));
  }

  private signal(): void {
    const w = this.wake;
    this.arm();
    w();
  }

  private release(): void {
    const waiting = this.room;
    this.room = [];
    for (const r of waiting) r();
  }
}
