/**
 * certutil.exe's file verbs that Dockerfiles use (Microsoft's `certutil`
 * reference): `-hashfile FILE [ALGORITHM]` (MD2 MD4 MD5 SHA1 SHA256 SHA384
 * SHA512; SHA1 by default) to check a download, and `-encode` / `-decode`
 * for base64 (`-f` overwrites an existing output file).
 *
 * Output as Windows 10 and Server 2016+ print it: the hash in lower-case
 * hex without spaces on its own line; `Input Length = N` / `Output Length
 * = M` for encode/decode; then `CertUtil: -verb command completed
 * successfully.` A failure is `CertUtil: -verb command FAILED: 0x800700NN
 * (WIN32: NN ERROR_NAME)` and the error's text, exit code the HRESULT.
 *
 * DECIDED: the algorithm is shown in capitals and the path as given; MD2
 * and MD4 (which Node's crypto may lack) fail as an unknown algorithm;
 * other verbs answer `CertUtil: Unknown arg: X` (certutil's usage text that
 * follows it is not reproduced) with E_INVALIDARG.
 */
import { createHash, getHashes } from 'node:crypto';
import { Win32Error, win32Message } from '../../../core/win32.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import { readWhole, writeWhole } from '../../cmd/files/transfer.js';
import { lines } from '../system/text.js';

const ALGORITHMS = ['MD2', 'MD4', 'MD5', 'SHA1', 'SHA256', 'SHA384', 'SHA512'];
const WIN32_NAMES: Record<number, string> = { 2: 'ERROR_FILE_NOT_FOUND', 3: 'ERROR_PATH_NOT_FOUND', 5: 'ERROR_ACCESS_DENIED', 80: 'ERROR_FILE_EXISTS', 32: 'ERROR_SHARING_VIOLATION' };

/** HRESULT_FROM_WIN32 as a signed exit code, and its hex. */
function hresult(code: number): { hex: string; exit: number } {
  const h = (0x80070000 | (code & 0xffff)) >>> 0;
  return { hex: `0x${h.toString(16)}`, exit: h | 0 };
}

async function failed(ctx: ProcessContext, verb: string, code: number): Promise<number> {
  const { hex, exit } = hresult(code);
  const text = win32Message(code).replace(/\r?\n$/, '');
  await ctx.stdout.write(lines(`CertUtil: ${verb} command FAILED: ${hex} (WIN32: ${code} ${WIN32_NAMES[code] ?? ''})`.replace(/ \)$/, ')'), `CertUtil: ${text}`));
  return exit;
}

export async function certutilMain(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const force = args.some((a) => /^[-/]f$/i.test(a));
  const rest = args.filter((a) => !/^[-/]f$/i.test(a));
  const verb = (rest[0] ?? '').toLowerCase().replace(/^\//, '-');
  const fs = ctx.fs;
  if (!fs) return failed(ctx, rest[0] ?? '', 3);
  const io = async (f: () => Promise<number>): Promise<number> => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof Win32Error) return failed(ctx, verb, e.code);
      throw e;
    }
  };
  if (verb === '-hashfile' && rest[1] !== undefined) {
    const algo = (rest[2] ?? 'SHA1').toUpperCase();
    const nodeName = algo.toLowerCase();
    if (!ALGORITHMS.includes(algo) || !getHashes().includes(nodeName)) {
      await ctx.stdout.write(lines('CertUtil: -hashfile command FAILED: 0x80090008 (-2146893816 NTE_BAD_ALGID)', 'CertUtil: Invalid algorithm specified.'));
      return 0x80090008 | 0;
    }
    return io(async () => {
      const data = readWhole(fs, rest[1]!, ctx.cwd);
      await ctx.stdout.write(lines(`${algo} hash of ${rest[1]}:`, createHash(nodeName).update(data).digest('hex'), 'CertUtil: -hashfile command completed successfully.'));
      return 0;
    });
  }
  if ((verb === '-encode' || verb === '-decode') && rest[1] !== undefined && rest[2] !== undefined) {
    return io(async () => {
      const input = readWhole(fs, rest[1]!, ctx.cwd);
      let exists = true;
      try {
        fs.stat(rest[2]!, ctx.cwd);
      } catch {
        exists = false;
      }
      if (exists && !force) return failed(ctx, verb, 80);
      let output: Uint8Array;
      if (verb === '-encode') {
        const b64 = Buffer.from(input).toString('base64');
        const body = b64.match(/.{1,64}/g) ?? [];
        output = Buffer.from(['-----BEGIN CERTIFICATE-----', ...body, '-----END CERTIFICATE-----', ''].join('\r\n'));
      } else {
        const text = Buffer.from(input).toString('latin1').replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\s+/g, '');
        output = Buffer.from(text, 'base64');
      }
      writeWhole(fs, rest[2]!, ctx.cwd, output);
      await ctx.stdout.write(lines(`Input Length = ${input.length}`, `Output Length = ${output.length}`, `CertUtil: ${verb} command completed successfully.`));
      return 0;
    });
  }
  // certutil's answer to a verb it does not know (or a verb short of its arguments).
  await ctx.stdout.write(lines(`CertUtil: Unknown arg: ${rest[0] ?? ''}`));
  return (0x80070057 | 0);
}
