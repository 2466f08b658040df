// Random tars for the fuzzers, written by hand (not through tar-stream's
// pack, which refuses what a hostile archive holds): ustar headers with
// any name, type and size field, PAX records with any text, bodies that
// may not match the size announced, then a mutation of the whole (cut
// short, bytes flipped, blocks repeated).
import fc from 'fast-check';

export interface RawEntry {
  name: string;
  /** The typeflag byte: '0' file, '5' directory, '2' symlink, '1' hard link, 'x' PAX, 'g', 'L', or any byte. */
  type: string;
  linkname: string;
  body: Uint8Array;
  /** The size field's text (octal digits normally), or undefined for the body's real size. */
  sizeField?: string;
  /** PAX records (each `key=value`), written as an 'x' header before the entry. */
  pax?: [string, string][];
  /** A raw PAX body instead of well-formed records. */
  rawPax?: string;
  badChecksum?: boolean;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0').slice(-(width - 1)) + '\0';
}

function header(name: string, type: string, size: number, sizeField: string | undefined, linkname: string, badChecksum: boolean): Buffer {
  const h = Buffer.alloc(512);
  const nameBytes = Buffer.from(name, 'utf8');
  // Long names go to the ustar prefix field when they split at a '/', else are cut (a hostile tar may do either).
  if (nameBytes.length > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut > 0 && Buffer.byteLength(name.slice(cut + 1)) <= 100) {
      h.write(name.slice(cut + 1), 0, 100, 'utf8');
      h.write(name.slice(0, cut), 345, 155, 'utf8');
    } else h.write(name, 0, 100, 'utf8');
  } else nameBytes.copy(h, 0);
  h.write(octal(0o644, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  h.write((sizeField ?? octal(size, 12)).slice(0, 12), 124, 'latin1');
  h.write(octal(1_700_000_000, 12), 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(type.slice(0, 1), 156, 'latin1');
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(badChecksum ? sum + 1 : sum, 7) + ' ', 148, 'latin1');
  return h;
}

function padded(b: Uint8Array): Buffer {
  const pad = (512 - (b.length % 512)) % 512;
  return Buffer.concat([Buffer.from(b), Buffer.alloc(pad)]);
}

function paxBody(records: [string, string][]): Buffer {
  let out = '';
  for (const [k, v] of records) {
    const rest = ` ${k}=${v}\n`;
    let len = Buffer.byteLength(rest) + 1;
    while (String(len).length + Buffer.byteLength(rest) !== len) len = String(len).length + Buffer.byteLength(rest);
    out += `${len}${rest}`;
  }
  return Buffer.from(out, 'utf8');
}

/** The bytes of a tar holding `entries`, with its two zero blocks. */
export function writeTar(entries: readonly RawEntry[], endBlocks = 2): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (e.pax || e.rawPax !== undefined) {
      const body = e.rawPax !== undefined ? Buffer.from(e.rawPax, 'utf8') : paxBody(e.pax!);
      parts.push(header('PaxHeaders/x', 'x', body.length, undefined, '', false), padded(body));
    }
    parts.push(header(e.name, e.type, e.body.length, e.sizeField, e.linkname, e.badChecksum ?? false), padded(e.body));
  }
  parts.push(Buffer.alloc(512 * endBlocks));
  return Buffer.concat(parts);
}

export type Mutation = { kind: 'none' } | { kind: 'truncate'; at: number } | { kind: 'flip'; at: number; byte: number } | { kind: 'repeat'; at: number } | { kind: 'append'; bytes: Uint8Array };

export function mutate(b: Buffer, m: Mutation): Buffer {
  switch (m.kind) {
    case 'none':
      return b;
    case 'truncate':
      return b.subarray(0, Math.floor(m.at * b.length));
    case 'flip': {
      const c = Buffer.from(b);
      if (c.length > 0) c[Math.floor(m.at * c.length) % c.length] = m.byte;
      return c;
    }
    case 'repeat': {
      const block = Math.floor((m.at * b.length) / 512) * 512;
      return Buffer.concat([b.subarray(0, block + 512), b.subarray(block)]);
    }
    case 'append':
      return Buffer.concat([b, Buffer.from(m.bytes)]);
  }
}

export const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Mutation>({ kind: 'none' }) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((at): Mutation => ({ kind: 'truncate', at })) },
  { weight: 2, arbitrary: fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), byte: fc.integer({ min: 0, max: 255 }) }).map((r): Mutation => ({ kind: 'flip', ...r })) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((at): Mutation => ({ kind: 'repeat', at })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 1200 }).map((bytes): Mutation => ({ kind: 'append', bytes })) },
);

/** Size fields: the true one mostly, else lies (huge, negative base-256, garbage, not terminated). */
export const SIZE_FIELD = fc.option(
  fc.constantFrom('77777777777\0', '\x80\0\0\0\0\0\0\0\0\0\x10\0', '\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff', 'zzzzzzzzzzz\0', '00000001000\0', '00000000000\0', '            ', '-0000000010\0', '0000000000000'),
  { freq: 6 },
);

/** PAX values a hostile layer may carry for go-winio's and POSIX's keys. */
export const PAX_RECORDS = fc.array(
  fc.tuple(
    fc.constantFrom('MSWINDOWS.fileattr', 'MSWINDOWS.rawsd', 'MSWINDOWS.mountpoint', 'LIBARCHIVE.creationtime', 'mtime', 'atime', 'ctime', 'path', 'linkpath', 'size', 'uid', 'gid', 'SCHILY.xattr.x', 'hdrcharset', ''),
    fc.oneof(fc.constantFrom('', '0', '16', '32', '4294967295', '99999999999999999999', '-1', '1700000000.123456789', '1e400', 'NaN', '../../x', 'Files/a', 'C:\\Windows', '\u0000', 'x'.repeat(70_000)), fc.string({ maxLength: 12 })),
  ),
  { maxLength: 4 },
);
