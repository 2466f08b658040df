/**
 * Content-addressed blobs (OCI image-layout "blobs/sha256/<hex>"): image
 * configs, manifests and layer tars, each stored under the sha256 of its
 * bytes. In memory, or in a folder (a data root's `blobs/`), where a blob
 * appears whole by one rename (durable-files.ts), so a crash never leaves
 * a blob whose bytes do not hash to its name.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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

export interface BlobStore {
  has(digest: string): boolean;
  /** The blob's bytes, or undefined. */
  get(digest: string): Buffer | undefined;
  /** Stores `bytes`; returns their digest. Idempotent. */
  put(bytes: Uint8Array): string;
  size(digest: string): number | undefined;
  delete(digest: string): void;
  digests(): string[];
}

export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();
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
  size(digest: string): number | undefined {
    return this.blobs.get(digest)?.length;
  }
  delete(digest: string): void {
    this.blobs.delete(digest);
  }
  digests(): string[] {
    return [...this.blobs.keys()].sort();
  }
}

/** Blobs under `<folder>/sha256/<hex>`. */
export class FolderBlobStore implements BlobStore {
  constructor(readonly folder: string) {
    mkdirSync(join(folder, 'sha256'), { recursive: true });
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
}

