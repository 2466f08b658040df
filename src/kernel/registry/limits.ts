/**
 * Limits of the registry (house style §6: one source of limits).
 *
 * Source: "Registry element size limits" (learn.microsoft.com/windows/win32/
 * sysinfo/registry-element-size-limits): key name 255 characters, value name
 * 16,383 characters, a tree 512 levels deep.
 */
import { OB_LIMITS } from '../../core/ob/limits.js';

export const REGISTRY_LIMITS = {
  /**
   * Longest key name part, in UTF-16 code units; one more is
   * ERROR_INVALID_PARAMETER. The documentation says 255, but Windows
   * accepts 256 and refuses 257 (RegCreateKeyEx measured on Vista x64,
   * jpassing.com 2007-11-25 "A Regedit bug…"; the kernel's CmpGetNextName
   * in ReactOS refuses a part over 512 bytes, Wine's server a name over
   * 256 characters). We follow what Windows does, so a 256-character name
   * that works on Windows works here.
   */
  maxKeyNameLength: 256,
  /** Longest value name, in UTF-16 code units (documented; Wine's MAX_VALUE_LEN). */
  maxValueNameLength: 16383,
  /**
   * Deepest key below a hive's root (documented: "a registry tree can be
   * 512 levels deep"). What Windows returns past it is not documented; we
   * answer ERROR_INVALID_PARAMETER (decision). A serialised hive deeper than
   * this is corrupt.
   */
  maxTreeDepth: 512,
  /**
   * Symbolic-link keys followed while opening one path: a registry link is
   * an object-manager reparse (CmpParseKey returns STATUS_REPARSE), so the
   * object manager's reparse limit applies; past it the key is not found
   * (windows-facts §1).
   */
  maxLinkReparses: OB_LIMITS.maxReparse,
} as const;
