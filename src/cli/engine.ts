/**
 * The engine the CLI drives in-process (no daemon): a Host (src/host)
 * opened on the data root. design.md "State and durability": the data root
 * is `~/.winsilo` unless `WINSILO_DATA_ROOT` names another, so images
 * pulled by one `winsilo run` are there for the next and for `winsilo
 * images`.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { HostApi, HostOptions } from '../host/types.js';

/** The data root for an environment: `$WINSILO_DATA_ROOT`, else `~/.winsilo`. */
export function dataRootFor(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const v = env['WINSILO_DATA_ROOT'];
  return v !== undefined && v !== '' ? resolve(cwd, v) : join(homedir(), '.winsilo');
}

/** Opens a host. Injected into the commands so tests can hand them an in-memory or prepared host. */
export type HostOpener = (options: HostOptions) => Promise<HostApi>;

/** The product's opener: src/host/host.ts's `Host.open`. */
export const openHost: HostOpener = async (options) => {
  // Loaded when a command needs it: `winsilo --help` and flag errors stay
  // instant (the engine brings the WASM core and the image catalogue).
  const mod = await import('../host/host.js');
  try {
    return await mod.Host.open(options);
  } catch (e) {
    // The engine does not keep state on disk yet (src/host/host.ts refuses a
    // data root): run in memory until it does, rather than not at all.
    if (options.dataRoot !== undefined && isDataRootUnsupported(e)) return mod.Host.open({ ...options, dataRoot: undefined });
    throw e;
  }
};

function isDataRootUnsupported(e: unknown): boolean {
  return e instanceof Error && (e as { status?: unknown }).status === 400 && e.message.startsWith('a data root is not supported');
}
