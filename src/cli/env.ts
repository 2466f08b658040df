/**
 * `-e` / `--env` and `--env-file` as the docker CLI reads them.
 *
 *  - `-e K=V` is kept as is (the value may be empty); `-e K` takes K's value
 *    from the CLI's own environment when it is set there, and otherwise
 *    leaves K out of the container (docker/cli opts/env.go ValidateEnv
 *    passes the bare name on; the Docker run reference: "If no = is
 *    provided and that variable isn't exported in your local environment,
 *    the variable isn't set in the container"). An empty name is refused:
 *    `invalid environment variable: <value>` (moby#25099), which pflag
 *    reports as an invalid flag value.
 *  - `--env-file` (docker/cli pkg/kvfile): UTF-8 lines, BOM stripped on the
 *    first, leading whitespace trimmed, `#` comments and blank lines
 *    skipped, `KEY=VALUE` kept verbatim (no quotes, no interpolation),
 *    `KEY` alone looked up like `-e KEY`. Errors: `no variable name on line
 *    '<line>'`, `variable '<key>' contains whitespaces`, `invalid utf8 bytes
 *    at line <n>: [<bytes>]`, wrapped as `invalid env file (<file>): …`;
 *    an unreadable file gives Go's `open <file>: <errno text>`. The CLI
 *    prefixes all of them with `--env-file: ` (opts.go parse).
 *  - Files come first, then `-e` values, so `-e` overrides
 *    (opts.ReadKVEnvStrings).
 */
import { readFileSync } from 'node:fs';
import { DROPPED } from './flags.js';

/** Looks a name up in the CLI's environment (injectable for tests). */
export type EnvLookup = (name: string) => string | undefined;

export const processEnvLookup: EnvLookup = (name) => process.env[name];

/** opts.ValidateEnv as a flag validator: the entry to keep, or DROPPED. */
export function validateEnv(value: string, lookup: EnvLookup): string {
  const eq = value.indexOf('=');
  const name = eq >= 0 ? value.slice(0, eq) : value;
  if (name === '') throw new Error(`invalid environment variable: ${value}`);
  if (eq >= 0) return value;
  const v = lookup(name);
  return v === undefined ? DROPPED : `${name}=${v}`;
}

/** Go's texts for the errno values a file open meets. */
const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
};

export class EnvFileError extends Error {
  override readonly name = 'EnvFileError';
}

/** kvfile.Parse of one file; throws EnvFileError with docker's text (without the `--env-file: ` prefix). */
export function parseEnvFile(path: string, lookup: EnvLookup): string[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    // os.Open succeeds on a directory; the first read fails inside the scanner.
    if (code === 'EISDIR') throw new EnvFileError(`invalid env file (${path}): read ${path}: is a directory`);
    throw new EnvFileError(`open ${path}: ${ERRNO_TEXT[code] ?? (e as Error).message}`);
  }
  return parseEnvText(bytes, lookup, path);
}

/** Go's unicode.IsSpace (not JavaScript's \s: Go counts U+0085, not U+FEFF). */
const GO_LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** The line rules of kvfile, over a file's bytes. */
export function parseEnvText(bytes: Uint8Array, lookup: EnvLookup, path: string): string[] {
  const fail = (why: string): never => {
    throw new EnvFileError(`invalid env file (${path}): ${why}`);
  };
  const out: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // bufio.ScanLines: split at \n, drop one \r before it; a last line without \n counts.
  let start = 0;
  let lineNo = 1;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    const next = end < 0 ? bytes.length : end + 1;
    if (end < 0) end = bytes.length;
    let lineBytes = bytes.subarray(start, end);
    if (lineBytes.length > 0 && lineBytes[lineBytes.length - 1] === 13) lineBytes = lineBytes.subarray(0, lineBytes.length - 1);
    let text: string;
    try {
      text = decoder.decode(lineBytes);
    } catch {
      fail(`invalid utf8 bytes at line ${lineNo}: [${[...lineBytes].join(' ')}]`);
    }
    if (lineNo === 1 && text!.startsWith('\ufeff')) text = text!.slice(1);
    const line = text!.replace(GO_LEADING_SPACE, '');
    start = next;
    lineNo++;
    if (line.length === 0 || line[0] === '#') continue;
    const eq = line.indexOf('=');
    const key = eq >= 0 ? line.slice(0, eq) : line;
    if (key.length === 0) fail(`no variable name on line '${line}'`);
    if (/[ \t]/.test(key)) fail(`variable '${key}' contains whitespaces`);
    if (eq >= 0) {
      out.push(line);
      continue;
    }
    const v = lookup(line);
    if (v !== undefined) out.push(`${key}=${v}`);
  }
  return out;
}
