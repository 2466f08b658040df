// Helpers for the builder's tests: a context from a list of files, a host
// with the servercore base pulled, and an output that records moby's lines.
import { BuildContext, type ContextEntry } from '../../../src/images/build/context.js';
import type { BuildOutput } from '../../../src/images/build/builder.js';
import { Host } from '../../../src/host/host.js';

export const SERVERCORE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
export const NANOSERVER = 'mcr.microsoft.com/windows/nanoserver:ltsc2022';

/** A context: path → text (a trailing `/` makes a folder; `{ link }` a symbolic link). */
export function contextOf(files: Record<string, string | Buffer | { link: string }>): BuildContext {
  const entries: [string, ContextEntry][] = Object.entries(files).map(([p, v]) => {
    if (p.endsWith('/')) return [p.slice(0, -1), { type: 'directory', data: Buffer.alloc(0), linkname: '', mtime: new Date(0) }];
    if (typeof v === 'object' && !Buffer.isBuffer(v)) return [p, { type: 'symlink', data: Buffer.alloc(0), linkname: v.link, mtime: new Date(0) }];
    return [p, { type: 'file', data: Buffer.isBuffer(v) ? v : Buffer.from(v), linkname: '', mtime: new Date(0) }];
  });
  return new BuildContext(entries, '\\\\?\\C:\\ProgramData\\docker\\tmp\\docker-builder1');
}

export class RecordedOutput implements BuildOutput {
  text = '';
  err = '';
  ids: string[] = [];
  stdout(t: string): void {
    this.text += t;
  }
  stderr(t: string): void {
    this.err += t;
  }
  aux(id: string): void {
    this.ids.push(id);
  }
  /** The lines with ids replaced by <id> (they vary from run to run). */
  get lines(): string[] {
    return this.text.split('\n').filter((l) => l !== '');
  }
}

let counter = 0;
/** A seeded random source for container ids (no unseeded randomness in tests). */
export function seeded(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  };
}

export async function hostWithBase(image = SERVERCORE): Promise<Host> {
  const host = await Host.open({ clock: () => Date.UTC(2026, 10, 23, 12, 0, 0) + counter++ }, { random: seeded(42) });
  host.pullWithLayers(image);
  return host;
}

/** Runs a container of `image` to its end: stdout+stderr and the exit code (the container is removed). */
export async function runImage(host: Host, image: string, cmd?: string[], extra: { user?: string } = {}): Promise<{ out: string; code: number }> {
  const c = await host.createContainer({ image, ...(cmd ? { cmd } : {}), ...extra });
  const io = await c.start();
  let out = '';
  const decoder = new TextDecoder();
  const pump = async (r: typeof io.stdout): Promise<void> => {
    if (!r) return;
    for (let b = await r.read(); b !== null; b = await r.read()) out += decoder.decode(b, { stream: true });
  };
  const pumps = Promise.all([pump(io.stdout), pump(io.stderr)]);
  const code = await io.wait();
  await pumps;
  await c.wait();
  await c.remove({ force: true });
  return { out, code };
}
