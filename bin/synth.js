#!/usr/bin/env node
/**
 * Entry of `npm run synth` and `cdk8s synth`. Runs the compiled synth in lib/ straight
 * away when it is newer than every source (no TypeScript on the hot path); otherwise
 * compiles first with tsc, so an edit to src/ is never synthesized stale.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'lib', 'src', 'cli', 'synth.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!fs.existsSync(entry)) return true;
  const built = fs.statSync(entry).mtimeMs;
  const sources = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'imports')), fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs);
  return sources > built;
}

if (isStale()) {
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // tsc skips unchanged outputs; mark the entry fresh so the next run takes the fast path
  const now = new Date();
  fs.utimesSync(entry, now, now);
}

process.exitCode = require(entry).main(process.argv.slice(2));
