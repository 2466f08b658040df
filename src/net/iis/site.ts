/**
 * The Default Web Site as IIS 10 serves it with the modules a Server Core
 * Web-Server install enables: StaticFileModule (GET/HEAD, ETag,
 * Last-Modified, Accept-Ranges and single byte ranges, conditional
 * requests), DefaultDocumentModule (Default.htm, Default.asp, index.htm,
 * index.html, iisstart.htm, default.aspx — applicationHost.config's order),
 * the courtesy redirect of a directory without its slash, CustomErrorModule
 * (the pages in C:\inetpub\custerr\en-US, as remote clients get them) and
 * HttpLoggingModule (w3c-log.ts). HTTP/1.1 framing, keep-alive and HEAD's
 * empty body are node's http parser's (prefer the library to hand-written
 * HTTP). Files are read from the container's C: at each request, so a
 * change through docker exec or docker cp is served at once.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FileSystemView } from '../../kernel/fs/types.js';
import { mimeTypeFor } from './mime.js';
import { W3cLog } from './w3c-log.js';
import { readToEnd } from '../../kernel/fs/whole-file.js';

export const WWWROOT = 'C:\\inetpub\\wwwroot';
const CUSTERR = 'C:\\inetpub\\custerr\\en-US';
const DEFAULT_DOCUMENTS = ['Default.htm', 'Default.asp', 'index.htm', 'index.html', 'iisstart.htm', 'default.aspx'];
const FILE_ATTRIBUTE_DIRECTORY = 0x10;
const FILE_ATTRIBUTE_HIDDEN = 0x2;

/**
 * IIS 10's custom error page for remote clients (C:\inetpub\custerr\en-US\<code>.htm
 * of a real install, compared with pages captured from IIS servers): served
 * when the image has no custerr file for the status. src/images can write
 * these texts as the custerr files (customErrorPage).
 */
function builtinErrorPage(title: string, detail: string): string {
  return [
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">',
    '<html xmlns="http://www.w3.org/1999/xhtml">',
    '<head>',
    '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>',
    `<title>${title}</title>`,
    '<style type="text/css">',
    '<!--',
    'body{margin:0;font-size:.7em;font-family:Verdana, Arial, Helvetica, sans-serif;background:#EEEEEE;}',
    'fieldset{padding:0 15px 10px 15px;} ',
    'h1{font-size:2.4em;margin:0;color:#FFF;}',
    'h2{font-size:1.7em;margin:0;color:#CC0000;} ',
    'h3{font-size:1.2em;margin:10px 0 0 0;color:#000000;} ',
    '#header{width:96%;margin:0 0 0 0;padding:6px 2% 6px 2%;font-family:"trebuchet MS", Verdana, sans-serif;color:#FFF;',
    'background-color:#555555;}',
    '#content{margin:0 0 0 2%;position:relative;}',
    '.content-container{background:#FFF;width:96%;margin-top:8px;padding:10px;position:relative;}',
    '-->',
    '</style>',
    '</head>',
    '<body>',
    '<div id="header"><h1>Server Error</h1></div>',
    '<div id="content">',
    ' <div class="content-container"><fieldset>',
    `  <h2>${title}</h2>`,
    `  <h3>${detail}</h3>`,
    ' </fieldset></div>',
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\r\n');
}

const ERROR_TEXTS: Record<number, [string, string]> = {
  403: ['403 - Forbidden: Access is denied.', 'You do not have permission to view this directory or page using the credentials that you supplied.'],
  404: ['404 - File or directory not found.', 'The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.'],
  405: ['405 - HTTP verb used to access this page is not allowed.', 'The page you are looking for cannot be displayed because an invalid method (HTTP verb) was used to attempt access.'],
  500: ['500 - Internal server error.', 'There is a problem with the resource you are looking for, and it cannot be displayed.'],
};

/** The custerr page of `code` (403, 404, 405, 500), CRLF lines, as IIS 10 installs it. */
export function customErrorPage(code: number): string | undefined {
  const t = ERROR_TEXTS[code];
  return t ? builtinErrorPage(t[0], t[1]) : undefined;
}

const REASONS: Record<number, string> = { 200: 'OK', 206: 'Partial Content', 301: 'Moved Permanently', 304: 'Not Modified', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 416: 'Requested Range Not Satisfiable', 500: 'Internal Server Error' };

/** IIS's ETag: the file's last-write FILETIME in hex, then ":0" (the change number). */
function etagOf(lastWriteMs: number): string {
  return `"${(BigInt(Math.round(lastWriteMs)) * 10000n + 116444736000000000n).toString(16)}:0"`;
}

/** Files up to this size are kept in the output cache (IIS's maxResponseSize default is 256 KB). */
const CACHE_FILE_LIMIT = 256 * 1024;

export class IisSite {
  readonly server: Server;
  private readonly cache = new Map<string, { lastWriteTime: number; size: number; body: Uint8Array }>();
  private dateSecond = -1;
  private dateText = '';
  readonly log: W3cLog;

  constructor(
    private readonly fs: FileSystemView,
    private readonly clock: () => number,
    /** The container's address (s-ip in the log). */
    private readonly serverIp: () => string,
  ) {
    this.log = new W3cLog(fs, clock);
    // IIS's connectionTimeout is 120 s; node's own Keep-Alive header is not IIS's, so it is off (keepAliveTimeout 0 = no header, no idle timer).
    this.server = createServer({ keepAliveTimeout: 0, requestTimeout: 0, headersTimeout: 120_000 }, (req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 0;
  }

  /** A connection HTTP.sys accepted for the site. */
  accept(socket: Duplex): void {
    socket.on('error', () => undefined);
    this.server.emit('connection', socket);
  }

  private readFile(path: string): Uint8Array {
    const h = this.fs.open(path, 'C:\\', { disposition: 'open', read: true, nonDirectory: true, shareRead: true, shareWrite: true, shareDelete: true });
    try {
      return readToEnd(h);
    } finally {
      h.close();
    }
  }

  private stat(path: string): { directory: boolean; hidden: boolean; lastWriteTime: number; size: number } | undefined {
    try {
      const i = this.fs.stat(path, 'C:\\');
      return { directory: (i.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0, hidden: (i.attributes & FILE_ATTRIBUTE_HIDDEN) !== 0, lastWriteTime: i.lastWriteTime, size: i.size };
    } catch {
      return undefined;
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const started = this.clock();
    let status = 200;
    let substatus = 0;
    let win32 = 0;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const stem = q >= 0 ? url.slice(0, q) : url;
    const query = q >= 0 ? url.slice(q + 1) : '';
    res.sendDate = false;
    const finish = () => {
      this.log.write({
        time: started,
        serverIp: this.serverIp(),
        method: req.method ?? '-',
        stem,
        query,
        port: 80,
        clientIp: clientIp(req.socket.remoteAddress),
        userAgent: String(req.headers['user-agent'] ?? ''),
        referer: String(req.headers['referer'] ?? ''),
        status,
        substatus,
        win32,
        timeTaken: this.clock() - started,
      });
    };
    const error = (code: number, sub: number, w32: number, extra: [string, string][] = []) => {
      status = code;
      substatus = sub;
      win32 = w32;
      let body: Uint8Array;
      const page = this.stat(`${CUSTERR}\\${code}.htm`);
      if (page && !page.directory) body = this.readFile(`${CUSTERR}\\${code}.htm`);
      else {
        const [t, d] = ERROR_TEXTS[code] ?? ERROR_TEXTS[500]!;
        body = Buffer.from(builtinErrorPage(t, d), 'latin1');
      }
      this.send(req, res, code, [['Content-Type', 'text/html'], ...extra], body);
      finish();
    };
    let decoded: string;
    try {
      decoded = decodeURIComponent(stem);
    } catch {
      decoded = stem;
    }
    if (!decoded.startsWith('/') || decoded.split('/').some((c) => c === '..')) return error(404, 0, 2);
    const rel = decoded.replace(/\//g, '\\').replace(/^\\+/, '');
    // Request filtering hides these segments (requestFiltering <hiddenSegments>): 404.8.
    if (rel.split('\\').some((c) => ['web.config', 'bin', 'app_code', 'app_data', 'app_globalresources', 'app_localresources', 'app_webreferences', 'app_browsers'].includes(c.toLowerCase()))) return error(404, 8, 0);
    let file = rel === '' ? WWWROOT : `${WWWROOT}\\${rel.replace(/\\$/, '')}`;
    let info = this.stat(file);
    if (!info) return error(404, 0, 2);
    if (info.directory) {
      if (!stem.endsWith('/')) {
        // The courtesy redirect (DefaultDocumentModule / StaticFileModule): the same path with a slash.
        status = 301;
        const host = req.headers.host ?? this.serverIp();
        const location = `http://${host}${stem}/${query ? `?${query}` : ''}`;
        const body = Buffer.from(`<head><title>Document Moved</title></head>\n<body><h1>Object Moved</h1>This document may be found <a HREF="${location}">here</a></body>`, 'latin1');
        this.send(req, res, 301, [['Content-Type', 'text/html; charset=UTF-8'], ['Location', location]], body);
        return finish();
      }
      const dir = file;
      file = '';
      for (const d of DEFAULT_DOCUMENTS) {
        const s = this.stat(`${dir}\\${d}`);
        if (s && !s.directory) {
          file = `${dir}\\${d}`;
          info = s;
          break;
        }
      }
      // No default document and directory browsing off: 403.14.
      if (!file) return error(403, 14, 13);
    }
    const type = mimeTypeFor(file);
    if (!type) return error(404, 3, 50);
    if (req.method !== 'GET' && req.method !== 'HEAD') return error(405, 0, 1, [['Allow', 'GET, HEAD, OPTIONS, TRACE']]);
    // IIS's output cache: a file's bytes kept while its size and last write time stay the same (checked at each request, so a change is served at once).
    let body: Uint8Array;
    const cached = this.cache.get(file);
    if (cached && cached.lastWriteTime === info.lastWriteTime && cached.size === info.size) body = cached.body;
    else {
      try {
        body = this.readFile(file);
      } catch {
        return error(404, 0, 2);
      }
      if (body.length <= CACHE_FILE_LIMIT) this.cache.set(file, { lastWriteTime: info.lastWriteTime, size: info.size, body });
    }
    const etag = etagOf(info.lastWriteTime);
    const lastModified = new Date(info.lastWriteTime).toUTCString();
    const common: [string, string][] = [['Content-Type', type], ['Last-Modified', lastModified], ['Accept-Ranges', 'bytes'], ['ETag', etag]];
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if ((inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === '*')) || (!inm && ims && Date.parse(ims) >= Math.floor(info.lastWriteTime / 1000) * 1000)) {
      status = 304;
      this.send(req, res, 304, [['Accept-Ranges', 'bytes'], ['ETag', etag]], undefined);
      return finish();
    }
    const range = req.headers.range;
    if (range && req.method === 'GET') {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      if (m && (m[1] !== '' || m[2] !== '')) {
        const size = body.length;
        let start: number;
        let end: number;
        if (m[1] === '') {
          start = Math.max(0, size - Number(m[2]));
          end = size - 1;
        } else {
          start = Number(m[1]);
          end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
        }
        if (start >= size || start > end) {
          status = 416;
          this.send(req, res, 416, [['Content-Type', type], ['Last-Modified', lastModified], ['Accept-Ranges', 'bytes'], ['ETag', etag], ['Content-Range', `bytes */${size}`]], new Uint8Array(0));
          return finish();
        }
        status = 206;
        this.send(req, res, 206, [...common, ['Content-Range', `bytes ${start}-${end}/${size}`]], body.subarray(start, end + 1));
        return finish();
      }
      // DECIDED: multi-range requests are served whole (IIS answers multipart/byteranges; not modelled).
    }
    this.send(req, res, 200, common, body);
    finish();
  }

  /** Headers in IIS's order (…, Server, Date, Content-Length); HEAD gets the headers only. */
  private send(req: IncomingMessage, res: ServerResponse, status: number, headers: [string, string][], body: Uint8Array | undefined): void {
    const now = this.clock();
    const second = Math.floor(now / 1000);
    if (second !== this.dateSecond) {
      this.dateSecond = second;
      this.dateText = new Date(now).toUTCString();
    }
    const all: [string, string][] = [...headers, ['Server', 'Microsoft-IIS/10.0'], ['Date', this.dateText]];
    if (body !== undefined) all.push(['Content-Length', String(body.length)]);
    // IIS sends no Connection header on a kept-alive HTTP/1.1 connection; node's own is removed (the connection stays open).
    res.removeHeader('Connection');
    res.writeHead(status, REASONS[status] ?? '', all.flat());
    if (req.method === 'HEAD' || body === undefined) res.end();
    else res.end(body);
  }

  close(): void {
    this.server.close();
    this.log.flush();
  }
}

/** The client address as IIS logs it (IPv4-mapped IPv6 unwrapped). */
function clientIp(a: string | undefined): string {
  if (!a) return '-';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}
