// Notification queues: what Windows posts to a job's I/O completion port.
//
// "If the job is nested, the message is sent to every I/O completion port
// associated with any job in the parent job chain of the job that triggered
// the message" (JOBOBJECT_ASSOCIATE_COMPLETION_PORT, remarks): postChain.
// Delivery "is not guaranteed" there either, so a full queue (at
// MAX_QUEUED_MESSAGES) drops the message and counts it.
//
// Ring entry (12 bytes): [message u32][process u32][source job u32].

import { alloc, free } from '../rt/arena';
import { J } from './tables';
import { J_PARENT, J_Q_PTR, J_Q_CAP, J_Q_HEAD, J_Q_COUNT, J_DROPPED, MSG_SIZE } from './layout';
import { MAX_QUEUED_MESSAGES } from './limits';

const FIRST_CAPACITY: u32 = 8;

export function enqueue(j: u32, msg: u32, p: u32, src: u32): void {
  const r = J(j);
  let q = <usize>load<u32>(r + J_Q_PTR);
  let cap = load<u32>(r + J_Q_CAP);
  let head = load<u32>(r + J_Q_HEAD);
  const count = load<u32>(r + J_Q_COUNT);
  if (count == cap) {
    if (cap >= <u32>MAX_QUEUED_MESSAGES) {
      store<u32>(r + J_DROPPED, load<u32>(r + J_DROPPED) + 1);
      return;
    }
    const ncap: u32 = cap == 0 ? FIRST_CAPACITY : cap * 2;
    const nq = alloc(<usize>ncap * MSG_SIZE);
    if (nq == 0) {
      // Out of memory: the message is lost like any undeliverable one.
      store<u32>(r + J_DROPPED, load<u32>(r + J_DROPPED) + 1);
      return;
    }
    // Unroll the ring into the new chunk, oldest first.
    for (let i: u32 = 0; i < count; i++) {
      const from = q + <usize>((head + i) % cap) * MSG_SIZE;
      const to = nq + <usize>i * MSG_SIZE;
      store<u32>(to, load<u32>(from));
      store<u32>(to + 4, load<u32>(from + 4));
      store<u32>(to + 8, load<u32>(from + 8));
    }
    if (q != 0) free(q, <usize>cap * MSG_SIZE);
    q = nq;
    cap = ncap;
    head = 0;
    store<u32>(r + J_Q_PTR, <u32>q);
    store<u32>(r + J_Q_CAP, cap);
    store<u32>(r + J_Q_HEAD, 0);
  }
  const e = q + <usize>((head + count) % cap) * MSG_SIZE;
  store<u32>(e, msg);
  store<u32>(e + 4, p);
  store<u32>(e + 8, src);
  store<u32>(r + J_Q_COUNT, count + 1);
}

/** A message triggered by job `src`, delivered to it and every ancestor. */
export function postChain(src: u32, msg: u32, p: u32): void {
  for (let j = src; j != 0; j = load<u32>(J(j) + J_PARENT)) enqueue(j, msg, p, src);
}

/** Moves up to `max` messages into `out` (12-byte entries); returns how many. */
export function dequeue(j: u32, out: usize, max: u32): u32 {
  const r = J(j);
  const q = <usize>load<u32>(r + J_Q_PTR);
  const cap = load<u32>(r + J_Q_CAP);
  let head = load<u32>(r + J_Q_HEAD);
  const count = load<u32>(r + J_Q_COUNT);
  const n = count < max ? count : max;
  for (let i: u32 = 0; i < n; i++) {
    const from = q + <usize>head * MSG_SIZE;
    const to = out + <usize>i * MSG_SIZE;
    store<u32>(to, load<u32>(from));
    store<u32>(to + 4, load<u32>(from + 4));
    store<u32>(to + 8, load<u32>(from + 8));
    head = head + 1 == cap ? 0 : head + 1;
  }
  store<u32>(r + J_Q_HEAD, head);
  store<u32>(r + J_Q_COUNT, count - n);
  return n;
}

/** Releases a freed job's queue. */
export function queueFree(j: u32): void {
  const r = J(j);
  const q = <usize>load<u32>(r + J_Q_PTR);
  if (q != 0) free(q, <usize>load<u32>(r + J_Q_CAP) * MSG_SIZE);
  store<u32>(r + J_Q_PTR, 0);
  store<u32>(r + J_Q_CAP, 0);
  store<u32>(r + J_Q_HEAD, 0);
  store<u32>(r + J_Q_COUNT, 0);
}
