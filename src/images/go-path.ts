/**
 * Go's lexical path cleaning, as the moby code winsilo follows uses it:
 * path.Clean for `/` paths (build contexts, .dockerignore patterns) and
 * filepath.Clean on Windows for `\` paths (container paths, archive entry
 * names on a Windows daemon). Both rest on one folding of segments.
 */

/**
 * Clean's folding of a path's segments: empty and `.` segments go, `..`
 * takes back the segment before it; a `..` with nothing to take back stays
 * at the front of a relative path and goes at a root.
 */
export function foldSegments(segments: Iterable<string>, rooted: boolean): string[] {
  const parts: string[] = [];
  for (const seg of segments) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(seg);
  }
  return parts;
}

/** Go's path.Clean. */
export function cleanSlashPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const joined = foldSegments(p.split('/'), rooted).join('/');
  return rooted ? `/${joined}` : joined === '' ? '.' : joined;
}

/** Go's filepath.Clean on Windows (enough for container paths): `/` read as `\`, a drive letter kept. */
export function cleanWindowsPath(p: string): string {
  const s = p.replace(/\//g, '\\');
  const drive = /^[a-zA-Z]:/.exec(s)?.[0] ?? '';
  const rest = s.slice(drive.length);
  const rooted = rest.startsWith('\\');
  const body = foldSegments(rest.split('\\'), rooted).join('\\');
  if (rooted) return `${drive}\\${body}`;
  return body === '' ? `${drive}.` : `${drive}${body}`;
}
