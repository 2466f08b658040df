/**
 * A pull's progress as `docker run` shows it on stderr: the engine's JSON
 * messages (`{"status":"Pull complete","id":"…","progressDetail":{}}`)
 * rendered by the moby client's jsonmessage.DisplayJSONMessages
 * (moby/moby client/pkg/jsonmessage, vendored by docker/cli).
 *
 * Rendering rules kept:
 *  - Not a terminal: one line per message, `id: status` or `status`; a
 *    message whose progress has a current or total count is skipped (the
 *    progress bars only exist on terminals).
 *  - A terminal: each id keeps its own line; a progress message for an id
 *    moves the cursor up to that line (ESC[nA), erases it (ESC[2K), writes
 *    `\r id: status <bar>\r` and moves back down (ESC[nB); a message
 *    without id/progress clears that memory.
 *
 * And the message sequence moby's pull gives (daemon/internal/distribution
 * pull_v2.go and xfer/download.go): `<tag>: Pulling from <repository
 * path>`, `<layer>: Pulling fs layer` for each layer, `Waiting` for layers
 * beyond the three concurrent downloads, `Verifying Checksum` and
 * `Download complete` per layer, `Pull complete` per layer in order, then
 * `Digest: sha256:…` and `Status: Downloaded newer image for <reference>`.
 * Layer ids are the first 12 hex digits of each layer blob's digest.
 */
import type { PullResult } from '../images/store.js';
import { familiarString, parseNormalizedNamed, tagNameOnly } from './reference.js';

export interface JsonProgress {
  current?: number;
  total?: number;
}

/** One message of the engine's JSON stream (the fields a pull uses). */
export interface JsonMessage {
  id?: string;
  status?: string;
  /** Present (possibly empty) on per-layer updates; absent on plain messages. */
  progress?: JsonProgress;
}

const ERASE_LINE = '\x1b[2K';
const up = (n: number): string => (n === 0 ? '' : `\x1b[${n}A`);
const down = (n: number): string => (n === 0 ? '' : `\x1b[${n}B`);

/** Renders a stream of messages to `write` as the docker CLI does. */
export class JsonMessageRenderer {
  private ids = new Map<string, number>();

  constructor(
    private readonly write: (s: string) => void,
    private readonly isTerminal: boolean,
  ) {}

  render(m: JsonMessage): void {
    let diff = 0;
    if (m.id && m.progress) {
      let line = this.ids.get(m.id);
      if (line === undefined) {
        line = this.ids.size;
        this.ids.set(m.id, line);
        if (this.isTerminal) this.write('\n');
      }
      diff = this.ids.size - line;
      if (this.isTerminal) this.write(up(diff));
    } else {
      this.ids = new Map();
    }
    this.display(m);
    if (m.id && this.isTerminal) this.write(down(diff));
  }

  private display(m: JsonMessage): void {
    const counted = m.progress !== undefined && ((m.progress.current ?? 0) > 0 || (m.progress.total ?? 0) > 0);
    let endl = '';
    if (this.isTerminal && m.progress) {
      this.write(ERASE_LINE);
      endl = '\r';
      this.write(endl);
    } else if (counted) return;
    let s = m.id ? `${m.id}: ` : '';
    // A terminal shows the bar after the status (empty for a message without counts).
    if (m.progress && this.isTerminal) s += `${m.status ?? ''} ${endl}`;
    else s += `${m.status ?? ''}${endl}\n`;
    this.write(s);
  }
}

/** One layer of a pulled image. */
export interface PulledLayer {
  /** `sha256:…`; docker shows its first 12 hex digits. */
  digest: string;
  /** Already on the host before the pull ("Already exists"). */
  existed: boolean;
}

/** What a finished pull of one image is, for its progress messages. */
export interface PulledImage {
  /** The tag (or digest) the user asked for, e.g. `ltsc2022`. */
  tagOrDigest: string;
  /** The repository's path on its registry, e.g. `windows/servercore`. */
  repositoryPath: string;
  /** Lowest first. */
  layers: readonly PulledLayer[];
  /** The manifest's digest; undefined when the engine has none (winsilo's synthesized images have no manifest yet), and the line is left out. */
  manifestDigest: string | undefined;
  /** The reference as docker prints it (reference.FamiliarString), e.g. `mcr.microsoft.com/windows/servercore:ltsc2022`. */
  reference: string;
  /** False when the image was already here under that reference. */
  downloaded: boolean;
}

/** moby's xfer: at most three layers download at once (maxConcurrentDownloads). */
export const MAX_CONCURRENT_DOWNLOADS = 3;

/**
 * The messages of a pull, in moby's order: per layer "Already exists" or
 * "Pulling fs layer" (and "Waiting" beyond the concurrent downloads), the
 * downloads' "Verifying Checksum" / "Download complete", then "Pull
 * complete" per new layer, the digest and the status line ("Downloaded
 * newer image" / "Image is up to date").
 */
export function pullMessages(p: PulledImage): JsonMessage[] {
  const short = (d: string): string => d.replace(/^[a-z0-9]+:/, '').slice(0, 12);
  const out: JsonMessage[] = [{ id: p.tagOrDigest, status: `Pulling from ${p.repositoryPath}` }];
  if (p.downloaded) {
    const fresh: string[] = [];
    for (const l of p.layers) {
      if (l.existed) out.push({ id: short(l.digest), status: 'Already exists', progress: {} });
      else {
        out.push({ id: short(l.digest), status: 'Pulling fs layer', progress: {} });
        fresh.push(short(l.digest));
      }
    }
    fresh.forEach((id, i) => {
      if (i >= MAX_CONCURRENT_DOWNLOADS) out.push({ id, status: 'Waiting', progress: {} });
    });
    for (const id of fresh) {
      out.push({ id, status: 'Verifying Checksum', progress: {} });
      out.push({ id, status: 'Download complete', progress: {} });
    }
    for (const id of fresh) out.push({ id, status: 'Pull complete', progress: {} });
  }
  if (p.manifestDigest) out.push({ status: `Digest: ${p.manifestDigest}` });
  out.push({ status: p.downloaded ? `Status: Downloaded newer image for ${p.reference}` : `Status: Image is up to date for ${p.reference}` });
  return out;
}

/**
 * The messages of a pull the image store answered (a build's FROM, `run`'s
 * implicit pull), for the reference as it was written; none for one that
 * does not parse (the pull itself has reported that).
 */
export function pullResultMessages(reference: string, r: PullResult): JsonMessage[] {
  let ref;
  try {
    ref = tagNameOnly(parseNormalizedNamed(reference));
  } catch {
    return [];
  }
  const layers = r.layers.map((l) => ({ digest: l.layer.diffId, existed: l.existed }));
  return pullMessages({ tagOrDigest: ref.tag ?? ref.digest ?? '', repositoryPath: ref.path, layers, manifestDigest: ref.digest, reference: familiarString(ref), downloaded: r.downloaded });
}

