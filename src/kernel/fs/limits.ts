/**
 * Limits of the file system layer, in one place (house style §6). Each is
 * Windows' own value where Windows has one; the cache sizes are ours.
 */
export const FS_LIMITS = {
  /**
   * Characters (UTF-16 code units) in one path component: NTFS's 255
   * ("Naming Files, Paths, and Namespaces": "the maximum length for a
   * file name is 255 characters"). Longer → ERROR_FILENAME_EXCED_RANGE.
   */
  maxComponent: 255,
  /**
   * Characters in a full path: the 32,767 of the Unicode API with `\\?\`
   * (same page, "Maximum Path Length Limitation"). MAX_PATH (260) is not
   * enforced: whether it applies depends on LongPathsEnabled and the
   * calling program's manifest, which the process model decides.
   */
  maxPath: 32767,
  /**
   * Reparse points one open may traverse before ERROR_CANT_RESOLVE_FILENAME
   * (the I/O manager's limit on STATUS_REPARSE round trips: 63 traversals,
   * the 64th fails).
   */
  maxReparse: 63,
  /** Hard links to one file on NTFS ("Hard Links and Junctions": 1023 additional links, 1024 names). */
  maxHardLinks: 1024,
  /** Characters in an NTFS volume label ("label" command: 32 on NTFS). */
  maxLabel: 32,
  /**
   * Decoded file records one mounted NTFS volume keeps (least recently used
   * dropped first). Small on purpose: a thousand containers each mount a
   * clone of one image, and each touches few files; records of open files
   * are read again on demand, never pinned.
   */
  recordCacheEntries: 256,
} as const;

export type FsLimits = typeof FS_LIMITS;
