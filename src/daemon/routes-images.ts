/**
 * Images (docker-engine-api.md §3.2, §3.13, §3.14): list, inspect, history,
 * pull (`POST /images/create`, progress streamed as moby's JSON lines; a
 * named registry other than Docker Hub and mcr.microsoft.com goes over the
 * distribution API, distribution.ts), push (distribution.ts), tag, rmi
 * (Host.deleteImage: moby's names-then-image order and conflicts), prune
 * (dangling, or unused with -a), save (`GET /images/get`,
 * `/images/{name}/get`: the docker-archive, streamed), load (`POST
 * /images/load`: `{"stream":"Loaded image: …\n"}` lines, errors in the
 * stream as moby's route writes them), import (`fromSrc`: refused as a
 * Windows daemon refuses a file system tar, below).
 * Image names in paths are not escaped: the patterns match greedily.
 *
 * `docker import` on Windows: moby's ImportImage registers the tar as a new
 * base layer (windowsfilter ApplyDiff with no parent → hcsshim's base layer
 * writer), and hcsshim's ProcessBaseLayer fails on anything that is not a
 * complete Windows base layer, so the CLI prints `re-exec error: exit
 * status 1: output: hcsshim::ProcessBaseLayer \\?\C:\ProgramData\docker\windowsfilter\<id>:
 * The system cannot find the path specified.` (docker/for-win#11269).
 * DECIDED: winsilo refuses every import that way, a complete base layer
 * too (its images run on its synthesized Microsoft bases only); the
 * layer id, random in moby, is the sha256 of the tar here. The reference
 * and `--change` lines are checked first (400), as moby does before reading.
 */
import type { Container } from '../host/host.js';
import { pullMessages } from '../cli/progress.js';
import { createHash } from 'node:crypto';
import { ReferenceError, familiarName, familiarString, parseNormalizedNamed, tagNameOnly, type ImageReference } from '../cli/reference.js';
import { applyChanges, CommitChangeError } from '../images/commit.js';
import { HostError } from '../host/errors.js';
import { errorLine, isRegistryReference, pullFromRegistry, push } from './distribution.js';
import type { Daemon } from './daemon.js';
import { badRequest, notFound, serverError } from './errors.js';
import { configHistory, imageHistory, imageInspect, imageSummary } from './inspect.js';
import { boolValue, boolValueOrDefault, parseFilters, validateFilters, matchLabels } from './params.js';
import { timeValue } from './params.js';
import type { Router } from './router.js';
import { normalizeImage } from './create.js';

/** pkg/progress Reader's updateEvery: a progress update per 512 KiB read. */
const LOAD_PROGRESS_STEP = 512 * 1024;

function parseRef(s: string): ImageReference {
  try {
    return parseNormalizedNamed(s);
  } catch (e) {
    if (e instanceof ReferenceError) throw badRequest(e.message);
    throw e;
  }
}

export function registerImageRoutes(router: Router, d: Daemon): void {
  const image = (ref: string) => {
    const i = d.host.image(normalizeImage(ref));
    if (!i) throw notFound(`No such image: ${ref}`);
    return i;
  };
  const users = (id: string): number => (d.host.containers({ all: true }) as Container[]).filter((c) => c.imageRecord.id === id).length;

  router.add('GET', '/images/json', (ex) => {
    const filters = parseFilters(ex.query.get('filters'));
    validateFilters(filters, ['before', 'dangling', 'label', 'reference', 'since', 'until']);
    let list = d.host.imageStore.list();
    const refs = filters.get('reference');
    // A pattern without a tag matches every tag (a registry's `host:port/` is not a tag).
    const tagged = (r: string): boolean => r.lastIndexOf(':') > r.lastIndexOf('/');
    const matching = (i: { repoTags: string[] }): string[] => (refs ? i.repoTags.filter((t) => refs.some((r) => globMatch(tagged(r) ? r : `${r}:*`, t))) : i.repoTags);
    if (refs) list = list.filter((i) => matching(i).length > 0);
    const labels = filters.get('label');
    if (labels) list = list.filter((i) => matchLabels(i.config.Labels, labels));
    // moby image_list: dangling=true lists the images without children (imageStore.Heads) that have no name;
    // dangling=false only named ones; an untagged image with children (a build's intermediate step) only with all=1.
    const parents = new Set(d.host.imageStore.list().map((i) => i.parent));
    const dangling = filters.get('dangling');
    const named = (i: { repoTags: string[]; repoDigests?: string[] }): boolean => i.repoTags.length > 0 || (i.repoDigests?.length ?? 0) > 0;
    if (dangling?.includes('true')) list = list.filter((i) => i.repoTags.length === 0 && !parents.has(i.id));
    else if (dangling !== undefined) list = list.filter(named);
    if (!boolValue(ex.query, 'all')) list = list.filter((i) => named(i) || !parents.has(i.id));
    list = [...list].sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
    // With a reference filter moby lists only the matching names of each image.
    // moby's Images: with a reference filter an image's RepoDigests are only those whose name matches too (reference.FamiliarMatch).
    const digests = (i: { repoDigests?: string[] }): string[] => (refs ? (i.repoDigests ?? []).filter((g) => refs.some((r) => globMatch(r, g.slice(0, g.indexOf('@'))) || globMatch(r, g))) : [...(i.repoDigests ?? [])]);
    ex.sendJson(200, list.map((i) => ({ ...imageSummary(i, boolValue(ex.query, 'shared-size') ? users(i.id) : -1), RepoTags: matching(i), RepoDigests: digests(i) })));
  });

  router.add('POST', '/images/create', async (ex) => {
    const from = ex.query.get('fromImage');
    if (from === null || from === '') return importImage(ex);
    const tag = ex.query.get('tag') ?? '';
    // moby: a trailing `:` (`pull -a`) is dropped; a tag that parses as a digest is one.
    const typed = tag === '' ? from.replace(/:$/, '') : tag.includes(':') ? `${from}@${tag}` : `${from}:${tag}`;
    const ref = tagNameOnly(parseRef(typed));
    if (isRegistryReference(ref)) return pullFromRegistry(d, ex, ref);
    const reference = familiarString(ref);
    // Errors before the first line are ordinary HTTP errors (404 pull access denied, manifest unknown); §2.4.
    const r = d.host.pullWithLayers(reference);
    const out = ex.stream(200, { 'Content-Type': 'application/json' });
    for (const m of pullMessages({
      tagOrDigest: ref.tag ?? ref.digest ?? '',
      repositoryPath: ref.path,
      layers: r.layers.map((l) => ({ digest: l.layer.diffId, existed: l.existed })),
      manifestDigest: ref.digest,
      reference,
      downloaded: r.downloaded,
    })) {
      out.write(JSON.stringify({ status: m.status, ...(m.progress ? { progressDetail: {} } : {}), ...(m.id ? { id: m.id } : {}) }) + '\r\n');
    }
    out.end();
  });

  // ---- save / load ----------------------------------------------------------------------

  const save = async (ex: Parameters<Parameters<Router['add']>[2]>[0], names: string[]): Promise<void> => {
    if (names.length === 0) throw badRequest('no images specified');
    // moby's tarexport parseNames: a repository named without a tag saves every tag it has.
    const expanded = names.flatMap((n) => {
      if (/^(sha256:)?[0-9a-f]{12,64}$/.test(n) || n.includes('@')) return [n];
      let ref: ImageReference;
      try {
        ref = parseNormalizedNamed(n);
      } catch {
        return [n];
      }
      if (ref.tag !== undefined) return [normalizeImage(n)];
      const repo = familiarName(ref);
      const tags = d.host.imageStore
        .list()
        .flatMap((i) => i.repoTags)
        .filter((t) => t.slice(0, t.lastIndexOf(':')) === repo)
        .sort();
      return tags.length > 0 ? tags : [normalizeImage(n)];
    });
    // Host.save checks every name before the first byte (404 `No such image: …` is an HTTP error).
    const archive = d.host.save(expanded);
    const out = ex.stream(200, { 'Content-Type': 'application/x-tar' });
    try {
      for await (const chunk of archive) {
        if (out.closed) break;
        out.write(chunk);
        // The archive is made as fast as it is read: read it only as fast as the client takes it.
        await out.drained?.();
      }
    } finally {
      out.end();
    }
  };
  router.add('GET', '/images/get', (ex) => save(ex, ex.query.getAll('names')));
  router.add('GET', '/images/(.+)/get', (ex, [ref]) => save(ex, [ref!]));

  // moby's postImagesLoad: `quiet` defaults to true (the CLI sends quiet=1 for -q and when its
  // output is not a terminal); otherwise each layer imported reports "Loading layer" with
  // progressDetail {current,total} (image/tarexport/load.go loadLayer: a progress reader over
  // the layer's tar, total its size, id its diff id's 12 hex digits), an update per 512 KiB
  // read and the last (pkg/progress Reader's updateEvery; its time-based rate limit is left
  // out, DECIDED: no clock in what a client sees). A layer this host has is not read: no line.
  router.add('POST', '/images/load', async (ex) => {
    const quiet = boolValueOrDefault(ex.query, 'quiet', true);
    const out = ex.stream(200, { 'Content-Type': 'application/json' });
    const last = new Map<string, number>();
    const onLayerProgress = (id: string, current: number, total: number): void => {
      const prev = last.get(id) ?? 0;
      if (current !== total && current - prev <= LOAD_PROGRESS_STEP) return;
      last.set(id, current);
      out.write(JSON.stringify({ status: 'Loading layer', progressDetail: { current, total }, id }) + '\r\n');
    };
    try {
      const lines = await d.host.load(ex.bodyStream(), quiet ? {} : { onLayerProgress });
      for (const l of lines) out.write(JSON.stringify({ stream: `${l}\n` }) + '\r\n');
    } catch (e) {
      if (!(e instanceof HostError || e instanceof Error)) throw e;
      out.write(errorLine(e.message));
    }
    out.end();
  });

  // ---- push -------------------------------------------------------------------------------

  router.add('POST', '/images/(.+)/push', async (ex, [name]) => {
    const tag = ex.query.get('tag') ?? '';
    // httputils.RepoTagReference(name, tag) when a tag is given, else the name as it is (every tag).
    const ref = parseRef(tag === '' ? name! : `${name}:${tag}`);
    if (ref.digest) throw badRequest('cannot push a digest reference');
    await push(d, ex, ref, tag !== '');
  });

  const doc = (id: string) => configHistory(d.host.blobs.get(id));
  router.add('GET', '/images/(.+)/json', (ex, [ref]) => {
    const i = image(ref!);
    ex.sendJson(200, imageInspect(i, doc(i.id)));
  });
  router.add('GET', '/images/(.+)/history', (ex, [ref]) => {
    const i = image(ref!);
    // moby ImageHistory walks the parent chain (Image.parent) for the rows' ids.
    const ancestry = [i];
    for (let p = i.parent; p !== undefined; ) {
      const up = d.host.image(p);
      if (!up || ancestry.includes(up)) break;
      ancestry.push(up);
      p = up.parent;
    }
    ex.sendJson(200, imageHistory(i, doc(i.id), ancestry));
  });

  router.add('POST', '/images/(.+)/tag', (ex, [ref]) => {
    const repo = ex.query.get('repo') ?? '';
    const tag = ex.query.get('tag') || 'latest';
    if (repo === '') throw badRequest('repository name must have at least one component');
    const target = familiarString(tagNameOnly(parseRef(`${repo}:${tag}`)));
    const src = image(ref!);
    d.host.tagImage(src.id, target);
    ex.send(201, {});
  });

  // moby's ImageDelete (Host.deleteImage): names, then the image and its layers; conflicts 409.
  router.add('DELETE', '/images/(.+)', (ex, [ref]) => {
    const normalized = normalizeImage(ref!);
    image(ref!);
    const target = /^(sha256:)?[0-9a-f]{1,64}$/.test(normalized) ? normalized : familiarString(tagNameOnly(parseRef(normalized)));
    // noprune=1 (`rmi --no-prune`) keeps the untagged parents moby's PruneChildren would delete.
    ex.sendJson(200, d.host.deleteImage(target, { force: boolValue(ex.query, 'force'), prune: !boolValue(ex.query, 'noprune') }));
  });

  // `docker image prune [-a] [--filter until=…|label=…]` (moby ImagesPrune): dangling images, or with
  // dangling=false every image no container uses.
  router.add('POST', '/images/prune', (ex) => {
    const filters = parseFilters(ex.query.get('filters'));
    validateFilters(filters, ['dangling', 'label', 'label!', 'until']);
    const dangling = filters.get('dangling');
    if (dangling && dangling.some((v) => !['true', 'false', '1', '0'].includes(v.toLowerCase()))) throw badRequest(`invalid filter 'dangling=${dangling[0]}'`);
    const all = dangling !== undefined && dangling.every((v) => v === 'false' || v === '0');
    const until = filters.get('until')?.[0];
    const untilMs = until === undefined ? undefined : timeValue(new URLSearchParams({ t: until }), 't', d.host.clock());
    const labels = filters.get('label');
    const notLabels = filters.get('label!');
    const r = d.host.pruneImages({
      all,
      keep: (i) =>
        (untilMs !== undefined && Date.parse(i.created) >= untilMs) ||
        (labels !== undefined && !matchLabels(i.config.Labels, labels)) ||
        (notLabels !== undefined && notLabels.length > 0 && matchLabels(i.config.Labels, notLabels)),
    });
    ex.sendJson(200, { ImagesDeleted: r.deleted.length > 0 ? r.deleted : null, SpaceReclaimed: r.reclaimed });
  });
  router.add('GET', '/images/search', () => {
    throw serverError('searching a registry is not supported on this host');
  });
}

/** `docker import` (see the header): references and changes checked, the tar read, the base layer refused. */
async function importImage(ex: Parameters<Parameters<Router['add']>[2]>[0]): Promise<void> {
  const src = ex.query.get('fromSrc') ?? '';
  if (src === '') throw badRequest('either fromImage or fromSrc must be set');
  const repo = ex.query.get('repo') ?? '';
  if (repo !== '') {
    const ref = parseRef(repo);
    if (ref.digest) throw badRequest('cannot import digest reference');
    const tag = ex.query.get('tag') ?? '';
    if (tag !== '') parseRef(`${familiarString({ ...ref, tag: undefined })}:${tag}`);
  }
  try {
    applyChanges({ Cmd: null, Entrypoint: null, Env: null, User: '', WorkingDir: '', ExposedPorts: null, Labels: null }, ex.query.getAll('changes'));
  } catch (e) {
    if (e instanceof CommitChangeError) throw badRequest(e.message);
    throw e;
  }
  const hash = createHash('sha256');
  if (src === '-') {
    for await (const chunk of ex.bodyStream()) hash.update(chunk);
    throw serverError(processBaseLayerError(hash.digest('hex')));
  }
  // A URL: moby fetches it (an HTTP error when it cannot), says where from, then registers it.
  const url = src.includes('://') ? src : `http://${src}`;
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw serverError(`Get "${url}": ${cause?.code === 'ECONNREFUSED' ? 'dial tcp: connectex: No connection could be made because the target machine actively refused it.' : cause?.code === 'ENOTFOUND' ? `dial tcp: lookup ${new URL(url).hostname}: no such host` : (cause?.message ?? String(e))}`);
  }
  if (res.status >= 400) throw serverError(`failed to GET ${url} with status ${res.statusText}`);
  const out = ex.stream(200, { 'Content-Type': 'application/json' });
  out.write(JSON.stringify({ status: `Downloading from ${url}` }) + '\r\n');
  for await (const chunk of (res.body ?? []) as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
  out.write(errorLine(processBaseLayerError(hash.digest('hex'))));
  out.end();
}

/** hcsshim's base layer writer on a tar that is not a Windows base layer, through moby's re-exec (windows.go importLayer). */
function processBaseLayerError(layerId: string): string {
  return `re-exec error: exit status 1: output: hcsshim::ProcessBaseLayer \\\\?\\C:\\ProgramData\\docker\\windowsfilter\\${layerId}: The system cannot find the path specified.`;
}

/** A `reference` filter's glob (`*` within a path segment), as docker's reference.FamiliarMatch. */
function globMatch(pattern: string, s: string): boolean {
  const rx = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  return rx.test(s);
}
