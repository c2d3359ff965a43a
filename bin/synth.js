#!/usr/bin/env node
/**
 * Entry of `npm run synth` and `cdk8s synth`. Runs the compiled synth in lib/ straight
 * away when it is newer than every source (no TypeScript on the hot path); otherwise
 * compiles first with tsc, so an edit to src/ is never synthesized stale.
 */
'use strict';
const { ensureBuilt } = require('./ensure-built');

process.exitCode = ensureBuilt('src/cli/synth.js').main(process.argv.slice(2));
