/**
 * The reference platform as a k8s-iac project: its environments, the apps whose release
 * state lives in release/<env>.json, and the blueprint of one environment. `k8s-iac synth`
 * (package.json `"k8s-iac": { "project": ... }`) and the tests load this module.
 */
import { defineProject } from 'k8s-iac';
import { developerNamespaces } from './developer-namespaces';
import { ENVIRONMENTS } from './environments';
import { platformGateway } from './gateway';
import { APP, GoMultiroute } from './go-multiroute';
import { LOG_COLLECTOR_APP, LogCollector } from './log-collector';
import { MYSQL_APP, Mysql } from './mysql';
import { platformPriorities } from './priorities';

export default defineProject({
  environments: ENVIRONMENTS,
  releaseApps: [APP, MYSQL_APP, LOG_COLLECTOR_APP],
  build(scope, env, release) {
    platformPriorities(scope);
    platformGateway(scope, env);
    const mysql = new Mysql(scope, MYSQL_APP, { env, release: release.app(MYSQL_APP), releaseSource: release.file, clientNamespaces: [env.values.apps.goMultiroute.namespace] });
    new GoMultiroute(scope, APP, { env, release: release.app(APP), releaseSource: release.file, mysql });
    new LogCollector(scope, LOG_COLLECTOR_APP, { env, release: release.app(LOG_COLLECTOR_APP), releaseSource: release.file });
    developerNamespaces(scope, env);
  },
});
