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
 * HTTP). What the site knows of its files (attributes, bytes) is kept
 * only while the C: volume's change count stays the same, so a change
 * through docker exec or docker cp is served at the next request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FileSystemView } from '../../kernel/fs/types.js';
import { mimeTypeFor } from './mime.js';
import { W3cLog } from './w3c-log.js';
import { readToEnd } from '../../kernel/fs/whole-file.js';
import { customErrorPage } from './custerr.js';

export const WWWROOT = 'C:\\inetpub\\wwwroot';
const CUSTERR = 'C:\\inetpub\\custerr\\en-US';
const DEFAULT_DOCUMENTS = ['Default.htm', 'Default.asp', 'index.htm', 'index.html', 'iisstart.htm', 'default.aspx'];
const FILE_ATTRIBUTE_DIRECTORY = 0x10;
const FILE_ATTRIBUTE_HIDDEN = 0x2;
const FILE_ATTRIBUTE_REPARSE_POINT = 0x400;

interface FileStat {
  directory: boolean;
  hidden: boolean;
  reparse: boolean;
  lastWriteTime: number;
  size: number;
  /** Whether the answer is the NTFS volume's own (C:'s change count covers it): only then are its bytes kept. */
  cacheable?: boolean;
}
/** A remembered "no such file". */
const NOT_FOUND = 'not-found' as const;
/** Paths the stat and output caches hold at most (a site's working set; beyond it they start over). */
const SITE_CACHE_ENTRIES = 4096;

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
  private readonly stats = new Map<string, FileStat | typeof NOT_FOUND>();
  private statVersion = -1;
  private readonly validators = new WeakMap<FileStat, { etag: string; lastModified: string }>();
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

  /**
   * The change count of the C: volume while it is the only place the
   * site's files can change (the NTFS volume: every write through docker
   * exec, docker cp or a program goes through it and counts); undefined
   * when the volume keeps no count (nothing is cached then).
   */
  private volumeVersion(): number | undefined {
    const v = this.fs.volume('C') as { changeCount?: unknown } | undefined;
    return typeof v?.changeCount === 'number' ? v.changeCount : undefined;
  }

  /**
   * GetFileAttributesEx of a path under C:, remembered while the volume is
   * unchanged (IIS's file cache keeps handles and change notifications for
   * the same purpose). A path through a reparse point (a bound host
   * directory, whose files change outside the volume's count) is never
   * remembered.
   */
  private stat(path: string): FileStat | undefined {
    const version = this.volumeVersion();
    if (version !== undefined) {
      if (version !== this.statVersion) {
        // Something on C: changed: forget what was known (IIS's file cache drops entries on a change notification).
        this.stats.clear();
        this.cache.clear();
        this.statVersion = version;
      }
      const hit = this.stats.get(path);
      if (hit !== undefined) return hit === NOT_FOUND ? undefined : hit;
    }
    const info = this.statUncached(path);
    if (version !== undefined && this.volumeVersion() === version && this.stats.size < SITE_CACHE_ENTRIES && this.onVolume(path)) {
      if (info) info.cacheable = true;
      this.stats.set(path, info ?? NOT_FOUND);
    }
    return info;
  }

  private statUncached(path: string, openReparsePoint = false): FileStat | undefined {
    try {
      const i = this.fs.stat(path, 'C:\\', { openReparsePoint });
      return { directory: (i.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0, hidden: (i.attributes & FILE_ATTRIBUTE_HIDDEN) !== 0, reparse: (i.attributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0, lastWriteTime: i.lastWriteTime, size: i.size };
    } catch {
      return undefined;
    }
  }

  /** Whether no component of `path` after C:\ is a reparse point (so the answer is the NTFS volume's own). */
  private onVolume(path: string): boolean {
    const parts = path.split('\\');
    for (let i = 2; i <= parts.length; i++) {
      const s = this.statUncached(parts.slice(0, i).join('\\'), true);
      if (s?.reparse) return false;
      if (!s) return true;
    }
    return true;
  }

  /**
   * A file's bytes through the output cache: kept while C: is unchanged
   * (stat() clears the cache at a change) and its size and last write time
   * are those `info` gives; a file stat() could not vouch for is read anew.
   */
  private cachedRead(path: string, info: FileStat): Uint8Array {
    // A file behind a reparse point (a bound host directory) changes without C: knowing: read at each request.
    if (!info.cacheable) return this.readFile(path);
    const cached = this.cache.get(path);
    if (cached && cached.lastWriteTime === info.lastWriteTime && cached.size === info.size) return cached.body;
    const body = this.readFile(path);
    if (body.length <= CACHE_FILE_LIMIT) {
      if (this.cache.size >= SITE_CACHE_ENTRIES) this.cache.clear();
      this.cache.set(path, { lastWriteTime: info.lastWriteTime, size: info.size, body });
    }
    return body;
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
      // CustomErrorModule sends the page's file as it is on disk (an edited page is served as edited).
      const path = `${CUSTERR}\\${code}.htm`;
      const page = this.stat(path);
      let fromFile: Uint8Array | undefined;
      if (page && !page.directory) {
        try {
          fromFile = this.cachedRead(path, page);
        } catch {
          fromFile = undefined;
        }
      }
      // DECIDED: a deleted page falls back to the page IIS installs (IIS would answer with its own short text; not found).
      body = fromFile ?? Buffer.from(customErrorPage(code) ?? customErrorPage(500)!, 'latin1');
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
    // IIS's output cache: a file's bytes kept while its size and last write time stay the same (a change is served at once).
    let body: Uint8Array;
    try {
      body = this.cachedRead(file, info);
    } catch {
      return error(404, 0, 2);
    }
    // A remembered stat is the same object at each request: its validators are worked out once.
    let validators = this.validators.get(info);
    if (!validators) {
      validators = { etag: etagOf(info.lastWriteTime), lastModified: new Date(info.lastWriteTime).toUTCString() };
      this.validators.set(info, validators);
    }
    const { etag, lastModified } = validators;
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
