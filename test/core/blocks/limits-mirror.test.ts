// assembly/blocks cannot import from src/: its limits and audit codes are
// mirrors, pinned here to the TypeScript ones so they never drift.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { AuditProblem, BLOCK_LIMITS } from '../../../src/core/blocks/index.js';

const read = (p: string): string => readFileSync(new URL(`../../../${p}`, import.meta.url), 'utf8');
const value = (src: string, name: string): number => {
  const m = src.match(new RegExp(`export const ${name}: \\w+ = ([^;]+);`));
  expect(m, name).not.toBeNull();
  return Function(`return (${m![1]})`)() as number;
};

describe('blocks tables mirrored in assembly/blocks', () => {
  test('limits match assembly/blocks/limits.ts', () => {
    const src = read('assembly/blocks/limits.ts');
    expect(2 ** value(src, 'MIN_BLOCK_SHIFT')).toBe(BLOCK_LIMITS.minBlockSize);
    expect(2 ** value(src, 'MAX_BLOCK_SHIFT')).toBe(BLOCK_LIMITS.maxBlockSize);
    expect(value(src, 'SECTOR_BYTES')).toBe(BLOCK_LIMITS.sectorBytes);
    expect(value(src, 'MAX_VIRTUAL_SIZE')).toBe(BLOCK_LIMITS.maxVirtualSize);
    expect(value(src, 'IO_ENTRIES')).toBe(BLOCK_LIMITS.ioEntries);
    expect(value(src, 'MAX_DISKS')).toBe(BLOCK_LIMITS.maxDisks);
  });

  test('audit problem codes match assembly/blocks/audit.ts', () => {
    const src = read('assembly/blocks/audit.ts');
    for (const [name, code] of Object.entries(AuditProblem)) {
      if (code === 0) continue;
      const asName = 'AUDIT_' + name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
      expect(value(src, asName), asName).toBe(code);
    }
  });
});
