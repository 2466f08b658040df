/**
 * The tar archives `docker cp` moves (ustar, as Go's archive/tar writes
 * and reads them): 512-byte headers, contents padded to 512, two zero
 * blocks at the end. Reading also takes PAX (`x`) headers' `path` and GNU
 * long names (`L`), which Go uses for names over 100 bytes.
 */
export interface TarEntry {
  /** `/`-separated; a directory's name ends with `/`. */
  name: string;
  type: 'file' | 'directory';
  mode: number;
  /** Unix ms. */
  mtime: number;
  data: Uint8Array;
}

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, type: string, mode: number, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode & 0o7777, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(Math.floor(mtime / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\u000000', 257, 'binary');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

function pad(n: number): Buffer {
  const r = n % BLOCK;
  return Buffer.alloc(r === 0 ? 0 : BLOCK - r);
}

export function writeTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    let name = e.name;
    if (Buffer.byteLength(name) > 100) {
      // A PAX header carries the long name (Go's writer does the same).
      const rec = (k: string, v: string): string => {
        const body = ` ${k}=${v}\n`;
        let len = body.length + 1;
        while (String(len).length + body.length !== len) len = String(len).length + body.length;
        return `${len}${body}`;
      };
      const pax = Buffer.from(rec('path', name));
      parts.push(header('PaxHeaders/' + name.slice(-80), 'x', 0o644, pax.length, e.mtime), pax, pad(pax.length));
      name = name.slice(0, 100);
    }
    const data = e.type === 'file' ? Buffer.from(e.data) : Buffer.alloc(0);
    parts.push(header(name, e.type === 'file' ? '0' : '5', e.mode, data.length, e.mtime), data, pad(data.length));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

export class TarError extends Error {
  override readonly name = 'TarError';
}

export function readTar(bytes: Uint8Array): TarEntry[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: TarEntry[] = [];
  let at = 0;
  let longName: string | undefined;
  while (at + BLOCK <= b.length) {
    const h = b.subarray(at, at + BLOCK);
    if (h.every((x) => x === 0)) break;
    const str = (o: number, n: number): string => h.subarray(o, o + n).toString('utf8').replace(/\0.*$/s, '');
    const num = (o: number, n: number): number => {
      const s = str(o, n).trim();
      return s === '' ? 0 : Number.parseInt(s, 8);
    };
    const size = num(124, 12);
    if (!Number.isFinite(size) || size < 0) throw new TarError('archive/tar: invalid tar header');
    const type = str(156, 1) || '0';
    const prefix = str(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    const data = b.subarray(at + BLOCK, at + BLOCK + size);
    if (data.length < size) throw new TarError('unexpected EOF');
    at += BLOCK + size + ((BLOCK - (size % BLOCK)) % BLOCK);
    if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      longName = m ? m[1] : undefined;
      continue;
    }
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    longName = undefined;
    if (type === 'g') continue;
    if (type === '5') out.push({ name, type: 'directory', mode: num(100, 8), mtime: num(136, 12) * 1000, data: new Uint8Array() });
    else if (type === '0' || type === '\0' || type === '7') out.push({ name, type: 'file', mode: num(100, 8), mtime: num(136, 12) * 1000, data: new Uint8Array(data) });
    // Links and devices are not copied into a Windows container (moby refuses them there too).
  }
  return out;
}
