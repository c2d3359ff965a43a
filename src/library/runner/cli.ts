/**
 * The `k8s-iac` command every project uses:
 *
 *   k8s-iac synth   [--env NAME]... [--outdir DIR] [--release-dir DIR] [--delete-unknown]
 *   k8s-iac promote --env NAME --app NAME [--outdir DIR] [--release-dir DIR]
 *   k8s-iac promote --env NAME --resume      finish a promote that was interrupted
 *
 * with `--project FILE`, the compiled module whose default export is `defineProject(...)`
 * (the shipped bin fills it in from package.json's `"k8s-iac": { "project": ... }`).
 * synth renders and checks every environment (or the named ones) in memory and writes
 * nothing unless all are clean; then each `<outdir>/<env>/` is replaced whole (write-atomic.ts:
 * one writer at a time, only folders synth made, never the project's own folders). The
 * output folder defaults to `dist`, or CDK8S_OUTDIR under `cdk8s synth`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Project } from './project';
import { resumePromote, runPromote } from './promote';
import { synthProjectFiles } from './synth-project';
import { checkOutputFolder, writeEnvironments } from './write-atomic';

/** Where output goes when neither --outdir nor CDK8S_OUTDIR says. */
export const DEFAULT_OUTDIR = 'dist';

const COMMANDS = ['synth', 'promote'] as const;
type CommandName = (typeof COMMANDS)[number];

/** What a command line asks for. */
export interface CommandLine {
  readonly command: CommandName;
  /** `--env`, in the order given. */
  readonly envs: readonly string[];
  /** `--app`. @default - none */
  readonly app?: string;
  /** `--outdir`. @default - CDK8S_OUTDIR, else dist */
  readonly outdir?: string;
  /** `--release-dir`. @default - the project's releaseDir */
  readonly releaseDir?: string;
  /** `--project`. @default - none: the caller gives the project */
  readonly project?: string;
  /** `--delete-unknown`: delete files in an environment folder that synth did not write. @default false */
  readonly deleteUnknown: boolean;
  /** `--resume`: finish an interrupted promote. @default false */
  readonly resume: boolean;
}

/** Parses `argv` (after the bin's name); an error names the unknown command or option. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const [command, ...rest] = argv;
  if (!COMMANDS.includes(command as CommandName)) {
    throw new Error(`${command === undefined ? 'no command given' : `unknown command "${command}"`}: use one of ${COMMANDS.join(', ')}, e.g. k8s-iac synth --env prod`);
  }
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(rest).values;
  } catch (err) {
    throw new Error(`${(err as Error).message.replace(/\. To specify.*$/s, '')}: use --env NAME, --app NAME, --outdir DIR, --release-dir DIR, --project FILE, --delete-unknown, --resume`);
  }
  return {
    command: command as CommandName,
    envs: values.env ?? [],
    app: values.app,
    outdir: values.outdir,
    releaseDir: values['release-dir'],
    project: values.project,
    deleteUnknown: values['delete-unknown'] ?? false,
    resume: values.resume ?? false,
  };
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      env: { type: 'string', multiple: true },
      app: { type: 'string' },
      outdir: { type: 'string' },
      'release-dir': { type: 'string' },
      project: { type: 'string' },
      'delete-unknown': { type: 'boolean' },
      resume: { type: 'boolean' },
    },
  });
}

/** The project a module exports (default export, or `project`); an error saying how to export one. */
export function loadProject(file: string): Project {
  const resolved = path.resolve(file);
  // a project is a compiled CommonJS module chosen at run time: require is the loader here
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(resolved) as { default?: unknown; project?: unknown };
  const project = mod.default ?? mod.project;
  if (!Project.isProject(project)) {
    throw new Error(`${file} exports no project: end it with \`export default defineProject({ environments, build })\``);
  }
  return project;
}

/** A path as people read it: relative to the working folder when inside it. */
function shown(p: string): string {
  const relative = path.relative(process.cwd(), p);
  return relative === '' ? '.' : relative.startsWith('..') ? p : relative;
}

/** The folder of the nearest package.json at or above `from`, if any. */
function packageRoot(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Folders an output folder must not hold: the project's root (its package.json folder) and the working folder's. */
function protectedFolders(line: CommandLine): string[] {
  const roots = [packageRoot(process.cwd()), line.project === undefined ? undefined : packageRoot(path.dirname(path.resolve(line.project)))];
  return roots.filter((r): r is string => r !== undefined);
}

function synth(project: Project, line: CommandLine, outdir: string, log: (line: string) => void): void {
  for (const env of line.envs) project.environments.get(env);
  const envs = line.envs.length > 0 ? line.envs : project.environments.names;
  const releaseDir = line.releaseDir === undefined ? undefined : path.resolve(line.releaseDir);
  const rendered = synthProjectFiles(project, envs, { releaseDir });
  writeEnvironments(outdir, rendered, { deleteUnknown: line.deleteUnknown });
  for (const [env, files] of rendered) log(`${shown(path.join(outdir, env))}: ${files.size - 1} objects`);
}

function promote(project: Project, line: CommandLine, outdir: string, log: (line: string) => void): void {
  const env = line.envs.at(-1);
  const releaseDir = line.releaseDir === undefined ? project.releaseDir() : path.resolve(line.releaseDir);
  if (env && line.resume) {
    project.environments.get(env);
    resumePromote(project, { env, releaseDir, dist: outdir }, log);
    return;
  }
  if (!env || !line.app) throw new Error('promote needs --env NAME and --app NAME, e.g. k8s-iac promote --env prod --app web');
  project.environments.get(env);
  runPromote(project, { env, app: line.app, releaseDir, dist: outdir, outdir: line.outdir === undefined ? undefined : path.resolve(line.outdir) }, log);
}

/** How a run is wired: the project (else --project), where logs go, the environment's variables. */
export interface RunContext {
  /** The project to run. @default - the module `--project` names */
  readonly project?: Project;
  /** Where progress lines go. @default console.log */
  readonly log?: (line: string) => void;
  /** Where the problems go. @default console.error */
  readonly error?: (line: string) => void;
  /** The variables CDK8S_OUTDIR is read from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs one command line: 0 on success, 1 with every problem on stderr. */
export function main(argv: readonly string[], context: RunContext = {}): number {
  const log = context.log ?? console.log;
  const error = context.error ?? console.error;
  try {
    const line = parseCommandLine(argv);
    const project = context.project ?? (line.project ? loadProject(line.project) : undefined);
    if (!project) throw new Error('no project: pass --project FILE, or set "k8s-iac": { "project": FILE } in package.json');
    const dist = (context.env ?? process.env).CDK8S_OUTDIR || DEFAULT_OUTDIR;
    const outdir = line.outdir ?? dist;
    for (const folder of [outdir, dist]) checkOutputFolder(folder, protectedFolders(line));
    if (line.command === 'synth') synth(project, line, path.resolve(outdir), log);
    else promote(project, line, path.resolve(dist), log);
    return 0;
  } catch (err) {
    error(`error: ${(err as Error).message}`);
    return 1;
  }
}
