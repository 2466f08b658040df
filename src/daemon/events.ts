/**
 * The daemon's event stream (`GET /events`, docker-engine-api.md §3.15):
 * the Host's events (create, start, die, kill, stop, destroy, exec_start,
 * pull) and the daemon's own (attach, resize, rename, restart, exec_create,
 * exec_die, tag, untag, delete), in the Engine API's shape. A ring of the
 * latest events answers `since`; subscribers get the rest as they happen.
 */
import type { HostEvent } from '../host/types.js';
import { DAEMON_LIMITS } from './limits.js';
import type { Filters } from './params.js';

export interface ApiEvent {
  status?: string;
  id?: string;
  from?: string;
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
}

/** The Engine API's form of a host event: container events also carry the legacy status, id and from. */
export function apiEvent(e: HostEvent | Omit<HostEvent, 'Type'> & { Type: string }): ApiEvent {
  const base = { Type: e.Type, Action: e.Action, Actor: { ID: e.Actor.ID, Attributes: sortKeys(e.Actor.Attributes) }, scope: 'local' as const, time: e.time, timeNano: e.timeNano };
  if (e.Type !== 'container') return base;
  return { status: e.Action, id: e.Actor.ID, from: e.Actor.Attributes['image'] ?? '', ...base };
}

function sortKeys(a: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(a).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

export class EventBus {
  private readonly history: ApiEvent[] = [];
  private readonly subscribers = new Set<(e: ApiEvent) => void>();

  publish(e: ApiEvent): void {
    this.history.push(e);
    if (this.history.length > DAEMON_LIMITS.eventHistory) this.history.shift();
    for (const s of [...this.subscribers]) s(e);
  }

  /** Events at or after `sinceMs` (unix ms) kept in the ring. */
  since(sinceMs: number): ApiEvent[] {
    return this.history.filter((e) => e.timeNano / 1e6 >= sinceMs);
  }

  /** Clients following the stream now (`docker info`'s EventsListeners). */
  get listeners(): number {
    return this.subscribers.size;
  }

  subscribe(listener: (e: ApiEvent) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }
}

/**
 * moby's events filter: each key present must match (values of one key are
 * alternatives). Keys: type, event (action; `exec_start` matches
 * `exec_start: cmd …`), container/image/network/volume (id or name), label.
 * `resolveName` maps a container id to its name, for events whose actor
 * attributes lack it.
 */
export function eventMatches(e: ApiEvent, f: Filters): boolean {
  const any = (key: string, test: (v: string) => boolean): boolean => {
    const vs = f.get(key);
    return !vs || vs.length === 0 || vs.some(test);
  };
  const attrs = e.Actor.Attributes;
  return (
    any('type', (v) => v === e.Type) &&
    any('event', (v) => v === e.Action || e.Action.startsWith(`${v}:`)) &&
    any('container', (v) => e.Type === 'container' && (e.Actor.ID === v || e.Actor.ID.startsWith(v) || attrs['name'] === v)) &&
    any('image', (v) => attrs['image'] === v || (e.Type === 'image' && (e.Actor.ID === v || attrs['name'] === v))) &&
    any('network', (v) => e.Type === 'network' && (e.Actor.ID === v || attrs['name'] === v)) &&
    any('volume', (v) => e.Type === 'volume' && e.Actor.ID === v) &&
    any('label', (v) => {
      const eq = v.indexOf('=');
      return eq < 0 ? v in attrs : attrs[v.slice(0, eq)] === v.slice(eq + 1);
    })
  );
}
