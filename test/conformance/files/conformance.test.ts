// Conformance of cmd's file commands and the file utilities: batch
// scripts written from the examples of Microsoft's command reference
// (learn.microsoft.com "Windows commands": copy, mkdir, find, findstr,
// sort, xcopy, rename, move, del, rmdir, attrib, where, dir, type), each
// with its exact expected standard output (cases/NAME.cmd → cases/NAME.out),
// run as the suite runs every script: `winsilo run --rm -v DIR:C:\t IMAGE
// cmd /c C:\t\NAME.cmd`. A case listed in KNOWN_LIMITATIONS must fail (the
// list says why); one that starts passing fails the suite, so the list
// stays honest.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../shell/support.js';

const CASES = join(dirname(fileURLToPath(import.meta.url)), 'cases');

/** Cases known to differ from Windows, with the reason. */
const KNOWN_LIMITATIONS: ReadonlyMap<string, string> = new Map([]);

const names = readdirSync(CASES)
  .filter((f) => f.endsWith('.cmd'))
  .map((f) => f.slice(0, -4))
  .sort();

describe('file commands conformance (Microsoft command reference examples)', () => {
  for (const name of names) {
    it(name, async () => {
      const script = readFileSync(join(CASES, `${name}.cmd`), 'utf8');
      const expected = readFileSync(join(CASES, `${name}.out`), 'utf8');
      const r = await runBatch(script, { name: `${name}.cmd` });
      if (KNOWN_LIMITATIONS.has(name)) {
        expect(r.stdout, `${name} passes now: remove it from KNOWN_LIMITATIONS`).not.toBe(expected);
        return;
      }
      expect(r.stdout).toBe(expected);
    });
  }
});
