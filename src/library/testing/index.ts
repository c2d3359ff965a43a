/**
 * Testing helpers, the `k8s-iac/testing` entry: synthesize in memory, exactly as the
 * runner does (validation, rendering and the cross-resource checks), and look at the
 * result. cdk8s's `Testing`, per environment.
 *
 *   const manifests = synthEnvironment(project, 'qa');
 *   expect(findObject(manifests, { kind: 'Deployment', name: 'web' }).spec).toMatchObject({ replicas: 3 });
 *   expect(environmentSnapshot(project, 'qa')).toMatchSnapshot();
 *   expect(synthProblems(() => synthEnvironment(project, 'live'))).toContainEqual(expect.stringMatching(/quota/));
 *   expect(synthWarnings(project, 'qa')).toEqual([]);
 */
import { App } from 'cdk8s';
import type { Construct } from 'constructs';
import { PlatformSettings, PlatformSettingsInput, platformSettings } from '../core/platform-settings';
import type { KubeObject } from '../core/workloads';
import type { EnvironmentName, Project } from '../runner/project';
import { SynthOptions, synthEnvironmentFiles, synthManifests } from '../runner/synth-project';
import { Manifest, SynthError, renderManifests } from '../runner/synthesize';

export type { Manifest, KubeObject };

/**
 * One environment's manifests, in memory, as `k8s-iac synth` makes them. `env` is one of the
 * project's environments, by its type: a misspelled name does not compile.
 */
export function synthEnvironment<P extends Project>(project: P, env: EnvironmentName<P>, options: SynthOptions = {}): Manifest[] {
  return synthManifests(project, env, options);
}

/**
 * Builds whatever `build` adds to a fresh cdk8s App and synthesizes it as the runner would;
 * each warning goes to `warn`, as `[<label>] <construct path>: <message>`.
 */
export function synthScope(build: (scope: Construct) => void, label = 'test', warn?: (message: string) => void): Manifest[] {
  const app = new App({ outdir: 'unused' });
  build(app);
  return renderManifests(app, label, warn);
}

/**
 * The warnings synth says of one environment, each as `[env] <construct path>: <message>`
 * (synth prints them after `warning: `); throws the SynthError when it fails.
 */
export function synthWarnings<P extends Project>(project: P, env: EnvironmentName<P>, options: SynthOptions = {}): string[] {
  const warnings: string[] = [];
  synthManifests(project, env, { ...options, warn: (message) => warnings.push(message) });
  return warnings;
}

/** The warnings of what `build` adds to a fresh cdk8s App, synthesized as `synthScope` does. */
export function scopeWarnings(build: (scope: Construct) => void, label = 'test'): string[] {
  const warnings: string[] = [];
  synthScope(build, label, (message) => warnings.push(message));
  return warnings;
}

/** Settings for tests: the owner and any setting to change, over the defaults. */
export function testSettings(input: Partial<PlatformSettingsInput> = {}, name = 'test'): PlatformSettings {
  return platformSettings(name, { owner: { team: 'test', email: 'test@example.com' }, ...input });
}

/** Which objects to find: any of kind, name and namespace. */
export interface ObjectQuery {
  /** @default - any kind */
  readonly kind?: string;
  /** @default - any name */
  readonly name?: string;
  /** @default - any namespace, and cluster-scoped objects */
  readonly namespace?: string;
}

const matches = (m: Manifest, q: ObjectQuery) =>
  (q.kind === undefined || m.kind === q.kind) && (q.name === undefined || m.name === q.name) && (q.namespace === undefined || m.namespace === q.namespace);

/** The rendered objects that match `query`. */
export function findObjects(manifests: readonly Manifest[], query: ObjectQuery): KubeObject[] {
  return manifests.filter((m) => matches(m, query)).map((m) => m.object);
}

/** The one rendered object that matches `query`; an error listing what there is otherwise. */
export function findObject(manifests: readonly Manifest[], query: ObjectQuery): KubeObject {
  const found = manifests.filter((m) => matches(m, query));
  if (found.length !== 1) {
    throw new Error(`expected one object matching ${JSON.stringify(query)}, found ${found.length}: ${manifests.map((m) => `${m.kind}/${m.namespace ?? ''}/${m.name}`).join(', ')}`);
  }
  return found[0].object;
}

/** The problems of the SynthError `run` throws; an error when it does not fail, or fails otherwise. */
export function synthProblems(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof SynthError) return err.problems;
    throw err;
  }
  throw new Error('expected synth to fail, but it succeeded');
}

/** The files of one environment (path -> YAML text), for `toMatchSnapshot()`. */
export function environmentSnapshot<P extends Project>(project: P, env: EnvironmentName<P>, options: SynthOptions = {}): Record<string, string> {
  return Object.fromEntries(synthEnvironmentFiles(project, env, options));
}
