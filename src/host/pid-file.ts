/**
 * One Host per data root at a time: the pid file. dockerd keeps its pid in
 * a file (`--pidfile`, /var/run/docker.pid) and refuses to start while the
 * process named there is alive — moby pkg/pidfile.Write, wrapped by
 * cmd/dockerd: "failed to start daemon, ensure docker is not running or
 * delete /var/run/docker.pid: process with PID 1234 is still running". A
 * Host writes `winsilo.pid` into its data root the same way and answers a
 * second opener (another process, or another Host in this one) with that
 * text, winsilo for docker.
 *
 * A pid file whose process is gone (the owner was killed) is stale and
 * taken over, as moby's is. Limits, shared with moby's: a reused pid makes a
 * stale file look alive (delete it, as the message says); two openers
 * taking over the same stale file in the same instant can both succeed.
 */
import { closeSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { HostError } from './errors.js';
import { syncFolder } from './durable-files.js';
import { dirname } from 'node:path';

export const PID_FILE = 'winsilo.pid';

/** A held pid file; release() deletes it. */
export interface PidFileLock {
  readonly path: string;
  release(): void;
}

/**
 * Creates `path` holding this process's pid, or throws HostError(500) with
 * dockerd's message if a live process holds it.
 */
export function acquirePidFile(path: string, pid: number = process.pid): PidFileLock {
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readPid(path);
      if (holder !== undefined && processAlive(holder)) throw inUse(path, holder);
      // Stale: its process is gone (or it was never written). Take it over.
      try {
        unlinkSync(path);
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code !== 'ENOENT') throw e2;
      }
      continue;
    }
    try {
      const text = Buffer.from(String(pid), 'utf8');
      writeSync(fd, text, 0, text.length, 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    syncFolder(dirname(path));
    let released = false;
    return {
      path,
      release: () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(path);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      },
    };
  }
  // Another opener kept recreating it while we looked: it is in use.
  throw inUse(path, readPid(path) ?? 0);
}

function inUse(path: string, pid: number): HostError {
  return new HostError(500, `failed to start daemon, ensure winsilo is not running or delete ${path}: process with PID ${pid} is still running`);
}

function readPid(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : undefined;
}

/** kill(pid, 0): ESRCH means gone; EPERM means alive but not ours. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
