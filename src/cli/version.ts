/**
 * `winsilo --version`: `winsilo version 0.1.0, build 7d74811`, in the
 * shape of docker's `Docker version 29.7.2, build 1a2b3c4` (docker/cli
 * cli/cobra.go SetVersionTemplate "Docker version {{.Version}}\n" with
 * Version "<version>, build <GitCommit>"; GitCommit is the short commit,
 * 7 hex digits). The version is package.json's; the build is the commit
 * of the checkout winsilo runs from, read from its .git without running
 * git, or `dev` when there is none (an installed package).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding winsilo's package.json, found upwards from this file (src/cli or dist/src/cli). */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'winsilo') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export function packageVersion(root = packageRoot()): string {
  if (!root) return '0.0.0';
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The short (7-digit) commit of the checkout at `root`, or undefined. Follows a `.git` file (worktrees) and packed refs. */
export function gitShortCommit(root: string | undefined = packageRoot()): string | undefined {
  if (!root) return undefined;
  try {
    let gitDir = join(root, '.git');
    if (!existsSync(gitDir)) return undefined;
    if (statSync(gitDir).isFile()) {
      const m = /^gitdir:\s*(.+)\s*$/m.exec(readFileSync(gitDir, 'utf8'));
      if (!m) return undefined;
      gitDir = resolve(root, m[1]!);
    }
    // A linked worktree keeps its refs in the common directory.
    const commonFile = join(gitDir, 'commondir');
    const commonDir = existsSync(commonFile) ? resolve(gitDir, readFileSync(commonFile, 'utf8').trim()) : gitDir;
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    let sha: string | undefined;
    if (/^[0-9a-f]{40,64}$/.test(head)) sha = head;
    else {
      const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
      if (!ref) return undefined;
      for (const dir of [gitDir, commonDir]) {
        const loose = join(dir, ref);
        if (existsSync(loose)) {
          sha = readFileSync(loose, 'utf8').trim();
          break;
        }
      }
      if (!sha) {
        const packed = join(commonDir, 'packed-refs');
        if (existsSync(packed)) {
          for (const line of readFileSync(packed, 'utf8').split('\n')) {
            const [h, name] = line.split(' ');
            if (name === ref && h) sha = h;
          }
        }
      }
    }
    return sha && /^[0-9a-f]{7,}$/.test(sha) ? sha.slice(0, 7) : undefined;
  } catch {
    return undefined;
  }
}

/** The line `winsilo --version` prints (without the newline). */
export function versionLine(): string {
  const root = packageRoot();
  return `winsilo version ${packageVersion(root)}, build ${gitShortCommit(root) ?? 'dev'}`;
}
