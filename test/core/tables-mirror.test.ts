// The AssemblyScript side cannot import from src/: its constant tables are
// mirrors, pinned here to the TypeScript ones so they never drift.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { NTSTATUS_TABLE } from '../../src/core/ntstatus.js';
import { OB_LIMITS } from '../../src/core/ob/limits.js';
import { OBJECT_TYPE_NAMES, ObjectType } from '../../src/core/ob/types.js';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

describe('mirrored tables', () => {
  test('every NTSTATUS in assembly/rt/ntstatus.ts has the value and name of src/core/ntstatus.ts', () => {
    const src = read('assembly/rt/ntstatus.ts');
    const found = [...src.matchAll(/export const (STATUS_\w+): i32 = (0x[0-9a-f]+);/gi)];
    expect(found.length).toBeGreaterThan(20);
    for (const [, name, hex] of found) {
      const info = NTSTATUS_TABLE.get(Number(hex) | 0);
      expect(info?.name, `${name} ${hex}`).toBe(name);
    }
  });

  test('ob limits match assembly/ob/limits.ts', () => {
    const src = read('assembly/ob/limits.ts');
    const value = (name: string) => {
      const m = src.match(new RegExp(`export const ${name}: \\w+ = ([^;]+);`));
      return Function(`return (${m![1]})`)() as number;
    };
    expect(value('DIRECTORY_BUCKETS')).toBe(OB_LIMITS.directoryBuckets);
    expect(value('MAX_REPARSE')).toBe(OB_LIMITS.maxReparse);
    expect(value('MAX_NAME_BYTES')).toBe(OB_LIMITS.maxNameBytes);
    expect(value('MAX_EXPANSION_BYTES')).toBe(OB_LIMITS.maxExpansionBytes);
    expect(value('MAX_SHADOW_DEPTH')).toBe(OB_LIMITS.maxShadowDepth);
    expect(value('MAX_HANDLES_PER_PROCESS')).toBe(OB_LIMITS.maxHandlesPerProcess);
    expect(value('MAX_BATCH')).toBe(OB_LIMITS.maxBatch);
    expect(value('BATCH_NAME_UNITS')).toBe(OB_LIMITS.batchNameUnits);
    expect(value('MAX_QUERY_BUFFER')).toBe(OB_LIMITS.maxQueryBuffer);
    expect(value('MAX_QUERY_NAME_UNITS')).toBe(OB_LIMITS.maxQueryNameUnits);
  });

  test('object type numbers and type-name lengths match assembly/ob', () => {
    const types = read('assembly/ob/types.ts');
    for (const [name, id] of Object.entries(ObjectType)) {
      const asName = 'TYPE_' + name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
      expect(types, asName).toMatch(new RegExp(`export const ${asName}: u8 = ${id};`));
    }
    const index = read('assembly/ob/index.ts');
    const lengths = index.match(/TYPE_NAME_LENGTHS: usize = memory\.data<u8>\(\[([^\]]+)\]\)/)![1]!.split(',').map((s) => Number(s));
    expect(lengths).toEqual(OBJECT_TYPE_NAMES.map((n) => n.length));
  });
});
