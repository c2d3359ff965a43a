import { defineEnvironments, defineProject } from 'k8s-iac';
import { environmentSnapshot, findObject, synthEnvironment, synthProblems, synthWarnings } from 'k8s-iac/testing';
import project, { ShopValues, build, environments } from '../src/project';

describe.each(project.environments.names)('%s', (env) => {
  test('renders as in its snapshot', () => {
    expect(environmentSnapshot(project, env)).toMatchSnapshot();
  });

  test('has nothing to warn of', () => {
    expect(synthWarnings(project, env)).toEqual([]);
  });

  test('MySQL is a StatefulSet governed by its headless Service', () => {
    const manifests = synthEnvironment(project, env);
    expect(findObject(manifests, { kind: 'StatefulSet', name: 'mysql' }).spec).toMatchObject({ serviceName: 'mysql-headless' });
    expect(findObject(manifests, { kind: 'Service', name: 'mysql-headless' }).spec).toMatchObject({ clusterIP: 'None' });
  });

  test('the canary gets its own Ingress beside the stable one', () => {
    const manifests = synthEnvironment(project, env);
    expect(findObject(manifests, { kind: 'Ingress', name: 'web' })).toBeDefined();
    expect(findObject(manifests, { kind: 'Ingress', name: 'web-canary' })).toMatchObject({ metadata: { annotations: { 'nginx.ingress.kubernetes.io/canary': 'true' } } });
  });
});

test('a quota too small for the workloads fails synth, naming the app and the quota field', () => {
  const qa = environments.get('qa');
  const tenancy = { ...qa.values.tenancy, quota: { ...qa.values.tenancy.quota, requests: { cpu: '500m', memory: '2Gi' } } };
  const tight = defineProject({
    environments: defineEnvironments<ShopValues>()({ qa: { settings: qa.settings, values: { ...qa.values, tenancy } } }),
    releaseApps: project.releaseApps,
    build,
  });
  expect(synthProblems(() => synthEnvironment(tight, 'qa'))).toContainEqual(expect.stringMatching(/^\[qa\] shop: ResourceQuota requests\.cpu is 500m .*raise quota\.requests\.cpu/));
});

test('the environment names are typed: a misspelled one does not compile', () => {
  // @ts-expect-error 'prdo' is no environment of the shop (tsc fails here if it compiled)
  expect(() => synthEnvironment(project, 'prdo')).toThrow(/prdo/);
});
