#!/usr/bin/env node
/**
 * Entry of `npm run bench`: compiles the benchmark (bench/*.ts and the sources it uses)
 * into lib/ with tsc, incrementally, then runs it. See bench/README.md.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const tsc = require.resolve('typescript/bin/tsc');
const build = spawnSync(process.execPath, [tsc, '-p', path.join(__dirname, 'tsconfig.json')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

try {
  process.exitCode = require(path.join(root, 'lib', 'bench', 'main.js')).main(process.argv.slice(2));
} catch (err) {
  console.error(`error: ${err.message}`);
  process.exitCode = 1;
}
