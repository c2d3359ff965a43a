/**
 * Shared by the bin/ entries: returns the compiled module of `entry` (a path under lib/),
 * compiling with tsc first when any source is newer than it, so an edit to src/ is never
 * run stale and an unchanged tree starts without TypeScript.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function isStale(entry) {
  if (!fs.existsSync(entry)) return true;
  const built = fs.statSync(entry).mtimeMs;
  const sources = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'imports')), fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs);
  return sources > built;
}

/** `relative` is the entry's path inside lib/, e.g. 'src/cli/synth.js'. */
function ensureBuilt(relative) {
  const entry = path.join(root, 'lib', relative);
  if (isStale(entry)) {
    const tsc = require.resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
    // tsc skips unchanged outputs; mark the entry fresh so the next run takes the fast path
    const now = new Date();
    fs.utimesSync(entry, now, now);
  }
  return require(entry);
}

module.exports = { ensureBuilt };
