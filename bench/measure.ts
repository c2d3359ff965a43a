/**
 * One measurement, in a process of its own:
 * `node lib/bench/measure.js TOOL N WORKDIR OUTDIR LIMIT_S`.
 * Inputs (saved objects, the kustomize tree) are loaded before the clock starts; the
 * timed part ends when the last file is written. Prints one JSON line:
 * `{"wall_s", "rss_mb", "startup_s"}` (startup_s: process start to clock start), or
 * `{"stopped_after_s"}` when kustomize ran past LIMIT_S and was killed (the parent kills
 * the Node tools itself).
 *
 * Tools:
 * - ours: build, validate, render and write the 4 environments as `k8s-iac synth` does
 *   (`synthToFolder`: one thread per core, each environment staged as soon as it renders);
 * - one-thread: the same on this thread only (`synth --threads 1`);
 * - floor: only turn the same final objects into YAML (`toYaml`, as synth does) and write them;
 * - write: only write the same bytes, turned into YAML before the clock starts (the real floor);
 * - json: `JSON.stringify` the same objects and write them (a serializer with no choices to make);
 * - naive: plain cdk8s-plus-28, one Chart per service, `app.synth()` per environment;
 * - kustomize: `kustomize build` of the 4 overlays, each to a folder.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ENVIRONMENTS } from '../src/platform/environments';
import { synthToFolder, toYaml } from 'k8s-iac';
import benchProject, { SERVICES_VARIABLE } from './bench-project';
import type { RenderedObject } from './kustomize';
import { synthNaiveEnvironment } from './naive';
import { BENCH_ENVIRONMENTS } from './platform';

export const TOOLS = ['ours', 'one-thread', 'floor', 'write', 'json', 'naive', 'kustomize'] as const;
export type Tool = (typeof TOOLS)[number];

/** What one measurement reports. */
export interface Measurement {
  readonly wall_s: number;
  readonly rss_mb: number | null;
  readonly startup_s: number;
}

/** A measurement stopped at its time limit. */
export interface Stopped {
  readonly stopped_after_s: number;
}

/** Where the prepare step leaves the saved objects of a size inside the work folder. */
export function objectsFile(workdir: string, count: number): string {
  return path.join(workdir, `objects-${count}.json`);
}

/** Where the prepare step writes the kustomize base and overlays of a size. */
export function kustomizeDir(workdir: string, count: number): string {
  return path.join(workdir, `kustomize-${count}`);
}

/** File holding the kustomize binary's path, written by main before any measurement. */
export function kustomizeBinFile(workdir: string): string {
  return path.join(workdir, 'kustomize-bin');
}

const MB = 1024 * 1024;

function ownRssMb(): number {
  // maxRSS is in kilobytes
  return (process.resourceUsage().maxRSS * 1024) / MB;
}

/** Whose peak RSS a measurement reports: this process's, a child's (MB), or none known. */
type PeakRss = 'self' | number | null;

function timed(run: () => PeakRss, before: () => void = () => undefined): Measurement {
  before();
  const start = performance.now();
  const rss = run();
  const wall = (performance.now() - start) / 1000;
  return { wall_s: wall, rss_mb: rss === 'self' ? ownRssMb() : rss, startup_s: start / 1000 };
}

/** `k8s-iac synth` of the synthetic platform into `outdir` on `threads` threads (default: one per core). */
function measureOurs(count: number, outdir: string, threads?: number): Measurement {
  process.env[SERVICES_VARIABLE] = String(count);
  return timed(() => {
    synthToFolder(benchProject, BENCH_ENVIRONMENTS, outdir, { projectFile: path.join(__dirname, 'bench-project.js'), threads });
    return 'self';
  });
}

function writePlain(dir: string, files: ReadonlyMap<string, string>): void {
  for (const d of new Set([...files.keys()].map((f) => path.dirname(f)))) fs.mkdirSync(path.join(dir, d), { recursive: true });
  for (const [file, content] of files) fs.writeFileSync(path.join(dir, file), content);
}

/** The files of each saved environment, each object turned into text by `serialize`, kustomization included. */
function environmentFiles(envs: Readonly<Record<string, readonly RenderedObject[]>>, serialize: (object: object) => string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [env, objects] of Object.entries(envs)) {
    const files = new Map<string, string>();
    for (const o of objects) files.set(o.file, serialize(o.object));
    files.set('kustomization.yaml', serialize({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: objects.map((o) => o.file) }));
    out.set(env, files);
  }
  return out;
}

function loadObjects(count: number, workdir: string): Record<string, RenderedObject[]> {
  return JSON.parse(fs.readFileSync(objectsFile(workdir, count), 'utf8')) as Record<string, RenderedObject[]>;
}

/** Serializes the saved objects with `serialize` and writes them; the clock covers both. */
function measureSerializer(count: number, workdir: string, outdir: string, serialize: (object: object) => string): Measurement {
  let envs: Record<string, RenderedObject[]> = {};
  return timed(
    () => {
      for (const [env, files] of environmentFiles(envs, serialize)) writePlain(path.join(outdir, env), files);
      return 'self';
    },
    () => {
      envs = loadObjects(count, workdir);
    },
  );
}

/** Writes the bytes of the saved objects' YAML, made before the clock starts: the cost of the output alone. */
function measureWrite(count: number, workdir: string, outdir: string): Measurement {
  let rendered = new Map<string, Map<string, string>>();
  return timed(
    () => {
      for (const [env, files] of rendered) writePlain(path.join(outdir, env), files);
      return 'self';
    },
    () => {
      rendered = environmentFiles(loadObjects(count, workdir), toYaml);
    },
  );
}

function measureNaive(count: number, outdir: string): Measurement {
  return timed(() => {
    for (const env of BENCH_ENVIRONMENTS) synthNaiveEnvironment(ENVIRONMENTS.get(env), count, path.join(outdir, env));
    return 'self';
  });
}

/** Peak RSS of a child, from GNU time (`time` package) when the machine has it. */
const GNU_TIME = '/usr/bin/time';

/** Thrown inside the timed part when kustomize is killed at the time limit. */
class TimeLimit extends Error {}

function measureKustomize(count: number, workdir: string, outdir: string, limitS: number): Measurement | Stopped {
  const bin = fs.readFileSync(kustomizeBinFile(workdir), 'utf8').trim();
  const hasTime = fs.existsSync(GNU_TIME);
  const rssFile = path.join(outdir, '.rss');
  const deadline = performance.now() + limitS * 1000;
  try {
    return timed(
      () => {
        let peakKb = 0;
        for (const env of BENCH_ENVIRONMENTS) {
          // coreutils timeout kills kustomize itself (GNU time would orphan it); GNU time reports the largest RSS below it
          const left = Math.max(1, Math.ceil((deadline - performance.now()) / 1000));
          const build = ['timeout', '-s', 'KILL', String(left), bin, 'build', path.join(kustomizeDir(workdir, count), 'overlays', env), '-o', path.join(outdir, env)];
          const result = hasTime ? spawnSync(GNU_TIME, ['-f', '%M', '-o', rssFile, ...build], { stdio: 'inherit' }) : spawnSync(build[0], build.slice(1), { stdio: 'inherit' });
          if (performance.now() >= deadline) throw new TimeLimit();
          if (result.status !== 0) throw new Error(`kustomize build of ${env} failed (exit ${result.status})`);
          if (hasTime) peakKb = Math.max(peakKb, Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()));
        }
        return hasTime ? (peakKb * 1024) / MB : null;
      },
      () => {
        for (const env of BENCH_ENVIRONMENTS) fs.mkdirSync(path.join(outdir, env), { recursive: true });
      },
    );
  } catch (err) {
    if (err instanceof TimeLimit) return { stopped_after_s: limitS };
    throw err;
  }
}

export function measure(tool: Tool, count: number, workdir: string, outdir: string, limitS: number): Measurement | Stopped {
  switch (tool) {
    case 'ours':
      return measureOurs(count, outdir);
    case 'one-thread':
      return measureOurs(count, outdir, 1);
    case 'floor':
      return measureSerializer(count, workdir, outdir, toYaml);
    case 'write':
      return measureWrite(count, workdir, outdir);
    case 'json':
      return measureSerializer(count, workdir, outdir, (object) => JSON.stringify(object));
    case 'naive':
      return measureNaive(count, outdir);
    case 'kustomize':
      return measureKustomize(count, workdir, outdir, limitS);
  }
}

if (require.main === module) {
  const [tool, count, workdir, outdir, limit] = process.argv.slice(2);
  if (!TOOLS.includes(tool as Tool) || !count || !workdir || !outdir || !limit) {
    console.error(`usage: measure.js ${TOOLS.join('|')} N WORKDIR OUTDIR LIMIT_S`);
    process.exit(2);
  }
  const result = measure(tool as Tool, Number(count), workdir, outdir, Number(limit));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
