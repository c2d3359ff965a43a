/**
 * `synth --watch`: after the first synth, waits for changes to the project's sources and
 * release files and synthesizes again what they affect, without restarting the process
 * (the library, cdk8s and the imports stay loaded):
 * - a release file `<releaseDir>/<env>.json` affects that environment only; any other
 *   file in the release folder affects every watched environment;
 * - a TypeScript source is compiled alone (`compile`, given by the bin, transpiles it
 *   without type checking: `npm run typecheck` or the next plain synth checks types), and
 *   that module and every project module that imports it, directly or not, are loaded
 *   again; every watched environment is synthesized.
 * Only environments whose files changed are written, all of them or none, as `synth`
 * writes (write-atomic.ts). A failing synth prints its problems and writes nothing; the
 * watch goes on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { warningLine } from '../core/warnings';
import type { Project } from './project';
import { SynthOptions, synthProjectFiles } from './synth-project';
import { WriteOptions, writeEnvironments } from './write-atomic';

/** Changes arriving within this many milliseconds of each other are one save (editors write in steps). */
export const WATCH_SETTLE_MS = 15;

/** What the bin knows about the project's build, which the watch needs to reload a changed source. */
export interface WatchBuild {
  /** Folders holding the project's TypeScript sources. */
  readonly sources: readonly string[];
  /** Compiles one changed source and returns its compiled module's path; undefined for a file that is not part of the build. */
  readonly compile: (file: string) => string | undefined;
}

/** What one watch needs. */
export interface WatchOptions {
  /** The compiled project module (`--project`), loaded again after a source change. @default - none: only release files are watched */
  readonly projectFile?: string;
  /** The environments synthesized and written, as the first synth chose them. */
  readonly envs: readonly string[];
  /** The folder holding `<env>/`. */
  readonly outdir: string;
  /** The folder of the release files `<env>.json`. */
  readonly releaseDir: string;
  /** How a changed source is compiled. @default - none: only release files are watched */
  readonly build?: WatchBuild;
  /** How the environment folders are written, as the first synth wrote them. */
  readonly write: WriteOptions;
  /** Loads the project module (after its stale modules left the cache). */
  readonly load: (file: string) => Project;
  /** Where a line per synthesized change goes. */
  readonly log: (line: string) => void;
  /** Where the problems of a failed change go. */
  readonly error: (line: string) => void;
}

/** A running watch. */
export interface Watch {
  /** Stops watching; the process can then exit. */
  close(): void;
}

/** The folder of the library's own compiled modules: never reloaded (the running synth is made of them). */
const LIBRARY_DIR = path.resolve(__dirname, '..');

/** Every cached module that requires `id`, directly or not, and `id` itself; library and node_modules modules excluded. */
function dependentModules(id: string): Set<string> {
  const parents = new Map<string, string[]>();
  for (const mod of Object.values(require.cache)) {
    for (const child of mod?.children ?? []) parents.set(child.id, [...(parents.get(child.id) ?? []), mod?.id ?? '']);
  }
  const found = new Set<string>();
  const visit = (m: string): void => {
    if (found.has(m) || m.startsWith(LIBRARY_DIR) || m.includes(`${path.sep}node_modules${path.sep}`)) return;
    found.add(m);
    for (const parent of parents.get(m) ?? []) visit(parent);
  };
  visit(id);
  return found;
}

/** The environments a batch of changed files affects, and the compiled modules to load again. */
interface Affected {
  readonly envs: Set<string>;
  readonly modules: Set<string>;
  /** Changes that need a restart (the library's own sources). */
  readonly restart: string[];
}

function affectedBy(files: ReadonlySet<string>, options: WatchOptions): Affected {
  const affected: Affected = { envs: new Set(), modules: new Set(), restart: [] };
  for (const file of files) {
    if (path.dirname(file) === options.releaseDir) {
      const env = path.basename(file, '.json');
      // the promote journal and other files there can concern any environment
      const envs = file.endsWith('.json') && options.envs.includes(env) ? [env] : options.envs;
      for (const e of envs) affected.envs.add(e);
      continue;
    }
    const compiled = options.projectFile !== undefined && file.endsWith('.ts') && !file.endsWith('.d.ts') ? options.build?.compile(file) : undefined;
    if (compiled === undefined) continue;
    if (compiled.startsWith(LIBRARY_DIR)) {
      affected.restart.push(file);
      continue;
    }
    for (const m of dependentModules(compiled)) affected.modules.add(m);
    for (const e of options.envs) affected.envs.add(e);
  }
  return affected;
}

/**
 * Watches `dir` and every folder below it (node_modules and dot-folders left out), each on its
 * own: a recursive watch on Linux follows files, and loses a file an editor saves by
 * renaming a new one over it. A folder made later is watched from its first event on.
 */
function watchFolder(dir: string, watchers: Map<string, fs.FSWatcher>, onChange: (file: string) => void): void {
  if (watchers.has(dir)) return;
  watchers.set(
    dir,
    fs.watch(dir, (_event, name) => {
      if (name === null) return;
      const file = path.join(dir, name.toString());
      if (isFolder(file)) watchFolder(file, watchers, onChange);
      else onChange(file);
    }),
  );
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) watchFolder(path.join(dir, entry.name), watchers, onChange);
  }
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** The environments of `rendered` whose files differ from what was written last. */
function changedEnvironments(rendered: ReadonlyMap<string, Map<string, string>>, last: ReadonlyMap<string, ReadonlyMap<string, string>>): Map<string, Map<string, string>> {
  const changed = new Map<string, Map<string, string>>();
  for (const [env, files] of rendered) {
    const before = last.get(env);
    const same = before !== undefined && before.size === files.size && [...files].every(([file, text]) => before.get(file) === text);
    if (!same) changed.set(env, files);
  }
  return changed;
}

/**
 * Starts watching after a first synth whose files were `written` (none where it failed).
 * Each batch of changes is synthesized and written before the next one is looked at.
 */
export function watchProject(initial: Project, written: ReadonlyMap<string, ReadonlyMap<string, string>>, options: WatchOptions): Watch {
  let project = initial;
  const last = new Map(written);
  const pending = new Set<string>();
  let firstChangeAt = 0;
  let timer: NodeJS.Timeout | undefined;

  const run = (): void => {
    timer = undefined;
    const files = new Set(pending);
    pending.clear();
    try {
      // compiling a changed source can fail (a syntax error): reported below like any other problem
      const affected = affectedBy(files, options);
      for (const file of affected.restart) options.error(`watch: ${file} is part of the library: restart synth --watch to use the change`);
      if (affected.envs.size === 0) return;
      // an environment not written since the watch started (its first synth failed) is synthesized with any change
      for (const e of options.envs) if (!last.has(e)) affected.envs.add(e);
      if (affected.modules.size > 0 && options.projectFile !== undefined) {
        for (const m of affected.modules) delete require.cache[m];
        project = options.load(options.projectFile);
      }
      // said with each synth of the environment, as long as the cause stays
      const synthOptions: SynthOptions = { releaseDir: options.releaseDir, warn: (message) => options.error(`watch: ${warningLine(message)}`) };
      const changed = changedEnvironments(synthProjectFiles(project, [...affected.envs], synthOptions), last);
      if (changed.size > 0) writeEnvironments(options.outdir, changed, options.write);
      for (const [env, files] of changed) last.set(env, files);
      const ms = (performance.now() - firstChangeAt).toFixed(0);
      options.log(changed.size === 0 ? `watch: no change to ${[...affected.envs].join(', ')} (${ms} ms)` : `watch: wrote ${[...changed.keys()].join(', ')} ${ms} ms after the change`);
    } catch (err) {
      options.error(`watch: nothing written: ${(err as Error).message}`);
    }
  };

  const onChange = (file: string): void => {
    if (pending.size === 0) firstChangeAt = performance.now();
    pending.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, WATCH_SETTLE_MS);
  };

  const folders = [...new Set([...(options.build?.sources ?? []), options.releaseDir])].filter((d) => fs.existsSync(d));
  const watchers = new Map<string, fs.FSWatcher>();
  for (const dir of folders) watchFolder(dir, watchers, onChange);
  options.log(`watch: watching ${folders.map((d) => path.relative(process.cwd(), d) || '.').join(', ')} (Ctrl-C stops)`);
  return {
    close() {
      if (timer) clearTimeout(timer);
      for (const w of watchers.values()) w.close();
    },
  };
}
