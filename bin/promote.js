#!/usr/bin/env node
/**
 * Entry of `npm run promote`: switches a blue-green app to its idle colour
 * (src/cli/promote.ts), running the compiled lib/ and compiling first when it is stale.
 */
'use strict';
const { ensureBuilt } = require('./ensure-built');

process.exitCode = ensureBuilt('src/cli/promote.js').main(process.argv.slice(2));
