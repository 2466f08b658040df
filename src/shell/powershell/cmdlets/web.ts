/**
 * Invoke-WebRequest (iwr, curl, wget) and Invoke-RestMethod (irm): HTTP
 * over the process's compartment (ctx.net), as Windows PowerShell 5.1's
 * HttpWebRequest does it.
 *
 * What users see (5.1's WebResponseObject family):
 * - Invoke-WebRequest emits a BasicHtmlWebResponseObject for text
 *   responses (StatusCode, StatusDescription, Content, RawContent, Headers,
 *   Images, InputFields, Links, RawContentLength — the -UseBasicParsing
 *   object), a WebResponseObject with a byte[] Content otherwise. Without
 *   -UseBasicParsing the response fails as on Server Core, which has no
 *   Internet Explorer engine (WebCmdletIEDomNotSupportedException).
 * - Invoke-RestMethod emits the body: JSON converted as ConvertFrom-Json
 *   does, other text as a string.
 * - -OutFile writes the body and emits nothing unless -PassThru.
 * - Errors are WebExceptions (CategoryInfo InvalidOperation, target
 *   System.Net.HttpWebRequest, FullyQualifiedErrorId
 *   WebCmdletWebResponseException): a name that does not resolve "The remote
 *   name could not be resolved: 'NAME'"; refused or timed-out connections
 *   "Unable to connect to the remote server"; an HTTP status >= 400 the
 *   response body as the message (5.1 reads the error response's stream
 *   into the message), or "The remote server returned an error: (N) Reason."
 *   when the body is empty.
 */
import type { Duplex } from 'node:stream';
import { WSAECONNREFUSED, WSAETIMEDOUT, Win32Error } from '../../../core/win32.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import { httpExchange, type HttpExchangeResult } from '../../../net/http-client.js';
import { loopbackConnect } from '../../../net/iis/http-sys.js';
import { isLocalAddress, resolveHost } from '../../programs/system/machine.js';
import { writeAllBytes } from '../providers/filesystem.js';
import { resolvePath } from '../providers/paths.js';
import type { CmdletCall, CmdletDef } from '../runtime/commands.js';
import type { Runtime } from '../runtime/interpreter.js';
import { PSHashtable, PSObject, toStr } from '../runtime/values.js';
import { cmdlet, p, partial, sw } from './define.js';

/** DECIDED: 5.1's default User-Agent on Server 2022 (build 20348). */
const USER_AGENT = 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.20348.1';

async function connectTo(ctx: ProcessContext, address: string, port: number): Promise<Duplex> {
  if (ctx.net) return ctx.net.connect(address, port, { signal: ctx.signal });
  // A silo without a network: only its loopback answers (HTTP.sys while W3SVC runs).
  if (!isLocalAddress(ctx, address)) throw new Win32Error('connect', WSAETIMEDOUT, address);
  const s = loopbackConnect(ctx.process.silo, port);
  if (!s) throw new Win32Error('connect', WSAECONNREFUSED, address);
  return s;
}

const isText = (type: string) => /^text\/|json|xml|javascript|x-www-form-urlencoded/i.test(type);

function fromJson(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(fromJson);
  if (x && typeof x === 'object') {
    const o = new PSObject();
    for (const [k, v] of Object.entries(x)) o.add(k, fromJson(v));
    return o;
  }
  return x;
}

export function webCmdlets(rt: Runtime): CmdletDef[] {
  const webError = (c: CmdletCall, message: string) =>
    c.fail({ message, category: 'InvalidOperation', targetName: 'System.Net.HttpWebRequest', targetType: 'HttpWebRequest', reason: 'WebException', id: 'WebCmdletWebResponseException' });

  async function request(c: CmdletCall): Promise<HttpExchangeResult> {
    const uri = toStr(c.get('Uri'));
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^#]*)/.exec(uri);
    if (!m || m[2] === '') throw c.fail({ message: 'Invalid URI: The hostname could not be parsed.', category: 'NotSpecified', reason: 'UriFormatException', id: 'System.UriFormatException' });
    const scheme = m[1]!.toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') {
      throw c.fail({ message: `The '${scheme}' scheme is not supported.`, category: 'NotSpecified', reason: 'NotSupportedException', id: 'System.NotSupportedException' });
    }
    const authority = m[2]!.slice(m[2]!.lastIndexOf('@') + 1);
    const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(authority);
    const [host, portText] = v6 ? [v6[1]!, v6[2]] : [authority.split(':')[0]!, authority.split(':')[1]];
    const port = portText ? Number(portText) : scheme === 'https' ? 443 : 80;
    const path = m[3] === '' ? '/' : m[3]!.startsWith('/') ? m[3]! : `/${m[3]!}`;
    const r = resolveHost(rt.ctx, host);
    if (!r) throw webError(c, `The remote name could not be resolved: '${host}'`);
    const addr = host.toLowerCase() === 'localhost' ? '127.0.0.1' : r.address;
    let socket: Duplex;
    try {
      socket = await connectTo(rt.ctx, addr, port);
      if (scheme === 'https') {
        // DECIDED: no TLS in the model (as curl.exe here): https fails as a refused connection.
        socket.destroy();
        throw new Win32Error('connect', WSAECONNREFUSED, addr);
      }
    } catch (e) {
      if (!(e instanceof Win32Error)) throw e;
      throw webError(c, 'Unable to connect to the remote server');
    }
    const method = c.has('Method') ? toStr(c.get('Method')).toUpperCase() : 'GET';
    const headers: [string, string][] = [['User-Agent', c.has('UserAgent') ? toStr(c.get('UserAgent')) : USER_AGENT]];
    const extra = c.has('Headers') ? c.get('Headers') : undefined;
    if (extra instanceof PSHashtable) for (const e of extra.entries()) headers.push([toStr(e.key), toStr(e.value)]);
    let body: Uint8Array | undefined;
    if (c.has('Body') && method !== 'GET' && method !== 'HEAD') {
      body = new TextEncoder().encode(toStr(c.get('Body')));
      headers.push(['Content-Type', c.has('ContentType') ? toStr(c.get('ContentType')) : 'application/x-www-form-urlencoded']);
      headers.push(['Content-Length', String(body.length)]);
    }
    let res: HttpExchangeResult;
    try {
      res = await httpExchange(socket, { method, host: port === 80 ? host : `${host}:${port}`, path, headers, body });
    } catch {
      throw webError(c, 'The underlying connection was closed: An unexpected error occurred on a receive.');
    }
    if (res.status >= 400) {
      const text = Buffer.from(res.body).toString('utf8');
      throw webError(c, text !== '' ? text : `The remote server returned an error: (${res.status}) ${res.reason}.`);
    }
    return res;
  }

  function outFile(c: CmdletCall, data: Uint8Array): void {
    const target = resolvePath(toStr(c.get('OutFile')), rt.location, rt.ctx.fs, rt.fsCwd());
    if (!rt.ctx.fs) throw c.fail({ message: 'No file system.', category: 'NotSpecified', reason: 'IOException', id: 'System.IO.IOException' });
    try {
      writeAllBytes(rt.ctx.fs, target.path, rt.fsCwd(), data, false);
    } catch (e) {
      if (!(e instanceof Win32Error)) throw e;
      throw c.fail({ message: `Could not find a part of the path '${target.path}'.`, category: 'NotSpecified', reason: 'DirectoryNotFoundException', id: 'System.IO.DirectoryNotFoundException' });
    }
  }

  function responseObject(res: HttpExchangeResult): PSObject {
    const type = res.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    const text = Buffer.from(res.body).toString('utf8');
    // DECIDED (from 5.1 transcripts of IIS's answer): Headers and RawContent list the headers sorted by name, not in the order received.
    const headers = new PSHashtable(true);
    const sorted = [...res.headers].sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
    for (const [k, v] of sorted) headers.set(k, headers.has(k) ? `${toStr(headers.get(k))},${v}` : v);
    const raw = `HTTP/1.1 ${res.status} ${res.reason}\r\n` + headers.entries().map((e) => `${toStr(e.key)}: ${toStr(e.value)}\r\n`).join('') + '\r\n' + text;
    const basic = isText(type) || res.body.length === 0;
    const o = new PSObject(
      basic
        ? ['Microsoft.PowerShell.Commands.BasicHtmlWebResponseObject', 'Microsoft.PowerShell.Commands.WebResponseObject', 'System.Object']
        : ['Microsoft.PowerShell.Commands.WebResponseObject', 'System.Object'],
      () => (basic ? text : 'Microsoft.PowerShell.Commands.WebResponseObject'),
    );
    o.add('StatusCode', res.status).add('StatusDescription', res.reason);
    o.add('Content', basic ? text : [...res.body]);
    o.add('RawContent', raw).add('Headers', headers);
    if (basic) {
      // Basic parsing: each element as outerHTML, tagName and its attributes (5.1's BasicHtmlWebResponseObject).
      const elements = (tag: string, re: RegExp) =>
        [...text.matchAll(re)].map((x) => {
          const o = new PSObject().add('outerHTML', x[0]).add('tagName', tag);
          for (const a of x[1]!.matchAll(/([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) o.add(a[1]!, a[2] ?? a[3] ?? a[4] ?? '');
          return o;
        });
      const links = elements('A', /<a\b([^>]*)>/gi);
      const images = elements('IMG', /<img\b([^>]*)>/gi);
      const inputs = elements('INPUT', /<input\b([^>]*)>/gi);
      o.add('Images', images).add('InputFields', inputs).add('Links', links);
    }
    o.add('RawContentLength', res.body.length);
    return o;
  }

  const params = [p('Uri', 0), p('Method'), p('OutFile'), p('Headers'), p('Body'), sw('UseBasicParsing'), p('ContentType'), p('TimeoutSec'), p('UserAgent'), sw('PassThru'), p('Proxy'), p('Credential'), sw('UseDefaultCredentials'), sw('DisableKeepAlive'), p('MaximumRedirection')];
  return [
    cmdlet('Invoke-WebRequest', params, async (c) => {
      const res = await request(c);
      if (c.has('OutFile')) {
        outFile(c, res.body);
        if (!c.flag('PassThru')) return;
      }
      // Server Core has no Internet Explorer engine: 5.1's ProcessResponse
      // (VerifyInternetExplorerAvailable) refuses a response written to the
      // pipeline without -UseBasicParsing, the error every container user meets.
      if (!c.flag('UseBasicParsing')) {
        throw c.fail({
          message: "The response content cannot be parsed because the Internet Explorer engine is not available, or Internet Explorer's first-launch configuration is not complete. Specify the UseBasicParsing parameter and try again.",
          category: 'NotImplemented',
          reason: 'NotSupportedException',
          id: 'WebCmdletIEDomNotSupportedException',
        });
      }
      await c.emit(responseObject(res));
    }, partial('http:// over the container network; GET/HEAD/POST, -Headers, -OutFile; no redirects, sessions or https')),
    cmdlet('Invoke-RestMethod', params, async (c) => {
      const res = await request(c);
      if (c.has('OutFile')) {
        outFile(c, res.body);
        if (!c.flag('PassThru')) return;
      }
      const type = res.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
      const text = Buffer.from(res.body).toString('utf8');
      if (/json/i.test(type) || (!isText(type) && /^\s*[[{]/.test(text))) {
        try {
          const v = fromJson(JSON.parse(text));
          // 5.1 writes a JSON array as one object (not enumerated; PowerShell 7 changed that).
          await c.emit(v);
          return;
        } catch {
          /* not JSON after all: the text */
        }
      }
      if (text !== '') await c.emit(text);
    }, partial('http:// over the container network; JSON bodies converted, XML returned as text')),
  ];
}
