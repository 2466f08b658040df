// `winsilo images`: docker's classic table (docker/cli formatter/image.go,
// Go tabwriter minwidth 10 padding 3, go-units) and Go's tabwriter rules.
import { describe, expect, test } from 'vitest';
import { formatImagesTable, truncateId } from '../../src/cli/images.js';
import { tabwrite } from '../../src/cli/tabwriter.js';
import type { ImageSummary } from '../../src/host/types.js';

const NOW = Date.parse('2026-09-01T12:00:00Z');
const DAY = 86400;
const HEX = '0123456789abcdef'.repeat(4);

function image(over: Partial<ImageSummary>): ImageSummary {
  return { Id: `sha256:${HEX}`, RepoTags: [], RepoDigests: [], Created: NOW / 1000 - 21 * DAY, Size: 1_950_000_000, Os: 'windows', OsVersion: '10.0.20348.1', ...over };
}

describe("Go's tabwriter (minwidth 10, padding 3)", () => {
  test('a column is its widest cell plus 3, at least 10; the last cell is not padded', () => {
    const sp = (n: number): string => ' '.repeat(n);
    // "longer-than-ten" is 15 runes: the column is 18 wide; the second column is at its minimum, 10.
    expect(tabwrite('a\tbb\tlast\nlonger-than-ten\tx\ty\n')).toBe(`a${sp(17)}bb${sp(8)}last\nlonger-than-ten${sp(3)}x${sp(9)}y\n`);
  });

  test('widths count runes, not UTF-16 units or bytes', () => {
    expect(tabwrite('é€\tx\n𝒳\ty\n')).toBe('é€        x\n𝒳         y\n');
  });

  test('a line without tabs ends a formatting run: later lines get their own widths', () => {
    expect(tabwrite('a-long-cell\tx\nplain\nb\ty\n')).toBe('a-long-cell   x\nplain\nb         y\n');
  });

  test('column blocks: a shorter line ends the block of the columns it lacks', () => {
    const sp = (n: number): string => ' '.repeat(n);
    expect(tabwrite('a\tb\tc\n12345678901\t\nq\tr\ts\n')).toBe(`a${sp(13)}b${sp(9)}c\n12345678901${sp(3)}\nq${sp(13)}r${sp(9)}s\n`);
  });
});

describe('the images table', () => {
  test('header and one row, exactly as docker lays them out', () => {
    const text = formatImagesTable([image({ RepoTags: ['mcr.microsoft.com/windows/servercore:ltsc2022'] })], { now: NOW });
    expect(text.split('\n')).toEqual([
      'REPOSITORY                             TAG        IMAGE ID       CREATED       SIZE',
      'mcr.microsoft.com/windows/servercore   ltsc2022   0123456789ab   3 weeks ago   1.95GB',
      '',
    ]);
  });

  test('IMAGE ID is the first 12 hex digits; --no-trunc shows the whole id', () => {
    expect(truncateId(`sha256:${HEX}`)).toBe('0123456789ab');
    const text = formatImagesTable([image({ RepoTags: ['x:1'] })], { now: NOW, noTrunc: true });
    expect(text.split('\n')[1]).toContain(`sha256:${HEX}`);
  });

  test('one row per tag; repositories shown by their familiar names', () => {
    const text = formatImagesTable([image({ RepoTags: ['docker.io/library/busybox:latest', 'busybox:1.36', 'mcr.microsoft.com/windows/nanoserver:ltsc2022'] })], { now: NOW });
    const rows = text.trimEnd().split('\n').slice(1).map((l) => l.split(/\s{3,}/).slice(0, 2));
    expect(rows).toEqual([
      ['busybox', 'latest'],
      ['busybox', '1.36'],
      ['mcr.microsoft.com/windows/nanoserver', 'ltsc2022'],
    ]);
  });

  test('newest first, as the engine lists them', () => {
    const text = formatImagesTable(
      [image({ Id: 'sha256:' + 'a'.repeat(64), RepoTags: ['old:1'], Created: NOW / 1000 - 400 * DAY }), image({ Id: 'sha256:' + 'b'.repeat(64), RepoTags: ['new:1'], Created: NOW / 1000 - 90 })],
      { now: NOW },
    );
    expect(text.split('\n').slice(1, 3).map((l) => l.split(' ')[0])).toEqual(['new', 'old']);
    expect(text).toContain('About a minute ago');
    expect(text).toContain('13 months ago');
  });

  test('dangling images only with -a, as <none> <none>', () => {
    const imgs = [image({ RepoTags: ['x:1'] }), image({ Id: 'sha256:' + 'c'.repeat(64), RepoTags: [] })];
    expect(formatImagesTable(imgs, { now: NOW })).not.toContain('<none>');
    expect(formatImagesTable(imgs, { now: NOW, all: true })).toMatch(/\n<none>\s{3,}<none>\s{3,}cccccccccccc /);
  });

  test('-q prints one id per row, no header', () => {
    expect(formatImagesTable([image({ RepoTags: ['x:1', 'x:2'] })], { now: NOW, quiet: true })).toBe('0123456789ab\n0123456789ab\n');
  });

  test('--digests adds the DIGEST column; <none> when the image has none', () => {
    const text = formatImagesTable([image({ RepoTags: ['x:1'] })], { now: NOW, digests: true });
    expect(text.split('\n')[0]).toBe('REPOSITORY   TAG       DIGEST    IMAGE ID       CREATED       SIZE');
    expect(text.split('\n')[1]).toBe('x            1         <none>    0123456789ab   3 weeks ago   1.95GB');
  });

  test('no images: the header alone', () => {
    expect(formatImagesTable([], { now: NOW })).toBe('REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n');
  });
});
