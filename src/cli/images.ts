/**
 * `winsilo images`: the classic `docker images` table (docker/cli
 * cli/command/formatter/image.go, formatter.go; go-units):
 *
 *   REPOSITORY                             TAG        IMAGE ID       CREATED       SIZE
 *   mcr.microsoft.com/windows/servercore   ltsc2022   0123456789ab   3 weeks ago   1.95GB
 *
 * Columns through Go's tabwriter (minimum 10, padding 3, spaces); IMAGE ID
 * the first 12 hex digits of the id (full `sha256:…` with --no-trunc);
 * CREATED `HumanDuration(now − created) + " ago"`; SIZE
 * `HumanSizeWithPrecision(size, 3)` in decimal units. One row per
 * repository and tag (docker groups an image's tags by familiar repository
 * name); images without tags are dangling and shown only with -a, as
 * `<none>`. Rows come in the engine's order, newest first (moby sorts the
 * list by creation time, newest first). `-q` prints the ids only, one per
 * row; `--digests` adds the DIGEST column.
 *
 * Not done: docker ≥ 29 shows a tree view by default (`IMAGE ID DISK USAGE
 * CONTENT SIZE EXTRA`) when no format option is given; winsilo keeps the
 * classic table, which docker still prints with --no-trunc/--digests/-q or
 * a --format. `[REPOSITORY[:TAG]]`, --filter and --format are not
 * supported.
 */
import type { ImageSummary } from '../host/types.js';
import { writeAll, type CliContext } from './context.js';
import { FlagError, FlagSet, HelpRequested, type ParsedFlags } from './flags.js';
import { humanDuration, humanSizeWithPrecision } from './goformat.js';
import { commandHelp, usageColumns } from './help.js';
import { familiarName, parseNormalizedNamed } from './reference.js';
import { hostOptionsFor } from './run.js';
import { BIN, CliError, flagError, requiresMaxArgs } from './status.js';
import { tabwrite } from './tabwriter.js';

export const IMAGES_USE_LINE = `${BIN} images [OPTIONS] [REPOSITORY[:TAG]]`;
export const IMAGES_SHORT = 'List images';

export function imagesFlags(): FlagSet {
  return new FlagSet(
    [
      { name: 'quiet', shorthand: 'q', type: 'bool', usage: 'Only show image IDs', defValue: 'false' },
      { name: 'all', shorthand: 'a', type: 'bool', usage: 'Show all images (default hides intermediate and dangling images)', defValue: 'false' },
      { name: 'no-trunc', type: 'bool', usage: "Don't truncate output", defValue: 'false' },
      { name: 'digests', type: 'bool', usage: 'Show digests', defValue: 'false' },
      { name: 'help', type: 'bool', usage: 'Print usage', defValue: 'false', hidden: true },
    ],
    true,
  );
}

export interface ImagesTableOptions {
  /** Milliseconds since the epoch. */
  now: number;
  quiet?: boolean;
  all?: boolean;
  noTrunc?: boolean;
  digests?: boolean;
}

interface Row {
  repo: string;
  tag: string;
  digest: string;
  img: ImageSummary;
}

/** formatter.TruncateID: the id without its algorithm, 12 characters. */
export function truncateId(id: string): string {
  const colon = id.indexOf(':');
  const hex = colon >= 0 ? id.slice(colon + 1) : id;
  return hex.slice(0, 12);
}

function isDangling(img: ImageSummary): boolean {
  if (img.RepoTags.length === 0 && img.RepoDigests.length === 0) return true;
  return img.RepoTags.length === 1 && img.RepoTags[0] === '<none>:<none>' && img.RepoDigests.length === 1 && img.RepoDigests[0] === '<none>@<none>';
}

/** imageFormatTaggedAndDigest: rows per familiar repository and tag (and digest when shown). */
function rowsOf(img: ImageSummary, showDigests: boolean): Row[] {
  if (isDangling(img)) return [{ repo: '<none>', tag: '<none>', digest: '<none>', img }];
  const tags = new Map<string, string[]>();
  const digests = new Map<string, string[]>();
  for (const t of img.RepoTags) {
    try {
      const r = parseNormalizedNamed(t);
      if (r.tag === undefined) continue;
      const name = familiarName(r);
      tags.set(name, [...(tags.get(name) ?? []), r.tag]);
    } catch {
      // docker skips references it cannot parse
    }
  }
  for (const d of img.RepoDigests) {
    try {
      const r = parseNormalizedNamed(d);
      if (r.digest === undefined) continue;
      const name = familiarName(r);
      digests.set(name, [...(digests.get(name) ?? []), r.digest]);
    } catch {
      // skipped
    }
  }
  const rows: Row[] = [];
  for (const [repo, repoTags] of tags) {
    const ds = showDigests ? (digests.get(repo) ?? []) : [];
    digests.delete(repo);
    for (const tag of repoTags) {
      if (ds.length === 0) rows.push({ repo, tag, digest: '<none>', img });
      else for (const d of ds) rows.push({ repo, tag, digest: d, img });
    }
  }
  for (const [repo, ds] of digests) {
    if (showDigests) for (const d of ds) rows.push({ repo, tag: '<none>', digest: d, img });
    else rows.push({ repo, tag: '<none>', digest: '', img });
  }
  return rows;
}

/** The text `winsilo images` prints for `images`. */
export function formatImagesTable(images: readonly ImageSummary[], o: ImagesTableOptions): string {
  // moby's list order: newest first (stable for equal times).
  const sorted = [...images].sort((a, b) => b.Created - a.Created);
  const shown = o.all ? sorted : sorted.filter((i) => !isDangling(i));
  const rows = shown.flatMap((img) => rowsOf(img, o.digests === true));
  const id = (img: ImageSummary): string => (o.noTrunc ? img.Id : truncateId(img.Id));
  if (o.quiet) return rows.map((r) => id(r.img) + '\n').join('');
  const created = (img: ImageSummary): string => humanDuration(o.now - img.Created * 1000) + ' ago';
  const size = (img: ImageSummary): string => humanSizeWithPrecision(img.Size, 3);
  const header = o.digests ? ['REPOSITORY', 'TAG', 'DIGEST', 'IMAGE ID', 'CREATED', 'SIZE'] : ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'];
  const lines = [header.join('\t')];
  for (const r of rows) {
    const cells = o.digests ? [r.repo, r.tag, r.digest, id(r.img), created(r.img), size(r.img)] : [r.repo, r.tag, id(r.img), created(r.img), size(r.img)];
    lines.push(cells.join('\t'));
  }
  return tabwrite(lines.join('\n') + '\n');
}

/** Runs `winsilo images`; returns the exit code, CliError for failures. */
export async function imagesCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const flags = imagesFlags();
  let parsed: ParsedFlags | 'help';
  try {
    parsed = flags.parse(argv);
  } catch (e) {
    if (e instanceof FlagError) throw flagError(e, IMAGES_USE_LINE, `${BIN} images`);
    // -h: docker's root help shorthand (deprecated there, still honoured).
    if (!(e instanceof HelpRequested)) throw e;
    parsed = 'help';
  }
  const values = parsed === 'help' ? new Map() : parsed.values;
  const args = parsed === 'help' ? [] : parsed.args;
  const b = (n: string): boolean => values.get(n) === true;
  if (parsed === 'help' || b('help')) {
    await writeAll(ctx.stdout, commandHelp(IMAGES_USE_LINE, IMAGES_SHORT, flags, usageColumns(ctx.stdout.columns)));
    return 0;
  }
  if (args.length > 1) throw requiresMaxArgs(1, `${BIN} images`, IMAGES_USE_LINE);
  if (args.length === 1) throw new CliError(`${BIN}: filtering images by [REPOSITORY[:TAG]] is not supported yet`, 1);
  const options = hostOptionsFor(ctx);
  let host;
  try {
    host = await ctx.openHost(options);
  } catch (e) {
    throw new CliError(`${BIN}: cannot open the data root ${options.dataRoot}: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
  try {
    const text = formatImagesTable(host.images(), { now: ctx.now(), quiet: b('quiet'), all: b('all'), noTrunc: b('no-trunc'), digests: b('digests') });
    await writeAll(ctx.stdout, text);
    return 0;
  } finally {
    await host.close();
  }
}
