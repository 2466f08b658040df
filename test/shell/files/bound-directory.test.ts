// Renames inside a bind mount: the files live on the bound volume, reached
// through C:\t's link, so `ren` and `move` within it are renames on one
// volume (MoveFileEx follows the source's directory, not the source).
import { expect, test } from 'vitest';
import { runBatch } from '../support.js';

test('ren and move within a bound directory rename on the bound volume', async () => {
  const r = await runBatch('@echo off\r\necho x> C:\\t\\a.txt\r\nren C:\\t\\a.txt b.txt\r\necho %errorlevel%\r\nmove C:\\t\\b.txt C:\\t\\c.txt\r\ndir /b C:\\t\r\n');
  expect(r).toEqual({ stdout: '0\r\n        1 file(s) moved.\r\nc.txt\r\nx.cmd\r\n', stderr: '', exitCode: 0 });
});

test('a move from the bound directory to the container volume is a move across volumes', async () => {
  const r = await runBatch('@echo off\r\necho x> C:\\t\\a.txt\r\nmove C:\\t\\a.txt C:\\a.txt\r\ntype C:\\a.txt\r\ndir /b C:\\t\r\n');
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('        1 file(s) moved.\r\nx\r\nx.cmd\r\n');
});
