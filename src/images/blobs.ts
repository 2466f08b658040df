/**
 * Content-addressed blobs (OCI image-layout "blobs/sha256/<hex>"): image
 * configs, manifests and layer tars, each stored under the sha256 of its
 * bytes. In memory, or in a folder (a data root's `blobs/`), where a blob
 * appears whole by one rename (durable-files.ts), so a crash never leaves
 * a blob whose bytes do not hash to its name.
 *
 * Besides configs, the store keeps each pushed layer's compressed tar (the
 * blob a registry holds for it) under an index diff id → blob digest, as
 * moby's distribution metadata maps a diff id to the digests it was pushed
 * as — so a later push of the layer (another registry, another repository)
 * sends the blob it has instead of exporting and compressing again.
 *
 * Collection (`collect`, at rmi / prune): every blob not named live — a
 * config of an image still here, a compressed tar of a layer still here —
 * is deleted, except blobs held by a lease: an operation in flight (a pull
 * that stored its config and has not yet listed its image, a push writing
 * a compressed tar) takes a lease before it stores and ends it once what
 * it stored is named by an image, as containerd's leases protect content
 * from its garbage collector.
 *
 * A third index keeps each layer's tar size (diff id → bytes): the diff id
 * is in the layer's record, but push (`compression: 'none'`, the foreign
 * layers' descriptors) and save name the tar's size before they stream it,
 * and without it a layer reloaded from a data root was exported once just
 * to count its bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDurably } from '../host/durable-files.js';

export function sha256Digest(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** `sha256:<64 hex>`, or an Error naming what it is not. */
export function checkDigest(digest: string): string {
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`invalid digest ${JSON.stringify(digest)}`);
  return digest;
}

/** How a layer tar goes into a registry: gzip (docker's), or as it is. */
export type LayerCompression = 'gzip' | 'none';

/** What `collect` keeps: configs by digest, compressed tars by the diff id they hold. */
export interface LiveBlobs {
  configs: ReadonlySet<string>;
  diffIds: ReadonlySet<string>;
}

export interface BlobStore {
  has(digest: string): boolean;
  /** The blob's bytes, or undefined. */
  get(digest: string): Buffer | undefined;
  /** Stores `bytes`; returns their digest. Idempotent. */
  put(bytes: Uint8Array): string;
  /**
   * Stores the concatenation of `parts` under `digest`, which the caller
   * computed over them while streaming (no second hash). Idempotent.
   */
  putHashed(digest: string, parts: readonly Uint8Array[]): void;
  size(digest: string): number | undefined;
  delete(digest: string): void;
  digests(): string[];
  /** The stored blob holding `diffId`'s tar compressed with `compression`, if one is kept. */
  compressedOf(diffId: string, compression: LayerCompression): string | undefined;
  /** Records that blob `digest` (stored) is `diffId`'s tar compressed with `compression`. */
  setCompressed(diffId: string, compression: LayerCompression, digest: string): void;
  /** The recorded size of `diffId`'s tar (uncompressed), if any. */
  tarSizeOf(diffId: string): number | undefined;
  /** Records the size of `diffId`'s tar (kept while the diff id is live, as the compressed-tar index). */
  setTarSize(diffId: string, size: number): void;
  /** Protects what is stored from now until `end()` from `collect` (see the file comment). */
  lease(): BlobLease;
  /**
   * Deletes every blob that is neither a config in `live.configs` nor a
   * compressed tar of a diff id in `live.diffIds`, nor held by a lease, and
   * the index entries (compressed tars, tar sizes) of diff ids no longer live. Returns the digests deleted.
   */
  collect(live: LiveBlobs): string[];
}

export interface BlobLease {
  /** Holds `digest` (stored or about to be) until the lease ends. */
  hold(digest: string): void;
  end(): void;
}

/** Lease bookkeeping shared by both stores: digest → how many leases hold it. */
class Leases {
  private readonly held = new Map<string, number>();
  lease(): BlobLease {
    const mine = new Set<string>();
    let ended = false;
    return {
      hold: (digest) => {
        if (ended || mine.has(digest)) return;
        mine.add(digest);
        this.held.set(digest, (this.held.get(digest) ?? 0) + 1);
      },
      end: () => {
        if (ended) return;
        ended = true;
        for (const d of mine) {
          const n = (this.held.get(d) ?? 1) - 1;
          if (n <= 0) this.held.delete(d);
          else this.held.set(d, n);
        }
      },
    };
  }
  isHeld(digest: string): boolean {
    return this.held.has(digest);
  }
}

/** An index entry's name: `<diff id hex>.<compression>`. */
function indexKey(diffId: string, compression: LayerCompression): string {
  return `${checkDigest(diffId).slice(7)}.${compression}`;
}

function diffIdOfKey(key: string): string {
  return `sha256:${key.slice(0, 64)}`;
}

export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();
  private readonly index = new Map<string, string>();
  private readonly tarSizes = new Map<string, number>();
  private readonly leases = new Leases();
  has(digest: string): boolean {
    return this.blobs.has(digest);
  }
  get(digest: string): Buffer | undefined {
    return this.blobs.get(digest);
  }
  put(bytes: Uint8Array): string {
    const d = sha256Digest(bytes);
    if (!this.blobs.has(d)) this.blobs.set(d, Buffer.from(bytes));
    return d;
  }
  putHashed(digest: string, parts: readonly Uint8Array[]): void {
    if (!this.blobs.has(checkDigest(digest))) this.blobs.set(digest, Buffer.concat(parts));
  }
  size(digest: string): number | undefined {
    return this.blobs.get(digest)?.length;
  }
  delete(digest: string): void {
    this.blobs.delete(digest);
  }
  digests(): string[] {
    return [...this.blobs.keys()].sort();
  }
  compressedOf(diffId: string, compression: LayerCompression): string | undefined {
    const d = this.index.get(indexKey(diffId, compression));
    return d !== undefined && this.blobs.has(d) ? d : undefined;
  }
  setCompressed(diffId: string, compression: LayerCompression, digest: string): void {
    this.index.set(indexKey(diffId, compression), checkDigest(digest));
  }
  tarSizeOf(diffId: string): number | undefined {
    return this.tarSizes.get(diffId);
  }
  setTarSize(diffId: string, size: number): void {
    this.tarSizes.set(checkDigest(diffId), size);
  }
  lease(): BlobLease {
    return this.leases.lease();
  }
  collect(live: LiveBlobs): string[] {
    for (const d of this.tarSizes.keys()) if (!live.diffIds.has(d)) this.tarSizes.delete(d);
    const keep = new Set(live.configs);
    for (const [key, d] of this.index) {
      if (live.diffIds.has(diffIdOfKey(key)) || this.leases.isHeld(d)) keep.add(d);
      else this.index.delete(key);
    }
    const gone = this.digests().filter((d) => !keep.has(d) && !this.leases.isHeld(d));
    for (const d of gone) this.blobs.delete(d);
    return gone;
  }
}

/**
 * Blobs under `<folder>/sha256/<hex>`; the compressed-tar index under
 * `<folder>/compressed/<diff id hex>.<compression>`; tar sizes under
 * `<folder>/tars/<diff id hex>` (decimal).
 */
export class FolderBlobStore implements BlobStore {
  private readonly leases = new Leases();
  constructor(readonly folder: string) {
    mkdirSync(join(folder, 'sha256'), { recursive: true });
    mkdirSync(join(folder, 'compressed'), { recursive: true });
    mkdirSync(join(folder, 'tars'), { recursive: true });
    // A size whose write a crash cut short left its `.tmp` (durable-files.ts): never read, swept here.
    for (const name of readdirSync(join(folder, 'tars'))) if (!/^[0-9a-f]{64}$/.test(name)) rmSync(join(folder, 'tars', name), { force: true });
  }
  private file(digest: string): string {
    return join(this.folder, 'sha256', checkDigest(digest).slice(7));
  }
  has(digest: string): boolean {
    return existsSync(this.file(digest));
  }
  get(digest: string): Buffer | undefined {
    const f = this.file(digest);
    return existsSync(f) ? readFileSync(f) : undefined;
  }
  put(bytes: Uint8Array): string {
    const d = sha256Digest(bytes);
    if (!this.has(d)) writeDurably(this.file(d), bytes);
    return d;
  }
  putHashed(digest: string, parts: readonly Uint8Array[]): void {
    if (!this.has(digest)) writeDurably(this.file(digest), Buffer.concat(parts));
  }
  size(digest: string): number | undefined {
    const f = this.file(digest);
    return existsSync(f) ? statSync(f).size : undefined;
  }
  delete(digest: string): void {
    rmSync(this.file(digest), { force: true });
  }
  digests(): string[] {
    return readdirSync(join(this.folder, 'sha256'))
      .filter((n) => /^[0-9a-f]{64}$/.test(n))
      .sort()
      .map((n) => `sha256:${n}`);
  }
  compressedOf(diffId: string, compression: LayerCompression): string | undefined {
    const f = join(this.folder, 'compressed', indexKey(diffId, compression));
    if (!existsSync(f)) return undefined;
    const d = readFileSync(f, 'utf8').trim();
    return /^sha256:[0-9a-f]{64}$/.test(d) && this.has(d) ? d : undefined;
  }
  setCompressed(diffId: string, compression: LayerCompression, digest: string): void {
    // Not fsynced: a lost entry costs one more export at the next push, never a wrong blob
    // (compressedOf answers only for a stored blob, and a stored blob is whole).
    writeFileSync(join(this.folder, 'compressed', indexKey(diffId, compression)), checkDigest(digest));
  }
  tarSizeOf(diffId: string): number | undefined {
    const f = join(this.folder, 'tars', checkDigest(diffId).slice(7));
    if (!existsSync(f)) return undefined;
    const text = readFileSync(f, 'utf8').trim();
    // A foreign entry is no size: the layer is exported once to count it, as before.
    return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
  }
  setTarSize(diffId: string, size: number): void {
    // Whole or absent (one rename): a torn "12" of "1234" would be a wrong size, not a missing one.
    // A lost entry costs one export at the next push or save.
    if (this.tarSizeOf(diffId) !== size) writeDurably(join(this.folder, 'tars', checkDigest(diffId).slice(7)), Buffer.from(String(size)));
  }
  lease(): BlobLease {
    return this.leases.lease();
  }
  collect(live: LiveBlobs): string[] {
    for (const name of readdirSync(join(this.folder, 'tars'))) if (!/^[0-9a-f]{64}$/.test(name) || !live.diffIds.has(`sha256:${name}`)) rmSync(join(this.folder, 'tars', name), { force: true });
    const keep = new Set(live.configs);
    const indexFolder = join(this.folder, 'compressed');
    for (const name of readdirSync(indexFolder)) {
      const f = join(indexFolder, name);
      const d = /^[0-9a-f]{64}\.(gzip|none)$/.test(name) ? readFileSync(f, 'utf8').trim() : '';
      if ((d !== '' && live.diffIds.has(diffIdOfKey(name))) || this.leases.isHeld(d)) keep.add(d);
      else rmSync(f, { force: true });
    }
    const gone = this.digests().filter((d) => !keep.has(d) && !this.leases.isHeld(d));
    for (const d of gone) this.delete(d);
    return gone;
  }
}

/**
 * `store` with every blob put through it held by `lease`: what an
 * operation that stores several blobs before it lists its images (load,
 * pull, the builder) hands to the code that stores them.
 */
export function leasedPuts(store: BlobStore, lease: BlobLease): BlobStore {
  return {
    has: (d) => store.has(d),
    get: (d) => store.get(d),
    put: (bytes) => {
      const d = store.put(bytes);
      lease.hold(d);
      return d;
    },
    putHashed: (d, parts) => {
      lease.hold(d);
      store.putHashed(d, parts);
    },
    size: (d) => store.size(d),
    delete: (d) => store.delete(d),
    digests: () => store.digests(),
    compressedOf: (diffId, c) => {
      const d = store.compressedOf(diffId, c);
      if (d) lease.hold(d);
      return d;
    },
    setCompressed: (diffId, c, d) => store.setCompressed(diffId, c, d),
    tarSizeOf: (diffId) => store.tarSizeOf(diffId),
    setTarSize: (diffId, size) => store.setTarSize(diffId, size),
    lease: () => store.lease(),
    collect: (live) => store.collect(live),
  };
}
