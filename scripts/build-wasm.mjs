#!/usr/bin/env node
// Builds each core module assembly/<name>/index.ts into build/<name>.wasm
// (release: -O3, no asserts) and, with --debug, build/<name>.debug.wasm.
// A module is rebuilt only when a source it may include (its own folder,
// assembly/rt, asconfig.json) is newer than its output, so `npm test` and
// `npm start` stay quick after the first build.
import { readdirSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const debug = process.argv.includes('--debug');
const force = process.argv.includes('--force');

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const e of readdirSync(path)) t = Math.max(t, newest(join(path, e)));
  return t;
}

const modules = readdirSync(join(root, 'assembly'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'rt' && existsSync(join(root, 'assembly', d.name, 'index.ts')))
  .map((d) => d.name);

mkdirSync(join(root, 'build'), { recursive: true });
const shared = Math.max(newest(join(root, 'assembly', 'rt')), newest(join(root, 'asconfig.json')));
let failed = false;
for (const name of modules) {
  for (const target of debug ? ['release', 'debug'] : ['release']) {
    const out = join(root, 'build', target === 'release' ? `${name}.wasm` : `${name}.debug.wasm`);
    const src = Math.max(shared, newest(join(root, 'assembly', name)));
    if (!force && existsSync(out) && statSync(out).mtimeMs >= src) continue;
    const started = Date.now();
    const { error, stderr } = await asc.main(
      [join('assembly', name, 'index.ts'), '--config', 'asconfig.json', '--target', target, '--outFile', out],
      { stdout: process.stdout, stderr: process.stderr, readFile: undefined },
    );
    if (error) {
      process.stderr.write(`build-wasm: ${name} (${target}) failed: ${error.message}\n${stderr?.toString?.() ?? ''}`);
      failed = true;
    } else {
      process.stderr.write(`build-wasm: ${name} (${target}) → ${out.slice(root.length + 1)} in ${Date.now() - started} ms\n`);
    }
  }
}
process.exit(failed ? 1 : 0);
