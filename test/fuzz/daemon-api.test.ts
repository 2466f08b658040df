// Bad input to the Docker Engine API (issue 11, "Bad input"): random and
// malformed requests sent as raw bytes on the daemon's unix socket. Every
// case must be answered — a 4xx, or a 2xx when the request happens to be
// valid, or a status moby itself gives (see FIVE_HUNDREDS) — within a
// deadline, with moby's JSON error body (`{"message": …}`, Content-Type
// application/json) wherever moby sends one, and the daemon keeps
// answering /_ping. Malformed HTTP that Node's parser refuses is answered
// `400 Bad Request` and the connection closed, as Go's net/http does for
// a request it cannot parse.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordReliability } from '../support/reliability.js';
import { RELIABILITY, SEED, yieldToEventLoop } from '../support/budget.js';
import { useDaemon } from '../daemon/support.js';
import { rawExchange, type RawAnswer } from './raw-http.js';

const CASES = RELIABILITY ? 10_000 : 600;
const CHUNK = 200;
const DEADLINE_MS = 5_000;

/**
 * 5xx answers that are documented, not bad-input findings: image search is
 * answered 500 by winsilo, which has no registry index to search (moby
 * answers a registry's own failure with 500 too: its search errors are
 * unclassified system errors). Any other 5xx for bad input is a finding.
 */
const FIVE_HUNDREDS: readonly RegExp[] = [
  /^\{"message":"searching a registry is not supported on this host"\}/,
  // moby's own: swarm endpoints on a node outside a swarm (errdefs.Unavailable → 503).
  /^\{"message":"This node is not a swarm manager\./,
  // moby's own on Windows (plugin/manager_windows.go: a plain error, so 500).
  /^\{"message":"plugins are not supported on this platform"\}/,
  // moby's own (daemon/export.go: a plain error, so 500).
  /^\{"message":"the daemon on this operating system does not support exporting Windows containers"\}/,
  // moby's own (builder/remotecontext/detect.go: a plain error, so 500): a build context without the named Dockerfile.
  /^\{"message":"Cannot locate specified Dockerfile: /,
  // moby's own: the local driver's folder for a name past the path limit (a plain error, so 500).
  /^\{"message":"create [^:]+: mkdir C:\\\\ProgramData\\\\docker\\\\volumes\\\\[^:]+: The filename or extension is too long\."\}/,
];

const d = useDaemon();

const ID = fc.oneof(
  fc.constantFrom('fz', 'nope', '', '..', '%2e%2e', '%ff', '%00', 'a%2Fb', '0', 'x'.repeat(5000), 'mcr.microsoft.com/windows/nanoserver:ltsc2022', 'sha256:zz', 'nat', 'none', '\u00e9'),
  fc.string({ maxLength: 20 }).map((s) => encodeURIComponent(s)),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 1, maxLength: 64 }),
);

const TEMPLATES: readonly [string, string][] = [
  ['GET', '/_ping'], ['HEAD', '/_ping'], ['GET', '/version'], ['GET', '/info'], ['POST', '/auth'], ['GET', '/events'], ['GET', '/system/df'],
  ['GET', '/containers/json'], ['POST', '/containers/create'], ['GET', '/containers/{}/json'], ['POST', '/containers/{}/start'], ['POST', '/containers/{}/stop'],
  ['POST', '/containers/{}/restart'], ['POST', '/containers/{}/kill'], ['POST', '/containers/{}/pause'], ['POST', '/containers/{}/unpause'], ['POST', '/containers/{}/rename'],
  ['POST', '/containers/{}/update'], ['DELETE', '/containers/{}'], ['POST', '/containers/{}/wait'], ['POST', '/containers/{}/attach'], ['POST', '/containers/{}/resize'],
  ['GET', '/containers/{}/logs'], ['GET', '/containers/{}/top'], ['GET', '/containers/{}/stats'], ['GET', '/containers/{}/changes'], ['GET', '/containers/{}/export'],
  ['POST', '/commit'], ['POST', '/containers/{}/exec'], ['POST', '/exec/{}/start'], ['POST', '/exec/{}/resize'], ['GET', '/exec/{}/json'],
  ['HEAD', '/containers/{}/archive'], ['GET', '/containers/{}/archive'], ['PUT', '/containers/{}/archive'],
  ['GET', '/images/json'], ['GET', '/images/get'], ['GET', '/images/{}/get'], ['POST', '/images/load'], ['GET', '/images/{}/json'], ['GET', '/images/{}/history'],
  ['POST', '/images/{}/tag'], ['DELETE', '/images/{}'], ['GET', '/images/search'], ['POST', '/build'],
  ['GET', '/networks'], ['GET', '/networks/{}'], ['POST', '/networks/create'], ['DELETE', '/networks/{}'], ['POST', '/networks/{}/connect'], ['POST', '/networks/{}/disconnect'],
  ['GET', '/volumes'], ['GET', '/volumes/{}'], ['DELETE', '/volumes/{}'], ['POST', '/volumes/create'], ['GET', '/plugins'], ['GET', '/swarm'], ['GET', '/nodes/{}'],
  ['GET', '/nope'], ['POST', '/'], ['GET', ''], ['GET', '/containers'], ['GET', '/images/'], ['PATCH', '/containers/{}/json'], ['OPTIONS', '/version'], ['BREW', '/_ping'],
];
// Not sent at random: prunes (they would remove the fixture container and image
// between cases — harmless, but then every later case is a 404), and pull/push
// (they reach out to registries: the hostile-registry fuzz covers them).

const VERSION = fc.oneof(
  fc.constant(''),
  fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `/v${a}.${b}`),
  fc.constantFrom('/v1.24', '/v1.44', '/v1.50', '/v1.51', '/v', '/v.', '/v1..2', '/v99999999999999999999.1', '/vabc'),
);

const BAD_VALUE = fc.oneof(
  fc.constantFrom('', '1', '0', 'true', 'FALSE', 'yes', 'none', '-1', '99999999999999999999999', '1e309', 'NaN', '0x10', '+5', ' 3 ', '%zz', '%00', '{', '{"a":', '[]', 'null',
    '{"status":{"running":true}}', '{"label":["a=b"]}', '{"label":"x"}', '{"dangling":{"true":1}}', '{"before":["nope"]}', '{"x":null}', '"s"', '10m', '2026-13-45T99:00:00Z', 'SIGNOPE', 'SIGKILL', '9', 'x'.repeat(10_000)),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
);
const QUERY_KEY = fc.constantFrom('all', 'filters', 'limit', 'size', 'force', 'v', 'link', 't', 'signal', 'timeout', 'stream', 'follow', 'tail', 'since', 'until', 'condition', 'name', 'platform',
  'ps_args', 'detachKeys', 'logs', 'stdout', 'stderr', 'stdin', 'h', 'w', 'container', 'repo', 'tag', 'comment', 'author', 'pause', 'changes', 'noprune', 'names', 'quiet', 'path', 'noOverwriteDirNonDir', 'copyUIDGID', 'dockerfile', 'buildargs', 'labels', 'one-shot', 'digests', 'timestamps', '', '%zz');
const QUERY = fc.array(fc.tuple(QUERY_KEY, BAD_VALUE), { maxLength: 5 }).map((kv) => (kv.length === 0 ? '' : '?' + kv.map(([k, v]) => `${k}=${v}`).join('&')));

/** Wrong-typed values for the bodies' own keys. */
const WRONG = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1e308, 2 ** 63, 'x', '', [], {}, ['a', 1, null], { a: { b: [] } }, 'C:\\', '../../x', 'cmd', 'nat', 'x'.repeat(100_000)),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null)), { maxKeys: 3 }),
);
const KEYS = fc.constantFrom('Image', 'Cmd', 'Entrypoint', 'Env', 'WorkingDir', 'User', 'Labels', 'Tty', 'OpenStdin', 'AttachStdin', 'AttachStdout', 'AttachStderr', 'StopSignal', 'StopTimeout',
  'ExposedPorts', 'Volumes', 'HostConfig', 'NetworkingConfig', 'Hostname', 'Domainname', 'Shell', 'Healthcheck', 'ArgsEscaped', 'Binds', 'PortBindings', 'RestartPolicy', 'Memory', 'NanoCpus',
  'CpuCount', 'Isolation', 'NetworkMode', 'AutoRemove', 'Mounts', 'StorageOpt', 'Privileged', 'Detach', 'DetachKeys', 'Name', 'Driver', 'IPAM', 'Config', 'Options', 'Internal', 'EnableIPv6',
  'CheckDuplicate', 'Attachable', 'Container', 'EndpointConfig', 'Aliases', 'Force', 'ConsoleSize', 'Privileged', 'repo', 'comment', 'Subnet', 'Gateway', 'MaximumRetryCount', 'Height', 'Width');
const SHAPED = fc.dictionary(KEYS, fc.oneof(WRONG, fc.dictionary(KEYS, WRONG, { maxKeys: 4 })), { maxKeys: 8 });

/** Bodies one field away from valid, so the handlers get past their first check. */
const NEAR_VALID = fc
  .record({
    base: fc.constantFrom<Record<string, unknown>>(
      { Image: 'mcr.microsoft.com/windows/nanoserver:ltsc2022', Cmd: ['cmd', '/c', 'echo', 'hi'], HostConfig: { NetworkMode: 'nat' } },
      { AttachStdout: true, AttachStderr: true, Cmd: ['cmd', '/c', 'ver'] },
      { Name: 'fznet', Driver: 'nat', IPAM: { Config: [{ Subnet: '172.30.0.0/16' }] } },
      { Container: 'fz', EndpointConfig: { Aliases: ['a'] } },
      { Detach: false, Tty: false, ConsoleSize: [24, 80] },
      { Cmd: ['cmd'], Labels: { a: 'b' }, Env: ['A=1'] },
    ),
    path: fc.array(fc.constantFrom('HostConfig', 'NetworkingConfig', 'EndpointsConfig', 'IPAM', 'Config', 'RestartPolicy'), { maxLength: 2 }),
    key: KEYS,
    value: WRONG,
  })
  .map(({ base, path, key, value }) => {
    const doc = structuredClone(base);
    let at: Record<string, unknown> = doc;
    for (const p of path) {
      const next = at[p];
      at = next !== null && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : (at[p] = {});
    }
    at[key] = value;
    return JSON.stringify(doc);
  });

const BODY = fc.oneof(
  { weight: 4, arbitrary: NEAR_VALID },
  { weight: 4, arbitrary: SHAPED.map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n % 3 === 0 ? n : 0)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b).toString('latin1')) },
  { weight: 1, arbitrary: fc.constant('') },
);

type Framing = 'length' | 'none' | 'chunked' | 'chunked-broken' | 'length-short' | 'length-long' | 'length-garbage' | 'chunked-truncated';
const FRAMING = fc.constantFrom<Framing>('length', 'length', 'length', 'none', 'chunked', 'chunked-broken', 'length-short', 'length-long', 'length-garbage', 'chunked-truncated');

const HEADERS = fc.array(
  fc.constantFrom(
    'Content-Type: application/json', 'Content-Type: text/plain', 'Content-Type: application/x-tar', 'Content-Type: ', 'Upgrade: tcp\r\nConnection: Upgrade', 'Connection: close',
    'X-Registry-Auth: %%%', 'X-Registry-Auth: eyJ1c2VybmFtZSI6MX0=', 'X-Registry-Config: {', 'Expect: 100-continue', 'Transfer-Encoding: gzip', 'Content-Encoding: gzip',
    'X-Long: ' + 'a'.repeat(20_000), 'Bad Header Line', ': novalue', 'Host:', 'User-Agent: Docker-Client/28.2.2 (linux)', 'Accept: */*', 'Content-Length: 5',
  ),
  { maxLength: 3 },
);

interface Case {
  method: string;
  version: string;
  path: string;
  query: string;
  body: string;
  framing: Framing;
  headers: string[];
}

const CASE: fc.Arbitrary<Case> = fc
  .record({
    template: fc.constantFrom(...TEMPLATES),
    otherMethod: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'get', 'X'), { freq: 8 }),
    id: ID,
    version: VERSION,
    query: QUERY,
    body: BODY,
    framing: FRAMING,
    headers: HEADERS,
  })
  .map(({ template, otherMethod, id, version, query, body, framing, headers }) => ({
    method: otherMethod ?? template[0],
    version,
    path: template[1].replace('{}', id),
    query,
    body,
    framing,
    headers,
  }));

function requestBytes(c: Case): { bytes: Buffer; end: boolean } {
  const body = Buffer.from(c.body, 'latin1');
  let head = `${c.method} ${c.version}${c.path}${c.query} HTTP/1.1\r\nHost: api.moby.localhost\r\n`;
  for (const h of c.headers) head += h + '\r\n';
  let payload: Buffer = body;
  let end = false;
  switch (c.framing) {
    case 'length':
      head += `Content-Length: ${body.length}\r\n`;
      break;
    case 'none':
      payload = Buffer.alloc(0);
      break;
    case 'chunked':
      head += 'Transfer-Encoding: chunked\r\n';
      payload = Buffer.concat([Buffer.from(body.length > 0 ? `${body.length.toString(16)}\r\n` : ''), body, Buffer.from(body.length > 0 ? '\r\n0\r\n\r\n' : '0\r\n\r\n')]);
      break;
    case 'chunked-broken':
      head += 'Transfer-Encoding: chunked\r\n';
      payload = Buffer.concat([Buffer.from('zz\r\n'), body, Buffer.from('\r\n')]);
      end = true;
      break;
    case 'chunked-truncated':
      head += 'Transfer-Encoding: chunked\r\n';
      payload = Buffer.concat([Buffer.from(`${(body.length + 100).toString(16)}\r\n`), body]);
      end = true;
      break;
    case 'length-short':
      // The rest of the body is read as the next request on the connection.
      head += `Content-Length: ${Math.floor(body.length / 2)}\r\n`;
      end = true;
      break;
    case 'length-long':
      // A body shorter than announced, then the client half-closes.
      head += `Content-Length: ${body.length + 1000}\r\n`;
      end = true;
      break;
    case 'length-garbage':
      head += `Content-Length: ${['-1', 'abc', '1e3', '99999999999999999999', '5, 6'][body.length % 5]}\r\n`;
      end = true;
      break;
  }
  // A forged Content-Length or Transfer-Encoding header may announce a body
  // that never comes: the client then half-closes, as a client that gave
  // up does (any HTTP server, dockerd included, waits for an announced body
  // while the connection is open).
  if (c.headers.some((h) => /^(Content-Length|Transfer-Encoding):/i.test(h))) end = true;
  return { bytes: Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), payload]), end };
}

/** What is wrong with an answer, or undefined. */
function judge(c: Case, a: RawAnswer, ended: boolean): string | undefined {
  if (a.kind === 'hang') return 'hang (no answer within the deadline)';
  if (a.kind === 'closed') {
    // Without a status line: only when the request itself never completed (the client half-closed mid-body).
    return ended ? undefined : 'closed without an answer';
  }
  if (a.status < 100 || a.status > 599) return `bad status line (${a.status})`;
  if (a.status >= 500 && !FIVE_HUNDREDS.some((r) => r.test(a.body.toString('utf8')))) return `${a.status} ${a.body.toString('utf8').slice(0, 300)}`;
  if (a.status >= 400 && a.headers.has('api-version') && c.method !== 'HEAD' && a.sized) {
    const type = a.headers.get('content-type') ?? '';
    const plainVersion = /^text\/plain/.test(type) && /client version .* is too old/.test(a.body.toString('utf8'));
    if (!plainVersion) {
      if (type !== 'application/json') return `error with Content-Type ${JSON.stringify(type)}: ${a.body.toString('utf8').slice(0, 200)}`;
      try {
        const v = JSON.parse(a.body.toString('utf8')) as { message?: unknown };
        if (typeof v.message !== 'string') return `error body without a message: ${a.body.toString('utf8').slice(0, 200)}`;
      } catch {
        return `error body not JSON: ${a.body.toString('utf8').slice(0, 200)}`;
      }
    }
  }
  return undefined;
}

async function ping(socket: string): Promise<boolean> {
  const a = await rawExchange(socket, Buffer.from('GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n'), { end: false, timeoutMs: DEADLINE_MS });
  return a.kind === 'answer' && a.status === 200 && a.body.toString() === 'OK';
}

describe('Docker API bad input', () => {
  it(`${CASES} random and malformed requests are each answered, and /_ping still answers`, async () => {
    const t = d();
    // A fixture container for routes with a real id (created, never started).
    const created = await t.http('POST', '/containers/create?name=fz', JSON.stringify({ Image: 'mcr.microsoft.com/windows/nanoserver:ltsc2022', Cmd: ['cmd', '/c', 'echo', 'hi'] }), { 'Content-Type': 'application/json' });
    expect(created.status).toBe(201);
    const findings: string[] = [];
    const statuses = new Map<string, number>();
    const note = (f: string): void => {
      findings.push(f);
      // eslint-disable-next-line no-console
      if (process.env['WINSILO_FUZZ_VERBOSE'] === '1') console.log(f);
    };
    let cases = 0;
    for (let chunk = 0; chunk * CHUNK < CASES; chunk++) {
      await yieldToEventLoop();
      const samples = fc.sample(CASE, { seed: SEED + chunk, numRuns: Math.min(CHUNK, CASES - chunk * CHUNK) });
      // Four at a time: requests on separate connections, as clients do.
      for (let i = 0; i < samples.length; i += 4) {
        await Promise.all(
          samples.slice(i, i + 4).map(async (c) => {
            const { bytes, end } = requestBytes(c);
            const a = await rawExchange(t.socket, bytes, { end, timeoutMs: DEADLINE_MS });
            cases++;
            const bucket = a.kind === 'answer' ? `${String(a.status)[0]}xx` : a.kind;
            statuses.set(bucket, (statuses.get(bucket) ?? 0) + 1);
            const wrong = judge(c, a, end);
            if (wrong) note(`${c.method} ${c.version}${c.path.slice(0, 80)}${c.query.slice(0, 120)} [${c.framing}; ${c.headers.map((h) => h.slice(0, 30)).join(' | ')}] body ${JSON.stringify(c.body.slice(0, 120))}: ${wrong}`);
          }),
        );
      }
      if (!(await ping(t.socket))) findings.push(`/_ping stopped answering after chunk ${chunk}`);
    }
    recordReliability({ family: 'fuzz', suite: 'Docker API requests', trials: cases, failures: findings.length, detail: [...statuses].sort().map(([k, n]) => `${k} ${n}`).join(', ') });
    expect(findings.slice(0, 20)).toEqual([]);
  }, RELIABILITY ? 600_000 : 60_000);
});
