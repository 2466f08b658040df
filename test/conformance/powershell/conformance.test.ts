// PowerShell conformance: scripts written from Microsoft's about_ topics,
// each with its exact expected output (NAME.out: stdout, NAME.err:
// stderr when present; stored with LF, compared as CRLF), run as users
// run them: `winsilo run --rm -v DIR:C:\t IMAGE powershell -File C:\t\NAME.ps1`.
// KNOWN_LIMITATIONS lists cases expected to fail, with the reason; a known
// case that passes fails the suite so the list never goes stale.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../../shell/support.js';

const CASES = join(dirname(fileURLToPath(import.meta.url)), 'cases');

const KNOWN_LIMITATIONS: Record<string, string> = {};

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

describe('PowerShell conformance (about_ topics)', () => {
  for (const file of readdirSync(CASES).filter((f) => f.endsWith('.ps1')).sort()) {
    const name = file.slice(0, -4);
    it(name, async () => {
      const r = await run(['powershell', '-NoProfile', '-NonInteractive', '-File', `C:\\t\\${file}`], { binds: [{ hostPath: CASES, containerPath: 'C:\\t', readOnly: true }] });
      const out = crlf(readFileSync(join(CASES, `${name}.out`), 'utf8'));
      const errPath = join(CASES, `${name}.err`);
      const err = existsSync(errPath) ? crlf(readFileSync(errPath, 'utf8')) : '';
      const ok = r.stdout === out && r.stderr === err;
      if (KNOWN_LIMITATIONS[name]) {
        expect(ok, `${name} now passes: remove it from KNOWN_LIMITATIONS`).toBe(false);
        return;
      }
      expect(r.stdout).toBe(out);
      expect(r.stderr).toBe(err);
    });
  }
});
