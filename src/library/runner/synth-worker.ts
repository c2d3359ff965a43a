/**
 * The entry of one synth worker thread (parallel-synth.ts): loads the project module,
 * synthesizes its share of the environments and posts their files, or every problem,
 * on the port it was given; then raises its done flag, on which the caller waits.
 */
import { MessagePort, workerData } from 'node:worker_threads';
import { loadProject } from './cli';
import { SynthError } from './synthesize';
import { synthProjectFiles } from './synth-project';

/** What the caller passes to a worker. */
export interface WorkerInput {
  readonly projectFile: string;
  readonly envs: readonly string[];
  readonly releaseDir?: string;
  readonly port: MessagePort;
  /** One Int32 set to 1 when the results are posted. */
  readonly done: SharedArrayBuffer;
}

/** A share's outcome: the files of each environment (path, content), or every problem. */
export interface WorkerResult {
  readonly files?: readonly (readonly [string, readonly (readonly [string, string])[]])[];
  readonly problems?: readonly string[];
}

function run(input: WorkerInput): WorkerResult {
  try {
    const files = synthProjectFiles(loadProject(input.projectFile), input.envs, { releaseDir: input.releaseDir });
    return { files: [...files].map(([env, tree]) => [env, [...tree]] as const) };
  } catch (err) {
    return { problems: err instanceof SynthError ? err.problems : [`[${input.envs.join(', ')}] ${(err as Error).message}`] };
  }
}

const input = workerData as WorkerInput;
input.port.postMessage(run(input));
const flag = new Int32Array(input.done);
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
