/**
 * HttpLoggingModule's W3C log of site 1: C:\inetpub\logs\LogFiles\W3SVC1\
 * u_exYYMMDD.log (UTC, daily rollover, the `u_` prefix of UTF-8 logs),
 * IIS's default fields, and the four header lines IIS writes when it
 * opens a file (and again after each restart of the worker):
 *
 *   #Software: Microsoft Internet Information Services 10.0
 *   #Version: 1.0
 *   #Date: 2026-11-23 15:04:05
 *   #Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken
 *
 * Empty fields are `-`; spaces in the user agent and referer become `+`.
 * IIS buffers log lines (flushing every minute or 64 KB); we flush
 * FLUSH_MS after the first unflushed line or at 64 KB (DECIDED: shorter
 * than IIS's minute so that a `type` of the log soon after a request shows
 * it), and when the site closes.
 */
import type { FileSystemView } from '../../kernel/fs/types.js';

export const LOG_DIRECTORY = 'C:\\inetpub\\logs\\LogFiles\\W3SVC1';
export const W3C_FIELDS = 'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

export interface LogEntry {
  time: number;
  serverIp: string;
  method: string;
  stem: string;
  query: string;
  port: number;
  clientIp: string;
  userAgent: string;
  referer: string;
  status: number;
  substatus: number;
  win32: number;
  timeTaken: number;
}

/** Buffered lines are written this long after the first of them, or at FLUSH_BYTES. */
export const FLUSH_MS = 200;
const FLUSH_BYTES = 64 * 1024;

const pad = (n: number) => String(n).padStart(2, '0');
const dash = (s: string) => (s === '' ? '-' : s.replace(/ /g, '+'));

export class W3cLog {
  private pending = '';
  private pendingFile = '';
  private scheduled = false;
  /** Files this worker already wrote its header lines to. */
  private readonly opened = new Set<string>();

  constructor(
    private readonly fs: FileSystemView,
    private readonly clock: () => number,
  ) {}

  private second = -1;
  private stamp = { date: '', time: '', file: '' };

  write(e: LogEntry): void {
    const second = Math.floor(e.time / 1000);
    if (second !== this.second) {
      // Formatted once per second (a busy site logs many lines per second).
      this.second = second;
      const d = new Date(e.time);
      this.stamp = {
        date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
        time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
        file: `${LOG_DIRECTORY}\\u_ex${String(d.getUTCFullYear()).slice(2)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}.log`,
      };
    }
    const { date, time, file } = this.stamp;
    if (file !== this.pendingFile) {
      this.flush();
      this.pendingFile = file;
    }
    if (!this.opened.has(file)) {
      this.opened.add(file);
      this.pending += `#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: ${date} ${time}\r\n#Fields: ${W3C_FIELDS}\r\n`;
    }
    const stem = e.stem.replace(/ /g, '+');
    this.pending += `${date} ${time} ${e.serverIp || '-'} ${e.method} ${stem} ${dash(e.query)} ${e.port} - ${e.clientIp} ${dash(e.userAgent)} ${dash(e.referer)} ${e.status} ${e.substatus} ${e.win32} ${Math.max(0, Math.round(e.timeTaken))}\r\n`;
    if (this.pending.length >= FLUSH_BYTES) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => this.flush(), FLUSH_MS).unref();
    }
  }

  flush(): void {
    this.scheduled = false;
    if (!this.pending) return;
    const text = this.pending;
    const file = this.pendingFile;
    this.pending = '';
    try {
      try {
        this.fs.stat(LOG_DIRECTORY, 'C:\\');
      } catch {
        for (const p of ['C:\\inetpub\\logs', 'C:\\inetpub\\logs\\LogFiles', LOG_DIRECTORY]) {
          try {
            this.fs.createDirectory(p, 'C:\\');
          } catch {
            // exists
          }
        }
      }
      const h = this.fs.open(file, 'C:\\', { disposition: 'openIf', write: true, nonDirectory: true, shareRead: true, shareWrite: true });
      try {
        const data = Buffer.from(text, 'utf8');
        h.write(h.info().size, data);
      } finally {
        h.close();
      }
    } catch {
      // A container stopping under us: the lines are lost, as IIS's unflushed buffer would be.
    }
  }
}
