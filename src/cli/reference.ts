/**
 * Image references as the docker CLI reads them (github.com/distribution/
 * reference v0.6, vendored by docker/cli: regexp.go, reference.go,
 * normalize.go, helpers.go; digests per opencontainers/go-digest).
 *
 * `ubuntu` is `docker.io/library/ubuntu`, familiar `ubuntu`, and without a
 * tag means `:latest`; `mcr.microsoft.com/windows/servercore:ltsc2022` has
 * domain `mcr.microsoft.com`, path `windows/servercore`. Errors keep the
 * library's texts: `invalid reference format`, `invalid reference format:
 * repository name (Foo) must be lowercase`, `invalid repository name (<64
 * hex>), cannot specify 64-byte hexadecimal strings`, `repository name must
 * not be more than 255 characters`, `invalid checksum digest length`.
 */

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN_AND_PORT = `(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const NAME = `(?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME}`;
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_NAME = new RegExp(`^(?:(${DOMAIN_AND_PORT})/)?(${REMOTE_NAME})$`);
const IDENTIFIER = /^[a-f0-9]{64}$/;

/** reference.RepositoryNameTotalLengthMax. */
export const REPOSITORY_NAME_MAX = 255;

export class ReferenceError extends Error {
  override readonly name = 'ReferenceError';
}

/** A parsed reference: a named one (domain + path, optional tag and digest) or a bare digest (an image id). */
export interface ImageReference {
  /** '' for a digest-only reference. */
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

const DIGEST_LENGTHS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** go-digest's Parse/Validate. */
function validateDigest(d: string): string {
  const i = d.indexOf(':');
  if (i <= 0 || i + 1 === d.length) throw new ReferenceError('invalid checksum digest format');
  const alg = d.slice(0, i);
  const enc = d.slice(i + 1);
  const len = DIGEST_LENGTHS[alg];
  if (len === undefined) throw new ReferenceError('unsupported digest algorithm');
  if (enc.length !== len) throw new ReferenceError('invalid checksum digest length');
  if (!/^[a-f0-9]+$/.test(enc)) throw new ReferenceError('invalid checksum digest format');
  return d;
}

function splitDockerDomain(name: string): [string, string] {
  const slash = name.indexOf('/');
  if (slash < 0) return ['docker.io', 'library/' + name];
  const maybeDomain = name.slice(0, slash);
  const maybeRemote = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === 'localhost') [domain, remote] = [maybeDomain, maybeRemote];
  else if (maybeDomain === 'index.docker.io') [domain, remote] = ['docker.io', maybeRemote];
  else if (/[.:]/.test(maybeDomain)) [domain, remote] = [maybeDomain, maybeRemote];
  else if (maybeDomain.toLowerCase() !== maybeDomain) [domain, remote] = [maybeDomain, maybeRemote];
  else [domain, remote] = ['docker.io', name];
  if (domain === 'docker.io' && !remote.includes('/')) remote = 'library/' + remote;
  return [domain, remote];
}

/** reference.Parse of a full reference. */
function parse(s: string): ImageReference {
  const m = REFERENCE.exec(s);
  if (!m) {
    if (s === '') throw new ReferenceError('repository name must have at least one component');
    if (REFERENCE.test(s.toLowerCase())) throw new ReferenceError('repository name must be lowercase');
    throw new ReferenceError('invalid reference format');
  }
  const nm = ANCHORED_NAME.exec(m[1]!);
  const domain = nm?.[1] ?? '';
  const path = nm ? nm[2]! : m[1]!;
  if (path.length > REPOSITORY_NAME_MAX) throw new ReferenceError(`repository name must not be more than ${REPOSITORY_NAME_MAX} characters`);
  return { domain, path, tag: m[2] || undefined, digest: m[3] ? validateDigest(m[3]) : undefined };
}

/** reference.ParseNormalizedNamed. */
export function parseNormalizedNamed(s: string): ImageReference {
  if (IDENTIFIER.test(s)) throw new ReferenceError(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  const [domain, remainder] = splitDockerDomain(s);
  const colon = remainder.indexOf(':');
  const remote = colon >= 0 ? remainder.slice(0, colon) : remainder;
  if (remote.toLowerCase() !== remote) throw new ReferenceError(`invalid reference format: repository name (${remote}) must be lowercase`);
  return parse(`${domain}/${remainder}`);
}

/** reference.ParseAnyReference: a 64-hex id or a digest is a digest reference; anything else a normalized name. */
export function parseAnyReference(s: string): ImageReference {
  if (IDENTIFIER.test(s)) return { domain: '', path: '', digest: 'sha256:' + s };
  try {
    return { domain: '', path: '', digest: validateDigest(s) };
  } catch {
    return parseNormalizedNamed(s);
  }
}

export function isNamed(r: ImageReference): boolean {
  return r.path !== '';
}

/** The familiar name (docker.io and library/ dropped): `ubuntu`, `mcr.microsoft.com/windows/servercore`. */
export function familiarName(r: ImageReference): string {
  if (r.domain !== 'docker.io') return `${r.domain}/${r.path}`;
  if (r.path.startsWith('library/') && !r.path.slice(8).includes('/')) return r.path.slice(8);
  return r.path;
}

/** reference.FamiliarString. */
export function familiarString(r: ImageReference): string {
  if (!isNamed(r)) return r.digest ?? '';
  return familiarName(r) + (r.tag !== undefined ? ':' + r.tag : '') + (r.digest !== undefined ? '@' + r.digest : '');
}

/** reference.TagNameOnly: a name alone gets `:latest`. */
export function tagNameOnly(r: ImageReference): ImageReference {
  return isNamed(r) && r.tag === undefined && r.digest === undefined ? { ...r, tag: 'latest' } : r;
}

/** The full name with tag, as the engine stores RepoTags (`docker.io/library/x:latest` familiarised by the CLI). */
export function canonicalString(r: ImageReference): string {
  if (!isNamed(r)) return r.digest ?? '';
  return `${r.domain}/${r.path}` + (r.tag !== undefined ? ':' + r.tag : '') + (r.digest !== undefined ? '@' + r.digest : '');
}
