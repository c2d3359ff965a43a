/**
 * One environment from config to files: load its release state, build the blueprint in
 * a fresh cdk8s App, validate, render. Each environment gets its own App, so nothing
 * leaks from one environment into another.
 */
import { App } from 'cdk8s';
import { buildPlatform } from '../blueprints/platform';
import { environmentByName } from '../config/environments';
import { loadReleaseState, releaseFile, RELEASE_DIR } from '../config/release-state';
import { Manifest, renderFiles, renderManifests } from './synthesize';

export interface EnvironmentSynthOptions {
  /** Folder of the release/<env>.json files. @default the repository's release/ */
  readonly releaseDir?: string;
}

export function synthManifests(envName: string, options: EnvironmentSynthOptions = {}): Manifest[] {
  const env = environmentByName(envName);
  const dir = options.releaseDir ?? RELEASE_DIR;
  const release = loadReleaseState(env.name, dir);
  const app = new App({ outdir: 'unused' });
  buildPlatform(app, env, release, releaseFile(env.name, dir));
  return renderManifests(app, env.name);
}

/** The files of dist/<env>/, rendered in memory. */
export function synthEnvironmentFiles(envName: string, options: EnvironmentSynthOptions = {}): Map<string, string> {
  return renderFiles(synthManifests(envName, options));
}
