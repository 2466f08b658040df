// The `winsilo` bin runs its one-file bundle through V8's code cache
// (scripts/cli-loader.cjs, made by scripts/bundle-cli.mjs): a launch that
// finds no cache, or one V8 rejects, still runs and leaves a cache for the
// next; a launch that finds a good one leaves it alone. Run on a copy of
// dist/cli inside the checkout (npm packages resolve from its node_modules),
// so the suite's other launches never meet a cache this test spoils.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const copy = join(DIST, `cli-cache-test-${process.pid}`);
let bundle: string;
let cache: string;

beforeAll(() => {
  cpSync(join(DIST, 'cli'), copy, { recursive: true });
  bundle = join(copy, readdirSync(copy).find((f) => /^winsilo-[0-9a-f]{12}\.cjs$/.test(f))!);
  cache = `${bundle}.v8cache`;
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const version = () => spawnSync(process.execPath, [join(copy, 'main.js'), '--version'], { encoding: 'utf8' });

describe('the CLI bundle and its code cache', () => {
  test('the bundle is ASCII (the loader reads it as latin1) and its name carries its content hash', () => {
    const bytes = readFileSync(bundle);
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    expect(readFileSync(join(copy, 'main.js'), 'utf8')).toContain(`const BUNDLE = '${bundle.split('/').pop()}';`);
  });

  test('the bundle is the CommonJS wrapper already, compiled as read: its source stays off the V8 heap', () => {
    const text = readFileSync(bundle, 'latin1');
    expect(text.startsWith('(function (exports, require, module, __filename, __dirname) { \n')).toBe(true);
    expect(text.endsWith('\n})')).toBe(true);
    expect(text).not.toMatch(/^#!/m);
    // Node holds a latin1 file this size as an external string: compiling it as read adds
    // the script's own structures (~0.5 MB), while any edit (Module.wrap, a replace) first
    // copies all of it into the old generation (~2.6 MB), which brought a session's first
    // full collection forward into its first seconds of typing (issue 7).
    const grown = (edit: string): number => {
      const r = spawnSync(
        process.execPath,
        ['-e', `const v8 = require('v8'), { Script } = require('vm'); const s = require('fs').readFileSync(process.argv[1], 'latin1'); const before = v8.getHeapStatistics().used_heap_size; new Script(${edit}); console.log(v8.getHeapStatistics().used_heap_size - before)`, bundle],
        { encoding: 'utf8' },
      );
      expect(r.stderr).toBe('');
      return Number(r.stdout);
    };
    expect(grown('s')).toBeLessThan(text.length / 2);
    expect(grown("s + ' '")).toBeGreaterThan(text.length);
  });

  test('no cache: the launch runs and writes one; the next launch uses it and leaves it alone', () => {
    rmSync(cache, { force: true });
    const first = version();
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^winsilo version \d+\.\d+\.\d+, build ([0-9a-f]{7}|dev)\n$/);
    expect(existsSync(cache)).toBe(true);
    const made = statSync(cache).mtimeMs;
    const second = version();
    expect(second.stdout).toBe(first.stdout);
    expect(statSync(cache).mtimeMs).toBe(made);
  });

  test('a damaged cache is rejected, the launch runs all the same, and a good cache replaces it', () => {
    writeFileSync(cache, Buffer.alloc(4096, 0x5a));
    const r = version();
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^winsilo version /);
    expect(readFileSync(cache).equals(Buffer.alloc(4096, 0x5a))).toBe(false);
    // The new one is accepted: a further launch does not write again.
    const made = statSync(cache).mtimeMs;
    expect(version().status).toBe(0);
    expect(statSync(cache).mtimeMs).toBe(made);
  });
});
