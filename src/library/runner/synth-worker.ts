/**
 * The entry of one synth worker thread (synth-to-folder.ts): loads the project module, then
 * takes environments from the shared queue until it is empty, rendering and staging each
 * and posting its outcome; counts each posted outcome in the queue, on which the caller waits.
 */
import { workerData } from 'node:worker_threads';
import { loadProject } from './cli';
import type { Project } from './project';
import { EnvironmentOutcome, QUEUE_FINISHED, synthAndStage, takeEnvironments, WorkerInput } from './synth-to-folder';

const input = workerData as WorkerInput;
const queue = new Int32Array(input.queue);

function post(outcome: EnvironmentOutcome): void {
  input.port.postMessage(outcome);
  Atomics.add(queue, QUEUE_FINISHED, 1);
  Atomics.notify(queue, QUEUE_FINISHED);
}

let project: Project | undefined;
let loadError: string | undefined;
try {
  project = loadProject(input.projectFile);
} catch (err) {
  loadError = (err as Error).message;
}
takeEnvironments(queue, input.envs, (env) => post(project ? synthAndStage(project, env, input.outdir, { releaseDir: input.releaseDir }) : { env, problems: [`[${env}] ${loadError}`] }));
