/**
 * `/_ping`, `/version`, `/info`, `/events`, `/system/df`, `/auth`
 * (docker-engine-api.md §1.3, §3.1, §3.15).
 */
import type { Container } from '../host/host.js';
import type { Daemon } from './daemon.js';
import { eventMatches, type ApiEvent } from './events.js';
import { infoBody, versionBody } from './identity.js';
import { containerSummary, imageSummary } from './inspect.js';
import { parseFilters, timeValue, validateFilters } from './params.js';
import type { Router } from './router.js';
import { containerSizes } from './sizes.js';

/** `/_ping`'s headers (§1.3): the CLI negotiates from Api-Version and takes the OS from Ostype. */
const PING_HEADERS = {
  'Builder-Version': '1',
  'Cache-Control': 'no-cache, no-store, must-revalidate',
  Pragma: 'no-cache',
  Swarm: 'inactive',
};

export function registerSystemRoutes(router: Router, d: Daemon): void {
  router.add('GET', '/_ping', (ex) => ex.send(200, { ...PING_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }, 'OK'));
  router.add('HEAD', '/_ping', (ex) => ex.send(200, { ...PING_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }));

  router.add('GET', '/version', (ex) => ex.sendJson(200, versionBody(d.host)));

  router.add('GET', '/info', (ex) => {
    const all = d.host.containers({ all: true }) as Container[];
    const running = all.filter((c) => c.status === 'running').length;
    const paused = all.filter((c) => c.status === 'paused').length;
    ex.sendJson(
      200,
      infoBody(d.host, { containers: all.length, running, paused, stopped: all.length - running - paused, images: d.host.images().length, eventListeners: d.events.listeners }, d.host.clock()),
    );
  });

  router.add('POST', '/auth', (ex) => ex.sendJson(200, { IdentityToken: '', Status: 'Login Succeeded' }));

  // GET /events: history since `since`, then live until `until` (or until the client leaves); headers flushed at once (§4.4).
  router.add('GET', '/events', (ex) => {
    const filters = parseFilters(ex.query.get('filters'));
    validateFilters(filters, ['config', 'container', 'daemon', 'event', 'image', 'label', 'network', 'node', 'plugin', 'scope', 'secret', 'service', 'type', 'volume']);
    const now = d.host.clock();
    const since = timeValue(ex.query, 'since', now);
    const until = timeValue(ex.query, 'until', now);
    const out = ex.stream(200, { 'Content-Type': 'application/json' });
    const send = (e: ApiEvent): void => {
      if (eventMatches(e, filters)) out.write(JSON.stringify(e) + '\n');
    };
    const inRange = (e: ApiEvent): boolean => until === undefined || e.timeNano / 1e6 <= until;
    if (since !== undefined) for (const e of d.events.since(since)) if (inRange(e)) send(e);
    if (until !== undefined && until <= now) {
      out.end();
      return;
    }
    const unsubscribe = d.events.subscribe((e) => {
      if (!inRange(e)) return;
      send(e);
    });
    let timer: NodeJS.Timeout | undefined;
    if (until !== undefined) {
      timer = setTimeout(() => {
        unsubscribe();
        out.end();
      }, until - now);
      timer.unref();
    }
    out.onClose(() => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    });
  });

  // GET /system/df: images, containers and their sizes (§7 P2).
  router.add('GET', '/system/df', (ex) => {
    const containers = d.host.containers({ all: true }) as Container[];
    const now = d.host.clock();
    const images = d.host.imageStore.list();
    const layers = new Map<string, number>();
    for (const i of images) for (const l of i.layers) layers.set(l.diffId, l.size);
    const usedBy = (id: string): number => containers.filter((c) => c.imageRecord.id === id).length;
    ex.sendJson(200, {
      LayersSize: [...layers.values()].reduce((a, b) => a + b, 0),
      Images: images.map((i) => ({ ...imageSummary(i, usedBy(i.id)), SharedSize: 0 })),
      Containers: containers.map((c) => containerSummary(c, d.runtime(c), now, containerSizes(d.host, c))),
      // moby LocalVolumesSize: each local volume with its size and how many containers mount it.
      Volumes: d.host.volumes.list().map((v) => ({ ...v, UsageData: { RefCount: d.host.volumeUsers(v.Name).length, Size: d.host.volumes.size(v.Name) } })),
      BuildCache: [],
    });
  });
}
