// A raw HTTP/1.1 exchange over the daemon's unix socket (node:net), so a
// fuzz case can send bytes no well-behaved client would: lying
// Content-Length, broken chunked framing, bad headers. It reads the answer
// far enough to judge it — the status line and headers, and the body when
// it is sized — and gives up at a deadline (a hang).
import { connect } from 'node:net';

export interface RawAnswer {
  /** 'answer': a status line arrived; 'closed': the daemon closed without one; 'hang': neither before the deadline. */
  kind: 'answer' | 'closed' | 'hang';
  status: number;
  headers: Map<string, string>;
  /** The body when it was sized by Content-Length (else what arrived with the head). */
  body: Buffer;
  /** True when the body is complete (Content-Length satisfied). */
  sized: boolean;
}

/**
 * Writes `bytes` (a whole request, perhaps malformed), optionally half-closes,
 * and reads until the answer's head (and sized body) arrived, the socket
 * closed, or `timeoutMs` passed.
 */
export function rawExchange(socketPath: string, bytes: Buffer, options: { end: boolean; timeoutMs: number }): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const s = connect(socketPath);
    const parts: Buffer[] = [];
    const head = bytes.subarray(0, 5).toString('latin1') === 'HEAD ';
    let done = false;
    const finish = (a: RawAnswer): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve(a);
    };
    const judge = (final: boolean): void => {
      const all = Buffer.concat(parts);
      const headEnd = all.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        if (final) finish({ kind: 'closed', status: 0, headers: new Map(), body: all, sized: false });
        return;
      }
      const lines = all.subarray(0, headEnd).toString('latin1').split('\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
      const headers = new Map<string, string>();
      for (const l of lines.slice(1)) {
        const c = l.indexOf(':');
        if (c > 0) headers.set(l.slice(0, c).trim().toLowerCase(), l.slice(c + 1).trim());
      }
      const status = m ? Number(m[1]) : -1;
      if (status === 100) {
        // `Expect: 100-continue` was answered: the real answer follows.
        parts.length = 0;
        if (all.length > headEnd + 4) parts.push(all.subarray(headEnd + 4));
        judge(final);
        return;
      }
      const body = all.subarray(headEnd + 4);
      // HEAD answers, 204 and 304 carry no body whatever Content-Length says (RFC 9110 §9.3.2, §15.3.5).
      const bodiless = head || status === 204 || status === 304;
      const length = bodiless ? '0' : headers.get('content-length');
      if (length !== undefined) {
        const n = Number(length);
        if (body.length >= n) return finish({ kind: 'answer', status, headers, body: body.subarray(0, n), sized: true });
        if (final) finish({ kind: 'answer', status, headers, body, sized: false });
        return;
      }
      // A streamed answer (events, logs, attach, 101): the head is the answer.
      finish({ kind: 'answer', status, headers, body, sized: false });
    };
    const timer = setTimeout(() => finish({ kind: 'hang', status: 0, headers: new Map(), body: Buffer.concat(parts), sized: false }), options.timeoutMs);
    s.on('data', (c: Buffer) => {
      parts.push(c);
      judge(false);
    });
    s.on('end', () => judge(true));
    s.on('close', () => judge(true));
    s.on('error', () => judge(true));
    s.write(bytes);
    if (options.end) s.end();
  });
}
