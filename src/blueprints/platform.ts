/**
 * The platform blueprint: every app of one environment, as the environment's config
 * and release state say. One call per environment; nothing is shared between calls.
 */
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/environment';
import { ReleaseState, appRelease } from '../config/release-state';
import { developerNamespaces } from './developer-namespaces';
import { APP, GoMultiroute } from './go-multiroute';

export function buildPlatform(scope: Construct, env: EnvironmentConfig, release: ReleaseState, releaseSource: string): void {
  new GoMultiroute(scope, APP, { env, release: appRelease(release, APP, releaseSource) });
  developerNamespaces(scope, env);
}
