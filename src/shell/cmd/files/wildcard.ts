/**
 * Windows wildcard matching, as FindFirstFile applies it to long names.
 *
 * FindFirstFile turns a pattern into FsRtlIsNameInExpression's DOS forms
 * (Microsoft Learn "FsRtlIsNameInExpression"; the conversion is the one
 * FindFirstFileEx documents for `*`, `?` and `.`):
 *  - `?` is DOS_QM: one character, but not a period; a run of them that
 *    reaches a period or the end of the pattern also matches fewer
 *    characters (`a??` matches `a`, `ab`, `abc`).
 *  - `*` followed by `.` is DOS_STAR: everything up to the name's last
 *    period (or the whole name if it has none).
 *  - `.` followed by `?`, `*` or the end is DOS_DOT: a period, or nothing at
 *    the end of the name (`abc.*` matches `abc`; `*.` matches names without
 *    an extension).
 *  - `*` and `*.*` match every name.
 * Matching is case-insensitive. Not modelled: matching against 8.3 short
 * names (NTFS here keeps no short names), so `*.htm` does not find
 * `page.html` through its short name `PAGE~1.HTM` as it may on Windows.
 */

/**
 * Whether a path holds wildcards. The `?` of the `\\?\` and `\??\`
 * prefixes, and the `\\.\` device prefix, are part of the path syntax
 * ("File path formats on Windows systems": DOS device paths), not
 * wildcards — `type \\?\C:\x.txt` names one file.
 */
export function hasWildcards(s: string): boolean {
  const rest = /^(?:[\\/][\\/][?.]|\\\?\?)[\\/]/.test(s) ? s.slice(4) : s;
  return rest.includes('*') || rest.includes('?');
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** A predicate telling whether a name matches `pattern` (one path component). */
export function wildcardMatcher(pattern: string): (name: string) => boolean {
  if (pattern === '*' || pattern === '*.*' || pattern === '') return () => true;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const next = pattern[i + 1];
    if (c === '*') {
      re += next === '.' ? '(?:.*(?=\\.[^.]*$)|[^.]*)' : '.*';
    } else if (c === '?') {
      let j = i;
      while (pattern[j] === '?') j++;
      const run = j - i;
      const optional = j === pattern.length || pattern[j] === '.';
      re += (optional ? '[^.]?' : '[^.]').repeat(run);
      i = j - 1;
    } else if (c === '.') {
      re += next === undefined || next === '*' || next === '?' ? '(?:\\.|$)' : '\\.';
    } else {
      re += escapeRegExp(c);
    }
  }
  const rx = new RegExp(`^${re}$`, 'is');
  return (name) => rx.test(name);
}
