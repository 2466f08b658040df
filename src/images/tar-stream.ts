/**
 * tar-stream (the one tar reader and writer of winsilo's archives: layer
 * tars, docker save/load, build contexts, docker cp), required at its first
 * use. Loading it costs ~9 ms, on every CLI start if imported at load,
 * though an interactive `winsilo run` of a pulled image never reads a tar
 * (issue 7: first prompt ≤ 150 ms after Node's start-up).
 */
import { createRequire } from 'node:module';
import type tar from 'tar-stream';

let loaded: typeof tar | undefined;

function tarStream(): typeof tar {
  return (loaded ??= createRequire(import.meta.url)('tar-stream') as typeof tar);
}

/** tar-stream's pack(): a writer of a tar stream. */
export function tarPack(): tar.Pack {
  return tarStream().pack();
}

/** tar-stream's extract(): a reader of a tar stream, its entries as they come. */
export function tarExtract(): tar.Extract {
  return tarStream().extract();
}
