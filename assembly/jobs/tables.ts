// The job and process tables (layout.ts), the preorder array that goes with
// the job table, and the host configuration. Everything that moves (a table
// base after growth) lives here, behind J(), P(), PM() and PI(), so no other
// file holds a stale address.

import { alloc, free } from '../rt/arena';
import {
  JOB_SHIFT, JOB_SIZE, PROC_SHIFT, PROC_SIZE, PMEM_SHIFT, PMEM_SIZE, PIO_SHIFT, PIO_SIZE, P_NEXT, P_STATE, PS_FREE, J_NEXT,
  J_EFF_PROC_TIME, J_EFF_PROC_MEM, J_EFF_JOB_MEM, J_EFF_JOB_TIME,
} from './layout';
import { MAX_JOBS, MAX_PROCESSES, DEFAULT_CPU_COUNT, DEFAULT_INTERVAL, MAX_CPUS } from './limits';

const FIRST_JOBS: i32 = 16;
const FIRST_PROCS: i32 = 64;

let JOBS: usize = 0;
let jcap: i32 = 0;
/** Ids below this have been handed out at least once. */
export let jNextId: i32 = 1;
let jFreeHead: u32 = 0;

/**
 * The preorder of live jobs (hierarchy.ts), u32 × jcap. It grows with the job
 * table, never on its own, so walking the hierarchy can never run out of
 * memory half-way through an operation.
 */
export let ORDER: usize = 0;

let PROCS: usize = 0;
let PMEM: usize = 0;
let PIO: usize = 0;
let pcap: i32 = 0;
export let pNextId: i32 = 1;
let pFreeHead: u32 = 0;

// Host configuration (jobsConfigure).
export let cpus: i32 = DEFAULT_CPU_COUNT;
export let interval: i32 = DEFAULT_INTERVAL;

export function setHost(c: i32, i: i32): void {
  cpus = c;
  interval = i;
}

/** The processors the host has, as an affinity mask. */
export function systemMask(): u32 {
  return cpus >= MAX_CPUS ? 0xffffffff : ((<u32>1 << <u32>cpus) - 1);
}

@inline export function J(j: u32): usize {
  return JOBS + (<usize>j << JOB_SHIFT);
}

/** The job table's base, for loops that keep it in a local (J(j) re-reads the global each time). */
@inline export function jobsBase(): usize {
  return JOBS;
}

/** The process tables' bases, for loops that keep them in locals. */
@inline export function procsBase(): usize {
  return PROCS;
}
@inline export function pmemBase(): usize {
  return PMEM;
}
@inline export function pioBase(): usize {
  return PIO;
}

@inline export function P(p: u32): usize {
  return PROCS + (<usize>p << PROC_SHIFT);
}

/** Process p's commit and exit code (layout.ts). */
@inline export function PM(p: u32): usize {
  return PMEM + (<usize>p << PMEM_SHIFT);
}

/** Process p's page fault and I/O counters (layout.ts). */
@inline export function PI(p: u32): usize {
  return PIO + (<usize>p << PIO_SHIFT);
}

/** Allocates the first chunks. False when out of memory. */
export function tablesInit(): bool {
  JOBS = zeroed(<usize>FIRST_JOBS * JOB_SIZE);
  ORDER = alloc(<usize>FIRST_JOBS << 2);
  PROCS = zeroed(<usize>FIRST_PROCS * PROC_SIZE);
  PMEM = zeroed(<usize>FIRST_PROCS * PMEM_SIZE);
  PIO = zeroed(<usize>FIRST_PROCS * PIO_SIZE);
  if (JOBS == 0 || ORDER == 0 || PROCS == 0 || PMEM == 0 || PIO == 0) return false;
  jcap = FIRST_JOBS;
  pcap = FIRST_PROCS;
  // Job record 0 stands for "no job": no limit applies to its processes.
  store<f64>(J(0) + J_EFF_PROC_TIME, Infinity);
  store<f64>(J(0) + J_EFF_PROC_MEM, Infinity);
  store<f64>(J(0) + J_EFF_JOB_MEM, Infinity);
  store<f64>(J(0) + J_EFF_JOB_TIME, Infinity);
  return true;
}

function zeroed(bytes: usize): usize {
  const p = alloc(bytes);
  if (p != 0) memory.fill(p, 0, bytes);
  return p;
}

/** Copies `used` bytes from `old` to `to` (a chunk of twice that), zeroes the rest, frees `old`; returns `to`. */
function moved(old: usize, to: usize, used: usize): usize {
  memory.copy(to, old, used);
  memory.fill(to + used, 0, used);
  free(old, used);
  return to;
}

/** A copy of `old` (`used` bytes) in a zeroed chunk of `bytes`; 0 if out of memory (old kept). */
function regrow(old: usize, used: usize, bytes: usize): usize {
  const p = alloc(bytes);
  if (p == 0) return 0;
  memory.copy(p, old, used);
  memory.fill(p + used, 0, bytes - used);
  free(old, used);
  return p;
}

/**
 * A fresh or reused job id with a zeroed record, or 0 (MAX_JOBS reached or
 * out of memory). Growing the table also replaces ORDER: the caller marks the
 * preorder stale, as creating a job does anyway.
 */
export function allocJobId(): u32 {
  let j = jFreeHead;
  if (j != 0) {
    jFreeHead = load<u32>(J(j) + J_NEXT);
  } else {
    if (jNextId > MAX_JOBS) return 0;
    if (jNextId >= jcap) {
      const ncap = jcap << 1;
      const order = alloc(<usize>ncap << 2);
      if (order == 0) return 0;
      const grown = regrow(JOBS, <usize>jcap * JOB_SIZE, <usize>ncap * JOB_SIZE);
      if (grown == 0) {
        free(order, <usize>ncap << 2);
        return 0;
      }
      free(ORDER, <usize>jcap << 2);
      ORDER = order;
      JOBS = grown;
      jcap = ncap;
    }
    j = <u32>(jNextId++);
  }
  memory.fill(J(j), 0, JOB_SIZE);
  return j;
}

export function freeJobId(j: u32): void {
  store<u32>(J(j) + J_NEXT, jFreeHead);
  jFreeHead = j;
}

/** A fresh or reused process id (record not cleared), or 0 (MAX_PROCESSES reached or out of memory). */
export function allocProcessId(): u32 {
  let p = pFreeHead;
  if (p != 0) {
    pFreeHead = load<u32>(P(p) + P_NEXT);
    return p;
  }
  if (pNextId > MAX_PROCESSES) return 0;
  if (pNextId >= pcap) {
    // All three tables double together, or none does.
    const n = <usize>pcap;
    const hot = alloc(n * PROC_SIZE << 1);
    const mem = alloc(n * PMEM_SIZE << 1);
    const io = alloc(n * PIO_SIZE << 1);
    if (hot == 0 || mem == 0 || io == 0) {
      if (hot != 0) free(hot, n * PROC_SIZE << 1);
      if (mem != 0) free(mem, n * PMEM_SIZE << 1);
      if (io != 0) free(io, n * PIO_SIZE << 1);
      return 0;
    }
    PROCS = moved(PROCS, hot, n * PROC_SIZE);
    PMEM = moved(PMEM, mem, n * PMEM_SIZE);
    PIO = moved(PIO, io, n * PIO_SIZE);
    pcap <<= 1;
  }
  return <u32>(pNextId++);
}

export function freeProcessId(p: u32): void {
  store<u16>(P(p) + P_STATE, PS_FREE);
  store<u32>(P(p) + P_NEXT, pFreeHead);
  pFreeHead = p;
}
