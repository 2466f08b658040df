/**
 * What the daemon keeps on the data root beside the Host's documents: per
 * container, the Engine API's Config and HostConfig (labels, restart
 * policy, port bindings, …), which the Host's record does not carry, so a
 * restarted daemon shows the same inspect and honours restart policies
 * (moby keeps them in containers/<id>/config.v2.json and hostconfig.json).
 *
 *   <root>/daemon/containers/<id>.json   {"version":1,"config":{…},"hostConfig":{…},"restartCount":n}
 *   <root>/daemon/containers/<id>-json.log  the container's log, json-file's format: one
 *                                         {"log":"…","stream":"stdout","time":"…"} per line
 *                                         (appended, not fsynced — json-file does not sync either)
 *
 * Written whole and durably (src/host/durable-files.ts) at create, rename,
 * update and each start; deleted at removal. A file that does not parse is
 * ignored (the container then shows what its create options say).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_SUFFIX, unlinkDurably, writeDurably } from '../host/durable-files.js';
import type { ContainerConfigView, HostConfigView } from './create.js';
import type { LogLine } from './runtime.js';

export interface KeptContainerState {
  version: 1;
  config: ContainerConfigView;
  hostConfig: HostConfigView;
  restartCount: number;
  /** Stopped by the user (restart policies `unless-stopped` and `on-failure` leave it down). */
  stoppedByUser: boolean;
}

export class DaemonState {
  private readonly folder: string;

  constructor(root: string) {
    this.folder = join(root, 'daemon', 'containers');
    mkdirSync(this.folder, { recursive: true });
  }

  private path(id: string): string {
    if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`not a container id: ${id}`);
    return join(this.folder, `${id}.json`);
  }

  read(id: string): KeptContainerState | undefined {
    const p = this.path(id);
    if (!existsSync(p)) return undefined;
    try {
      const v = JSON.parse(readFileSync(p, 'utf8')) as KeptContainerState;
      return v && v.version === 1 && typeof v.config === 'object' && typeof v.hostConfig === 'object' ? v : undefined;
    } catch {
      return undefined;
    }
  }

  write(id: string, s: KeptContainerState): void {
    writeDurably(this.path(id), JSON.stringify(s));
  }

  /** Deletes the files of containers that are gone (removed while no daemon ran, e.g. --rm ones at the Host's restore). */
  prune(keep: ReadonlySet<string>): void {
    for (const f of readdirSync(this.folder)) {
      // A `.tmp` is a write a crash cut short (durable-files.ts): the document before it stands.
      if (f.endsWith(TEMP_SUFFIX)) {
        rmSync(join(this.folder, f), { force: true });
        continue;
      }
      const id = f.replace(/\.json$/, '');
      if (f.endsWith('.json') && !keep.has(id)) this.remove(id);
    }
  }

  remove(id: string): void {
    const p = this.path(id);
    if (existsSync(p)) unlinkDurably(p);
    const l = this.logPath(id);
    if (existsSync(l)) unlinkDurably(l);
  }

  private logPath(id: string): string {
    return this.path(id).replace(/\.json$/, '-json.log');
  }

  /** Appends one log line (json-file's entry). */
  appendLog(id: string, line: LogLine): void {
    appendFileSync(this.logPath(id), JSON.stringify({ log: line.data.toString('utf8'), stream: line.stream === 1 ? 'stdout' : 'stderr', time: new Date(line.time).toISOString() }) + '\n');
  }

  /** The kept log (a line that does not parse — a torn last write — is skipped). */
  readLog(id: string): LogLine[] {
    const p = this.logPath(id);
    if (!existsSync(p)) return [];
    const out: LogLine[] = [];
    for (const text of readFileSync(p, 'utf8').split('\n')) {
      if (text === '') continue;
      try {
        const e = JSON.parse(text) as { log: string; stream: string; time: string };
        out.push({ stream: e.stream === 'stderr' ? 2 : 1, time: Date.parse(e.time), data: Buffer.from(e.log, 'utf8') });
      } catch {
        // torn line
      }
    }
    return out;
  }
}
