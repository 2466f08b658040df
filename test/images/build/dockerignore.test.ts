// .dockerignore as moby's patternmatcher applies it.
import { describe, expect, test } from 'vitest';
import { PatternMatcher, readIgnoreFile } from '../../../src/images/build/dockerignore.js';
import { contextOf } from './support.js';

const excluded = (patterns: string, path: string): boolean => new PatternMatcher(readIgnoreFile(patterns)).matchesOrParentMatches(path);

describe('.dockerignore patterns', () => {
  test('a name excludes the file and everything under a folder of that name', () => {
    expect(excluded('bin', 'bin')).toBe(true);
    expect(excluded('bin', 'bin/app.exe')).toBe(true);
    expect(excluded('bin', 'src/bin')).toBe(false);
  });
  test('* stays within a segment; ** spans folders', () => {
    expect(excluded('*.log', 'a.log')).toBe(true);
    expect(excluded('*.log', 'logs/a.log')).toBe(false);
    expect(excluded('**/*.log', 'logs/deep/a.log')).toBe(true);
    expect(excluded('obj/**', 'obj/Debug/x.dll')).toBe(true);
  });
  test('the last matching pattern wins; ! re-includes', () => {
    expect(excluded('*.md\n!README.md', 'README.md')).toBe(false);
    expect(excluded('*.md\n!README.md', 'CHANGES.md')).toBe(true);
    expect(excluded('*\n!src', 'src/a.cs')).toBe(false);
  });
  test('comments, blanks, a leading slash and ./ are normalised', () => {
    expect(readIgnoreFile('# c\n\n  /secret.txt  \n./a/../b\n!  keep\n')).toEqual(['secret.txt', 'b', '!keep']);
  });
  test('? matches one character, not a separator', () => {
    expect(excluded('a?c', 'abc')).toBe(true);
    expect(excluded('a?c', 'a/c')).toBe(false);
  });
});

describe('the daemon and .dockerignore (moby removeDockerfile)', () => {
  test('the Dockerfile and .dockerignore leave the context when excluded; other files are the client’s business', () => {
    const ctx = contextOf({ Dockerfile: 'FROM x', '.dockerignore': 'Dockerfile\n.dockerignore\nsecret/\n', 'secret/key': 'k', 'keep.txt': 'x' });
    expect(ctx.dockerfile('Dockerfile')).toBe('FROM x');
    ctx.removeBuildFiles('Dockerfile');
    expect(ctx.walk('')).toEqual(['keep.txt', 'secret', 'secret/key']);
  });
  test('not excluded: they stay', () => {
    const ctx = contextOf({ Dockerfile: 'FROM x', '.dockerignore': '*.log\n', 'a.log': 'l' });
    ctx.removeBuildFiles('Dockerfile');
    expect(ctx.walk('')).toEqual(['.dockerignore', 'Dockerfile', 'a.log']);
  });
});
