#!/usr/bin/env node
/**
 * The `k8s-iac` command (synth, diff, apply, promote): finds the project in the nearest package.json's
 * `"k8s-iac"` field, compiles it first when its TypeScript sources are newer than the
 * compiled project (only when the field has a `build` entry), and runs the command.
 *
 *   "k8s-iac": {
 *     "project": "lib/project.js",                                     compiled entry: export default defineProject(...)
 *     "build": { "tsconfig": "tsconfig.json", "sources": ["src"] }     optional: tsc when a source changed
 *   }
 *
 * An unchanged project starts without TypeScript; `--project FILE` overrides the field.
 * `synth --watch` loads TypeScript once to compile each changed source on its own.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** The nearest folder at or above `from` whose package.json has a "k8s-iac" field, and that field. */
function findConfig(from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const config = JSON.parse(fs.readFileSync(file, 'utf8'))['k8s-iac'];
      if (config) return { root: dir, config };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function newestMtime(entry) {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return entry.endsWith('.ts') || entry.endsWith('.json') ? stat.mtimeMs : 0;
  let newest = 0;
  for (const name of fs.readdirSync(entry)) {
    if (name !== 'node_modules' && !name.startsWith('.')) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

/** Runs tsc when the compiled project is missing or older than a source or the tsconfig. */
function buildIfStale(root, build, projectFile) {
  const tsconfig = path.resolve(root, build.tsconfig || 'tsconfig.json');
  const sources = (build.sources || ['src']).map((s) => path.resolve(root, s));
  const built = fs.existsSync(projectFile) ? fs.statSync(projectFile).mtimeMs : 0;
  if (built > Math.max(fs.statSync(tsconfig).mtimeMs, ...sources.map(newestMtime))) return;
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const result = spawnSync(process.execPath, [tsc, '-p', tsconfig], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // tsc leaves unchanged outputs as they were: mark the project fresh so the next run starts at once
  const now = new Date();
  fs.utimesSync(projectFile, now, now);
}

/**
 * How long `synth --watch` spends at start compiling sources it throws away: TypeScript's
 * first compiles run cold (10 to 30 times slower than later ones), and the first change
 * should not pay for that.
 */
const WARM_UP_MS = 500;

/** The TypeScript files under `dir`, smallest first (node_modules and dot-folders left out). */
function sourceFiles(dir) {
  const files = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push({ file: full, size: fs.statSync(full).size });
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return files.sort((a, b) => a.size - b.size).map((f) => f.file);
}

/**
 * For `synth --watch`: the sources to watch, and a compile that transpiles one changed
 * source to its compiled module (no type check: that is the next plain synth's, or
 * `npm run typecheck`'s), with the project's own compiler options.
 */
function watchBuild(root, build) {
  const ts = require(require.resolve('typescript', { paths: [root] }));
  const tsconfig = path.resolve(root, build.tsconfig || 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const sources = (build.sources || ['src']).map((s) => path.resolve(root, s));
  const transpile = (file) => ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: parsed.options, fileName: file }).outputText;
  const warmUntil = Date.now() + WARM_UP_MS;
  for (const file of sources.flatMap(sourceFiles)) {
    if (Date.now() > warmUntil) break;
    transpile(file);
  }
  return {
    sources,
    compile(file) {
      // a deleted source leaves its compiled module: the next plain synth's tsc run settles it
      if (!fs.existsSync(file)) return undefined;
      const out = ts.getOutputFileNames(parsed, file, false).find((f) => f.endsWith('.js'));
      if (out === undefined) return undefined;
      const outputText = transpile(file);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, outputText);
      return path.resolve(out);
    },
  };
}

function main(argv) {
  const found = findConfig(process.cwd());
  const args = [...argv];
  if (found && !args.includes('--project') && found.config.project) {
    const projectFile = path.resolve(found.root, found.config.project);
    if (found.config.build) buildIfStale(found.root, found.config.build, projectFile);
    args.push('--project', projectFile);
  }
  const watch = found && found.config.build && args[0] === 'synth' && args.includes('--watch') ? watchBuild(found.root, found.config.build) : undefined;
  return require('../lib/src/library/runner/cli.js').main(args, { watchBuild: watch });
}

process.exitCode = main(process.argv.slice(2));
