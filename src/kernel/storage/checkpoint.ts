/**
 * A checkpoint of a block store: every live disk as a delta against the
 * disk it was cloned from (its origin), so that blocks shared between an
 * image layer and its 1000 containers are written once and shared again on
 * recovery. Replaced atomically (temporary file, fsync, rename, fsync of the
 * folder), so a crash leaves either the old checkpoint or the new one.
 *
 * File layout (little-endian):
 *   magic "WSCK", version, generation, block size, next disk id, disk count
 *   per disk: id, origin id (0: none), flags (1: read-only), delta length, delta
 *   CRC-32 of everything before it
 */
import { closeSync, fsyncSync, openSync, renameSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { writeAll } from './journal.js';

export const CHECKPOINT_MAGIC = 0x4b435357; // "WSCK"
export const CHECKPOINT_VERSION = 1;
const HEADER_BYTES = 24;
const DISK_HEAD_BYTES = 16;
export const DISK_READ_ONLY = 1;

export interface CheckpointDisk {
  id: number;
  origin: number;
  flags: number;
  delta: Uint8Array;
}

export interface Checkpoint {
  generation: number;
  blockSize: number;
  nextId: number;
  /** In ascending id order: every origin comes before the disks cloned from it. */
  disks: CheckpointDisk[];
}

/** Parses a checkpoint; null if it is damaged in any way. */
export function parseCheckpoint(bytes: Buffer): Checkpoint | null {
  if (bytes.length < HEADER_BYTES + 4) return null;
  const body = bytes.subarray(0, bytes.length - 4);
  if (crc32(body) >>> 0 !== bytes.readUInt32LE(bytes.length - 4)) return null;
  if (body.readUInt32LE(0) !== CHECKPOINT_MAGIC || body.readUInt32LE(4) !== CHECKPOINT_VERSION) return null;
  const cp: Checkpoint = {
    generation: body.readUInt32LE(8),
    blockSize: body.readUInt32LE(12),
    nextId: body.readUInt32LE(16),
    disks: [],
  };
  const count = body.readUInt32LE(20);
  let at = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (body.length - at < DISK_HEAD_BYTES) return null;
    const length = body.readUInt32LE(at + 12);
    if (body.length - at - DISK_HEAD_BYTES < length) return null;
    cp.disks.push({
      id: body.readUInt32LE(at),
      origin: body.readUInt32LE(at + 4),
      flags: body.readUInt32LE(at + 8),
      delta: body.subarray(at + DISK_HEAD_BYTES, at + DISK_HEAD_BYTES + length),
    });
    at += DISK_HEAD_BYTES + length;
  }
  return at === body.length ? cp : null;
}

/**
 * Writes `cp` to `path` atomically: the bytes go to `path.tmp`, are fsynced,
 * and the rename is made durable by fsyncing the folder.
 */
export function writeCheckpoint(path: string, folder: string, cp: Checkpoint): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(CHECKPOINT_MAGIC, 0);
    header.writeUInt32LE(CHECKPOINT_VERSION, 4);
    header.writeUInt32LE(cp.generation, 8);
    header.writeUInt32LE(cp.blockSize, 12);
    header.writeUInt32LE(cp.nextId, 16);
    header.writeUInt32LE(cp.disks.length, 20);
    let at = 0;
    let sum = 0;
    const put = (bytes: Uint8Array): void => {
      writeAll(fd, bytes, at);
      at += bytes.length;
      sum = crc32(bytes, sum);
    };
    put(header);
    for (const d of cp.disks) {
      const head = Buffer.alloc(DISK_HEAD_BYTES);
      head.writeUInt32LE(d.id, 0);
      head.writeUInt32LE(d.origin, 4);
      head.writeUInt32LE(d.flags, 8);
      head.writeUInt32LE(d.delta.length, 12);
      put(head);
      put(d.delta);
    }
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32LE(sum >>> 0, 0);
    writeAll(fd, trailer, at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncFolder(folder);
}

/**
 * Makes a rename or a new file in `folder` durable (POSIX: fsync the
 * directory). Not on Windows: Node cannot open a directory for fsync there,
 * and NTFS journals the rename itself.
 */
export function fsyncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
