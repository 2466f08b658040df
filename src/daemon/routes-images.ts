/**
 * Images (docker-engine-api.md §3.2, §3.14): list, inspect, history,
 * pull (`POST /images/create`, progress streamed as moby's JSON lines),
 * tag, rmi (Host.deleteImage: moby's names-then-image order and conflicts),
 * prune (dangling, or unused with -a).
 * Image names in paths are not escaped: the patterns match greedily.
 */
import type { Container } from '../host/host.js';
import { pullMessages } from '../cli/progress.js';
import { ReferenceError, familiarString, parseNormalizedNamed, tagNameOnly, type ImageReference } from '../cli/reference.js';
import type { Daemon } from './daemon.js';
import { badRequest, notFound, serverError } from './errors.js';
import { imageHistory, imageInspect, imageSummary } from './inspect.js';
import { boolValue, parseFilters, validateFilters, matchLabels } from './params.js';
import { timeValue } from './params.js';
import type { Router } from './router.js';
import { normalizeImage } from './create.js';

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
    const matching = (i: { repoTags: string[] }): string[] => (refs ? i.repoTags.filter((t) => refs.some((r) => globMatch(r.includes(':') ? r : `${r}:*`, t))) : i.repoTags);
    if (refs) list = list.filter((i) => matching(i).length > 0);
    const labels = filters.get('label');
    if (labels) list = list.filter((i) => matchLabels(i.config.Labels, labels));
    if (filters.get('dangling')?.includes('true')) list = list.filter((i) => i.repoTags.length === 0);
    list = [...list].sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
    // With a reference filter moby lists only the matching names of each image.
    ex.sendJson(200, list.map((i) => ({ ...imageSummary(i, boolValue(ex.query, 'shared-size') ? users(i.id) : -1), RepoTags: matching(i) })));
  });

  router.add('POST', '/images/create', (ex) => {
    const from = ex.query.get('fromImage');
    if (from === null || from === '') {
      if (ex.query.get('fromSrc')) throw serverError('importing a file system as an image is not supported on this host');
      throw badRequest('either fromImage or fromSrc must be set');
    }
    const tag = ex.query.get('tag') ?? '';
    const typed = tag === '' ? from : tag.includes(':') ? `${from}@${tag}` : `${from}:${tag}`;
    const ref = tagNameOnly(parseRef(typed));
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

  router.add('GET', '/images/(.+)/json', (ex, [ref]) => ex.sendJson(200, imageInspect(image(ref!))));
  router.add('GET', '/images/(.+)/history', (ex, [ref]) => ex.sendJson(200, imageHistory(image(ref!))));

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
    ex.sendJson(200, d.host.deleteImage(target, { force: boolValue(ex.query, 'force') }));
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

/** A `reference` filter's glob (`*` within a path segment), as docker's reference.FamiliarMatch. */
function globMatch(pattern: string, s: string): boolean {
  const rx = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  return rx.test(s);
}
