#!/usr/bin/env node
// Bundles the compiled CLI (dist/src/cli/main.js) into one CommonJS file in
// dist/cli/, named by its content hash, and writes dist/cli/main.js — the
// `winsilo` bin and what `npm start` runs — from scripts/cli-loader.cjs: it
// runs the bundle with V8's code cache (see there). One file because Node 20
// resolves, reads and links each ES module on its own (~250 on the start-up
// path, ~80 ms), and because a code cache covers one script. Dynamic imports
// (the daemon, PowerShell, the builder) stay lazy: esbuild runs a module's
// top level at its first import. npm packages stay external, required from
// node_modules. dist/cli is emptied first: old bundles and caches go.
//
// Then one launch makes the code cache: an interactive cmd session of
// servercore on a scratch data root, so the cache holds what a first prompt
// runs (launches find no other cache to replace: the first launch after a
// build would otherwise write it, whatever that launch did).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli');
const result = await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
  write: false,
  outfile: join(out, 'bundle.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  define: { 'import.meta.url': 'importMetaUrl' },
  inject: [join(root, 'scripts', 'cli-import-meta.js')],
  logLevel: 'warning',
});
// esbuild escapes non-ASCII in strings and names (charset ascii) but keeps comments and
// regular expression literals as written: each UTF-16 unit left is escaped here as \uXXXX,
// which means that unit in a comment, a string and a regular expression alike (u flag or
// not), so the bundle is ASCII and the loader reads it as latin1, a one-byte string at once
// (a UTF-8 decode of 2 MB with a few non-ASCII bytes cost ~13 ms of every launch).
const ascii = result.outputFiles[0].text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
// The file holds the CommonJS wrapper already (and not esbuild's copy of main.ts's `#!` line):
// the loader compiles the text exactly as read. Node reads a latin1 file this size as an
// external string, outside V8's heap; any edit (the wrapper, a replace) would copy its 2 MB
// into the old generation for the process's life, and that old-generation growth brought the
// first full collection of a session forward into its first seconds of typing (issue 7's
// keystroke tail).
const wrapped = `(function (exports, require, module, __filename, __dirname) { ${ascii.replace(/^#!.*/, '')}\n})`;
const code = Buffer.from(wrapped, 'latin1');
const bundle = `winsilo-${createHash('sha256').update(code).digest('hex').slice(0, 12)}.cjs`;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, bundle), code);
// main.js under "type": "module" would be an ES module: the loader is CommonJS, so it says so.
writeFileSync(join(out, 'package.json'), '{ "type": "commonjs" }\n');
const loader = readFileSync(join(root, 'scripts', 'cli-loader.cjs'), 'utf8').replace('@BUNDLE@', bundle);
writeFileSync(join(out, 'main.js'), loader);
chmodSync(join(out, 'main.js'), 0o755);

const scratch = mkdtempSync(join(tmpdir(), 'winsilo-warm-'));
try {
  const warm = spawnSync(process.execPath, [join(out, 'main.js'), 'run', '-i', '--rm', '-q', 'mcr.microsoft.com/windows/servercore:ltsc2022', 'cmd'], {
    input: 'ver\r\nexit\r\n',
    env: { ...process.env, WINSILO_DATA_ROOT: scratch },
    encoding: 'utf8',
  });
  if (warm.status !== 0 || !existsSync(join(out, `${bundle}.v8cache`))) process.stderr.write(`bundle-cli: no code cache made (exit ${warm.status}): ${warm.stderr}\n`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
