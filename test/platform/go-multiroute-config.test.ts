/**
 * The reference app's config.yml is the structure the program in the pinned image
 * unmarshals (routes: a map from path to the text it answers with), with the notes' two
 * routes, and every path users or the kubelet ask for is one the app serves.
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

// k8s-manifest/configmap.yaml of the notes (000:L26)
const NOTES_CONFIG = {
  routes: {
    '/route1': "route1's content",
    '/route2': "route2's content",
  },
};

describe('go-multiroute config.yml', () => {
  test('renders the notes\' two routes as a map of path to answer, keys in a fixed order', () => {
    const text = renderGoMultirouteConfig(GO_MULTIROUTE_CONFIG);
    expect(parse(text)).toEqual(NOTES_CONFIG);
    expect(text).toBe(['routes:', "  /route1: route1's content", "  /route2: route2's content", ''].join('\n'));
    // Same routes given in another order: same bytes.
    const reversed = { routes: Object.fromEntries(Object.entries(GO_MULTIROUTE_CONFIG.routes).reverse()) };
    expect(renderGoMultirouteConfig(reversed)).toBe(text);
  });

  test('an answer a YAML 1.1 reader (the app\'s yaml.v2) would take for another type is quoted', () => {
    const routes = { '/multi': 'a\nb', '/number': '3', '/off': 'off', '/yes': 'yes' };
    const text = renderGoMultirouteConfig({ routes });
    expect(parse(text, { version: '1.1' })).toEqual({ routes });
    expect(parse(text)).toEqual({ routes });
  });

  test.each(ENVS)('%s: the ConfigMap holds it, the probe and every route path are served', (env) => {
    const manifests = synthEnvironment(project, env, { releaseDir: RELEASE_DIR });
    const maps = findObjects(manifests, { kind: 'ConfigMap', namespace: 'go-multiroute' });
    expect(maps).toHaveLength(1);
    const data = (maps[0] as { data: Record<string, string> }).data;
    expect(parse(data['config.yml'])).toEqual(NOTES_CONFIG);

    const served = new Set(Object.keys(NOTES_CONFIG.routes));
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

  test('problems: no routes, paths without a slash, answers that are not text', () => {
    expect(goMultirouteConfigProblems({ routes: {} })).toEqual(['config.yml has no routes: the app would serve nothing']);
    expect(goMultirouteConfigProblems({ routes: { route3: 'y', '/slow': { response: 'z' } as unknown as string } })).toEqual([
      'config.yml route "route3" must start with "/": Go\'s ServeMux, with which the app registers it, reads a pattern without one as a host name, so the route would never answer',
      'config.yml route "/slow": the answer must be a string (the app reads a map of path to text)',
    ]);
    expect(goMultirouteConfigProblems(GO_MULTIROUTE_CONFIG)).toEqual([]);
  });

  test('synth fails when the probe or a routed path is not in the config', () => {
    const withoutRoute1 = defineProject({
      environments: ENVIRONMENTS,
      releaseApps: [APP, MYSQL_APP, LOG_COLLECTOR_APP],
      build(scope, env, release) {
        const mysql = new Mysql(scope, MYSQL_APP, { env, release: release.app(MYSQL_APP), clientNamespaces: [env.values.apps.goMultiroute.namespace] });
        new GoMultiroute(scope, APP, { env, release: release.app(APP), mysql, appConfig: { routes: { '/route2': 'only this' } } });
      },
    });
    expect(synthProblems(() => synthEnvironment(withoutRoute1, 'dev', { releaseDir: RELEASE_DIR }))).toContainEqual(
      expect.stringContaining('go-multiroute routes or probes "/route1", which the app does not serve'),
    );
  });
});
