// The shell's programs are registered by path before their code loads
// (src/shell/index.ts): the listed paths must be exactly what each family
// registers, and a program runs as itself once loaded.
import { expect, test } from 'vitest';
import { ProgramRegistry } from '../../src/kernel/process/programs.js';
import { registerShell, SHELL_FAMILIES } from '../../src/shell/index.js';
import { run } from './support.js';

test.each(SHELL_FAMILIES.map((f) => [f.name, f] as const))('the %s family registers exactly the paths listed for it', async (_name, family) => {
  const programs = await family.load();
  expect(programs.map((p) => p.path).sort()).toEqual([...family.paths].sort());
});

test('every listed path is registered in a kernel registry, case-insensitively', () => {
  const r = new ProgramRegistry();
  registerShell(r);
  for (const f of SHELL_FAMILIES) for (const p of f.paths) expect(r.has(p.toUpperCase())).toBe(true);
});

test('a lazily loaded program runs as itself on first use', async () => {
  expect(await run(['hostname'])).toMatchObject({ exitCode: 0 });
  const r = await run(['cmd', '/c', 'ver']);
  expect(r.stdout).toMatch(/^\r\nMicrosoft Windows \[Version 10\.0\.20348\.\d+\]\r\n$/);
});
