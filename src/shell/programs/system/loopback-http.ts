/**
 * The in-container loopback, until issue 10 models sockets: what answers an
 * HTTP request a container makes to itself (localhost, 127.0.0.1, ::1, its
 * own name or address). Only IIS listens in the images we have: while the
 * World Wide Web Publishing Service (W3SVC) runs, port 80 serves the Default
 * Web Site's static files from C:\inetpub\wwwroot (default document
 * iisstart.htm), with IIS 10's response headers. Nothing else listens, so
 * any other port, or port 80 with W3SVC stopped, refuses the connection.
 *
 * DECIDED: no dynamic content, no redirects (IIS's courtesy redirect of a
 * directory without its trailing slash included), a short 404 body rather
 * than IIS's detailed error page.
 */
import { Win32Error } from '../../../core/win32.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import { SERVICE_RUNNING } from '../../../kernel/services/constants.js';
import { percentDecode, readWholeFile } from './text.js';

export interface HttpResponse {
  readonly status: number;
  readonly reason: string;
  /** Header lines in the order IIS sends them. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array;
}

const WWWROOT = 'C:\\inetpub\\wwwroot';
const DEFAULT_DOCUMENTS = ['Default.htm', 'Default.asp', 'index.htm', 'index.html', 'iisstart.htm'];
const MIME: Readonly<Record<string, string>> = {
  htm: 'text/html',
  html: 'text/html',
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  css: 'text/css',
  js: 'application/javascript',
  txt: 'text/plain',
  json: 'application/json',
  xml: 'text/xml',
};

/** RFC 7231 IMF-fixdate. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Whether something listens on the container's own `port`. */
export function listening(ctx: ProcessContext, port: number): boolean {
  if (port !== 80 || !ctx.services) return false;
  try {
    return ctx.services.query('W3SVC').dwCurrentState === SERVICE_RUNNING;
  } catch {
    return false;
  }
}

/** IIS's answer to `GET path` (undecoded path from the request line). */
export function serveLoopback(ctx: ProcessContext, path: string, head: boolean): HttpResponse {
  const date = httpDate(ctx.now());
  const rel = percentDecode(path.split('?')[0]!).replace(/\//g, '\\').replace(/^\\+/, '');
  const notFound = (): HttpResponse => {
    const body = new TextEncoder().encode('The resource you are looking for has been removed, had its name changed, or is temporarily unavailable.');
    return { status: 404, reason: 'Not Found', headers: [['Content-Type', 'text/html'], ['Server', 'Microsoft-IIS/10.0'], ['Date', date], ['Content-Length', String(body.length)]], body: head ? new Uint8Array(0) : body };
  };
  if (rel.split('\\').some((c) => c === '..') || !ctx.fs) return notFound();
  let file = rel === '' ? WWWROOT : `${WWWROOT}\\${rel}`;
  try {
    let info = ctx.fs.stat(file, ctx.cwd);
    if ((info.attributes & 0x10) !== 0) {
      const doc = DEFAULT_DOCUMENTS.map((d) => `${file.replace(/\\$/, '')}\\${d}`).find((p) => {
        try {
          return (ctx.fs!.stat(p, ctx.cwd).attributes & 0x10) === 0;
        } catch {
          return false;
        }
      });
      if (!doc) return notFound();
      file = doc;
      info = ctx.fs.stat(file, ctx.cwd);
    }
    const body = readWholeFile(ctx, file);
    const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
    // IIS's ETag: the file's last-write FILETIME in hex, then ":0".
    const filetime = (BigInt(Math.round(info.lastWriteTime)) * 10000n + 116444736000000000n).toString(16);
    return {
      status: 200,
      reason: 'OK',
      headers: [
        ['Content-Type', MIME[ext] ?? 'application/octet-stream'],
        ['Last-Modified', httpDate(info.lastWriteTime)],
        ['Accept-Ranges', 'bytes'],
        ['ETag', `"${filetime}:0"`],
        ['Server', 'Microsoft-IIS/10.0'],
        ['Date', date],
        ['Content-Length', String(body.length)],
      ],
      body: head ? new Uint8Array(0) : body,
    };
  } catch (e) {
    if (e instanceof Win32Error) return notFound();
    throw e;
  }
}
