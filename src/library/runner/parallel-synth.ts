/**
 * `synth --parallel`: the environments rendered on worker threads, one per further core,
 * each thread loading the project module itself; this thread renders its own share
 * meanwhile. The files are the same as a synth on one thread (the same function renders
 * each environment) and problems are reported in the same order. Worth it for large
 * projects only: each worker first loads the library, cdk8s and the project (a few hundred
 * milliseconds), and holds its own heap.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Project } from './project';
import { SynthError } from './synthesize';
import { SynthOptions, synthProjectFiles } from './synth-project';
import type { WorkerInput, WorkerResult } from './synth-worker';

/** How long to wait for a worker's results before giving up on it (a worker that died never answers). */
const WORKER_TIMEOUT_MS = 600_000;

/** Threads that render environments: every core, at most one per environment. */
export function synthThreads(envs: number): number {
  return Math.max(1, Math.min(os.availableParallelism(), envs));
}

/** A started worker: where its results arrive and the flag it raises when they have. */
interface Started {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly done: Int32Array;
}

function startWorker(projectFile: string, envs: readonly string[], releaseDir: string | undefined): Started {
  const { port1, port2 } = new MessageChannel();
  const done = new SharedArrayBuffer(4);
  const input: WorkerInput = { projectFile, envs, releaseDir, port: port2, done };
  const worker = new Worker(path.join(__dirname, 'synth-worker.js'), { workerData: input, transferList: [port2] });
  return { worker, port: port1, done: new Int32Array(done) };
}

/** Blocks until the worker has posted its results (the runner is synchronous), then takes them. */
function resultsOf(started: Started): WorkerResult {
  if (Atomics.wait(started.done, 0, 0, WORKER_TIMEOUT_MS) === 'timed-out') throw new Error(`a synth worker gave no result within ${WORKER_TIMEOUT_MS / 1000} s`);
  const message = receiveMessageOnPort(started.port);
  started.port.close();
  void started.worker.terminate();
  return (message?.message ?? { problems: ['a synth worker posted no result'] }) as WorkerResult;
}

function ownShare(project: Project, envs: readonly string[], options: SynthOptions): WorkerResult {
  try {
    return { files: [...synthProjectFiles(project, envs, options)].map(([env, tree]) => [env, [...tree]] as const) };
  } catch (err) {
    if (!(err instanceof SynthError)) throw err;
    return { problems: err.problems };
  }
}

/** `envs` in `parts` contiguous shares, as even as they go: problems then come in the order of `envs`. */
function shares(envs: readonly string[], parts: number): string[][] {
  const size = Math.ceil(envs.length / parts);
  return Array.from({ length: parts }, (_, p) => envs.slice(p * size, (p + 1) * size)).filter((share) => share.length > 0);
}

/**
 * The files of every environment in `envs`, rendered on `synthThreads` threads, or one
 * SynthError with the problems of all of them, as `synthProjectFiles` gives.
 * `projectFile` is the compiled module `project` came from, loaded by each worker.
 */
export function synthProjectFilesParallel(project: Project, projectFile: string, envs: readonly string[], options: SynthOptions = {}): Map<string, Map<string, string>> {
  const [own, ...others] = shares(envs, synthThreads(envs.length));
  const started = others.map((share) => startWorker(path.resolve(projectFile), share, options.releaseDir));
  const results = [ownShare(project, own ?? [], options), ...started.map(resultsOf)];
  const problems = results.flatMap((r) => r.problems ?? []);
  if (problems.length > 0) throw new SynthError(problems);
  return new Map(results.flatMap((r) => r.files ?? []).map(([env, tree]) => [env, new Map(tree)]));
}
