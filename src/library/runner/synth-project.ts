/**
 * A project from configuration to files: for each environment, read its release state,
 * build it in a fresh cdk8s App, validate, render and check. Every environment's problems
 * are collected before anything is written, so one run reports them all.
 */
import * as fs from 'node:fs';
import { SourceMap } from 'node:module';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { checkNoInterruptedPromote, loadReleaseState, releaseFile, releaseOf, ReleaseState } from './release-state';
import type { EnvironmentName, Project } from './project';
import { CHECKED_SETTINGS_CONTEXT, checkPlatformSettings, unknownSettings } from '../core/platform-settings';
import { labelApplySetMembers, withApplySet } from './applyset';
import { shown } from './paths';
import { Manifest, SynthError, renderFiles, renderManifests, typeErrorHint } from './synthesize';

/** Where an environment's inputs come from. */
export interface SynthOptions {
  /** Folder of the release files; a relative one is read from the working folder. @default - the project's releaseDir, resolved against the project's root */
  readonly releaseDir?: string;
  /** Use this release state instead of reading the file (promote renders a changed one). @default - read from the release file */
  readonly releaseState?: ReleaseState;
  /**
   * Where each warning goes, labelled with its environment and construct path: what synth
   * writes though it is likely a mistake (`addWarning`, a workload name the API server warns of).
   * @default - not said
   */
  readonly warn?: (message: string) => void;
}

/** The problems of a failed step, as lines: a SynthError's own list, or one message labelled with the environment. */
export function problemsOf(err: unknown, label: string): string[] {
  if (err instanceof SynthError) return [...err.problems];
  return (err as Error).message.split('\n').map((line) => `[${label}] ${line}`);
}

/** The folder of the library's own compiled modules. */
const LIBRARY_DIR = path.resolve(__dirname, '..');

/** A stack frame's file, line and column: `at f (/a/b.js:3:7)` or `at /a/b.js:3:7`. */
const STACK_FRAME = /\(?((?:\/|[A-Za-z]:\\)[^():]+):(\d+):(\d+)\)?$/;

/** A place in a file, lines and columns from 1. */
interface Place {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** The `//# sourceMappingURL=` comment that ends a compiled module. */
const SOURCE_MAPPING_URL = /\/\/# sourceMappingURL=(\S+)\s*$/;

/** The source map a compiled module names, and the folder its sources are relative to; undefined without one. */
function sourceMapOf(file: string): { readonly map: SourceMap; readonly dir: string } | undefined {
  const url = SOURCE_MAPPING_URL.exec(fs.readFileSync(file, 'utf8'))?.[1];
  if (url === undefined) return undefined;
  const inline = /^data:application\/json;(?:charset=utf-8;)?base64,(.*)$/.exec(url);
  const mapFile = inline ? file : path.resolve(path.dirname(file), decodeURIComponent(url));
  const text = inline ? Buffer.from(inline[1], 'base64').toString('utf8') : fs.readFileSync(mapFile, 'utf8');
  return { map: new SourceMap(JSON.parse(text) as ConstructorParameters<typeof SourceMap>[0]), dir: path.dirname(mapFile) };
}

/**
 * The place in the project's source (a `.ts` file) that compiled to `file`:`line`:`column`,
 * read from the module's source map (tsc's `sourceMap` option), so that synth names the
 * line the project wrote, as its tests (which run the sources) do; the compiled place where
 * there is no map. Read only when an error is reported: nothing is loaded for a clean run.
 */
function sourcePlace(file: string, line: number, column: number): Place {
  try {
    const found = sourceMapOf(file);
    const entry = found?.map.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
    if (!found || entry?.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return { file, line, column };
    const root = (found.map.payload as { sourceRoot?: string }).sourceRoot ?? '';
    return { file: path.resolve(found.dir, root, entry.originalSource), line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  } catch {
    // a map that cannot be read or parsed: the compiled place still says where
    return { file, line, column };
  }
}

/**
 * An error the project's build threw (a TypeError in its own code, or in the library on a
 * value it passed), with the first place in the project's own modules it came from: the
 * library, node_modules and Node's own frames are passed over. A SynthError stays as it is.
 */
function withPlace(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof SynthError || typeof err.stack !== 'string') return err;
  for (const line of err.stack.split('\n').slice(1)) {
    const frame = STACK_FRAME.exec(line.trim());
    if (!frame || frame[1].startsWith(LIBRARY_DIR) || frame[1].includes(`${path.sep}node_modules${path.sep}`)) continue;
    const place = sourcePlace(frame[1], Number(frame[2]), Number(frame[3]));
    return new Error(`${err.message} (thrown in the project's build at ${shown(place.file)}:${place.line}:${place.column})${typeErrorHint(err, 'a value given there')}`);
  }
  return err;
}

/**
 * One environment's manifests, in memory, as its ApplySet (applyset.ts). Throws a SynthError
 * listing every problem. `envName` is one of the project's environments, by its type.
 */
export function synthManifests<P extends Project>(project: P, envName: EnvironmentName<P>, options: SynthOptions = {}): Manifest[] {
  const env = project.environments.get(envName);
  const dir = options.releaseDir ?? project.releaseDir();
  const file = releaseFile(env.name, dir);
  // messages name the file as people type it at the project's root, where the command runs
  const shownFile = shown(file);
  // checked once here rather than by each NamespacedApp: one message per setting, not one per namespace
  const settingsProblems = checkPlatformSettings(env.settings).map((p) => `[${env.name}] settings of environment ${env.name}: ${p}`);
  for (const warning of unknownSettings(env.settings)) options.warn?.(`[${env.name}] settings of environment ${env.name}: ${warning}`);
  let manifests: Manifest[] = [];
  try {
    if (!options.releaseState) checkNoInterruptedPromote(dir, env.name);
    const state = options.releaseState ?? (project.releaseApps.length > 0 ? loadReleaseState(env.name, dir, project.releaseApps, { requireImageDigest: env.settings.requireImageDigest }) : { apps: {} });
    const app = new App({ outdir: 'unused' });
    app.node.setContext(CHECKED_SETTINGS_CONTEXT, env.settings);
    try {
      project.build(app, env, releaseOf(state, shownFile));
    } catch (err) {
      throw withPlace(err);
    }
    labelApplySetMembers(app, project.applySetName(env.name));
    manifests = withApplySet(renderManifests(app, env.name, options.warn), project.applySetName(env.name));
  } catch (err) {
    // a build that throws on settings already named as wrong (no owner) adds nothing to their problems
    const thrown = settingsProblems.length > 0 && !(err instanceof SynthError) ? [] : problemsOf(err, env.name);
    throw new SynthError([...settingsProblems, ...thrown]);
  }
  if (settingsProblems.length > 0) throw new SynthError(settingsProblems);
  return manifests;
}

/** The files of `<outdir>/<env>/` (kustomization.yaml included), rendered in memory. */
export function synthEnvironmentFiles<P extends Project>(project: P, envName: EnvironmentName<P>, options: SynthOptions = {}): Map<string, string> {
  return renderFiles(synthManifests(project, envName, options));
}

/**
 * The files of every environment in `envs`, or one SynthError with the problems of all
 * of them: nothing is returned (so nothing is written) unless every environment is clean.
 */
export function synthProjectFiles(project: Project, envs: readonly string[], options: SynthOptions = {}): Map<string, Map<string, string>> {
  const problems: string[] = [];
  const files = new Map<string, Map<string, string>>();
  for (const env of envs) {
    try {
      files.set(env, synthEnvironmentFiles(project, env, options));
    } catch (err) {
      problems.push(...problemsOf(err, env));
    }
  }
  if (problems.length > 0) throw new SynthError(problems);
  return files;
}
