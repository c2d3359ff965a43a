/**
 * `synth` to an output folder: each environment rendered, then staged (written into a
 * temporary sibling of its folder) at once, so its files need not stay in memory; all
 * are swapped in only when every environment rendered without a problem, and on a problem
 * or a write fault the staged folders are removed and nothing changes.
 *
 * With more than one core the environments are shared with worker threads through one
 * queue: this thread takes the next environment, as does each worker once it has loaded
 * the project module (a few hundred milliseconds). A small project is done by this thread
 * before a worker is ready, and its workers are stopped unused; a large one is rendered on
 * every core. Where the folders being replaced held a small project's output, no worker is
 * started at all. The files are the same either way (the same function renders each
 * environment) and problems are reported in the order of the environments.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import * as os from 'node:os';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { immutableChanges } from './immutable-changes';
import { shown } from './paths';
import { warningLine } from '../core/warnings';
import type { Project } from './project';
import { Manifest, renderedFiles, SynthError } from './synthesize';
import { problemsOf, SynthOptions, synthManifests } from './synth-project';
import { discardStaged, holdOutput, HeldOutput, OutputError, stageEnvironment, swapInStaged, WriteOptions } from './write-atomic';

/** What became of one environment: staged with its object count, or its problems, or a write fault. */
export interface EnvironmentOutcome {
  /** The environment's name. */
  readonly env: string;
  /** The temporary folder its files were written to. @default - none: it failed */
  readonly staged?: string;
  /** Objects in it (kustomization.yaml not counted). @default - none: it failed */
  readonly objects?: number;
  /** Its problems, each labelled with the environment. @default - none */
  readonly problems?: readonly string[];
  /** A file-system fault staging it (an OutputError's message). @default - none */
  readonly outputError?: string;
  /** Its warnings (SynthOptions.warn), each labelled with the environment, in the tree's order. @default - none */
  readonly warnings?: readonly string[];
}

/** Indexes into the queue shared by the threads of one synth. */
export const QUEUE_NEXT = 0;
export const QUEUE_FINISHED = 1;
/** Int32 slots of the queue. */
const QUEUE_SLOTS = 2;

/**
 * Below this many objects in the folders being replaced, synth renders on this thread alone
 * unless told `threads`: a worker loads the library and the project first (about 0.3 s,
 * while this thread renders about 0.1 ms an object), and starting one that is stopped unused
 * cost the reference platform (212 objects) about 25 ms of its 0.35 s.
 */
const SMALL_OUTPUT_OBJECTS = 4000;

/**
 * A worker's young generation, in MiB. V8 sizes it by the machine's memory (48 MiB on a
 * 24 GiB machine); an environment's tree outlives the young generation either way, so a
 * smaller one costs no measurable time and keeps about 15 MiB of peak RSS per worker
 * (1000 services x 4 environments on two threads: 394-406 -> 371-389 MiB).
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/** How often a thread waiting for workers marks the output lock alive (it is taken over after 30 s). */
const LOCK_REFRESH_MS = 5_000;

/** How long to wait for a worker's environment before giving up on it (a worker that died never answers). */
const WORKER_TIMEOUT_MS = 600_000;

/** Heap in use above which the heap is collected between environments. */
const HEAP_RELEASE_BYTES = 96 * 1024 * 1024;

let collectGarbage: (() => void) | undefined;

/**
 * A full garbage collection before the next environment, when the heap has grown past
 * HEAP_RELEASE_BYTES. By then the environment staged before is garbage, but V8 lets the old
 * space grow to two or three environments' worth before it collects: measured at 1000
 * services x 4 environments, peak RSS 405 -> 248 MiB on one thread (700 -> 433 MiB on two)
 * for about 0.1 s per collection. The collector is reached through V8's --expose-gc flag,
 * set for this process the first time it is needed; a small project never sets it.
 */
function releaseHeap(): void {
  if (v8.getHeapStatistics().used_heap_size < HEAP_RELEASE_BYTES) return;
  if (!collectGarbage) {
    v8.setFlagsFromString('--expose-gc');
    collectGarbage = vm.runInNewContext('gc') as () => void;
  }
  collectGarbage();
}

/**
 * Takes environments from the shared queue until it is empty, giving each to `render`. The
 * heap is released before each environment after the first, not after the last: nothing
 * follows that one on this thread.
 */
export function takeEnvironments(queue: Int32Array, envs: readonly string[], render: (env: string) => void): void {
  let first = true;
  for (let i = Atomics.add(queue, QUEUE_NEXT, 1); i < envs.length; i = Atomics.add(queue, QUEUE_NEXT, 1)) {
    if (!first) releaseHeap();
    first = false;
    render(envs[i]);
  }
}

/**
 * Renders one environment and stages its files; every failure becomes the outcome, not a
 * throw. Its warnings are kept in the outcome, so that synth says them in the order of the
 * environments whichever thread rendered each.
 */
export function synthAndStage(project: Project, env: string, outdir: string, options: SynthOptions): EnvironmentOutcome {
  const warnings: string[] = [];
  let manifests: Manifest[];
  try {
    manifests = synthManifests(project, env, { ...options, warn: (message) => warnings.push(message) });
  } catch (err) {
    return { env, problems: problemsOf(err, env), warnings };
  }
  try {
    return { env, staged: stageEnvironment(outdir, env, renderedFiles(manifests)), objects: manifests.length, warnings };
  } catch (err) {
    if (err instanceof OutputError) return { env, outputError: err.message, warnings };
    return { env, problems: problemsOf(err, env), warnings };
  }
}

/** Threads that render environments: every core, at most one per environment. */
export function synthThreads(envs: number): number {
  return Math.max(1, Math.min(os.availableParallelism(), envs));
}

/**
 * Where a worker posts each environment's outcome: a `MessagePort`, declared by the one
 * method the worker calls, so the package's types compile without `@types/node`.
 */
export interface OutcomePort {
  postMessage(outcome: EnvironmentOutcome): void;
}

/** What this thread passes to a worker (synth-worker.ts). */
export interface WorkerInput {
  /** The compiled project module the worker loads. */
  readonly projectFile: string;
  /** The environments of the run, in the queue's order. */
  readonly envs: readonly string[];
  /** The output folder the environments are staged beside. */
  readonly outdir: string;
  /** Folder of the release files. @default - the project's releaseDir */
  readonly releaseDir?: string;
  /** The shared queue: QUEUE_NEXT is the next environment's index, QUEUE_FINISHED counts outcomes posted. */
  readonly queue: SharedArrayBuffer;
  /** Where the worker posts each environment's outcome. */
  readonly port: OutcomePort;
}

interface StartedWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
}

function startWorker(input: Omit<WorkerInput, 'port'>): StartedWorker {
  const { port1, port2 } = new MessageChannel();
  const workerData: WorkerInput = { ...input, port: port2 };
  const worker = new Worker(path.join(__dirname, 'synth-worker.js'), { workerData, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
  // a worker still loading when the queue runs dry is stopped: it must not keep the process alive
  worker.unref();
  return { worker, port: port1 };
}

/** Options of synthToFolder: where inputs come from, how to write, and on how many threads. */
export interface SynthToFolderOptions extends SynthOptions, WriteOptions {
  /**
   * The compiled module `project` came from, which each worker loads. @default - none: one thread
   */
  readonly projectFile?: string;
  /** Threads to render on, this one included. @default - one per core, at most one per environment */
  readonly threads?: number;
  /**
   * Where warnings go, each as one line starting `warning: `: the environments' own
   * (SynthOptions.warn), and what synth writes though the cluster would refuse it (a change
   * of an immutable field). @default - not said
   */
  readonly warn?: (message: string) => void;
}

/** Waits until every environment taken by a worker has its outcome, keeping the output lock alive. */
function collectWorkerOutcomes(queue: Int32Array, workers: readonly StartedWorker[], outcomes: Map<string, EnvironmentOutcome>, expected: number, held: HeldOutput): void {
  const deadline = Date.now() + WORKER_TIMEOUT_MS;
  for (;;) {
    for (const w of workers) {
      for (let message = receiveMessageOnPort(w.port); message; message = receiveMessageOnPort(w.port)) {
        const outcome = message.message as EnvironmentOutcome;
        outcomes.set(outcome.env, outcome);
      }
    }
    if (outcomes.size >= expected) return;
    if (Date.now() > deadline) throw new Error(`a synth worker gave no result within ${WORKER_TIMEOUT_MS / 1000} s`);
    Atomics.wait(queue, QUEUE_FINISHED, Atomics.load(queue, QUEUE_FINISHED), LOCK_REFRESH_MS);
    held.refresh();
  }
}

/** Says which objects of an environment change a field the API server will not change (the synth goes on: the YAML is valid). */
function warnImmutableChanges(outdir: string, outcome: EnvironmentOutcome, warn: ((message: string) => void) | undefined): void {
  const current = path.join(outdir, outcome.env);
  if (!warn || outcome.staged === undefined || !fs.existsSync(current)) return;
  const files = fs.readdirSync(outcome.staged, { recursive: true, encoding: 'utf8' });
  for (const message of immutableChanges(current, outcome.staged, files, shown(current))) warn(warningLine(message));
}

/**
 * Synthesizes the `selected` environments of `project` into `<outdir>/<env>/`, replacing each folder whole once
 * all rendered cleanly; throws one SynthError with every environment's problems (or an
 * OutputError) and changes nothing otherwise. Returns each environment's object count.
 */
export function synthToFolder(project: Project, selected: readonly string[], outdir: string, options: SynthToFolderOptions = {}): Map<string, number> {
  // an environment named twice is rendered once: its outcome and its staging folder are one
  const envs = [...new Set(selected)];
  const held = holdOutput(outdir, envs, options);
  const queue = new Int32Array(new SharedArrayBuffer(QUEUE_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  // workers read the release files themselves: a release state given in memory stays on this thread;
  // and folders that held a small project's output say this thread is done before a worker would be ready
  const small = held.objectsBefore !== undefined && held.objectsBefore < SMALL_OUTPUT_OBJECTS && options.threads === undefined;
  const oneThread = options.projectFile === undefined || options.releaseState !== undefined || small;
  const threads = oneThread ? 1 : Math.min(options.threads ?? synthThreads(envs.length), envs.length);
  const synthOptions: SynthOptions = { releaseDir: options.releaseDir, releaseState: options.releaseState };
  const workers = Array.from({ length: threads - 1 }, () =>
    startWorker({ projectFile: path.resolve(options.projectFile ?? ''), envs, outdir, releaseDir: options.releaseDir, queue: queue.buffer as SharedArrayBuffer }),
  );
  const outcomes = new Map<string, EnvironmentOutcome>();
  let failed = true;
  try {
    takeEnvironments(queue, envs, (env) => outcomes.set(env, synthAndStage(project, env, outdir, synthOptions)));
    collectWorkerOutcomes(queue, workers, outcomes, envs.length, held);
    const ordered = envs.map((env) => outcomes.get(env) as EnvironmentOutcome);
    // said even when synth then fails: a warning may explain a problem
    for (const o of ordered) for (const message of o.warnings ?? []) options.warn?.(warningLine(message));
    const problems = ordered.flatMap((o) => o.problems ?? []);
    const outputErrors = ordered.flatMap((o) => (o.outputError === undefined ? [] : [o.outputError]));
    // what was staged is removed below, as after any failure
    if (problems.length > 0) throw new SynthError(problems);
    if (outputErrors.length > 0) throw new OutputError(outputErrors.join('\n'));
    for (const o of ordered) warnImmutableChanges(outdir, o, options.warn);
    swapInStaged(outdir, new Map(ordered.map((o) => [o.env, o.staged as string])));
    failed = false;
    return new Map(ordered.map((o) => [o.env, o.objects ?? 0]));
  } finally {
    for (const w of workers) {
      w.port.close();
      void w.worker.terminate();
    }
    if (failed) discardStaged([...outcomes.values()].flatMap((o) => (o.staged === undefined ? [] : [o.staged])));
    held.release(failed);
  }
}
