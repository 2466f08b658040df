/**
 * `-v SOURCE:TARGET[:MODE]` in two steps, as docker takes it:
 *
 * 1. The client (docker/cli internal/volumespec Parse, used by
 *    cli/command/container/opts.go parse) splits the spec at colons that
 *    are not a drive letter's, without knowing the daemon's platform:
 *    errors `invalid empty volume spec`, `invalid spec: <spec>: empty
 *    section between colons`, `invalid spec: <spec>: too many colons`
 *    (printed as `winsilo: … Run 'winsilo run --help' …`, exit 125). A
 *    relative host part starting with `.` is made absolute against the
 *    client's working directory.
 * 2. The Windows daemon (moby daemon/volume/mounts/windows_parser.go
 *    ParseMountRaw, run while the container is created) matches the spec
 *    case-insensitively against `[source:]destination[:ro|rw]`, lower-cases
 *    it, and validates: `invalid volume specification: '<spec>'`,
 *    `destination path (c:\) cannot be 'c:' or 'c:\'`, `bind source path
 *    does not exist: <source>`, `source path must be a directory`, each
 *    wrapped as `invalid volume specification: '<spec>': invalid mount
 *    config for type "bind": <why>`; and `Duplicate mount point: <dest>`
 *    (daemon/volumes.go registerMountPoints).
 *
 * winsilo's host is not Windows: a bind source is a directory of the
 * machine winsilo runs on. So the source may also be an absolute POSIX
 * path (`/srv/data`), kept in its own case and slashes (moby lower-cases
 * and back-slashes sources because NTFS does not care; a POSIX file system
 * does). Windows-style sources (`C:\data`, for winsilo on Windows) are
 * treated exactly as moby treats them. The destination is a path in the
 * container and follows moby to the letter, lower-casing included (docker
 * inspect on Windows shows `"Destination": "c:\\data"`).
 *
 * Named and anonymous volumes (`-v name:C:\data`, `-v C:\data`) come
 * back as mounts with `volume` set (the name, '' for anonymous); the Host
 * makes them at create (src/host/volumes.ts). A named volume may not be a
 * reserved device name (windows_parser.go).
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { BindMount } from '../host/types.js';

/** What the client's volumespec.Parse found in one `-v` value. */
export interface VolumeSpec {
  type: 'bind' | 'volume';
  source: string;
  target: string;
  readOnly: boolean;
}

/** Client-side volume syntax errors (docker/cli volumespec). */
export class VolumeSpecError extends Error {
  override readonly name = 'VolumeSpecError';
}

/** Daemon-side errors (moby's Windows mount parser); shown after "Error response from daemon: ". */
export class MountError extends Error {
  override readonly name = 'MountError';
}

const END = '\u0000end';

function isLetter(ch: string): boolean {
  return /^\p{L}$/u.test(ch);
}

/** docker/cli volumespec.Parse. */
export function parseVolumeSpec(spec: string): VolumeSpec {
  const v: VolumeSpec = { type: 'volume', source: '', target: '', readOnly: false };
  const chars = [...spec];
  if (chars.length === 0) throw new VolumeSpecError('invalid empty volume spec');
  if (chars.length <= 2) {
    v.target = spec;
    return v;
  }
  let buffer: string[] = [];
  const populate = (ch: string): void => {
    const s = buffer.join('');
    if (buffer.length === 0) throw new VolumeSpecError(`invalid spec: ${spec}: empty section between colons`);
    if (v.source === '' && ch === END) {
      v.target = s;
      return;
    }
    if (v.source === '') {
      v.source = s;
      return;
    }
    if (v.target === '') {
      v.target = s;
      return;
    }
    if (ch === ':') throw new VolumeSpecError(`invalid spec: ${spec}: too many colons`);
    for (const option of s.split(',')) {
      if (option === 'ro') v.readOnly = true;
      else if (option === 'rw') v.readOnly = false;
      // nocopy and propagation modes are kept by docker, and unknown options ignored.
    }
  };
  for (const ch of [...chars, END]) {
    if (ch === ':' && buffer.length === 1 && isLetter(buffer[0]!)) buffer.push(ch);
    else if (ch === ':' || ch === END) {
      populate(ch);
      buffer = [];
    } else buffer.push(ch);
  }
  v.type = v.source !== '' && isFilePath(v.source) ? 'bind' : 'volume';
  return v;
}

function isFilePath(source: string): boolean {
  if ('./~'.includes(source[0]!)) return true;
  const chars = [...source];
  if (chars.length === 1) return false;
  if (source.startsWith('\\\\')) return true;
  return chars[1] === ':' && isLetter(chars[0]!);
}

/**
 * The binds the client sends for the `-v` values: specs with a source,
 * with a relative `.`-prefixed host part made absolute against `cwd`
 * (cli/command/container/opts.go parse). Specs without a source are
 * anonymous volumes (the client puts them in Config.Volumes); they are
 * returned separately.
 */
export function clientBinds(specs: readonly string[], cwd: string): { binds: string[]; anonymous: string[] } {
  const binds: string[] = [];
  const anonymous: string[] = [];
  // docker keeps -v values in a map: a repeated spec counts once.
  for (const spec of new Set(specs)) {
    const parsed = parseVolumeSpec(spec);
    if (parsed.source === '') {
      anonymous.push(spec);
      continue;
    }
    let bind = spec;
    if (parsed.type === 'bind') {
      const colon = spec.indexOf(':');
      if (colon >= 0) {
        let host = spec.slice(0, colon);
        if (!isAbsolute(host) && host.startsWith('.')) host = resolve(cwd, host);
        bind = host + spec.slice(colon);
      }
    }
    binds.push(bind);
  }
  return { binds, anonymous };
}

// moby windows_parser.go, matched case-insensitively (moby lower-cases the
// spec first; the `i` flag has the same effect on these ASCII classes and
// keeps a POSIX source's case).
const RX_HOST_DIR = String.raw`(?:\\\\\?\\)?[a-z]:[\\/](?:[^\\/:*?"<>|\r\n]+[\\/]?)*`;
const RX_NAME = String.raw`[^\\/:*?"<>|\r\n]+`;
const RX_PIPE = String.raw`[/\\]{2}.[/\\]pipe[/\\][^:*?"<>|\r\n]+`;
// winsilo: an absolute directory of a POSIX host (no colon: it separates the fields).
const RX_POSIX_DIR = String.raw`/[^:\r\n]*`;
const RX_SOURCE = `(?:(?<source>(?:${RX_HOST_DIR})|(?:${RX_NAME})|(?:${RX_PIPE})|(?:${RX_POSIX_DIR})):)?`;
const RX_DESTINATION = String.raw`(?<destination>(?:(?:\\\\\?\\)?(?:[a-z]):(?:(?:[\\/][^\\/:*?"<>\r\n]+)*[\\/]?))|(?:${RX_PIPE}))`;
const RX_MODE = `(?::(?<mode>ro|rw))?`;
const SPLIT = new RegExp(`^${RX_SOURCE}${RX_DESTINATION}${RX_MODE}$`, 'i');
const HOST_DIR = new RegExp(`^${RX_HOST_DIR}$`, 'i');
const PIPE = new RegExp(`^${RX_PIPE}$`, 'i');
const POSIX_DIR = new RegExp(`^${RX_POSIX_DIR}$`);
const MOUNT_DESTINATION = new RegExp(`^${RX_DESTINATION}$`, 'i');

const invalidSpec = (raw: string): string => `invalid volume specification: '${raw}'`;

/** How the engine checks a bind source on the host (injectable for tests). */
export type HostDirProbe = (path: string) => { exists: boolean; isDir: boolean };

const statProbe: HostDirProbe = (path) => {
  try {
    const st = statSync(path);
    return { exists: true, isDir: st.isDirectory() };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { exists: false, isDir: false };
    // Go's os.Stat error text for anything else, e.g. permission denied.
    throw new MountError(`stat ${path}: ${code === 'EACCES' ? 'permission denied' : String((e as Error).message)}`);
  }
};

/**
 * The daemon's parse of the client's binds (moby ParseMountRaw with the
 * Windows parser, then the duplicate check of registerMountPoints).
 * Throws MountError with moby's message.
 */
export function parseBinds(binds: readonly string[], probe: HostDirProbe = statProbe): BindMount[] {
  const out: BindMount[] = [];
  const seen = new Set<string>();
  for (const raw of binds) {
    const m = parseBind(raw, probe);
    if (seen.has(m.containerPath)) throw new MountError(`Duplicate mount point: ${m.containerPath}`);
    seen.add(m.containerPath);
    out.push(m);
  }
  return out;
}

function parseBind(raw: string, probe: HostDirProbe): BindMount {
  const match = SPLIT.exec(raw);
  if (!match) throw new MountError(invalidSpec(raw));
  const g = match.groups ?? {};
  const rawSource = g['source'] ?? '';
  const destination = (g['destination'] ?? '').toLowerCase();
  const mode = (g['mode'] ?? '').toLowerCase();
  if (rawSource === '') {
    // Only a destination: an anonymous volume; destination:mode is moby's invalid spec.
    if (mode !== '') throw new MountError(invalidSpec(raw));
    let anon = destination.replace(/\//g, '\\');
    if (anon === 'c:' || anon === 'c:\\') throw new MountError(`${invalidSpec(raw)}: invalid mount config for type "volume": destination path (${anon}) cannot be 'c:' or 'c:\\'`);
    if (!MOUNT_DESTINATION.test(anon)) throw new MountError(`${invalidSpec(raw)}: invalid mount config for type "volume": invalid mount path: '${anon}'`);
    if (anon.length > 3 && anon.endsWith('\\')) anon = anon.slice(0, -1);
    return { hostPath: '', containerPath: anon, readOnly: false, volume: '' };
  }
  const posix = POSIX_DIR.test(rawSource) && !PIPE.test(rawSource);
  // moby lower-cases and back-slashes a Windows source; a POSIX path keeps both.
  const source = posix ? rawSource : rawSource.toLowerCase().replace(/\//g, '\\');
  let target = destination.replace(/\//g, '\\');
  const type = posix || HOST_DIR.test(source) ? 'bind' : PIPE.test(source) ? 'npipe' : 'volume';
  const wrap = (why: string): MountError => new MountError(`${invalidSpec(raw)}: invalid mount config for type "${type}": ${why}`);

  // windowsValidators: never the volume root, always an absolute container path.
  if (target === 'c:' || target === 'c:\\') throw wrap(`destination path (${target}) cannot be 'c:' or 'c:\\'`);
  if (!MOUNT_DESTINATION.test(target)) throw wrap(`invalid mount path: '${target}'`);
  if (type === 'volume') {
    // windows_parser.go: a named volume may not be a reserved device name; the local driver checks the rest at create.
    if (/^(con|prn|nul|aux|com[1-9]|lpt[1-9])$/i.test(rawSource)) throw wrap(`volume name "${rawSource}" cannot be a reserved word for Windows filenames`);
    if (target.length > 3 && target.endsWith('\\')) target = target.slice(0, -1);
    return { hostPath: '', containerPath: target, readOnly: mode === 'ro', volume: rawSource };
  }
  if (type === 'npipe') throw new MountError(`${invalidSpec(raw)}: winsilo run supports bind mounts of host directories only`);
  // windowsValidateAbsolute: moby wants a Windows absolute path; a POSIX host gives a POSIX one.
  if (!posix && !MOUNT_DESTINATION.test(source)) throw wrap(`invalid mount path: '${source}' mount path must be absolute`);
  const st = probe(source);
  if (!st.exists) throw wrap(`bind source path does not exist: ${source}`);
  if (!st.isDir) throw wrap('source path must be a directory');

  let hostPath = source;
  // parseMountSpec: a trailing separator goes, except on a root like `c:\` (or `/`).
  if (posix) hostPath = hostPath.length > 1 ? hostPath.replace(/\/+$/, '') || '/' : hostPath;
  else if (hostPath.length > 3 && hostPath.endsWith('\\')) hostPath = hostPath.slice(0, -1);
  if (target.length > 3 && target.endsWith('\\')) target = target.slice(0, -1);
  return { hostPath, containerPath: target, readOnly: mode === 'ro' };
}
