/**
 * Routes: a method and a path pattern (matched on the path without its
 * `/v1.xx` prefix) to a handler. Image references in paths are not
 * escaped (`/images/mcr.microsoft.com/windows/servercore:ltsc2022/json`),
 * so their patterns match greedily (docker-engine-api.md §1.5). An unknown
 * path or a method the path does not have: 404 `page not found`.
 */
import type { Exchange } from './exchange.js';

export type Handler = (ex: Exchange, params: string[]) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, pattern: new RegExp(`^${pattern}$`), handler });
    return this;
  }

  /** The handler and its captured (URI-decoded) parameters, or undefined. */
  match(method: string, path: string): { handler: Handler; params: string[] } | undefined {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (m) return { handler: r.handler, params: m.slice(1).map((p) => safeDecode(p ?? '')) };
    }
    return undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
