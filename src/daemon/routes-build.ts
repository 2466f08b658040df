/**
 * `POST /build` (docker-engine-api.md §3.12; moby v28.2.2
 * api/server/router/build/build_routes.go): the classic builder over the
 * Engine API.
 *
 *  - Query: `t` (repeated), `dockerfile`, `q`, `nocache`, `rm` (default
 *    true), `forcerm`, `pull`, `buildargs`/`labels`/`cachefrom` (JSON),
 *    `target`, `networkmode`, `platform` (API ≥ 1.32), `isolation`,
 *    `version` (`1`; anything but 1 or 2 is `invalid version "x"`).
 *  - Body: the context tar, possibly gzipped, read whole before the build.
 *  - Answer: 200 `application/json`, one object per line ending `\r\n`:
 *    `{"stream":…}` for the builder's stdout (each write its own line, as
 *    moby's StdoutFormatter), stderr lines wrapped in `\x1b[91m…\x1b[0m`
 *    (StderrFormatter), `{"aux":{"ID":…}}` per stage (API ≥ 1.30). A
 *    failure before anything was written is an ordinary HTTP error
 *    (moby's errf while the output is not flushed); after, an
 *    `{"errorDetail":{…},"error":…}` line (with `code` for a failed RUN).
 *  - `q=1`: the lines are held back; on success only
 *    `{"stream":"sha256:…\n"}`, on failure the held lines then the error.
 *
 * DECIDED: `version=2` (BuildKit) is refused with 400 — winsilo has no
 * BuildKit session endpoint; moby v28 on Windows runs BuildKit only with
 * the experimental `buildkit` feature. `remote` contexts (a URL or git
 * repository) are refused: the host is offline.
 */
import { BuildContext } from '../images/build/context.js';
import { BuildError } from '../images/build/errors.js';
import type { BuildOptions } from '../images/build/builder.js';
import { ReferenceError, familiarString, parseNormalizedNamed, tagNameOnly } from '../cli/reference.js';
import { pullResultMessages } from '../cli/progress.js';
import type { Daemon } from './daemon.js';
import { badRequest, ApiError, toApiError } from './errors.js';
import type { StreamOut } from './exchange.js';
import { boolValue } from './params.js';
import type { Router } from './router.js';
import { apiAtLeast } from './version.js';

function jsonParam<T>(q: URLSearchParams, name: string, what: string, check: (v: unknown) => v is T): T | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    throw badRequest(`${what}: ${(e as Error).message}`);
  }
  if (!check(v)) throw badRequest(`${what}: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value`);
  return v;
}

const isStringMap = (v: unknown): v is Record<string, string> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
const isArgMap = (v: unknown): v is Record<string, string | null> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string' || x === null);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** moby sanitizeRepoAndTags: each `t` parsed, digests refused, `:latest` added, duplicates dropped; familiar names. */
function sanitizeTags(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    if (n === '') continue;
    let ref;
    try {
      ref = parseNormalizedNamed(n);
    } catch (e) {
      if (e instanceof ReferenceError) throw badRequest(e.message);
      throw e;
    }
    if (ref.digest) throw badRequest('build tag cannot contain a digest');
    const s = familiarString(tagNameOnly(ref));
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** The build's options from the query (newImageBuildOptions). */
export function buildOptionsFrom(q: URLSearchParams, apiVersion: string): BuildOptions {
  const version = q.get('version') ?? '';
  if (version !== '' && version !== '1' && version !== '2') throw badRequest(`invalid version "${version}"`);
  if (version === '2') throw badRequest('BuildKit is not supported by this daemon: build with the classic builder (DOCKER_BUILDKIT=0)');
  if (q.get('session')) throw badRequest('experimental session with v1 builder is no longer supported, use builder version v2 (BuildKit) instead');
  if (q.get('remote')) throw badRequest(`remote build contexts are not supported: the host is offline (${q.get('remote')})`);
  const isolation = q.get('isolation') ?? '';
  if (isolation !== '' && !['default', 'process', 'hyperv'].includes(isolation.toLowerCase())) throw badRequest(`unsupported isolation: "${isolation}"`);
  const platform = apiAtLeast(apiVersion, '1.32') ? (q.get('platform') ?? '') : '';
  if (platform !== '' && !/^windows(\/amd64)?$/i.test(platform)) throw badRequest(`"${platform}": unknown operating system or architecture: invalid argument`);
  // build_routes postBuild: squash needs an experimental daemon (this one is not).
  if (boolValue(q, 'squash')) throw badRequest('squash is only supported with experimental mode');
  const forceRemove = boolValue(q, 'forcerm');
  const remove = forceRemove || q.get('rm') === null || q.get('rm') === '' ? true : boolValue(q, 'rm');
  const buildArgs = jsonParam(q, 'buildargs', 'error reading build args', isArgMap);
  const labels = jsonParam(q, 'labels', 'error reading labels', isStringMap);
  const cacheFrom = jsonParam(q, 'cachefrom', 'error reading cache-from', isStringList);
  return {
    dockerfile: q.get('dockerfile') ?? '',
    tags: sanitizeTags(q.getAll('t')),
    noCache: boolValue(q, 'nocache'),
    quiet: boolValue(q, 'q'),
    remove,
    forceRemove,
    ...(buildArgs ? { buildArgs } : {}),
    ...(labels ? { labels } : {}),
    ...(cacheFrom ? { cacheFrom } : {}),
    ...(q.get('target') ? { target: q.get('target')! } : {}),
    ...(q.get('networkmode') ? { networkMode: q.get('networkmode')! } : {}),
    ...(isolation ? { isolation } : {}),
    ...(platform ? { platform } : {}),
    ...(boolValue(q, 'pull') ? { pull: true } : {}),
  };
}

export function registerBuildRoutes(router: Router, d: Daemon): void {
  router.add('POST', '/build', async (ex) => {
    const options = buildOptionsFrom(ex.query, ex.apiVersion);
    const context = await BuildContext.fromTar(ex.bodyStream());
    const wantAux = apiAtLeast(ex.apiVersion, '1.30');
    const quiet = options.quiet === true;
    // The answer starts with the first line (moby's WriteFlusher): until then an error is an HTTP error.
    let out: StreamOut | undefined;
    const held: string[] = [];
    const send = (obj: unknown): void => {
      const line = JSON.stringify(obj) + '\r\n';
      if (quiet) {
        held.push(line);
        return;
      }
      out ??= ex.stream(200, { 'Content-Type': 'application/json' });
      out.write(line);
    };
    let id: string;
    try {
      id = await d.host.build(context, options, {
        stdout: (text) => send({ stream: text }),
        stderr: (text) => send({ stream: `\u001b[91m${text}\u001b[0m` }),
        aux: (imageId) => {
          if (wantAux) send({ aux: { ID: imageId } });
        },
        // moby's imageSources.Get pulls with the build's output as the progress writer.
        pulled: (reference, r) => {
          for (const m of pullResultMessages(reference, r)) {
            send({ status: m.status, ...(m.progress ? { progressDetail: {} } : {}), ...(m.id ? { id: m.id } : {}) });
          }
        },
      });
    } catch (e) {
      const message = e instanceof BuildError ? e.message : toApiError(e).message;
      if (quiet && held.length > 0) {
        out ??= ex.stream(200, { 'Content-Type': 'application/json' });
        for (const l of held) out.write(l);
      }
      if (!out) {
        if (e instanceof BuildError) throw new ApiError(e.status, e.message);
        throw e;
      }
      out.write(JSON.stringify({ errorDetail: { ...(e instanceof BuildError && e.code !== undefined ? { code: e.code } : {}), message }, error: message }) + '\r\n');
      out.end();
      return;
    }
    if (quiet) {
      out = ex.stream(200, { 'Content-Type': 'application/json' });
      out.write(JSON.stringify({ stream: `${id}\n` }) + '\r\n');
    }
    out!.end();
  });
}
