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

/** Ends the run with `message` on stderr, as the command's own errors do. */
function fail(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

/** The TypeScript the project installed: its folder and package.json; a clear error where there is none. */
function typescriptPackage(root) {
  let manifest;
  try {
    manifest = require.resolve('typescript/package.json', { paths: [root] });
  } catch {
    fail(`package.json's "k8s-iac" field has a "build" entry, which compiles with TypeScript, and none is installed in ${root}: npm install --save-dev typescript@5`);
  }
  return { dir: path.dirname(manifest), json: JSON.parse(fs.readFileSync(manifest, 'utf8')) };
}

/** The project's tsc, from its package's own "bin" entry (TypeScript 7 exports no bin/tsc path). */
function tscPath(root) {
  const { dir, json } = typescriptPackage(root);
  const bin = typeof json.bin === 'string' ? json.bin : json.bin && json.bin.tsc;
  if (!bin) fail(`the typescript package in ${dir} (${json.version}) names no tsc: npm install --save-dev typescript@5`);
  return path.join(dir, bin);
}

/** Runs tsc when the compiled project is missing or older than a source or the tsconfig. */
function buildIfStale(root, build, projectFile) {
  const tsconfig = path.resolve(root, build.tsconfig || 'tsconfig.json');
  if (!fs.existsSync(tsconfig)) fail(`${tsconfig} does not exist: create it (the "build" entry of package.json's "k8s-iac" field names it), e.g. { "compilerOptions": { "outDir": "lib", "rootDir": "src", "strict": true, "module": "commonjs", "target": "es2022" } }`);
  const sources = (build.sources || ['src']).map((s) => path.resolve(root, s));
  const built = fs.existsSync(projectFile) ? fs.statSync(projectFile).mtimeMs : 0;
  if (built > Math.max(fs.statSync(tsconfig).mtimeMs, ...sources.map(newestMtime))) return;
  // nothing is written on a type error, so the next run compiles, and fails, again rather than run what tsc wrote
  const result = spawnSync(process.execPath, [tscPath(root), '-p', tsconfig, '--noEmitOnError'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  if (!fs.existsSync(projectFile)) {
    fail(
      `tsc -p ${path.relative(root, tsconfig)} did not write ${path.relative(root, projectFile)}, the "project" of package.json's "k8s-iac" field: ` +
        `set compilerOptions.outDir (and rootDir) in ${path.relative(root, tsconfig)} so that tsc writes it there, or point "project" at the file tsc writes`,
    );
  }
  // tsc leaves unchanged outputs as they were: mark the project fresh so the next run starts at once
  const now = new Date();
  fs.utimesSync(projectFile, now, now);
}

/** The files under `dir` whose names `accept` takes (node_modules and dot-folders left out). */
function filesUnder(dir, accept) {
  const files = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(full);
      else if (entry.isFile() && accept(entry.name)) files.push(full);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return files;
}

/** Compiled modules whose source maps name a source changed since they were compiled (without maps, none is known). */
function modulesOlderThanSources(dir) {
  const stale = [];
  for (const mapFile of filesUnder(dir, (name) => name.endsWith('.js.map'))) {
    const compiled = mapFile.slice(0, -'.map'.length);
    let map;
    try {
      map = JSON.parse(fs.readFileSync(mapFile, 'utf8'));
    } catch {
      continue; // a map that cannot be read says nothing either way
    }
    if (!fs.existsSync(compiled) || !Array.isArray(map.sources)) continue;
    const builtAt = fs.statSync(compiled).mtimeMs;
    for (const source of map.sources) {
      const file = path.resolve(path.dirname(mapFile), map.sourceRoot || '', String(source));
      if (fs.existsSync(file) && fs.statSync(file).mtimeMs > builtAt) stale.push({ compiled, source: file });
    }
  }
  return stale;
}

/** Without a "build" entry the command runs what was compiled last: said when a source has changed since, so an old synth is not taken for the new one. */
function warnIfCompiledBeforeSources(root, projectFile) {
  const stale = modulesOlderThanSources(path.dirname(projectFile));
  if (stale.length === 0) return;
  const named = stale.slice(0, 3).map((s) => `${path.relative(root, s.compiled)} (${path.relative(root, s.source)})`).join(', ');
  console.error(
    `warning: ${named}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''} compiled before ${stale.length === 1 ? 'its source' : 'their sources'} last changed: this run uses the older code; ` +
      `compile the project first (tsc), or add "build": { "tsconfig": "tsconfig.json", "sources": ["src"] } to package.json's "k8s-iac" field and the command compiles it when a source changed`,
  );
}

/**
 * How long `synth --watch` spends at start compiling sources it throws away: TypeScript's
 * first compiles run cold (10 to 30 times slower than later ones), and the first change
 * should not pay for that.
 */
const WARM_UP_MS = 500;

/** The TypeScript files under `dir`, smallest first (node_modules and dot-folders left out). */
function sourceFiles(dir) {
  const files = filesUnder(dir, (name) => name.endsWith('.ts') && !name.endsWith('.d.ts')).map((file) => ({ file, size: fs.statSync(file).size }));
  return files.sort((a, b) => a.size - b.size).map((f) => f.file);
}

/**
 * For `synth --watch`: the sources to watch, and a compile that transpiles one changed
 * source to its compiled module (no type check: that is the next plain synth's, or
 * `npm run typecheck`'s), with the project's own compiler options.
 */
function watchBuild(root, build) {
  const { json } = typescriptPackage(root);
  const ts = require(require.resolve('typescript', { paths: [root] }));
  if (typeof ts.transpileModule !== 'function') {
    fail(`synth --watch compiles each changed source with TypeScript's compiler API, which the installed typescript ${json.version} does not have: npm install --save-dev typescript@5, or run synth without --watch`);
  }
  const tsconfig = path.resolve(root, build.tsconfig || 'tsconfig.json');
  const readConfig = () => ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  let parsed = readConfig();
  const inBuild = (file) => parsed.fileNames.some((f) => path.resolve(f) === file);
  const sources = (build.sources || ['src']).map((s) => path.resolve(root, s));
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  // no type check, but a syntax error is an error: transpiling would otherwise drop what it cannot parse
  const transpile = (file) => {
    const result = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: parsed.options, fileName: file, reportDiagnostics: true });
    const errors = (result.diagnostics || []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, host).trim());
    return result.outputText;
  };
  const warmUntil = Date.now() + WARM_UP_MS;
  for (const file of sources.flatMap(sourceFiles)) {
    if (Date.now() > warmUntil) break;
    try {
      transpile(file);
    } catch {
      // the first change to that file reports it
    }
  }
  return {
    sources,
    compile(changed) {
      const file = path.resolve(changed);
      // a deleted source leaves its compiled module: the next plain synth's tsc run settles it
      if (!fs.existsSync(file)) return undefined;
      // a source added since the watch started is not among the config's files yet: read it again, as tsc would
      if (!inBuild(file)) parsed = readConfig();
      if (!inBuild(file)) return undefined;
      const out = ts.getOutputFileNames(parsed, file, false).find((f) => f.endsWith('.js'));
      if (out === undefined) return undefined;
      const outputText = transpile(file);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, outputText);
      // dated before its source: this module was not type-checked, so the next plain synth must run tsc, not take it as built
      const unchecked = new Date(fs.statSync(file).mtimeMs - 1000);
      fs.utimesSync(out, unchecked, unchecked);
      return path.resolve(out);
    },
  };
}

/** Options whose value is a path: given relative to the working folder, as a shell user means them. */
const PATH_OPTIONS = ['--outdir', '--dist', '--release-dir', '--project'];

/**
 * `argv` with every path option's value made absolute, so that the command can run from the
 * project's root (where its default dist/ and release/ are) whatever folder it was started in.
 */
function absolutePaths(argv) {
  return argv.map((arg, i) => {
    if (PATH_OPTIONS.includes(argv[i - 1])) return path.resolve(arg);
    const eq = arg.indexOf('=');
    return eq > 0 && PATH_OPTIONS.includes(arg.slice(0, eq)) ? `${arg.slice(0, eq)}=${path.resolve(arg.slice(eq + 1))}` : arg;
  });
}

/**
 * Whether the command line names the project itself, as `--project FILE` or `--project=FILE`:
 * then package.json's project is not added, since the last --project given is the one that counts.
 */
function givesProject(args) {
  return args.some((arg) => arg === '--project' || arg.startsWith('--project='));
}

/** Whether `file` is a module require finds (it may leave out the .js). */
function moduleExists(file) {
  try {
    require.resolve(file);
    return true;
  } catch {
    return false;
  }
}

/** The compiled command line of this package. */
const CLI = path.join(__dirname, '..', 'lib', 'src', 'library', 'runner', 'cli.js');

/**
 * The command line, compiled first where it is missing: a packed package ships it, but in a
 * checkout of this package lib/ is build output, gone after a clean, and the project's own
 * build (the checkout's "k8s-iac" field) compiles it with everything else.
 */
function loadCli(found) {
  if (!fs.existsSync(CLI) && found && found.config.build && found.config.project) {
    buildIfStale(found.root, found.config.build, path.resolve(found.root, found.config.project));
  }
  if (!fs.existsSync(CLI)) fail(`${CLI} does not exist: the k8s-iac package is not compiled; run npm run build in ${path.dirname(__dirname)}`);
  return require(CLI);
}

function main(argv) {
  const found = findConfig(process.cwd());
  const cli = loadCli(found);
  if (cli.wantsHelp(argv)) return cli.main(argv);
  const args = absolutePaths(argv);
  // the project's defaults (dist/, release/, cdk8s.yaml) are relative to its root, not to a subfolder it runs in
  if (found) process.chdir(found.root);
  if (found && !givesProject(args) && found.config.project) {
    const projectFile = path.resolve(found.root, found.config.project);
    if (found.config.build) buildIfStale(found.root, found.config.build, projectFile);
    else if (!moduleExists(projectFile)) {
      fail(`${path.relative(found.root, projectFile)} does not exist, the "project" of package.json's "k8s-iac" field: compile the project (e.g. tsc) so that it writes that file, or point "project" at the compiled module`);
    } else warnIfCompiledBeforeSources(found.root, projectFile);
    args.push('--project', projectFile);
  }
  const watch = found && found.config.build && args[0] === 'synth' && args.includes('--watch') ? watchBuild(found.root, found.config.build) : undefined;
  return cli.main(args, { watchBuild: watch });
}

process.exitCode = main(process.argv.slice(2));
