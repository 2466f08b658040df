#!/usr/bin/env node
// Bundles the compiled CLI (dist/src/cli/main.js) into dist/cli/: the
// `winsilo` bin and `npm start` run the bundle. Node 20 resolves, reads and
// links each ES module on its own, and the CLI's start-up path is ~250
// modules: a bundle saves ~80 ms of every start (issue 7: first prompt
// ≤ 150 ms after Node's own start-up). Code splitting keeps the dynamic
// imports lazy (the daemon, PowerShell and the other shell families load
// on first use); npm packages stay external, loaded from node_modules.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
  outdir: join(root, 'dist', 'cli'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
