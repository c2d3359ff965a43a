/**
 * `npm run bench [-- --quick] [--reps R] [--sizes 10,100,1000] [--limit S] [--json FILE] [--check]`
 *
 * For each size N, synthesizes the synthetic platform (N services x 4 environments) with
 * seven tools, each measurement in a child process of its own, R repetitions, median
 * reported: ours, one-thread, the floor (YAML and write), write (the bytes only), json
 * (JSON.stringify and write), naive cdk8s-plus-28 and kustomize. A measurement
 * still running after S seconds is stopped and recorded as "more than S"; that tool is not
 * run again at that or a larger N (it only gets slower). Then times
 * the blueprint's own `npm run synth` from a cold process (beside `npm run` of a script that
 * only starts Node, the least it can take), and `synth --watch` from saving a
 * one-line change to the written files (watch-timing.ts). Writes bench/out/results.json,
 * bench/out/results.md and the plot (bench/results.svg; bench/out/results.svg with --quick).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { kustomizeBinFile, Measurement, Stopped, Tool, TOOLS } from './measure';
import { BENCH_ENVIRONMENTS } from './platform';
import { LIMITS, markdown, median, met, Run, summarize, Summary, svgPlot, targets } from './report';

const ROOT = path.resolve(__dirname, '..', '..');
const LIB_BENCH = __dirname;
const OUT = path.join(ROOT, 'bench', 'out');

export const KUSTOMIZE_VERSION = 'v5.4.3';
const KUSTOMIZE_MODULE = 'sigs.k8s.io/kustomize/kustomize/v5';

export interface BenchArgs {
  readonly sizes: readonly number[];
  readonly reps: number;
  readonly quick: boolean;
  readonly json?: string;
  /** Exit non-zero when a target is missed. */
  readonly check: boolean;
  /** Seconds one measurement may run before it is stopped. */
  readonly limitS: number;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let sizes: number[] | undefined;
  let reps: number | undefined;
  let quick = false;
  let json: string | undefined;
  let check = false;
  let limitS = 600;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') quick = true;
    else if (arg === '--check') check = true;
    else if (arg === '--json') json = path.resolve(value());
    else if (arg === '--reps') reps = positiveInteger(value(), '--reps');
    else if (arg === '--limit') limitS = positiveInteger(value(), '--limit');
    else if (arg === '--sizes') sizes = value().split(',').map((s) => positiveInteger(s, '--sizes'));
    else throw new Error(`unknown argument "${arg}": use --quick, --reps R, --sizes N,N,..., --limit S, --json FILE or --check`);
  }
  return { sizes: sizes ?? (quick ? [10, 100] : [10, 100, 1000]), reps: reps ?? (quick ? 1 : 3), quick, json, check, limitS };
}

function positiveInteger(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what} "${value}" is not a whole number of 1 or more`);
  return n;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/**
 * The kustomize binary, built once with `go install` into a cache outside the clone keyed
 * by version; undefined (kustomize left out) when Go is not installed.
 */
export function ensureKustomize(): string | undefined {
  const cache = process.env.K8S_IAC_CACHE ?? path.join(os.homedir(), '.cache', 'k8s-iac');
  const dir = path.join(cache, 'tools', `kustomize-${KUSTOMIZE_VERSION}`);
  const bin = path.join(dir, 'bin', 'kustomize');
  if (fs.existsSync(bin)) return bin;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    log('go is not installed: kustomize is left out (install Go to build it)');
    return undefined;
  }
  log(`building kustomize ${KUSTOMIZE_VERSION} into ${dir} (once)`);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(dir), `.build-kustomize-`));
  const env = { ...process.env, GOBIN: path.join(tmp, 'bin'), CGO_ENABLED: '0', GOFLAGS: `${process.env.GOFLAGS ?? ''} -trimpath -buildvcs=false`.trim() };
  const result = spawnSync('go', ['install', '-ldflags=-s -w', `${KUSTOMIZE_MODULE}@${KUSTOMIZE_VERSION}`], { env, stdio: 'inherit', cwd: tmp });
  if (result.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`go install ${KUSTOMIZE_MODULE}@${KUSTOMIZE_VERSION} failed (exit ${result.status})`);
  }
  // another run may have finished first: keep its binary
  if (fs.existsSync(bin)) fs.rmSync(tmp, { recursive: true, force: true });
  else fs.renameSync(tmp, dir);
  return bin;
}

/** Runs a compiled bench script; undefined when it was killed at `timeoutS`. */
function runNode(script: string, args: readonly string[], timeoutS?: number): string | undefined {
  const result = spawnSync(process.execPath, [path.join(LIB_BENCH, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: timeoutS === undefined ? undefined : timeoutS * 1000,
    killSignal: 'SIGKILL',
  });
  if (timeoutS !== undefined && result.signal === 'SIGKILL') return undefined;
  if (result.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  return result.stdout;
}

/** Seconds past the limit the parent waits for a kustomize measurement to stop its own builds. */
const KUSTOMIZE_GRACE_S = 30;

/**
 * Where inputs and outputs of the measurements go: RAM-backed (/dev/shm) where the machine
 * has it, so that the disk's own noise (journal commits, discards of the previous run's
 * 70,000 files) stays out of numbers meant to compare synth work. BENCH_TMPDIR overrides.
 */
export function scratchRoot(): string {
  if (process.env.BENCH_TMPDIR) return process.env.BENCH_TMPDIR;
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

function measureOnce(tool: Tool, n: number, workdir: string, limitS: number): Measurement | Stopped {
  const outdir = fs.mkdtempSync(path.join(scratchRoot(), `k8s-iac-bench-${tool}-`));
  try {
    // Node tools are killed by the parent at the limit; kustomize kills its builds itself
    const timeout = tool === 'kustomize' ? limitS + KUSTOMIZE_GRACE_S : limitS;
    const stdout = runNode('measure.js', [tool, String(n), workdir, outdir, String(limitS)], timeout);
    if (stdout === undefined) return { stopped_after_s: limitS };
    const lines = stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]) as Measurement | Stopped;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function isStopped(m: Measurement | Stopped): m is Stopped {
  return 'stopped_after_s' in m;
}

function medianRun(n: number, tool: Tool, samples: readonly (Measurement | Stopped)[]): Run {
  const stopped = samples.find(isStopped);
  if (stopped) return { n, tool, wall_s: null, rss_mb: null, startup_s: null, samples_s: [], stopped_after_s: stopped.stopped_after_s };
  const done = samples.filter((s): s is Measurement => !isStopped(s));
  const rss = done.map((s) => s.rss_mb).filter((r): r is number => r !== null);
  return {
    n,
    tool,
    wall_s: median(done.map((s) => s.wall_s)),
    rss_mb: rss.length ? median(rss) : null,
    startup_s: median(done.map((s) => s.startup_s)),
    samples_s: done.map((s) => s.wall_s),
  };
}

function describeMeasurement(m: Measurement | Stopped): string {
  if (isStopped(m)) return `stopped after ${m.stopped_after_s} s`;
  return `${m.wall_s.toFixed(3)} s, ${m.rss_mb === null ? '?' : m.rss_mb.toFixed(0)} MiB`;
}

/** Measures every tool at size n; a tool stopped at its limit is added to `stopped`. */
function measureSize(n: number, tools: readonly Tool[], args: BenchArgs, workdir: string, stopped: Set<Tool>): Run[] {
  // the kustomize tree is made the same way at every N: checking it at the smallest is enough
  const check = tools.includes('kustomize') && n === Math.min(...args.sizes);
  log(`N=${n}: preparing inputs (our objects as JSON, kustomize base and overlays${check ? ', checked against our output' : ''})`);
  runNode('prepare.js', [String(n), workdir, ...(check ? ['check'] : [])]);
  const samples = new Map<Tool, (Measurement | Stopped)[]>(tools.map((t) => [t, []]));
  for (let rep = 1; rep <= args.reps; rep++) {
    for (const tool of tools) {
      if (stopped.has(tool)) continue;
      const m = measureOnce(tool, n, workdir, args.limitS);
      samples.get(tool)?.push(m);
      if (isStopped(m)) stopped.add(tool);
      log(`N=${n} rep ${rep}/${args.reps} ${tool}: ${describeMeasurement(m)}`);
    }
  }
  // a tool stopped at a smaller N was not run here: it has no row
  return tools.filter((t) => (samples.get(t) ?? []).length > 0).map((t) => medianRun(n, t, samples.get(t) ?? []));
}

/** Cold-process times of the blueprint's synth, and what its start-up spends on imports. */
export interface SynthStartup {
  readonly bin_synth_s: number;
  readonly npm_synth_s: number;
  /** `npm run -s` of a script that only starts Node (`node -e 0`): the least any synth through npm can take here. */
  readonly npm_node_floor_s: number;
  readonly samples: { readonly bin_synth_s: readonly number[]; readonly npm_synth_s: readonly number[]; readonly npm_node_floor_s: readonly number[] };
  /** Milliseconds to require each module in a fresh process, in this order (each after the ones before). */
  readonly require_ms: Readonly<Record<string, number>>;
}

function timeCommand(command: string, args: readonly string[], cwd = ROOT): number {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
  return (performance.now() - start) / 1000;
}

const REQUIRE_PROBE = `
const { performance } = require('node:perf_hooks');
const out = {};
for (const m of JSON.parse(process.argv[1])) { const t = performance.now(); require(m); out[m.replace(/.*\\/(lib|node_modules)\\//, '')] = +(performance.now() - t).toFixed(1); }
console.log(JSON.stringify(out));`;

/** A package whose one script only starts Node: what `npm run -s` costs before any synth. */
function nodeOnlyPackage(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-iac-bench-node-only-'));
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'node-start-only', version: '1.0.0', private: true, scripts: { start: 'node -e 0' } })}\n`);
  return dir;
}

export function measureSynthStartup(runs: number): SynthStartup {
  // the blueprint's synth writes to the ordinary temporary folder, as a user's would
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-iac-bench-synth-'));
  const nodeOnly = nodeOnlyPackage();
  try {
    const bin: number[] = [];
    const npm: number[] = [];
    const floor: number[] = [];
    // an untimed run first: bin/k8s-iac.js compiles when a source is newer than lib/, and that is not start-up
    timeCommand(process.execPath, [path.join(ROOT, 'bin', 'k8s-iac.js'), 'synth', '--outdir', outdir]);
    for (let i = 0; i < runs; i++) {
      bin.push(timeCommand(process.execPath, [path.join(ROOT, 'bin', 'k8s-iac.js'), 'synth', '--outdir', outdir]));
      npm.push(timeCommand('npm', ['run', '-s', 'synth', '--', '--outdir', outdir]));
      floor.push(timeCommand('npm', ['run', '-s', 'start'], nodeOnly));
    }
    const modules = ['yaml', 'constructs', 'cdk8s', path.join(ROOT, 'lib', 'imports', 'k8s.js'), path.join(ROOT, 'lib', 'src', 'library', 'runner', 'cli.js')];
    const probe = spawnSync(process.execPath, ['-e', REQUIRE_PROBE, JSON.stringify(modules)], { cwd: ROOT, encoding: 'utf8' });
    return {
      bin_synth_s: median(bin),
      npm_synth_s: median(npm),
      npm_node_floor_s: median(floor),
      samples: { bin_synth_s: bin, npm_synth_s: npm, npm_node_floor_s: floor },
      require_ms: JSON.parse(probe.stdout) as Record<string, number>,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.rmSync(nodeOnly, { recursive: true, force: true });
  }
}

/** What the numbers were measured on; a busy machine (load above its cores) makes them noisy. */
export interface Machine {
  readonly cpus: number;
  readonly node: string;
  /** Where the measurements read their inputs and wrote their output. */
  readonly scratch_dir: string;
  readonly load_avg_start: readonly number[];
  readonly load_avg_end: readonly number[];
}

/** Save-to-written times of `synth --watch` on the reference platform, seconds. */
function measureWatchResynth(reps: number): number[] {
  const stdout = runNode('watch-timing.js', [ROOT, String(reps)]) ?? '';
  return (JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { samples_s: number[] }).samples_s;
}

function writeOutputs(args: BenchArgs, summary: Summary, startup: SynthStartup, watchSamples: readonly number[], tools: readonly Tool[], machine: Machine): string {
  fs.mkdirSync(OUT, { recursive: true });
  const json = `${JSON.stringify({ ...summary, synth_startup: startup, watch_samples_s: watchSamples, machine }, null, 2)}\n`;
  fs.writeFileSync(path.join(OUT, 'results.json'), json);
  if (args.json) fs.writeFileSync(args.json, json);
  const startupLines = [
    '',
    `Blueprint synth from a cold process (median of ${startup.samples.bin_synth_s.length}): \`node bin/k8s-iac.js synth\` ${startup.bin_synth_s.toFixed(2)} s, \`npm run -s synth\` ${startup.npm_synth_s.toFixed(2)} s (target <= ${LIMITS.coldSynthS} s); \`npm run -s\` of a script that only runs \`node -e 0\` ${startup.npm_node_floor_s.toFixed(2)} s.`,
    `\`synth --watch\`, save to written files after a one-line change of src/platform/environments.ts (median of ${watchSamples.length}): ${summary.watch_resynth_s === null ? 'n/a' : `${(summary.watch_resynth_s * 1000).toFixed(0)} ms`} (target <= ${LIMITS.watchResynthS * 1000} ms; samples ${watchSamples.map((t) => (t * 1000).toFixed(0)).join(', ')} ms).`,
    `Require times in a fresh process, in order: ${Object.entries(startup.require_ms).map(([m, ms]) => `${m} ${ms} ms`).join(', ')}.`,
    `Machine: ${machine.cpus} cores, Node ${machine.node}, scratch in ${machine.scratch_dir}, load average ${machine.load_avg_start.map((l) => l.toFixed(1)).join('/')} at the start, ${machine.load_avg_end.map((l) => l.toFixed(1)).join('/')} at the end.`,
  ];
  const table = markdown(summary, tools, BENCH_ENVIRONMENTS.length) + startupLines.join('\n') + '\n';
  fs.writeFileSync(path.join(OUT, 'results.md'), table);
  const svg = path.join(args.quick ? OUT : path.join(ROOT, 'bench'), 'results.svg');
  fs.writeFileSync(svg, svgPlot(summary, tools, `synth time, N services x ${BENCH_ENVIRONMENTS.length} environments (${os.cpus().length} cores)`));
  return table;
}

export function main(argv: readonly string[]): number {
  const args = parseBenchArgs(argv);
  const workdir = fs.mkdtempSync(path.join(scratchRoot(), 'k8s-iac-bench-'));
  const loadAtStart = os.loadavg();
  try {
    const kustomize = ensureKustomize();
    if (kustomize) fs.writeFileSync(kustomizeBinFile(workdir), kustomize);
    const tools = TOOLS.filter((t) => t !== 'kustomize' || kustomize !== undefined);
    const stopped = new Set<Tool>();
    const runs = args.sizes.flatMap((n) => measureSize(n, tools, args, workdir, stopped));
    log('timing the blueprint synth from a cold process');
    const startup = measureSynthStartup(args.quick ? 2 : 5);
    log('timing synth --watch after a one-line change');
    const watchSamples = measureWatchResynth(args.quick ? 3 : 5);
    const summary = summarize(runs, { cold_synth_s: startup.npm_synth_s, watch_resynth_s: median(watchSamples) });
    const machine: Machine = { cpus: os.cpus().length, node: process.version, scratch_dir: scratchRoot(), load_avg_start: loadAtStart, load_avg_end: os.loadavg() };
    process.stdout.write(writeOutputs(args, summary, startup, watchSamples, tools, machine));
    const missed = targets(summary).filter((t) => !met(t));
    return args.check && missed.length > 0 ? 1 : 0;
  } finally {
    fs.rmSync(workdir, { recursive: true, force: true });
  }
}
