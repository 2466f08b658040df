/**
 * Rules of the journaled store (design.md "State and durability"): what is
 * flushed survives a reopen, ids are stable, a torn journal tail is dropped
 * and later records still survive, the changes between two flushes are
 * applied all or none, checkpoints keep blocks shared, a damaged checkpoint
 * is refused with STATUS_FILE_CORRUPT_ERROR, the leftovers of a crash
 * mid-checkpoint are ignored, and a journal of the format before commit
 * records is still read.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JournaledBlockStore } from '../../../src/kernel/storage/index.js';
import { NtStatusError } from '../../../src/core/errors.js';
import {
  STATUS_FILE_CORRUPT_ERROR,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
} from '../../../src/core/ntstatus.js';

const root = mkdtempSync(join(tmpdir(), 'winsilo-journal-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const freshFolder = (): string => join(root, `store-${folders++}`);

const BLOCK = 4096;
const filled = (byte: number, length = BLOCK): Uint8Array => new Uint8Array(length).fill(byte);
function readBack(store: JournaledBlockStore, disk: number, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  expect(store.read(disk, offset, out)).toBe(STATUS_SUCCESS);
  return out;
}

describe.each(['wasm', 'ref'] as const)('journaled block store (%s)', (impl) => {
  it('finds flushed changes after a reopen, with the same disk ids', () => {
    const folder = freshFolder();
    let s = JournaledBlockStore.open(folder, { impl });
    const a = s.createDisk(1 << 20);
    expect(a).toEqual({ status: STATUS_SUCCESS, disk: 1 });
    expect(s.write(1, 100, filled(0x41, 5000))).toBe(STATUS_SUCCESS);
    expect(s.clone(1)).toEqual({ status: STATUS_SUCCESS, disk: 2 });
    expect(s.write(2, 0, filled(0x42, 10))).toBe(STATUS_SUCCESS);
    expect(s.snapshot(1)).toBe(STATUS_SUCCESS);
    expect(s.discard(2, 4096, 4096)).toBe(STATUS_SUCCESS);
    s.close();

    s = JournaledBlockStore.open(folder, { impl });
    expect(s.diskIds()).toEqual([1, 2]);
    expect(readBack(s, 1, 100, 5000)).toEqual(filled(0x41, 5000));
    expect(readBack(s, 2, 0, 10)).toEqual(filled(0x42, 10));
    expect(readBack(s, 2, 4096, 4096)).toEqual(filled(0, 4096));
    expect(s.stats(1).readOnly).toBe(true);
    expect(s.write(1, 0, filled(1, 1))).toBe(STATUS_MEDIA_WRITE_PROTECTED);
    s.close();
  });

  it('never reuses a deleted disk id, across reopens', () => {
    const folder = freshFolder();
    let s = JournaledBlockStore.open(folder, { impl });
    s.createDisk(BLOCK);
    s.createDisk(BLOCK);
    expect(s.deleteDisk(2)).toBe(STATUS_SUCCESS);
    expect(s.read(2, 0, new Uint8Array(1))).toBe(STATUS_INVALID_HANDLE);
    s.close();
    s = JournaledBlockStore.open(folder, { impl });
    expect(s.createDisk(BLOCK).disk).toBe(3);
    s.checkpoint();
    s.close();
    s = JournaledBlockStore.open(folder, { impl });
    expect(s.diskIds()).toEqual([1, 3]);
    expect(s.createDisk(BLOCK).disk).toBe(4);
    s.close();
  });

  it('drops a torn record at the journal tail and keeps records appended after it', () => {
    const folder = freshFolder();
    let s = JournaledBlockStore.open(folder, { impl });
    s.createDisk(8 * BLOCK);
    s.write(1, 0, filled(7));
    s.flush();
    s.write(1, BLOCK, filled(8));
    s.close();
    // Cut the last record (the second write) short, as a crash mid-write would.
    const journal = join(folder, readdirSync(folder).find((f) => f.startsWith('journal.'))!);
    truncateSync(journal, statSync(journal).size - 100);
    s = JournaledBlockStore.open(folder, { impl });
    expect(readBack(s, 1, 0, BLOCK)).toEqual(filled(7));
    expect(readBack(s, 1, BLOCK, BLOCK)).toEqual(filled(0));
    s.write(1, 2 * BLOCK, filled(9));
    s.close();
    s = JournaledBlockStore.open(folder, { impl });
    expect(readBack(s, 1, 2 * BLOCK, BLOCK)).toEqual(filled(9));
    s.close();
  });

  it('applies the changes made between two flushes all or none: a group written out without its commit record is dropped', () => {
    const folder = freshFolder();
    const s = JournaledBlockStore.open(folder, { impl });
    s.createDisk(512 * BLOCK);
    s.write(1, 0, filled(1));
    s.flush();
    // 1.2 MiB of writes: more than the gathering buffer holds, so most reach the file before any flush.
    for (let b = 1; b <= 300; b++) s.write(1, b * BLOCK, filled(2));
    const journal = join(folder, readdirSync(folder).find((f) => f.startsWith('journal.'))!);
    const written = statSync(journal).size;
    expect(written).toBeGreaterThan(1 << 20);
    // The crash: the process ends here; its file stays as written (the open descriptor is dropped, never flushed).
    (s as unknown as { journal: { close(): void } }).journal.close();

    const t = JournaledBlockStore.open(folder, { impl });
    expect(readBack(t, 1, 0, BLOCK)).toEqual(filled(1));
    // (Compared as one Buffer: toEqual walks a 1.2 MB array element by element.)
    expect(Buffer.compare(readBack(t, 1, BLOCK, 300 * BLOCK), filled(0, 300 * BLOCK))).toBe(0);
    expect(statSync(journal).size).toBeLessThan(2 * BLOCK);
    t.write(1, 2 * BLOCK, filled(3));
    t.close();
    const u = JournaledBlockStore.open(folder, { impl });
    expect(readBack(u, 1, 2 * BLOCK, BLOCK)).toEqual(filled(3));
    expect(readBack(u, 1, BLOCK, BLOCK)).toEqual(filled(0));
    u.close();
  });

  it('reads a journal of format 1 (no commit records) record by record, then moves on to a checkpoint', () => {
    const folder = freshFolder();
    const s = JournaledBlockStore.open(folder, { impl });
    s.createDisk(4 * BLOCK);
    s.write(1, 0, filled(4));
    s.flush();
    s.write(1, BLOCK, filled(5));
    s.close();
    // Rewrite journal.1 as format 1 wrote it: version 1 in the header, no commit records (type 8).
    const path = join(folder, 'journal.1');
    const bytes = readFileSync(path);
    const frames: Buffer[] = [bytes.subarray(0, 16)];
    for (let at = 16; at < bytes.length; ) {
      const length = bytes.readUInt32LE(at);
      if (bytes[at + 8] !== 8) frames.push(bytes.subarray(at, at + 8 + length));
      at += 8 + length;
    }
    const v1 = Buffer.concat(frames);
    v1.writeUInt32LE(1, 4);
    writeFileSync(path, v1);

    const t = JournaledBlockStore.open(folder, { impl });
    expect(readBack(t, 1, 0, 2 * BLOCK)).toEqual(Uint8Array.from([...filled(4), ...filled(5)]));
    expect(readdirSync(folder).sort()).toEqual(['checkpoint', 'journal.2']);
    expect(readFileSync(join(folder, 'journal.2')).readUInt32LE(4)).toBe(2);
    t.close();
  });

  it('ignores garbage after the last valid record', () => {
    const folder = freshFolder();
    let s = JournaledBlockStore.open(folder, { impl });
    s.createDisk(BLOCK);
    s.write(1, 0, filled(5));
    s.close();
    const journal = join(folder, readdirSync(folder).find((f) => f.startsWith('journal.'))!);
    appendFileSync(journal, Buffer.from([40, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7]));
    s = JournaledBlockStore.open(folder, { impl });
    expect(readBack(s, 1, 0, BLOCK)).toEqual(filled(5));
    s.close();
  });

  it('keeps blocks shared between an image layer and its clones through a checkpoint', () => {
    const folder = freshFolder();
    let s = JournaledBlockStore.open(folder, { impl });
    const layer = s.createDisk(64 * BLOCK).disk;
    for (let b = 0; b < 64; b++) s.write(layer, b * BLOCK, filled(b + 1));
    s.snapshot(layer);
    const sandboxes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const c = s.clone(layer).disk;
      s.write(c, i * BLOCK, filled(200 + i));
      sandboxes.push(c);
    }
    expect(s.storeStats().blocksInUse).toBe(74);
    s.checkpoint();
    s.close();
    s = JournaledBlockStore.open(folder, { impl });
    expect(s.storeStats().blocksInUse).toBe(74);
    for (const [i, c] of sandboxes.entries()) {
      expect(readBack(s, c, i * BLOCK, BLOCK)).toEqual(filled(200 + i));
      expect(readBack(s, c, 63 * BLOCK, BLOCK)).toEqual(filled(64));
      expect(s.stats(c).exclusiveBytes).toBe(BLOCK);
    }
    expect(s.audit().problem).toBe('');
    s.close();
  });

  it('restores clones of a deleted disk from that disk’s origin', () => {
    const folder = freshFolder();
    let s = JournaledBlockStore.open(folder, { impl });
    const a = s.createDisk(4 * BLOCK).disk;
    s.write(a, 0, filled(1, 4 * BLOCK));
    const b = s.clone(a).disk;
    s.write(b, BLOCK, filled(2));
    const c = s.clone(b).disk;
    s.write(c, 2 * BLOCK, filled(3));
    expect(s.deleteDisk(b)).toBe(STATUS_SUCCESS);
    s.checkpoint();
    s.close();
    s = JournaledBlockStore.open(folder, { impl });
    expect(s.diskIds()).toEqual([a, c]);
    expect(readBack(s, c, 0, 4 * BLOCK)).toEqual(Uint8Array.from([...filled(1), ...filled(2), ...filled(3), ...filled(1)]));
    s.close();
  });

  it('takes a checkpoint by itself once the journal passes the threshold', () => {
    const folder = freshFolder();
    let s = JournaledBlockStore.open(folder, { impl, checkpointBytes: 64 * 1024 });
    s.createDisk(64 * BLOCK);
    for (let b = 0; b < 32; b++) {
      s.write(1, b * BLOCK, filled(b));
      s.flush();
    }
    const journals = readdirSync(folder).filter((f) => f.startsWith('journal.'));
    expect(journals).toHaveLength(1);
    expect(journals[0]).not.toBe('journal.1');
    expect(statSync(join(folder, journals[0]!)).size).toBeLessThan(64 * 1024 + 8 * 1024);
    s.close();
    s = JournaledBlockStore.open(folder, { impl });
    for (let b = 0; b < 32; b++) expect(readBack(s, 1, b * BLOCK, BLOCK)).toEqual(filled(b));
    s.close();
  });

  it('ignores what a crash in the middle of a checkpoint leaves behind', () => {
    const folder = freshFolder();
    let s = JournaledBlockStore.open(folder, { impl });
    s.createDisk(BLOCK);
    s.write(1, 0, filled(3));
    s.close();
    // A checkpoint interrupted before its rename: a half-written temporary file and the next journal.
    writeFileSync(join(folder, 'checkpoint.tmp'), Buffer.from('WSCK partial'));
    writeFileSync(join(folder, 'journal.2'), Buffer.alloc(0));
    s = JournaledBlockStore.open(folder, { impl });
    expect(readBack(s, 1, 0, BLOCK)).toEqual(filled(3));
    expect(readdirSync(folder).sort()).toEqual(['checkpoint', 'journal.1']);
    s.close();
  });

  it('refuses a damaged checkpoint with STATUS_FILE_CORRUPT_ERROR', () => {
    const folder = freshFolder();
    const s = JournaledBlockStore.open(folder, { impl });
    s.createDisk(BLOCK);
    s.checkpoint();
    s.close();
    const cp = join(folder, 'checkpoint');
    truncateSync(cp, statSync(cp).size - 1);
    let error: unknown;
    try {
      JournaledBlockStore.open(folder, { impl });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NtStatusError);
    expect((error as NtStatusError).status).toBe(STATUS_FILE_CORRUPT_ERROR);
    expect((error as NtStatusError).message).toBe(
      `blocks.open ${cp}: STATUS_FILE_CORRUPT_ERROR (0xC0000102): {Corrupt File} The file or directory ${cp} is corrupt and unreadable. Please run the Chkdsk utility.`,
    );
  });

  it('refuses to open a store with another block size', () => {
    const folder = freshFolder();
    JournaledBlockStore.open(folder, { impl, blockSize: 512 }).close();
    let error: unknown;
    try {
      JournaledBlockStore.open(folder, { impl, blockSize: 4096 });
    } catch (e) {
      error = e;
    }
    expect((error as NtStatusError).status).toBe(STATUS_INVALID_PARAMETER);
    const s = JournaledBlockStore.open(folder, { impl });
    expect(s.blockSize).toBe(512);
    s.close();
  });
});
