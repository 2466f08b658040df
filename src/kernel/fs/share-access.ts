/**
 * Share modes: what IoCheckShareAccess decides when a file is opened while
 * other handles to it are open (learn.microsoft.com "Creating and Opening
 * Files", the sharing table; IoCheckShareAccess in the WDK docs).
 *
 * An open that asks for none of read, write or delete access (attributes
 * only) neither checks nor records share access, as the I/O manager does.
 * Otherwise it conflicts when it wants an access some open handle does not
 * share, or when it does not share an access some open handle has.
 */
import type { OpenOptions } from './types.js';

export interface ShareClaim {
  read: boolean;
  write: boolean;
  delete: boolean;
  shareRead: boolean;
  shareWrite: boolean;
  shareDelete: boolean;
}

/** The claim an open makes: its access, and its share mode (read, write and delete shared unless refused). */
export function claimOf(opts: OpenOptions): ShareClaim {
  return {
    read: opts.read ?? false,
    write: opts.write ?? false,
    delete: opts.delete ?? false,
    shareRead: opts.shareRead ?? true,
    shareWrite: opts.shareWrite ?? true,
    shareDelete: opts.shareDelete ?? true,
  };
}

export function participates(c: ShareClaim): boolean {
  return c.read || c.write || c.delete;
}

export function shareConflict(open: Iterable<ShareClaim>, wanted: ShareClaim): boolean {
  if (!participates(wanted)) return false;
  for (const o of open) {
    if (!participates(o)) continue;
    if ((wanted.read && !o.shareRead) || (wanted.write && !o.shareWrite) || (wanted.delete && !o.shareDelete)) return true;
    if ((o.read && !wanted.shareRead) || (o.write && !wanted.shareWrite) || (o.delete && !wanted.shareDelete)) return true;
  }
  return false;
}

/** What DeleteFile, RemoveDirectory and MoveFile open with: DELETE access, sharing everything. */
export const DELETE_CLAIM: ShareClaim = { read: false, write: false, delete: true, shareRead: true, shareWrite: true, shareDelete: true };

/** Open handles' claims per file, keyed by the volume's file id. */
export class ShareTable<K> {
  private readonly open = new Map<K, Set<ShareClaim>>();

  claims(key: K): Iterable<ShareClaim> {
    return this.open.get(key) ?? [];
  }

  conflicts(key: K, wanted: ShareClaim): boolean {
    const set = this.open.get(key);
    return set !== undefined && shareConflict(set, wanted);
  }

  add(key: K, claim: ShareClaim): void {
    let set = this.open.get(key);
    if (!set) this.open.set(key, (set = new Set()));
    set.add(claim);
  }

  /** Removes a claim; true when it was the last open of the file. */
  remove(key: K, claim: ShareClaim): boolean {
    const set = this.open.get(key);
    if (!set) return true;
    set.delete(claim);
    if (set.size === 0) {
      this.open.delete(key);
      return true;
    }
    return false;
  }

  isOpen(key: K): boolean {
    return this.open.has(key);
  }

  /** Every file with an open handle. */
  openKeys(): IterableIterator<K> {
    return this.open.keys();
  }
}

/**
 * Image sections: the file a running process was created from is mapped
 * as an image (NtCreateSection with SEC_IMAGE). The mapping holds no handle
 * and no share access — the loader closes its handle once the section
 * exists — yet while it lives the file system refuses two things (WDK
 * "Executable Images": FASTFAT's create path asks MmFlushImageSection,
 * which fails while an image section is in use):
 *  - an open for write (FILE_WRITE_DATA, or a truncating disposition):
 *    STATUS_SHARING_VIOLATION → ERROR_SHARING_VIOLATION (32);
 *  - a delete (the disposition, DeleteFile, or a rename replacing the
 *    file): STATUS_CANNOT_DELETE → ERROR_ACCESS_DENIED (5).
 * Reading, copying and renaming the file are allowed ("Why can I rename a
 * running executable, but not delete it?": a rename changes a directory
 * entry, not the file), as is a hard link to it.
 *
 * Counted per file: several processes of one image share its section.
 */
export class ImageSectionTable<K> {
  private readonly mapped = new Map<K, number>();

  map(key: K): void {
    this.mapped.set(key, (this.mapped.get(key) ?? 0) + 1);
  }

  unmap(key: K): void {
    const n = this.mapped.get(key);
    if (n === undefined) return;
    if (n <= 1) this.mapped.delete(key);
    else this.mapped.set(key, n - 1);
  }

  isMapped(key: K): boolean {
    return this.mapped.has(key);
  }

  /** Every file mapped as an image. */
  keys(): IterableIterator<K> {
    return this.mapped.keys();
  }
}

/**
 * The loader's open of an image file (NtCreateUserProcess): read and
 * execute access, sharing read and delete but not write — so an image
 * that some handle has open for write cannot be mapped
 * (ERROR_SHARING_VIOLATION, as CreateProcess answers for an executable
 * still being written).
 */
export const IMAGE_LOADER_CLAIM: ShareClaim = { read: true, write: false, delete: false, shareRead: true, shareWrite: false, shareDelete: true };
