/**
 * The `k8s-iac` command every project uses:
 *
 *   k8s-iac synth   [--env NAME]... [--outdir DIR] [--release-dir DIR] [--delete-unknown] [--watch] [--threads N]
 *   k8s-iac diff    --env NAME [--outdir DIR] [--release-dir DIR]
 *   k8s-iac diff    --env NAME --cluster [--context CTX] [--outdir DIR]
 *   k8s-iac apply   --env NAME [--context CTX] [--outdir DIR]
 *   k8s-iac promote --env NAME --app NAME [--dist DIR] [--outdir DIR] [--release-dir DIR]
 *                   [--canary-weight N | --canary-finish | --canary-abort]
 *   k8s-iac promote --env NAME --resume      finish a promote that was interrupted
 *
 * with `--project FILE`, the compiled module whose default export is `defineProject(...)`
 * (the shipped bin fills it in from package.json's `"k8s-iac": { "project": ... }`).
 * synth renders and checks every environment (or the named ones, or K8S_IAC_ENV's
 * comma-separated list), each staged beside its folder, and changes nothing unless all
 * are clean; then each `<outdir>/<env>/` (default `dist`) is replaced whole
 * (synth-to-folder.ts, write-atomic.ts: one writer at a time, only folders synth made,
 * never the project's own folders). A large project's environments are rendered on every
 * core (a thread per core, `--threads N` to choose; the files are the same).
 *
 * Under `cdk8s synth` (CDK8S_OUTDIR set), synth also writes each environment as one
 * multi-document `<env>.k8s.yaml` into CDK8S_OUTDIR, the folder cdk8s empties before every
 * run; so `cdk8s.yaml` points `output` at a scratch folder, never at dist/, and a failing
 * app leaves dist/ as it was. The environment folders are written only when CDK8S_OUTDIR is
 * that configured output: `cdk8s synth --stdout` (a temporary folder) prints the objects and
 * writes nothing else.
 *
 * `synth --watch` keeps running after the first synth and synthesizes again what a changed
 * source or release file affects (watch.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { applyEnvironment, diffEnvironment, EnvironmentVariables, KubectlOptions } from './cluster';
import { immutableChangesOfFiles } from './immutable-changes';
import { GITOPS_FOLDER } from '../core/environment';
import { warningLine } from '../core/warnings';
import { gitOpsFiles, readPackageRepository, resolveGitOps } from './gitops';
import { Project } from './project';
import { contains, shown } from './paths';
import { diffTrees, PromoteStep, resumePromote, runPromote } from './promote';
import { synthProjectFiles } from './synth-project';
import { SynthError } from './synthesize';
import { synthToFolder } from './synth-to-folder';
import { WatchBuild, watchProject } from './watch';
import { checkOutputFolder, filesNotWrittenBySynth, KUSTOMIZATION, OutputError, writeEnvironments } from './write-atomic';

/** Where the environment folders go when --outdir (synth, diff) or --dist (promote) does not say. */
export const DEFAULT_OUTDIR = 'dist';

const COMMANDS = ['synth', 'diff', 'apply', 'promote'] as const;
type CommandName = (typeof COMMANDS)[number];

/** What a command line asks for. */
export interface CommandLine {
  /** The command: synth, diff, apply or promote. */
  readonly command: CommandName;
  /** `--env`, in the order given. */
  readonly envs: readonly string[];
  /** `--app`. @default - none */
  readonly app?: string;
  /** `--outdir`: synth and diff's environment folders, or where promote writes a dry run. @default - dist for synth and diff; none for promote */
  readonly outdir?: string;
  /** `--dist`: the environment folders promote rewrites. @default dist */
  readonly dist?: string;
  /** `--release-dir`. @default - the project's releaseDir */
  readonly releaseDir?: string;
  /** `--project`. @default - none: the caller gives the project */
  readonly project?: string;
  /** `--delete-unknown`: delete files in an environment folder that synth did not write. @default false */
  readonly deleteUnknown: boolean;
  /** `--resume`: finish an interrupted promote. @default false */
  readonly resume: boolean;
  /** `--watch`: after synth, synthesize again on every change of a source or release file. @default false */
  readonly watch: boolean;
  /** `--threads`: how many threads render environments (1: this one only; workers load `--project`). @default - one per core, at most one per environment */
  readonly threads?: number;
  /** The canary step promote takes. @default - none: a blue-green switch */
  readonly canaryStep?: PromoteStep;
  /** `--cluster`: diff against the live cluster instead of a fresh synth. @default false */
  readonly cluster: boolean;
  /** `--context`: the kubeconfig context of apply and diff --cluster. @default - kubeconfig's current context */
  readonly context?: string;
}

const OPTIONS = {
  env: { type: 'string', multiple: true },
  app: { type: 'string' },
  outdir: { type: 'string' },
  dist: { type: 'string' },
  'release-dir': { type: 'string' },
  project: { type: 'string' },
  'delete-unknown': { type: 'boolean' },
  resume: { type: 'boolean' },
  watch: { type: 'boolean' },
  threads: { type: 'string' },
  'canary-weight': { type: 'string' },
  'canary-finish': { type: 'boolean' },
  'canary-abort': { type: 'boolean' },
  cluster: { type: 'boolean' },
  context: { type: 'string' },
} as const;

/** A whole number as a person types it in decimal, or undefined: `Number()` would also take 0x10, 0b11 and 1e1, which a typo can make. */
function decimalWholeNumber(value: string): number | undefined {
  return /^\s*-?[0-9]+\s*$/.test(value) ? Number(value) : undefined;
}

/** The canary step the options ask for, if any; an error when they ask for more than one or the weight is no number. */
function canaryStep(values: { 'canary-weight'?: string; 'canary-finish'?: boolean; 'canary-abort'?: boolean }): PromoteStep | undefined {
  const steps: PromoteStep[] = [];
  if (values['canary-weight'] !== undefined) {
    const weight = decimalWholeNumber(values['canary-weight']);
    if (weight === undefined) throw new Error(`--canary-weight ${JSON.stringify(values['canary-weight'])} is not a whole number: give the share of requests, e.g. --canary-weight 20`);
    steps.push({ kind: 'canary-weight', weight });
  }
  if (values['canary-finish']) steps.push({ kind: 'canary-finish' });
  if (values['canary-abort']) steps.push({ kind: 'canary-abort' });
  if (steps.length > 1) throw new Error('--canary-weight, --canary-finish and --canary-abort are one step each: give one of them');
  return steps[0];
}

/** `--threads N`, checked: a whole number of 1 or more. */
function threadCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = decimalWholeNumber(value);
  if (n === undefined || n < 1) throw new Error(`--threads ${JSON.stringify(value)} is not a whole number of 1 or more: give how many threads render, e.g. --threads 2 (1 renders on this thread only)`);
  return n;
}

/** diff's exit status when it could not compare (a synth problem, no cluster): apart from 1, which means a difference. */
export const DIFF_FAILED = 2;

/** What `k8s-iac --help` (or `help`) prints. */
export const USAGE = `usage: k8s-iac <command> [options]

commands:
  synth     write every environment (or each --env) to <outdir>/<env>/, all or nothing
  diff      what a synth would change in <outdir>/<env>/, as a unified diff; exit 1 on differences, 2 when it cannot compare
  apply     server-side apply of <outdir>/<env>/ (one --env); objects it no longer holds are deleted
  promote   one app's next release step in one environment (--env, --app): a blue-green switch, or a canary step

options:
  --env NAME           an environment; repeat for more (default: K8S_IAC_ENV=a,b, else every environment)
  --outdir DIR         the environment folders (default: dist); for promote, where a dry run writes instead
  --dist DIR           promote: the environment folders it rewrites (default: dist)
  --release-dir DIR    the release files <env>.json (default: the project's, release/)
  --project FILE       the compiled project module (default: package.json's "k8s-iac".project)
  --delete-unknown     synth, promote: delete files in an environment folder that synth did not write (default: stop, naming them, and keep them)
  --watch              synth: keep running, and synthesize again after every change of a source or release file
  --threads N          synth: threads that render (default: one per core, at most one per environment)
  --canary-weight N    promote: the canary's share of requests, in percent
  --canary-finish      promote: the canary becomes stable and its own objects go
  --canary-abort       promote: the canary goes, stable stays
  --resume             promote: finish a promote that a kill interrupted
  --cluster            diff: against the live cluster (kubectl diff --server-side) instead of the folder
  --context CTX        apply, diff --cluster: the kubeconfig context (default: the environment's kubeContext, else the current one)
  --help               this text
`;

/** Whether a command line asks for the usage text rather than a command. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv[0] === 'help' || argv.includes('--help') || argv.includes('-h');
}

/** Parses `argv` (after the bin's name); an error names the unknown command or option. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const [command, ...rest] = argv;
  if (!COMMANDS.includes(command as CommandName)) {
    // an option first (the bin adds --project to an empty command line) is no command either
    const given = command === undefined || command.startsWith('-') ? 'no command given' : `unknown command "${command}"`;
    throw new Error(`${given}: use one of ${COMMANDS.join(', ')}, e.g. k8s-iac synth --env prod (k8s-iac --help lists the options)`);
  }
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(rest).values;
  } catch (err) {
    const message = (err as Error).message;
    // an option without its value (or with one that starts with '-', which node:util reads as the next option)
    const missing = /^Option '(--[\w-]+)(?: <value>)?' argument (?:is ambiguous|missing)/.exec(message)?.[1];
    if (missing) throw new Error(`${missing} needs a value: give it after the option, or as ${missing}=VALUE where the value starts with '-'`);
    throw new Error(`${message.replace(/\. To specify.*$/s, '')}: use ${Object.keys(OPTIONS).map((o) => `--${o}`).join(', ')}`);
  }
  checkOptionsFit(command as CommandName, Object.keys(values));
  const line = {
    command: command as CommandName,
    envs: values.env ?? [],
    app: values.app,
    outdir: values.outdir,
    dist: values.dist,
    releaseDir: values['release-dir'],
    project: values.project,
    deleteUnknown: values['delete-unknown'] ?? false,
    resume: values.resume ?? false,
    watch: values.watch ?? false,
    threads: threadCount(values.threads),
    canaryStep: canaryStep(values),
    cluster: values.cluster ?? false,
    context: values.context,
  };
  checkClusterOptions(line);
  return line;
}

/** The commands each option is for: one given to another command is refused, not ignored. */
const OPTION_COMMANDS: Readonly<Record<keyof typeof OPTIONS, readonly CommandName[]>> = {
  env: ['synth', 'diff', 'apply', 'promote'],
  app: ['promote'],
  outdir: ['synth', 'diff', 'apply', 'promote'],
  dist: ['promote'],
  'release-dir': ['synth', 'diff', 'promote'],
  project: ['synth', 'diff', 'apply', 'promote'],
  'delete-unknown': ['synth', 'promote'],
  resume: ['promote'],
  watch: ['synth'],
  threads: ['synth'],
  'canary-weight': ['promote'],
  'canary-finish': ['promote'],
  'canary-abort': ['promote'],
  cluster: ['diff'],
  context: ['diff', 'apply'],
};

/** An option given to a command it is not for: it would change nothing, which is nearly always a mistake. */
function checkOptionsFit(command: CommandName, given: readonly string[]): void {
  for (const option of given) {
    const commands = OPTION_COMMANDS[option as keyof typeof OPTIONS];
    if (commands && !commands.includes(command)) throw new Error(`--${option} is an option of ${commands.join(', ')}, not of ${command}: drop it (k8s-iac --help lists the options)`);
  }
}

/** The options that reach a cluster are given where a cluster is reached, with the one environment it gets. */
function checkClusterOptions(line: CommandLine): void {
  const live = line.command === 'apply' || (line.command === 'diff' && line.cluster);
  if (line.context !== undefined && !live) throw new Error(`--context is for apply and diff --cluster: e.g. k8s-iac apply --env prod --context prod-cluster`);
  const example = line.command === 'apply' ? 'k8s-iac apply --env prod' : 'k8s-iac diff --env prod --cluster';
  if (live && line.envs.length !== 1) throw new Error(`${example.replace(/ --env prod/, '').slice('k8s-iac '.length)} takes one environment: give --env NAME once, e.g. ${example}`);
}

function parse(args: readonly string[]) {
  return parseArgs({ args: [...args], strict: true, allowPositionals: false, options: OPTIONS });
}

/** The project a module exports (default export, `project`, or the CommonJS module itself); an error saying how to export one. */
export function loadProject(file: string): Project {
  const resolved = path.resolve(file);
  const compiled = 'point --project at the module tsc compiles the project to (e.g. lib/project.js)';
  if (/\.[cm]?ts$/.test(resolved) && !resolved.endsWith('.d.ts')) throw new Error(`--project ${shown(resolved)} is TypeScript source, which Node does not run: ${compiled}`);
  // the module itself missing (not one it imports, whose error says which): its compile did not run, or the path is wrong
  try {
    require.resolve(resolved);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    if (fs.statSync(resolved, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--project ${shown(resolved)} is a folder: ${compiled}`);
    throw new Error(`--project ${shown(resolved)} does not exist: compile the project (e.g. tsc) so that it writes that file, or point --project at the compiled module`);
  }
  // a project is a compiled CommonJS module chosen at run time: require is the loader here
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(resolved) as { default?: unknown; project?: unknown };
  // `module.exports = defineProject(...)` in a JavaScript project is the module itself
  const project = Project.isProject(mod) ? mod : (mod.default ?? mod.project);
  if (!Project.isProject(project)) {
    throw new Error(`${file} exports no project: end it with \`export default defineProject({ environments, build })\` (in CommonJS JavaScript, \`module.exports = defineProject({ environments, build })\`)`);
  }
  return project;
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

/** The environments a command covers: --env, else K8S_IAC_ENV (comma-separated), else all; each one checked. */
function selectedEnvironments(project: Project, line: CommandLine, env: EnvironmentVariables): readonly string[] {
  const fromVariable = (env.K8S_IAC_ENV ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
  const envs = line.envs.length > 0 ? line.envs : fromVariable.length > 0 ? fromVariable : project.environments.names;
  for (const e of envs) project.environments.get(e);
  return envs;
}

/** cdk8s.yaml's `output`, resolved, when the working folder has one. */
function cdk8sOutput(): string | undefined {
  const file = path.resolve('cdk8s.yaml');
  if (!fs.existsSync(file)) return undefined;
  const output = (YAML.parse(fs.readFileSync(file, 'utf8')) as { output?: unknown } | null)?.output;
  return typeof output === 'string' ? path.resolve(output) : undefined;
}

/** Every environment as one multi-document YAML file `<env>.k8s.yaml` in `folder`, as cdk8s apps write theirs. */
function writeBundles(folder: string, rendered: ReadonlyMap<string, ReadonlyMap<string, string>>): void {
  fs.mkdirSync(folder, { recursive: true });
  for (const [env, files] of rendered) {
    const objects = [...files].filter(([file]) => file !== KUSTOMIZATION).map(([, text]) => `---\n${text}`);
    fs.writeFileSync(path.join(folder, `${env}.k8s.yaml`), objects.join(''));
  }
}

/** A SynthOptions.warn that says each warning on `warn` as one line, as synthToFolder says them. */
function warningTo(warn: (line: string) => void): (message: string) => void {
  return (message) => warn(warningLine(message));
}

/** The output folder (default dist) and the release folder the command line names, absolute; no release folder: the project's. */
function folders(line: CommandLine): { outdir: string; releaseDir?: string } {
  return { outdir: path.resolve(line.outdir ?? DEFAULT_OUTDIR), releaseDir: line.releaseDir === undefined ? undefined : path.resolve(line.releaseDir) };
}

/**
 * Synthesizes and writes the selected environments. `projectFile` is the module the project
 * was loaded from (worker threads load it too); without it the environments render here.
 */
function synth(project: Project, line: CommandLine, env: EnvironmentVariables, log: (line: string) => void, warn: (line: string) => void, projectFile: string | undefined): void {
  if (env.CDK8S_OUTDIR) {
    synthInMemory(project, line, env, log, warn);
    return;
  }
  const { outdir, releaseDir } = folders(line);
  checkOutputFolder(outdir, protectedFolders(line));
  const envs = selectedEnvironments(project, line, env);
  const gitops = gitOpsTrees(project, envs, outdir);
  const counts = synthToFolder(project, envs, outdir, { releaseDir, deleteUnknown: line.deleteUnknown, projectFile, threads: line.threads, notice: log, warn });
  for (const [e, objects] of counts) log(`${shown(path.join(outdir, e))}: ${objects} objects`);
  writeGitOps(gitops, outdir, line, log);
  noteOtherFolders(project, outdir, log);
}

/**
 * Synthesizes the selected environments in memory, then writes them (and, under `cdk8s
 * synth`, the bundles cdk8s reads); returns the files, which `--watch` starts from.
 * Warnings go to `warn`, as synthToFolder says them.
 */
function synthInMemory(project: Project, line: CommandLine, env: EnvironmentVariables, log: (line: string) => void, warn: (line: string) => void): Map<string, Map<string, string>> {
  const { outdir, releaseDir } = folders(line);
  checkOutputFolder(outdir, protectedFolders(line));
  const rendered = synthProjectFiles(project, selectedEnvironments(project, line, env), { releaseDir, warn: warningTo(warn) });
  const cdk8sOutdir = env.CDK8S_OUTDIR ? path.resolve(env.CDK8S_OUTDIR) : undefined;
  if (cdk8sOutdir && contains(cdk8sOutdir, outdir)) {
    throw new Error(
      `cdk8s synth empties its output folder ${shown(cdk8sOutdir)} before it runs the app, and ${shown(outdir)} is where the environment folders are: ` +
        `set output: lib/cdk8s.out (a scratch folder outside ${shown(outdir)}) in cdk8s.yaml, then run cdk8s synth again to write them anew (git checkout -- ${shown(outdir)} restores the committed ones)`,
    );
  }
  if (cdk8sOutdir) writeBundles(cdk8sOutdir, rendered);
  // under `cdk8s synth --stdout` (or --output elsewhere) the bundles are all that is asked for
  if (cdk8sOutdir && cdk8sOutdir !== cdk8sOutput()) return rendered;
  const gitops = gitOpsTrees(project, [...rendered.keys()], outdir);
  writeEnvironments(outdir, rendered, { deleteUnknown: line.deleteUnknown, notice: log });
  for (const [e, files] of rendered) log(`${shown(path.join(outdir, e))}: ${files.size - 1} objects`);
  writeGitOps(gitops, outdir, line, log);
  noteOtherFolders(project, outdir, log);
  return rendered;
}

/**
 * Says which folders of the output hold a kustomization but are no environment of the
 * project (one renamed or removed): synth leaves them as they are, so CI would go on
 * applying or committing them unless someone deletes them.
 */
function noteOtherFolders(project: Project, outdir: string, log: (line: string) => void): void {
  if (!fs.existsSync(outdir)) return;
  const known = new Set<string>([...project.environments.names, GITOPS_FOLDER]);
  for (const entry of fs.readdirSync(outdir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || known.has(entry.name)) continue;
    if (fs.existsSync(path.join(outdir, entry.name, KUSTOMIZATION))) {
      log(`${shown(path.join(outdir, entry.name))}: not an environment of this project (${project.environments.names.join(', ')}), left as it was: delete it if that environment is gone`);
    }
  }
}

/** Writes the GitOps folders, or says why there are none. */
function writeGitOps(gitops: ReturnType<typeof gitOpsTrees>, outdir: string, line: CommandLine, log: (line: string) => void): void {
  if (gitops === undefined) return;
  if (typeof gitops === 'string') {
    const folder = path.join(outdir, GITOPS_FOLDER);
    // what an earlier synth wrote stays: nothing is deleted that was not asked for
    const kept = fs.existsSync(folder) ? ` (the one an earlier synth wrote is kept: delete it if its objects no longer apply)` : '';
    log(`${shown(folder)}: not written: ${gitops}${kept}`);
    return;
  }
  for (const [tool, trees] of gitops) {
    writeEnvironments(path.join(outdir, GITOPS_FOLDER, tool), trees, { deleteUnknown: line.deleteUnknown });
    log(`${shown(path.join(outdir, GITOPS_FOLDER, tool))}: ${[...trees.keys()].join(', ')}`);
  }
}

/**
 * The GitOps folders of `envs`, rendered in memory, fetching from the repository the
 * settings or the working folder's package.json name and from the output folder's place
 * in it; or why there are none (undefined: none asked for).
 */
function gitOpsTrees(project: Project, envs: readonly string[], outdir: string): ReturnType<typeof gitOpsFiles> | string | undefined {
  const root = packageRoot(process.cwd()) ?? process.cwd();
  const gitops = resolveGitOps(project.gitops, readPackageRepository(root), path.relative(root, outdir).split(path.sep).join('/'));
  return gitops === undefined || typeof gitops === 'string' ? gitops : gitOpsFiles(project, envs, gitops);
}

/** synth, then the watch; the process keeps running until it is stopped. */
function synthAndWatch(project: Project, line: CommandLine, context: RunContext, log: (line: string) => void, error: (line: string) => void): void {
  const env = context.env ?? process.env;
  if (env.CDK8S_OUTDIR) throw new Error('--watch writes the environment folders only: run it without cdk8s synth');
  const envs = selectedEnvironments(project, line, env);
  let written = new Map<string, Map<string, string>>();
  try {
    written = synthInMemory(project, line, env, log, error);
  } catch (err) {
    // a first synth with problems (or a write fault) is reported like a later one, and the watch starts: fixing it is a change
    if (!(err instanceof SynthError || err instanceof OutputError)) throw err;
    error(`watch: nothing written: ${err.message}`);
  }
  watchProject(project, written, {
    projectFile: line.project === undefined ? undefined : path.resolve(line.project),
    envs,
    outdir: folders(line).outdir,
    releaseDir: folders(line).releaseDir ?? project.releaseDir(),
    build: context.watchBuild,
    write: { deleteUnknown: line.deleteUnknown },
    load: loadProject,
    log,
    error,
  });
}

/** Reads an environment folder as synth wrote it: relative path -> content. */
function readFolder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) return files;
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/**
 * What a synth would change: a unified diff of each environment folder against a fresh
 * synth; nothing is written. True when any folder differs (the command then exits 1, as
 * `diff` and `kubectl diff` do, so CI can fail on a stale folder). A change of a field the
 * API server will not change on an existing object is warned of on `warn`, as synth does.
 */
function diff(project: Project, line: CommandLine, env: EnvironmentVariables, log: (line: string) => void, warn: (line: string) => void): boolean {
  const { outdir, releaseDir } = folders(line);
  // no folder at all is a mistyped --outdir, or no synth yet: not a diff of every file against nothing
  if (!fs.existsSync(outdir)) throw new Error(`${shown(outdir)} does not exist, so there is nothing to compare with: give the folder synth writes with --outdir, or synth first`);
  let rendered: Map<string, Map<string, string>>;
  try {
    rendered = synthProjectFiles(project, selectedEnvironments(project, line, env), { releaseDir, warn: warningTo(warn) });
  } catch (err) {
    // diff writes nothing in any case: what its failed synth stops is the comparison
    if (err instanceof SynthError) throw new SynthError(err.problems, 'nothing was compared');
    throw err;
  }
  let differs = false;
  for (const [e, after] of rendered) {
    const folder = path.join(outdir, e);
    // shown() finds the project's root by reading package.json files: once per folder
    const named = shown(folder);
    // files synth did not write are not its to delete: left out of the diff, and named, as synth names them
    const unknown = new Set(filesNotWrittenBySynth(folder));
    const before = new Map([...readFolder(folder)].filter(([file]) => !unknown.has(file)));
    const changes = diffTrees(named, before, after);
    differs ||= changes !== '' || unknown.size > 0;
    log(changes === '' ? `${named}: no change${unknown.size > 0 ? ' to the files synth writes' : ''}` : changes);
    // on stderr, as synth warns: the diff shows the change, this says the apply will refuse it
    for (const message of immutableChangesOfFiles(before, after, named)) warn(warningLine(message));
    if (unknown.size > 0) {
      log(`${named}: holds files synth did not write, which stop a synth: ${[...unknown].sort().join(', ')} (move them out, or synth with --delete-unknown)`);
    }
  }
  return differs;
}

/** The environment folder apply and diff --cluster send to the cluster, and how kubectl runs. */
function liveTarget(project: Project, line: CommandLine, env: EnvironmentVariables): { folder: string; options: KubectlOptions } {
  const environment = project.environments.get(line.envs[0]);
  return { folder: path.join(folders(line).outdir, environment.name), options: { kubectl: env.KUBECTL, context: liveContext(environment, line.context), env } };
}

/** The kubeconfig context of apply and diff --cluster: the environment's own where it names one, which a different `--context` may not override. */
function liveContext(environment: { readonly name: string; readonly kubeContext?: string }, given: string | undefined): string | undefined {
  if (environment.kubeContext === undefined || given === undefined || given === environment.kubeContext) return environment.kubeContext ?? given;
  throw new Error(
    `--context ${given} is not the cluster of environment ${environment.name}, whose kubeContext is ${environment.kubeContext}: drop --context (the environment's is used), or change its kubeContext in defineEnvironments if the cluster moved`,
  );
}

function promote(project: Project, line: CommandLine, log: (line: string) => void): void {
  if (line.envs.length > 1) throw new Error(`promote takes one environment: give --env NAME once, e.g. k8s-iac promote --env ${line.envs[0]} --app NAME`);
  const env = line.envs[0];
  const releaseDir = folders(line).releaseDir ?? project.releaseDir();
  const dist = path.resolve(line.dist ?? DEFAULT_OUTDIR);
  checkOutputFolder(dist, protectedFolders(line));
  if (line.outdir !== undefined) checkOutputFolder(line.outdir, protectedFolders(line));
  if (line.resume) {
    if (!env) throw new Error('promote --resume needs the environment whose promote was interrupted: k8s-iac promote --env NAME --resume');
    project.environments.get(env);
    resumePromote(project, { env, releaseDir, dist, deleteUnknown: line.deleteUnknown }, log);
    return;
  }
  if (!env || !line.app) throw new Error('promote needs --env NAME and --app NAME, e.g. k8s-iac promote --env prod --app web');
  project.environments.get(env);
  const outdir = line.outdir === undefined ? undefined : path.resolve(line.outdir);
  runPromote(project, { env, app: line.app, step: line.canaryStep, releaseDir, dist, outdir, deleteUnknown: line.deleteUnknown }, log);
}

/** How a run is wired: the project (else --project), where logs go, the environment's variables. */
export interface RunContext {
  /** The project to run. @default - the module `--project` names */
  readonly project?: Project;
  /** Where progress lines go. @default console.log */
  readonly log?: (line: string) => void;
  /** Where the problems go. @default console.error */
  readonly error?: (line: string) => void;
  /** The variables CDK8S_OUTDIR, K8S_IAC_ENV and KUBECTL are read from (kubectl runs with them). @default process.env */
  readonly env?: EnvironmentVariables;
  /** How `synth --watch` compiles a changed source. @default - none: the watch follows release files only */
  readonly watchBuild?: WatchBuild;
}

/** Runs one command line: 0 on success, 1 with every problem on stderr; diff exits 1 when a folder or the cluster differs, and DIFF_FAILED when it cannot compare. */
export function main(argv: readonly string[], context: RunContext = {}): number {
  const log = context.log ?? console.log;
  const error = context.error ?? console.error;
  const env = context.env ?? process.env;
  if (wantsHelp(argv)) {
    log(USAGE);
    return 0;
  }
  try {
    const line = parseCommandLine(argv);
    const project = context.project ?? (line.project ? loadProject(line.project) : undefined);
    if (!project) throw new Error('no project: pass --project FILE, or set "k8s-iac": { "project": FILE } in package.json');
    if (line.watch && line.command !== 'synth') throw new Error('--watch is an option of synth: k8s-iac synth --watch');
    if (line.command === 'synth' && line.watch) synthAndWatch(project, line, context, log, error);
    // worker threads load the project from its module: only when that is where it came from
    else if (line.command === 'synth') synth(project, line, env, log, error, context.project ? undefined : line.project);
    else if (line.command === 'diff' && line.cluster) {
      const { folder, options } = liveTarget(project, line, env);
      return diffEnvironment(shown(folder), options, log) ? 1 : 0;
    } else if (line.command === 'diff') return diff(project, line, env, log, error) ? 1 : 0;
    else if (line.command === 'apply') {
      const { folder, options } = liveTarget(project, line, env);
      applyEnvironment(shown(folder), options, log);
    } else promote(project, line, log);
    return 0;
  } catch (err) {
    error(`error: ${(err as Error).message}`);
    // diff keeps 1 for "differs", as diff(1) and kubectl diff do: a diff that could not compare is 2
    return argv[0] === 'diff' ? DIFF_FAILED : 1;
  }
}
