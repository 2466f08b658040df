#!/usr/bin/env node
// The `winsilo` bin (dist/cli/main.js; written by scripts/bundle-cli.mjs,
// which puts the bundle's name in BUNDLE). It runs the one-file CommonJS
// bundle of the CLI through vm.Script with V8's code cache: most of a
// launch's own cost was V8 parsing ~1 MB of modules (issue 7: first prompt
// ≤ 150 ms after Node's start-up), and Node 20 has no compile cache for ES
// modules (module.enableCompileCache is Node 22). The cache sits beside the
// bundle and is written at the exit of a launch that found none (or one V8
// rejected: another V8 version or other flags), then reused by every later
// launch; the bundle's name carries its content hash, so a rebuilt bundle
// never meets a stale cache (V8 itself checks only the source's length).
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE = '@BUNDLE@';
const file = join(__dirname, BUNDLE);
const cacheFile = `${file}.v8cache`;
// ASCII (bundle-cli.mjs makes sure), so read as latin1: a one-byte string without a UTF-8
// decode, and (this size) an external one, outside V8's heap. The file is already the
// CommonJS wrapper around the bundle: compiled as read, never copied.
const source = readFileSync(file, 'latin1');
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // none yet: this launch writes it
}
const script = new Script(source, { filename: file, cachedData });
if (cachedData === undefined || script.cachedDataRejected) {
  process.once('exit', () => {
    // At exit the cache holds the functions this launch compiled, not only the top level.
    // Written aside and renamed: launches at once never read a torn file. A read-only install runs uncached.
    const aside = `${cacheFile}.${process.pid}`;
    try {
      writeFileSync(aside, script.createCachedData());
      renameSync(aside, cacheFile);
    } catch {
      // no cache: the next launch compiles again
    }
  });
}
const module_ = new Module(file, module);
module_.filename = file;
module_.paths = Module._nodeModulePaths(__dirname);
// As if Node ran the bundle itself: main.ts runs when argv[1] is its own file.
process.argv[1] = file;
script.runInThisContext()(module_.exports, Module.createRequire(file), module_, file, __dirname);
