/**
 * Compressing layers in the background, as soon as they are listed
 * without a stored gzip blob (a load; anything else that lists a layer
 * whose blob is not kept), so that a push finds the gzip blob already in
 * the blob store. A commit and a build step's commit store their own
 * layer's blob (commit.ts: one export teed into the hash and the gzip),
 * as docker with the containerd image store writes a committed layer to
 * its content store compressed; for them `schedule` finds the blob and
 * queues nothing. What is queued here runs at low priority —
 *
 * - one layer at a time (COMPRESSOR_LIMITS.layersAtOnce), two 4 MiB gzip
 *   members at once on zlib's threads, and a turn of the event loop after
 *   each member is cut (the export runs on the main thread: requests,
 *   consoles and timers get in between);
 * - under a blob lease, so a collection meanwhile keeps what it stores;
 * - cancelled when the layer (or the layer below it, which its export
 *   reads) is released by an rmi: nothing is stored, nothing is thrown.
 *
 * A push of a layer being compressed does not start a second compression:
 * it follows this one (`follow`), uploading its members as they come, and
 * raises it to push's own pace (GZIP_LIMITS.parallel members at once, no
 * pauses; started at once if it was still queued). The bytes are exactly
 * those push's own `gzipStream` would make (same members, same headers),
 * so the blob's digest does not depend on who compressed it.
 */
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { BlockStore } from '../../core/blocks/index.js';
import type { BlobStore } from '../blobs.js';
import { GZIP_LIMITS, gzipStream, knownLayerBlob, layerTar } from '../oci.js';
import type { Image, Layer } from '../types.js';

/** One typed source of the background compressor's limits (style.md §6). */
export const COMPRESSOR_LIMITS = {
  /** Layers compressing at once in the background. DECIDED: 1 (the two cores are shared with everything else). */
  layersAtOnce: 1,
  /** gzip members compressing at once in the background (a followed job uses GZIP_LIMITS.parallel). DECIDED: 2, one compressing while the next is exported. */
  backgroundParallel: 2,
} as const;

/** The compression was cancelled (its layer was released). */
export class CompressionCancelled extends Error {
  override readonly name = 'CompressionCancelled';
}

interface Job {
  readonly diffId: string;
  readonly layers: readonly Layer[];
  readonly index: number;
  state: 'queued' | 'compressing';
  /** A push follows it: full pace. */
  boosted: boolean;
  cancelled: boolean;
  /** The gzip members so far (kept: they become the blob). */
  readonly parts: Buffer[];
  /** Set when it ends: the blob's digest, or why not. */
  end?: { digest: string } | { error: unknown };
  /** Wakes followers when a member or the end arrives. */
  wake: () => void;
  changed: Promise<void>;
}

export class LayerCompressor {
  private readonly jobs = new Map<string, Job>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly store: BlockStore,
    private readonly blobs: BlobStore,
  ) {}

  /**
   * Queues the compression of each own layer of `image` whose tar digest is
   * known and whose gzip blob is not kept yet (foreign layers are never
   * pushed compressed; a layer already queued is not queued twice).
   */
  schedule(image: Image): void {
    for (let i = 0; i < image.layers.length; i++) {
      const layer = image.layers[i]!;
      if (layer.foreign) continue;
      const tar = knownLayerBlob(layer);
      if (!tar || this.jobs.has(tar.diffId) || this.blobs.compressedOf(tar.diffId, 'gzip')) continue;
      const job: Job = { diffId: tar.diffId, layers: image.layers, index: i, state: 'queued', boosted: false, cancelled: false, parts: [], wake: () => undefined, changed: Promise.resolve() };
      this.arm(job);
      this.jobs.set(tar.diffId, job);
    }
    this.startQueued();
  }

  /** `diffId`'s compression: queued, compressing, or not here (none, finished, cancelled). */
  status(diffId: string): 'queued' | 'compressing' | undefined {
    return this.jobs.get(diffId)?.state;
  }

  /**
   * The gzip bytes of `diffId`'s tar from a compression queued or under
   * way (undefined: none), raising it to full pace. The stream ends when
   * the compression does (the blob is then stored and indexed), and fails
   * with its failure or CompressionCancelled.
   */
  follow(diffId: string): AsyncIterable<Uint8Array> | undefined {
    const job = this.jobs.get(diffId);
    if (!job) return undefined;
    job.boosted = true;
    if (job.state === 'queued') this.start(job);
    return (async function* () {
      let at = 0;
      for (;;) {
        while (at < job.parts.length) yield job.parts[at++]!;
        const end = job.end;
        if (end) {
          if ('error' in end) throw end.error;
          while (at < job.parts.length) yield job.parts[at++]!;
          return;
        }
        await job.changed;
      }
    })();
  }

  /**
   * Cancels the compressions that read any of `layers`' disks (the layer
   * itself or the one below it): an rmi is about to free them.
   */
  cancel(layers: readonly Layer[]): void {
    const gone = new Set(layers);
    for (const job of [...this.jobs.values()]) {
      if (gone.has(job.layers[job.index]!) || (job.index > 0 && gone.has(job.layers[job.index - 1]!))) this.stop(job);
    }
  }

  /** Cancels everything (the host closes). */
  cancelAll(): void {
    for (const job of [...this.jobs.values()]) this.stop(job);
  }

  /** Resolves when nothing is queued or compressing (tests, the bench). */
  settled(): Promise<void> {
    if (this.jobs.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private arm(job: Job): void {
    job.changed = new Promise<void>((r) => (job.wake = r));
  }

  private notify(job: Job): void {
    const wake = job.wake;
    this.arm(job);
    wake();
  }

  private stop(job: Job): void {
    job.cancelled = true;
    if (job.state === 'queued') this.finish(job, { error: new CompressionCancelled(`compression of ${job.diffId} cancelled`) });
    // A compressing job sees the flag at its next chunk and ends itself.
  }

  private startQueued(): void {
    for (const job of this.jobs.values()) {
      if (this.running >= COMPRESSOR_LIMITS.layersAtOnce) return;
      if (job.state === 'queued') this.start(job);
    }
  }

  private start(job: Job): void {
    job.state = 'compressing';
    this.running++;
    void this.run(job).then(
      (digest) => this.finish(job, { digest }),
      (error: unknown) => this.finish(job, { error }),
    );
  }

  private async run(job: Job): Promise<string> {
    // Low priority: the first member waits for a turn of the event loop too.
    if (!job.boosted) await nextTurn();
    const lease = this.blobs.lease();
    try {
      const hash = createHash('sha256');
      const tar = layerTar(this.store, job.layers, job.index);
      const cancelled = (): boolean => job.cancelled;
      // Reading stops at the first chunk after a cancel: the export never touches a freed disk.
      const source = (async function* () {
        for await (const c of tar) {
          if (cancelled()) return;
          yield c;
        }
      })();
      const pace = {
        parallel: () => (job.boosted ? GZIP_LIMITS.parallel : COMPRESSOR_LIMITS.backgroundParallel),
        pause: () => (job.boosted ? undefined : nextTurn()),
      };
      for await (const m of gzipStream(source, pace)) {
        if (job.cancelled) break;
        const member = m as Buffer;
        hash.update(member);
        job.parts.push(member);
        this.notify(job);
      }
      if (job.cancelled) throw new CompressionCancelled(`compression of ${job.diffId} cancelled`);
      const digest = `sha256:${hash.digest('hex')}`;
      lease.hold(digest);
      this.blobs.putHashed(digest, job.parts);
      this.blobs.setCompressed(job.diffId, 'gzip', digest);
      return digest;
    } finally {
      lease.end();
    }
  }

  private finish(job: Job, end: { digest: string } | { error: unknown }): void {
    if (job.end) return;
    if (job.state === 'compressing') this.running--;
    job.end = end;
    this.jobs.delete(job.diffId);
    this.notify(job);
    this.startQueued();
    if (this.jobs.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}

/** One compressor per blob store (a host's): push finds the one its blob store has. */
const COMPRESSORS = new WeakMap<BlobStore, LayerCompressor>();

/** The compressor of `blobs`, made on first use. */
export function layerCompressor(store: BlockStore, blobs: BlobStore): LayerCompressor {
  let c = COMPRESSORS.get(blobs);
  if (!c) COMPRESSORS.set(blobs, (c = new LayerCompressor(store, blobs)));
  return c;
}

/** The compressor of `blobs` if one was made (push asks; it never makes one). */
export function existingLayerCompressor(blobs: BlobStore): LayerCompressor | undefined {
  return COMPRESSORS.get(blobs);
}
