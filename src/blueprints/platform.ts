/**
 * The platform blueprint: every app of one environment, as the environment's config
 * and release state say. One call per environment; nothing is shared between calls.
 */
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/environment';
import { ReleaseState, appRelease } from '../config/release-state';
import { developerNamespaces } from './developer-namespaces';
import { APP, GoMultiroute } from './go-multiroute';
import { MYSQL_APP, Mysql } from './mysql';

export function buildPlatform(scope: Construct, env: EnvironmentConfig, release: ReleaseState, releaseSource: string): void {
  const mysql = new Mysql(scope, MYSQL_APP, { env, release: appRelease(release, MYSQL_APP, releaseSource), clientNamespaces: [env.apps.goMultiroute.namespace] });
  new GoMultiroute(scope, APP, { env, release: appRelease(release, APP, releaseSource), mysql });
  developerNamespaces(scope, env);
}
