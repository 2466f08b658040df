/**
 * curl.exe, the options people use in containers: -s/--silent,
 * -S/--show-error, -o/--output FILE, -O/--remote-name, -L/--location,
 * -I/--head, -i/--include, -f/--fail, -v/--verbose, -V/--version, and the
 * accepted-but-unused -H, -A, -X, -d, -k, --retry, -m. Short flags combine
 * (`-fsSL`).
 *
 * What a container reaches: file:// URLs (its own files) and HTTP over
 * its compartment's sockets (src/net through ctx.net): itself, the
 * containers of its networks by address, and on user-defined networks by
 * name. A name it cannot resolve: `curl: (6) Could not resolve host:
 * NAME`; a port where nothing listens: `curl: (7) Failed to connect to
 * HOST port N after T ms: Couldn't connect to server`; an address nobody
 * answers: `curl: (28) Failed to connect to HOST port N after T ms: Timed
 * out` (after Windows' 21 s SYN timeout).
 * An unsupported scheme: `curl: (1) Protocol "x" not supported`. An HTTP
 * error with -f: `curl: (22) The requested URL returned error: 404`. A
 * missing file: `curl: (37) Couldn't open file PATH`.
 *
 * The progress meter goes to stderr when the body does not go to the
 * console (redirected or -o) and -s is not given: curl's two header lines
 * and its status line. DECIDED: a single final status line (curl redraws
 * it every second; a container transfer ends within the first), speeds
 * reported as if the transfer took one second.
 *
 * DECIDED: the version is curl 8.9.1 as Windows updates of 2024–25 ship it;
 * messages end with CRLF (stderr is in text mode on Windows).
 */
import { Win32Error } from '../../../core/win32.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import type { Duplex } from 'node:stream';
import { WSAECONNREFUSED, WSAETIMEDOUT } from '../../../core/win32.js';
import { httpExchange } from '../../../net/http-client.js';
import { loopbackConnect } from '../../../net/iis/http-sys.js';
import { isLocalAddress, resolveHost } from './machine.js';
import { percentDecode, readWholeFile, writeWholeFile } from './text.js';

export const CURL_VERSION = '8.9.1';

/** A response as curl prints it. */
export interface HttpResponse {
  readonly status: number;
  readonly reason: string;
  /** Header lines in the order the server sent them. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array;
}

/** RFC 7231 IMF-fixdate. */
function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/**
 * connect(): through the compartment (ctx.net) when the container is
 * attached to a network; in a silo without one, only the loopback answers
 * (HTTP.sys's port 80 while W3SVC runs) and any other address times out.
 */
async function openConnection(ctx: ProcessContext, address: string, port: number): Promise<Duplex> {
  if (ctx.net) return ctx.net.connect(address, port, { signal: ctx.signal });
  if (!isLocalAddress(ctx, address)) throw new Win32Error('connect', WSAETIMEDOUT, address);
  const s = loopbackConnect(ctx.process.silo, port);
  if (!s) throw new Win32Error('connect', WSAECONNREFUSED, address);
  return s;
}
const NL = '\r\n';

interface Options {
  silent: boolean;
  showError: boolean;
  output?: string;
  remoteName: boolean;
  location: boolean;
  head: boolean;
  include: boolean;
  fail: boolean;
  verbose: boolean;
  urls: string[];
}

class CurlExit {
  constructor(
    readonly code: number,
    readonly message: string,
  ) {}
}

const SHORT_FLAGS: Readonly<Record<string, keyof Options>> = { s: 'silent', S: 'showError', O: 'remoteName', L: 'location', I: 'head', i: 'include', f: 'fail', v: 'verbose' };
const LONG_FLAGS: Readonly<Record<string, keyof Options>> = {
  silent: 'silent',
  'show-error': 'showError',
  'remote-name': 'remoteName',
  location: 'location',
  head: 'head',
  include: 'include',
  fail: 'fail',
  verbose: 'verbose',
};
/** Options that take a value and that this curl accepts without acting on. */
const IGNORED_WITH_VALUE_SHORT = new Set(['H', 'A', 'X', 'd', 'm', 'u', 'e', 'w']);
const IGNORED_WITH_VALUE_LONG = new Set(['header', 'user-agent', 'request', 'data', 'max-time', 'retry', 'user', 'referer', 'write-out', 'connect-timeout', 'retry-delay']);
const IGNORED_FLAGS_SHORT = new Set(['k', '#', '4', '6']);
const IGNORED_FLAGS_LONG = new Set(['insecure', 'compressed', 'progress-bar', 'ssl-no-revoke', 'fail-with-body', 'no-progress-meter']);

function parse(args: readonly string[]): Options | CurlExit | 'version' | 'help' {
  const o: Options = { silent: false, showError: false, remoteName: false, location: false, head: false, include: false, fail: false, verbose: false, urls: [] };
  const unknown = (opt: string) => new CurlExit(2, `curl: option ${opt}: is unknown${NL}curl: try 'curl --help' for more information${NL}`);
  const needsValue = (opt: string) => new CurlExit(2, `curl: option ${opt}: requires parameter${NL}curl: try 'curl --help' for more information${NL}`);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const name = a.slice(2);
      if (name === 'version') return 'version';
      if (name === 'help') return 'help';
      if (name === 'output' || name === 'url') {
        const v = args[++i];
        if (v === undefined) return needsValue(a);
        if (name === 'output') o.output = v;
        else o.urls.push(v);
        continue;
      }
      const flag = LONG_FLAGS[name];
      if (flag) (o as unknown as Record<string, boolean>)[flag] = true;
      else if (IGNORED_WITH_VALUE_LONG.has(name)) {
        if (args[++i] === undefined) return needsValue(a);
      } else if (!IGNORED_FLAGS_LONG.has(name)) return unknown(a);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === 'V') return 'version';
        if (c === 'h') return 'help';
        if (c === 'o' || IGNORED_WITH_VALUE_SHORT.has(c)) {
          // The value is the rest of the word, else the next argument.
          const rest = a.slice(j + 1);
          const v = rest !== '' ? rest : args[++i];
          if (v === undefined) return needsValue(`-${c}`);
          if (c === 'o') o.output = v;
          break;
        }
        const flag = SHORT_FLAGS[c];
        if (flag) (o as unknown as Record<string, boolean>)[flag] = true;
        else if (!IGNORED_FLAGS_SHORT.has(c)) return unknown(`-${c}`);
      }
      continue;
    }
    o.urls.push(a);
  }
  return o;
}

/** curl's max5data: a size in at most five characters. */
function size5(n: number): string {
  if (n < 100000) return String(n).padStart(5);
  if (n < 10000 * 1024) return `${Math.floor(n / 1024)}k`.padStart(5);
  if (n < 100 * 1024 * 1024) return `${(n / 1048576).toFixed(1)}M`.padStart(5);
  return `${Math.floor(n / 1048576)}M`.padStart(5);
}

const METER_HEADER = `  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current${NL}                                 Dload  Upload   Total   Spent    Left  Speed${NL}`;

function meterLine(total: number, received: number): string {
  const pct = (x: number) => String(total > 0 ? Math.floor((x * 100) / total) : 0).padStart(3);
  return `\r${pct(received)} ${size5(total)}  ${pct(received)} ${size5(received)}    0     0  ${size5(received)}      0 --:--:-- --:--:-- --:--:-- ${size5(received)}`;
}

interface Target {
  scheme: string;
  host: string;
  port: number;
  path: string;
}

function parseUrl(url: string): Target | CurlExit {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(url);
  const scheme = m ? m[1]!.toLowerCase() : 'http';
  const rest = m ? m[2]! : url;
  if (scheme === 'file') {
    // file:///C:/x, file://localhost/C:/x
    const slash = rest.indexOf('/');
    const host = slash < 0 ? rest : rest.slice(0, slash);
    if (host !== '' && host.toLowerCase() !== 'localhost' && host !== '127.0.0.1') return new CurlExit(3, `curl: (3) URL rejected: Bad file:// URL${NL}`);
    return { scheme, host: '', port: 0, path: slash < 0 ? '/' : rest.slice(slash) };
  }
  if (scheme !== 'http' && scheme !== 'https') return new CurlExit(1, `curl: (1) Protocol "${scheme}" not supported${NL}`);
  const slash = rest.search(/[/?#]/);
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '/' : rest[slash] === '/' ? rest.slice(slash).split('#')[0]! : `/${rest.slice(slash).split('#')[0]!}`;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostPort.startsWith('[') && !/^\[[0-9A-Fa-f:.%]+\](:\d*)?$/.test(hostPort)) return new CurlExit(3, `curl: (3) URL rejected: Bad IPv6 address${NL}`);
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  const hp = v6 ? [v6[1]!, v6[2]] : hostPort.split(':');
  const host = hp[0] ?? '';
  if (host === '') return new CurlExit(3, `curl: (3) URL rejected: No host part in the URL${NL}`);
  const port = hp[1] !== undefined && hp[1] !== '' ? Number(hp[1]) : scheme === 'https' ? 443 : 80;
  if (!Number.isInteger(port) || port < 0 || port > 65535) return new CurlExit(3, `curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535${NL}`);
  return { scheme, host, port, path };
}

/** The response for one URL, or the curl error it ends with. */
async function fetchUrl(ctx: ProcessContext, t: Target, o: Options, verbose: string[]): Promise<HttpResponse | CurlExit> {
  if (t.scheme === 'file') {
    const path = percentDecode(t.path).replace(/^\/([A-Za-z]:)/, '$1').replace(/\//g, '\\');
    try {
      const body = readWholeFile(ctx, path);
      const info = ctx.fs!.stat(path, ctx.cwd);
      return { status: 0, reason: '', headers: [['Content-Length', String(body.length)], ['Accept-ranges', 'bytes'], ['Last-Modified', httpDate(info.lastWriteTime)]], body: o.head ? new Uint8Array(0) : body };
    } catch (e) {
      if (e instanceof Win32Error || (e instanceof Error && e.message === 'no file system')) return new CurlExit(37, `curl: (37) Couldn't open file ${percentDecode(t.path)}${NL}`);
      throw e;
    }
  }
  const r = resolveHost(ctx, t.host.replace(/^\[|\]$/g, ''));
  if (!r) return new CurlExit(6, `curl: (6) Could not resolve host: ${t.host}${NL}`);
  const addr = t.host.toLowerCase() === 'localhost' ? '127.0.0.1' : r.address;
  verbose.push(`*   Trying ${r.family === 6 && addr.includes(':') ? `[${addr}]` : addr}:${t.port}...`);
  const started = ctx.now();
  let socket: Duplex;
  try {
    socket = await openConnection(ctx, addr, t.port);
    if (t.scheme === 'https') {
      // DECIDED: no TLS in the model: an https URL fails as a refused connection would.
      socket.destroy();
      throw new Win32Error('connect', WSAECONNREFUSED, addr);
    }
  } catch (e) {
    if (!(e instanceof Win32Error)) throw e;
    // DECIDED: without a network, the timeout is reported as 21 ms (the stand-in's figure); with one, the time really waited.
    if (e.code === WSAETIMEDOUT) return new CurlExit(28, `curl: (28) Failed to connect to ${t.host} port ${t.port} after ${ctx.net ? ctx.now() - started : 21} ms: Timed out${NL}`);
    return new CurlExit(7, `curl: (7) Failed to connect to ${t.host} port ${t.port} after ${ctx.now() - started} ms: Couldn't connect to server${NL}`);
  }
  verbose.push(`* Connected to ${t.host} (${addr}) port ${t.port}`);
  const hostHeader = t.port === 80 ? t.host : `${t.host}:${t.port}`;
  verbose.push(`> ${o.head ? 'HEAD' : 'GET'} ${t.path} HTTP/1.1`, `> Host: ${hostHeader}`, `> User-Agent: curl/${CURL_VERSION}`, '> Accept: */*', '> ');
  try {
    return await httpExchange(socket, { method: o.head ? 'HEAD' : 'GET', host: hostHeader, path: t.path, headers: [['User-Agent', `curl/${CURL_VERSION}`], ['Accept', '*/*']] });
  } catch {
    return new CurlExit(56, `curl: (56) Recv failure: Connection was reset${NL}`);
  }
}

export async function curlMain(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  if (args.length === 0) {
    await ctx.stderr.write(`curl: try 'curl --help' for more information${NL}`);
    return 2;
  }
  const o = parse(args);
  if (o === 'version') {
    await ctx.stdout.write(
      `curl ${CURL_VERSION} (Windows) libcurl/${CURL_VERSION} Schannel zlib/1.3 WinIDN${NL}Release-Date: 2024-07-31${NL}` +
        `Protocols: dict file ftp ftps http https imap imaps ipfs ipns mqtt pop3 pop3s smb smbs smtp smtps telnet tftp${NL}` +
        `Features: alt-svc AsynchDNS HSTS HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM SPNEGO SSL SSPI threadsafe Unicode UnixSockets${NL}`,
    );
    return 0;
  }
  if (o === 'help') {
    await ctx.stdout.write(
      `Usage: curl [options...] <url>${NL} -d, --data <data>           HTTP POST data${NL} -f, --fail                  Fail fast with no output on HTTP errors${NL}` +
        ` -h, --help <category>       Get help for commands${NL} -i, --include               Include response headers in output${NL}` +
        ` -o, --output <file>         Write to file instead of stdout${NL} -O, --remote-name           Write output to file named as remote file${NL}` +
        ` -s, --silent                Silent mode${NL} -T, --upload-file <file>    Transfer local FILE to destination${NL}` +
        ` -u, --user <user:password>  Server user and password${NL} -A, --user-agent <name>     Send User-Agent <name> to server${NL}` +
        ` -v, --verbose               Make the operation more talkative${NL} -V, --version               Show version number and quit${NL}${NL}` +
        `This is not the full help; this menu is split into categories.${NL}Use "--help category" to get an overview of all categories.${NL}` +
        `For all options use the manual or "--help all".${NL}`,
    );
    return 0;
  }
  const complain = async (e: CurlExit) => {
    if (!o || o instanceof CurlExit || !o.silent || o.showError) await ctx.stderr.write(e.message);
    return e.code;
  };
  if (o instanceof CurlExit) {
    await ctx.stderr.write(o.message);
    return o.code;
  }
  if (o.urls.length === 0) {
    await ctx.stderr.write(`curl: no URL specified${NL}curl: try 'curl --help' for more information${NL}`);
    return 2;
  }
  let code = 0;
  for (const url of o.urls) {
    const t = parseUrl(url);
    // A URL curl cannot parse fails before any transfer, so before the meter.
    if (t instanceof CurlExit) {
      code = await complain(t);
      continue;
    }
    const toFile = o.output !== undefined || o.remoteName;
    const meter = !o.silent && !o.verbose && (toFile || !ctx.stdout.isConsole);
    if (meter) await ctx.stderr.write(METER_HEADER);
    const verbose: string[] = [];
    const res = await fetchUrl(ctx, t, o, verbose);
    if (o.verbose) await ctx.stderr.write(verbose.map((l) => l + NL).join(''));
    if (res instanceof CurlExit) {
      if (meter) await ctx.stderr.write(meterLine(0, 0) + NL);
      code = await complain(res);
      continue;
    }
    const statusLine = res.status ? `HTTP/1.1 ${res.status} ${res.reason}` : undefined;
    const headerText = (statusLine ? `${statusLine}${NL}` : '') + res.headers.map(([k, v]) => `${k}: ${v}${NL}`).join('') + NL;
    if (o.verbose && statusLine) await ctx.stderr.write(`< ${statusLine}${NL}` + res.headers.map(([k, v]) => `< ${k}: ${v}${NL}`).join('') + `< ${NL}`);
    if (o.fail && res.status >= 400) {
      if (meter) await ctx.stderr.write(meterLine(0, 0) + NL);
      code = await complain(new CurlExit(22, `curl: (22) The requested URL returned error: ${res.status}${NL}`));
      continue;
    }
    const encoder = new TextEncoder();
    let out: Uint8Array = res.body;
    if (o.head) out = encoder.encode(headerText);
    else if (o.include && statusLine) out = concat(encoder.encode(headerText), res.body);
    if (toFile) {
      let name = o.output;
      if (name === undefined) {
        name = percentDecode(t.path.split('?')[0]!.split('/').pop() ?? '');
        if (name === '') {
          code = await complain(new CurlExit(23, `curl: Remote file name has no length!${NL}`));
          continue;
        }
      }
      try {
        writeWholeFile(ctx, name, out);
      } catch (e) {
        if (!(e instanceof Win32Error)) throw e;
        if (meter) await ctx.stderr.write(meterLine(0, 0) + NL);
        code = await complain(new CurlExit(23, `curl: (23) Failure writing output to destination, passed ${out.length} returned 0${NL}`));
        continue;
      }
    } else await ctx.stdout.write(out);
    if (meter) await ctx.stderr.write(meterLine(out.length, out.length) + NL);
    if (o.verbose && statusLine) await ctx.stderr.write(`* Connection #0 to host ${t.host} left intact${NL}`);
  }
  return code;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
