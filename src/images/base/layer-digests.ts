/**
 * The Windows layer tar digest (the diff id docker, skopeo and umoci see) of
 * every layer the catalogue synthesizes, pinned so that pulling a base costs
 * no export: an image's id is the sha256 of its config, whose
 * rootfs.diff_ids are these digests (image-spec config.md, "ImageID").
 *
 * Keyed by the layer's content id: the sha256 of its disk delta against the
 * layer below plus its serialised hives, which synthesis computes anyway. A
 * layer whose content id is not here (the tree, the hives or the catalogue
 * changed) falls back to an export at first use and its image keeps an id
 * over content ids; test/images/base/layer-digests.test.ts fails then and
 * prints the table to paste. The synthesis and the export are deterministic,
 * so the same pins hold on every host.
 */
export interface PinnedLayerTar {
  /** `sha256:…` of the layer's Windows layer tar (src/images/layer-tar.ts exportLayer). */
  diffId: string;
  /** Bytes of that tar. */
  size: number;
}

export const BASE_LAYER_TARS: Readonly<Record<string, PinnedLayerTar>> = {
  // mcr.microsoft.com/windows/servercore@10.0.17763.6659#0
  'f776d118223b5e58a1ee4a1542f0edc2526c3fa52cb26f659a479169bdb416fc': { diffId: 'sha256:391a6093963e32907f0b9e783242b1b86ec16069a791c993a82024fcda6d37cb', size: 102942208 },
  // mcr.microsoft.com/windows/servercore@10.0.17763.6659#1
  'f724101c5d45d33bb90f718632c056d3a47c3935391e246cc162fd2db1e14d29': { diffId: 'sha256:dec577599e06cec1fd21098040ab25c648e85882a5ebe91aedb21d3fce0c1354', size: 165246976 },
  // mcr.microsoft.com/windows/servercore@10.0.20348.5499#0
  'cdc5e874f9c1154904caef7ca405aa57d797f2ffa9c900168eb0c745af46ad08': { diffId: 'sha256:4251af7a4c89688883da1a369c059396e592a17bbbefae1e4a2eebdebdbf7f82', size: 87624704 },
  // mcr.microsoft.com/windows/servercore@10.0.20348.5499#1
  'd7ac84591a4e60b739b1c6c003e8a7e55e8a4a7bc10935ea635687c115e9b054': { diffId: 'sha256:215c7a8bec2a498bdc90749bcb85083d84663da7fa37c1ae54b4bc1427957dad', size: 179948032 },
  // mcr.microsoft.com/windows/servercore@10.0.26100.33296#0
  'd0b7f5c30365004fbda23189f0efcc7605c537a3b21e831cb6ae82f39b73bea1': { diffId: 'sha256:c0f49d66f1b4e275c326cd8b02c4a2b277fcb489d99fdbc1ef7ddc137e46f4ea', size: 87528960 },
  // mcr.microsoft.com/windows/servercore@10.0.26100.33296#1
  '3a691ab84e648284fd57855d939ac8955de9de943b42444cfcdaa8b513f486b8': { diffId: 'sha256:dd35e6b2a89b557e2c5a7be10b42e735fa0f179543186e82a97b90f15882703a', size: 180566016 },
  // mcr.microsoft.com/windows/nanoserver@10.0.17763.6659#0
  'c4c8f0e8caeb8345f25a6e8fc8436c00f0c0cdc0d5ec7cfa134638df851957f5': { diffId: 'sha256:e8cd6ce93f46c67d87ca897ac3b9df9c62d451eca0fc7e6b0705bdb2d5da74dc', size: 95136768 },
  // mcr.microsoft.com/windows/nanoserver@10.0.20348.5386#0
  'd0054fcb7d736d524461165131b2913c9768520f6c21f3bcfb7e48845cf5eb07': { diffId: 'sha256:3a022dca7f1cee0527e812f5b90f8d46ab009153eb711c8f82d44cf3f59a30ea', size: 94914048 },
  // mcr.microsoft.com/windows/nanoserver@10.0.26100.33158#0
  '0c8f111e4d0c0f3c05716720c468ebee751e91cda2ba18a7a2094d819ebf04d5': { diffId: 'sha256:67666203a32940f44076589344320fc8b31900f78b2d8a971f2ef86d67d857a6', size: 95153152 },
  // mcr.microsoft.com/windows/servercore/iis@10.0.17763.6659#2
  '9f53ddf7cfa270f20718fea159177efc675652d4e404dd241354cdf5b52d3dae': { diffId: 'sha256:6b49700e0904d2dad62e427a7d8e667c5748d33311d7dc1bb632626c809604f8', size: 2131456 },
  // mcr.microsoft.com/windows/servercore/iis@10.0.20348.5499#2
  'f87494aa43285381e13105659f7cf8aa767ee429c21d5fa991577ded82968637': { diffId: 'sha256:1c69921d22ac137916220dda4a55eda149001813435defa5477b82dbfeb25bc1', size: 2115584 },
  // mcr.microsoft.com/windows/servercore/iis@10.0.26100.33296#2
  'a459a5e59e3207def1f66aa086b7b0bfa570e4871e8b968671c7c86c4b98c84e': { diffId: 'sha256:023a769f87efe537431055981b386de29f9497b949694a3287febbb442656975', size: 2120192 },
};

/** The pinned tar of the layer whose content id is `contentId` (`sha256:…`), if pinned. */
export function pinnedLayerTar(contentId: string): PinnedLayerTar | undefined {
  const hex = contentId.slice(7);
  return Object.hasOwn(BASE_LAYER_TARS, hex) ? BASE_LAYER_TARS[hex] : undefined;
}

const BY_DIFF_ID = new Map(Object.values(BASE_LAYER_TARS).map((p) => [p.diffId, p]));

/**
 * The pinned tar whose digest is `diffId`, if any: a layer whose diff id is
 * a pinned digest holds that tar (a base layer reloaded from a data root,
 * whose content id is not recomputed).
 */
export function pinnedTarOf(diffId: string): PinnedLayerTar | undefined {
  return BY_DIFF_ID.get(diffId);
}
