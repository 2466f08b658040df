/**
 * The classic builder's cache (moby image/cache: an image whose parent is
 * the current image and whose container config equals the step's run
 * config — the Cmd holds the instruction, `#(nop) COPY file:<hash> in …`
 * for COPY/ADD, so content changes miss).
 *
 * Two lookups: this process's map (parent id + config → child id), then
 * the images themselves — a child is an image whose recorded parent
 * (Image.parent, kept on the data root) is the current image, with the
 * step's config as its stored `container_config` (commit.ts writes it),
 * so a reopened data root finds the images earlier builds made, as moby's
 * image store does. Pulled or loaded images have no parent: they serve as
 * cache only through `--cache-from` (CacheFrom).
 */
import { createHash } from 'node:crypto';
import type { BlockStore } from '../../core/blocks/index.js';
import type { BlobStore } from '../blobs.js';
import { imageConfig, type ConfigDocument, type HistoryEntry } from '../oci.js';
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
  readonly blocks: BlockStore;
}

/** The step config an image was made with (its stored `container_config`), canonical; undefined if none. */
function storedStepConfig(host: CacheSource, image: Image): string | undefined {
  const blob = host.blobs.get(image.id);
  if (!blob) return undefined;
  try {
    const stored = (JSON.parse(Buffer.from(blob).toString('utf8')) as { container_config?: ImageConfig }).container_config;
    return stored ? canonical(stored) : undefined;
  } catch {
    return undefined;
  }
}

export class BuildCache {
  private readonly children = new Map<string, string>();

  /**
   * moby's LocalImageCache (getLocalCachedImage): among the children of
   * `parentId` (images whose recorded parent it is: a build made them),
   * the most recently created one whose step config equals `config`.
   */
  probe(host: CacheSource, parentId: string, config: ImageConfig): Image | undefined {
    const k = key(parentId, config);
    const id = this.children.get(k);
    if (id) {
      const image = host.image(id);
      if (image && image.parent === parentId) return image;
      this.children.delete(k);
    }
    const want = canonical(config);
    let match: Image | undefined;
    for (const c of host.images()) {
      if (c.parent !== parentId) continue;
      if (storedStepConfig(host, c) !== want) continue;
      if (!match || Date.parse(c.created) > Date.parse(match.created)) match = c;
    }
    if (match) this.children.set(k, match.id);
    return match;
  }

  remember(parentId: string, config: ImageConfig, childId: string): void {
    this.children.set(key(parentId, config), childId);
  }
}

/** A history entry as moby's reflect.DeepEqual sees it (the fields image.History has). */
function historyKey(h: HistoryEntry): string {
  return JSON.stringify([h.created, h.created_by ?? '', h.author ?? '', h.comment ?? '', h.empty_layer === true]);
}

/** What a `--cache-from` probe found: an image to use as it is, or a step of a source to restore as a new image on the parent. */
export type SourceHit = { kind: 'image'; image: Image; setParent: boolean } | { kind: 'restore'; target: Image; targetDoc: ConfigDocument; parentDoc: ConfigDocument; index: number };

/**
 * moby image/cache ImageCache (the classic builder's cache with
 * `--cache-from`), one per stage (the prober is reset at each FROM):
 *
 * - the local cache's hit counts only when it is an ancestor of a source
 *   (isParent walks each source's parent chain);
 * - else a source whose history begins with the parent's history and
 *   whose root fs begins with the parent's layers (isValidParent), and
 *   whose next history entry's created_by is the step's Cmd joined with
 *   spaces (isValidConfig), answers: itself when that entry is its last
 *   (its parent becomes the current image), else that step restored as a
 *   new image (restoreCachedImage), and from then on that source only.
 */
export class CacheFrom {
  constructor(private sources: Image[]) {}

  async probe(host: CacheSource, cache: BuildCache, parent: Image, config: ImageConfig): Promise<SourceHit | undefined> {
    const local = cache.probe(host, parent.id, config);
    if (local) {
      for (const s of this.sources) if (isAncestor(host, local.id, s)) return { kind: 'image', image: local, setParent: false };
    }
    const parentDoc = (await imageConfig(host.blocks, parent, host.blobs.get(parent.id))).doc;
    const n = parentDoc.history.length;
    const cmd = (config.Cmd ?? []).join(' ');
    for (const target of this.sources) {
      const targetDoc = (await imageConfig(host.blocks, target, host.blobs.get(target.id))).doc;
      if (!validParent(targetDoc, parentDoc) || (targetDoc.history[n]?.created_by ?? '') !== cmd) continue;
      if (targetDoc.history.length - 1 === n) return { kind: 'image', image: target, setParent: true };
      this.sources = [target];
      return { kind: 'restore', target, targetDoc, parentDoc, index: n };
    }
    return undefined;
  }
}

/** moby isParent: `ancestor` is on `image`'s parent chain (not `image` itself). */
function isAncestor(host: CacheSource, ancestor: string, image: Image): boolean {
  const seen = new Set<string>();
  for (let p = image.parent; p !== undefined && !seen.has(p); p = host.image(p)?.parent) {
    if (p === ancestor) return true;
    seen.add(p);
  }
  return false;
}

/** moby isValidParent on two config documents. */
function validParent(img: ConfigDocument, parent: ConfigDocument): boolean {
  if (img.history.length === 0) return false;
  if (parent.history.length === 0 && parent.rootfs.diff_ids.length === 0) return true;
  if (parent.history.length >= img.history.length) return false;
  if (parent.rootfs.diff_ids.length > img.rootfs.diff_ids.length) return false;
  if (!parent.history.every((h, i) => historyKey(h) === historyKey(img.history[i]!))) return false;
  return parent.rootfs.diff_ids.every((d, i) => d === img.rootfs.diff_ids[i]);
}

/** moby getLayerForHistoryIndex: the layer index of history entry `index`, or -1 for an empty one. */
export function layerIndexForHistory(doc: ConfigDocument, index: number): number {
  if (doc.history[index]?.empty_layer) return -1;
  return doc.history.slice(0, index).filter((h) => !h.empty_layer).length;
}
