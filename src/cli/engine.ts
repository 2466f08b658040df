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

/** The product's opener: src/host/host.ts's `Host.open`, on the data root the options name. */
export const openHost: HostOpener = async (options) => {
  // Loaded when a command needs it: `winsilo --help` and flag errors stay
  // instant (the engine brings the WASM core and the image catalogue).
  const mod = await import('../host/host.js');
  return mod.Host.open(options);
};
