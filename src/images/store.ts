/**
 * The host's images: what `docker images` lists and what a container is
 * created from. Microsoft's base images are synthesized on first pull
 * (src/images/base/synthesize.ts), their layers shared by digest; a
 * reference resolves as docker resolves it (repository:tag, `latest` when
 * no tag, or an image id or a unique prefix of it).
 */
import type { BlockStore } from '../core/blocks/index.js';
import { ImageIncompatibleError, checkImageCompatibility } from '../hcs/compat.js';
import type { OsVersion } from '../hcs/versions.js';
import { HostError } from '../host/errors.js';
import { lookupBaseImage, platformsFor, splitReference } from './base/catalog.js';
import { synthesizeBaseImage, type LayerCache } from './base/synthesize.js';
import type { Image, Layer } from './types.js';

/** What a pull did: the image, and the layers it had to make (docker prints one "Pull complete" per layer). */
export interface PullResult {
  image: Image;
  /** Every layer of the image, each marked with whether it was already here. */
  layers: { layer: Layer; existed: boolean }[];
  /** False when the image was already present under that reference ("Image is up to date"). */
  downloaded: boolean;
}

export class ImageStore {
  private readonly byId = new Map<string, Image>();
  private readonly layerCache: LayerCache = new Map();

  constructor(
    private readonly blocks: BlockStore,
    private readonly host: OsVersion,
  ) {}

  list(): Image[] {
    return [...this.byId.values()];
  }

  /** The image `reference` names here, or undefined. */
  resolve(reference: string): Image | undefined {
    const hex = reference.startsWith('sha256:') ? reference.slice(7) : reference;
    if (/^[0-9a-f]{1,64}$/.test(hex)) {
      const matches = [...this.byId.values()].filter((i) => i.id.slice(7).startsWith(hex));
      if (matches.length === 1) return matches[0];
    }
    const { repository, tag } = splitReference(reference);
    const wanted = `${repository}:${tag}`;
    return [...this.byId.values()].find((i) => i.repoTags.includes(wanted));
  }

  /**
   * Makes `reference` available, as `docker pull` does. Only Microsoft's
   * base images can be had (there is no network registry yet): any other
   * repository answers docker's "pull access denied", an unknown tag of a
   * known repository docker's "manifest unknown", an image newer than the
   * host docker's incompatibility error (HostError; status as the daemon's).
   */
  pull(reference: string): PullResult {
    const { repository, tag } = splitReference(reference);
    const platforms = platformsFor(`${repository}:${tag}`);
    if (platforms.length === 0) {
      const known = lookupBaseImage(`${repository}:ltsc2022`) ?? lookupBaseImage(`${repository}:windowsservercore-ltsc2022`);
      if (known) throw new HostError(404, `manifest for ${repository}:${tag} not found: manifest unknown: manifest tagged by "${tag}" is not found`);
      throw new HostError(404, `pull access denied for ${repository}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`);
    }
    const spec = lookupBaseImage(`${repository}:${tag}`, this.host.build) ?? platforms[0]!;
    try {
      checkImageCompatibility(spec.osVersion, this.host);
    } catch (e) {
      if (e instanceof ImageIncompatibleError) throw new HostError(500, e.message);
      throw e;
    }
    const before = new Set(this.layerCache.values());
    const image = synthesizeBaseImage(this.blocks, spec, this.layerCache);
    const known = this.byId.get(image.id);
    const wanted = `${repository}:${tag}`;
    const downloaded = !known?.repoTags.includes(wanted);
    if (known) {
      if (downloaded) known.repoTags.push(wanted);
      return { image: known, layers: known.layers.map((layer) => ({ layer, existed: true })), downloaded };
    }
    // Tagged only as pulled (`docker images` shows ltsc2022, not every tag the registry has).
    image.repoTags = [wanted];
    this.byId.set(image.id, image);
    return { image, layers: image.layers.map((layer) => ({ layer, existed: before.has(layer) })), downloaded: true };
  }

  /**
   * The synthesized base image `repository` at `osVersion` (its layers made
   * or reused through the layer cache, as a pull would), without listing it:
   * what a pull from a registry or a load resolves foreign layers with —
   * docker lists only the image pulled, not its base. Undefined when the
   * catalogue has no such image.
   */
  baseImage(repository: string, osVersion: string): Image | undefined {
    const spec = lookupBaseImage(`${repository}:${osVersion}`, this.host.build);
    if (!spec || spec.osVersion !== osVersion) return undefined;
    return synthesizeBaseImage(this.blocks, spec, this.layerCache);
  }

  /**
   * Puts an image kept elsewhere (a data root) back: listed and resolvable
   * again, and its layers back in the layer cache under the keys they were
   * built under (`cacheKeys[i]` for `image.layers[i]`; null: not cached), so
   * a later pull of any image sharing them reuses them as before.
   */
  add(image: Image, cacheKeys: readonly (string | null)[]): void {
    this.byId.set(image.id, image);
    image.layers.forEach((layer, i) => {
      const key = cacheKeys[i];
      if (key !== null && key !== undefined) this.layerCache.set(key, layer);
    });
  }

  /**
   * Forgets an image (`docker rmi`, Host.deleteImage) and returns the
   * layers no other image here has (moby's layer store releases them: the
   * layer cache forgets them, so a later pull makes them again, as docker
   * downloads them again). The caller owns their disks.
   */
  remove(id: string): Layer[] {
    const image = this.byId.get(id);
    if (!image) return [];
    this.byId.delete(id);
    const kept = new Set<Layer>();
    for (const other of this.byId.values()) for (const l of other.layers) kept.add(l);
    const released = image.layers.filter((l) => !kept.has(l));
    for (const [key, layer] of this.layerCache) if (released.includes(layer)) this.layerCache.delete(key);
    return released;
  }

  /** The layer cache key each of `image`'s layers is held under (null: not in the cache). */
  cacheKeys(image: Image): (string | null)[] {
    const keyOf = new Map<Layer, string>();
    for (const [key, layer] of this.layerCache) keyOf.set(layer, key);
    return image.layers.map((l) => keyOf.get(l) ?? null);
  }

  /** Bytes the image's layers really store. */
  static size(image: Image): number {
    return image.layers.reduce((n, l) => n + l.size, 0);
  }
}
