/**
 * The multiplexed stream of a container without a tty (docker-engine-api.md
 * §4.2, moby pkg/stdcopy): every chunk gets an 8-byte header — the stream
 * (0 stdin, 1 stdout, 2 stderr, 3 system error), three zero bytes, the
 * payload length as a big-endian uint32. With a tty the bytes go raw.
 */
export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const SYSTEMERR = 3;
export type StreamId = typeof STDIN | typeof STDOUT | typeof STDERR | typeof SYSTEMERR;

/** A chunk as one stdcopy frame. */
export function frame(stream: StreamId, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(8 + payload.length);
  out[0] = stream;
  out[1] = 0;
  out[2] = 0;
  out[3] = 0;
  out.writeUInt32BE(payload.length, 4);
  out.set(payload, 8);
  return out;
}

/** Splits a multiplexed byte stream back into frames (tests, and clients written in TypeScript). */
export function demultiplex(data: Uint8Array): { stream: number; payload: Buffer }[] {
  const out: { stream: number; payload: Buffer }[] = [];
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at + 8 <= b.length) {
    const len = b.readUInt32BE(at + 4);
    if (at + 8 + len > b.length) break;
    out.push({ stream: b[at]!, payload: b.subarray(at + 8, at + 8 + len) });
    at += 8 + len;
  }
  return out;
}
