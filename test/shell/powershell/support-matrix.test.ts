// The support matrix lives in code (style.md rule 7): the README's cmdlet
// table is generated from it and must not drift.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import { Environment } from '../../../src/kernel/process/environment.js';
import { supportMatrix } from '../../../src/shell/powershell/cmdlets/index.js';
import { formatToText } from '../../../src/shell/powershell/format/format.js';
import { createRuntime } from '../../../src/shell/powershell/index.js';

export function matrixTable(): string {
  const ctx = { env: Environment.from([]), cwd: 'C:\\', pid: 1 } as unknown as ProcessContext;
  const host = { out: async () => {}, flush: async () => {}, write: async () => {}, writeError: async () => {}, formatText: (i: unknown[]) => formatToText(i, 120), width: 120 };
  const rows = supportMatrix(createRuntime(ctx, host)).sort((a, b) => a.name.localeCompare(b.name));
  return ['| Cmdlet | Support | Note |', '|---|---|---|', ...rows.map((r) => `| ${r.name} | ${r.level} | ${r.note ?? ''} |`)].join('\n');
}

describe('support matrix', () => {
  it('README lists every cmdlet with its support level', () => {
    const table = matrixTable();
    if (process.env.PRINT_MATRIX) console.log(table);
    const readme = readFileSync(new URL('../../../src/shell/powershell/README.md', import.meta.url), 'utf8');
    expect(readme).toContain(table);
  });
});
