/**
 * The classic builder's cache (moby image/cache: an image whose parent is
 * the current image and whose container config equals the step's run
 * config — the Cmd holds the instruction, `#(nop) COPY file:<hash> in …`
 * for COPY/ADD, so content changes miss).
 *
 * Two lookups: this process's map (parent id + config → child id), then
 * the images themselves — a child is an image with one layer more than the
 * parent, the parent's layer chain under it, and the step's config as its
 * stored `container_config` (commit.ts writes it), so a reopened data root
 * finds the images earlier builds made, as moby's image store does.
 */
import { createHash } from 'node:crypto';
import type { BlobStore } from '../blobs.js';
import type { Image, ImageConfig } from '../types.js';

/** The config as compared: keys sorted, the Image field left out. */
function canonical(config: ImageConfig): string {
  return JSON.stringify(config, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([k, x]) => k !== 'Image' && x !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

function key(parentId: string, config: ImageConfig): string {
  return createHash('sha256').update(parentId).update('\0').update(canonical(config)).digest('hex');
}

export interface CacheSource {
  image(reference: string): Image | undefined;
  images(): readonly Image[];
  readonly blobs: BlobStore;
}

export class BuildCache {
  private readonly children = new Map<string, string>();

  /** The image a step with `config` on `parentId` made before, if it is still here. */
  probe(host: CacheSource, parentId: string, config: ImageConfig): Image | undefined {
    const k = key(parentId, config);
    const id = this.children.get(k);
    if (id) {
      const image = host.image(id);
      if (image) return image;
      this.children.delete(k);
    }
    const parent = host.image(parentId);
    if (!parent) return undefined;
    const want = canonical(config);
    const chain = parent.layers.map((l) => l.diffId);
    for (const c of host.images()) {
      if (c.layers.length !== chain.length + 1 || !chain.every((d, i) => c.layers[i]!.diffId === d)) continue;
      if (c.parent !== undefined && c.parent !== parentId) continue;
      const blob = host.blobs.get(c.id);
      if (!blob) continue;
      let stored: ImageConfig | undefined;
      try {
        stored = (JSON.parse(Buffer.from(blob).toString('utf8')) as { container_config?: ImageConfig }).container_config;
      } catch {
        continue;
      }
      if (stored && canonical(stored) === want) {
        this.children.set(k, c.id);
        return c;
      }
    }
    return undefined;
  }

  remember(parentId: string, config: ImageConfig, childId: string): void {
    this.children.set(key(parentId, config), childId);
  }
}
