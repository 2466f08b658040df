// cmd conformance: scripts written from Microsoft Learn's cmd command reference (and ss64.com),
// each with its exact expected output, run as `winsilo run --rm -v DIR:C:\t IMAGE cmd /c C:\t\x.cmd`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../shell/support.js';

const DIR = join(import.meta.dirname, 'scripts');
const scripts = readdirSync(DIR).filter((f) => f.endsWith('.cmd')).sort();

describe('cmd conformance', () => {
  for (const file of scripts) {
    const name = file.slice(0, -4);
    it(name, async () => {
      const script = readFileSync(join(DIR, file), 'utf8');
      const expected = readFileSync(join(DIR, `${name}.expected`), 'utf8');
      const r = await runBatch(script);
      expect(r.stdout).toBe(expected);
    });
  }
});
