/**
 * The reference app's config.yml is the structure the app unmarshals (routes: a map from
 * path to { response, duration }), with the notes' four routes, and every path users or
 * the kubelet ask for is one the app serves.
 */
import * as path from 'node:path';
import { parse } from 'yaml';
import { defineProject } from 'k8s-iac';
import { findObjects, synthEnvironment, synthProblems } from 'k8s-iac/testing';
import project from '../../src/platform/project';
import { ENVIRONMENTS } from '../../src/platform/environments';
import { APP, GoMultiroute } from '../../src/platform/go-multiroute';
import { MYSQL_APP, Mysql } from '../../src/platform/mysql';
import { LOG_COLLECTOR_APP } from '../../src/platform/log-collector';
import { GO_MULTIROUTE_CONFIG, goMultirouteConfigProblems, renderGoMultirouteConfig } from '../../src/platform/go-multiroute-config';

const RELEASE_DIR = path.resolve(__dirname, '..', '..', 'release');
const ENVS = project.environments.names;

const NOTES_CONFIG = {
  routes: {
    '/route1': { response: "route1's content" },
    '/route2': { response: "route2's content" },
    '/test_timeout': { response: "test_timeout's content", duration: 3 },
    '/test_limiter': { response: "test_limiter's content\n", duration: 1 },
  },
};
const BUILT_IN = ['/connect_db', '/get_ip', '/test_circuit_breaker'];

describe('go-multiroute config.yml', () => {
  test('renders the notes\' four routes as a map, keys in a fixed order', () => {
    const text = renderGoMultirouteConfig(GO_MULTIROUTE_CONFIG);
    expect(parse(text)).toEqual(NOTES_CONFIG);
    expect(text).toBe(
      [
        'routes:',
        '  /route1:',
        "    response: route1's content",
        '  /route2:',
        "    response: route2's content",
        '  /test_limiter:',
        '    response: |',
        "      test_limiter's content",
        '    duration: 1',
        '  /test_timeout:',
        "    response: test_timeout's content",
        '    duration: 3',
        '',
      ].join('\n'),
    );
    // Same routes given in another order: same bytes.
    const reversed = { routes: Object.fromEntries(Object.entries(GO_MULTIROUTE_CONFIG.routes).reverse()) };
    expect(renderGoMultirouteConfig(reversed)).toBe(text);
  });

  test.each(ENVS)('%s: the ConfigMap holds it, the probe and every route path are served', (env) => {
    const manifests = synthEnvironment(project, env, { releaseDir: RELEASE_DIR });
    const maps = findObjects(manifests, { kind: 'ConfigMap', namespace: 'go-multiroute' });
    expect(maps).toHaveLength(1);
    const data = (maps[0] as { data: Record<string, string> }).data;
    expect(parse(data['config.yml'])).toEqual(NOTES_CONFIG);

    const served = new Set([...Object.keys(NOTES_CONFIG.routes), ...BUILT_IN]);
    const deployments = findObjects(manifests, { kind: 'Deployment', namespace: 'go-multiroute' }) as any[];
    expect(deployments.length).toBeGreaterThan(0);
    for (const d of deployments) {
      const c = d.spec.template.spec.containers[0];
      expect(c.command).toEqual(['/main', '-config', '/config/config.yml']);
      expect(served.has(c.readinessProbe.httpGet.path)).toBe(true);
    }
    const paths = [
      ...(findObjects(manifests, { kind: 'Ingress', namespace: 'go-multiroute' }) as any[]).flatMap((i) =>
        i.spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => p.path)),
      ),
      ...(findObjects(manifests, { kind: 'HTTPRoute', namespace: 'go-multiroute' }) as any[]).flatMap((r) =>
        r.spec.rules.flatMap((rule: any) => rule.matches.map((m: any) => m.path.value)),
      ),
    ];
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => !served.has(p))).toEqual([]);
  });

  test.each([
    ['dev', true],
    ['test', true],
    ['staging', false],
    ['prod', false],
  ] as const)('%s: database Secret with the notes\' test password created here: %s', (env, created) => {
    const manifests = synthEnvironment(project, env, { releaseDir: RELEASE_DIR });
    const secrets = findObjects(manifests, { kind: 'Secret', namespace: 'go-multiroute' }) as any[];
    if (created) {
      expect(secrets).toHaveLength(1);
      expect(secrets[0].stringData).toEqual({ db_pass: 'pass123' });
    } else {
      expect(secrets).toEqual([]);
      const d = findObjects(manifests, { kind: 'Deployment', namespace: 'go-multiroute' })[0] as any;
      const pass = d.spec.template.spec.containers[0].env.find((e: any) => e.name === 'DB_PASS');
      expect(pass.valueFrom.secretKeyRef).toEqual({ name: 'go-multiroute-db', key: 'db_pass' });
    }
  });

  test('problems: built-in paths, paths without a slash, fractional durations', () => {
    expect(
      goMultirouteConfigProblems({
        routes: { '/connect_db': { response: 'x' }, route3: { response: 'y' }, '/slow': { response: 'z', duration: 1.5 } },
      }),
    ).toEqual([
      'config.yml route "/connect_db" is built into the app: registering it twice makes the app panic at start',
      'config.yml route "route3" must start with "/" (the app registers it with http.HandleFunc)',
      'config.yml route "/slow": duration must be a whole number of seconds >= 0, not 1.5',
    ]);
    expect(goMultirouteConfigProblems(GO_MULTIROUTE_CONFIG)).toEqual([]);
  });

  test('synth fails when the probe or a routed path is not in the config', () => {
    const withoutRoute1 = defineProject({
      environments: ENVIRONMENTS,
      releaseApps: [APP, MYSQL_APP, LOG_COLLECTOR_APP],
      build(scope, env, release) {
        const mysql = new Mysql(scope, MYSQL_APP, { env, release: release.app(MYSQL_APP), clientNamespaces: [env.values.apps.goMultiroute.namespace] });
        new GoMultiroute(scope, APP, { env, release: release.app(APP), mysql, appConfig: { routes: { '/route2': { response: 'only this' } } } });
      },
    });
    expect(synthProblems(() => synthEnvironment(withoutRoute1, 'dev', { releaseDir: RELEASE_DIR }))).toContainEqual(
      expect.stringContaining('go-multiroute routes or probes "/route1", which the app does not serve'),
    );
  });
});
