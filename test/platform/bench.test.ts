import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { ENVIRONMENTS } from '../../src/platform/environments';
import { differingObjects, jsonDiff, parseBuildOutput, RenderedObject, writeKustomizeTree } from '../../bench/kustomize';
import { synthNaiveEnvironment } from '../../bench/naive';
import { BENCH_ENVIRONMENTS, stableAutoscaling, synthBenchEnvironment } from '../../bench/platform';
import { find, tmpdir } from '../helpers';

function kindsIn(manifests: readonly { kind: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of manifests) counts[m.kind] = (counts[m.kind] ?? 0) + 1;
  return counts;
}

describe('benchmark platform', () => {
  test.each(BENCH_ENVIRONMENTS)('%s: five services synthesize with the tenancy, both release tracks and one StatefulSet', (env) => {
    const manifests = synthBenchEnvironment(env, 5);
    // a budget only where the stable track's minimum is 2 or more (below, 60% would allow no disruption)
    const budgets = stableAutoscaling(ENVIRONMENTS.get(env)).minReplicas >= 2 ? { PodDisruptionBudget: 5 } : {};
    expect(kindsIn(manifests)).toEqual({
      Namespace: 5,
      ResourceQuota: 5,
      LimitRange: 5,
      ServiceAccount: 10,
      NetworkPolicy: 20,
      Service: 11,
      Deployment: 10,
      StatefulSet: 1,
      HorizontalPodAutoscaler: 5,
      Ingress: 10,
      ...budgets,
    });
    expect(find(manifests, 'StatefulSet').metadata).toMatchObject({ name: 'svc-0005-db', namespace: 'svc-0005' });
    expect(find(manifests, 'Service', 'svc-0005-db').spec.clusterIP).toBe('None');
  });

  test('the canary Ingress carries the environment canary weight on the stable host', () => {
    const prod = synthBenchEnvironment('prod', 1);
    const canary = find(prod, 'Ingress', 'svc-0001-canary');
    expect(canary.metadata.annotations).toMatchObject({ 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '5' });
    expect(canary.spec.rules[0].host).toBe(find(prod, 'Ingress', 'svc-0001').spec.rules[0].host);
    expect(find(prod, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(find(prod, 'Deployment', 'svc-0001').spec.template.spec.containers[0].image).toMatch(/@sha256:[0-9a-f]{64}$/);
  });

  test('the naive cdk8s-plus version makes the same kinds and counts of objects', () => {
    const out = tmpdir('bench-test');
    synthNaiveEnvironment(ENVIRONMENTS.get('prod'), 5, out);
    const naive = fs
      .readdirSync(out)
      .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(out, f), 'utf8')).map((d) => d.toJS() as { kind: string }));
    expect(kindsIn(naive)).toEqual(kindsIn(synthBenchEnvironment('prod', 5)));
  });
});

describe('benchmark kustomize tree', () => {
  test('jsonDiff lists the replace, add and remove operations between two objects', () => {
    const from = { metadata: { labels: { env: 'dev', old: 'x' } }, spec: { hosts: ['a'], replicas: 1 } };
    const to = { metadata: { labels: { env: 'prod' } }, spec: { hosts: ['a', 'b'], replicas: 1, paused: true } };
    expect(jsonDiff(from, to)).toEqual([
      { op: 'remove', path: '/metadata/labels/old' },
      { op: 'replace', path: '/metadata/labels/env', value: 'prod' },
      { op: 'replace', path: '/spec/hosts', value: ['a', 'b'] },
      { op: 'add', path: '/spec/paused', value: true },
    ]);
  });

  test('each overlay patches the base per service, with patches shared by a whole kind at the top', () => {
    const envs = new Map(BENCH_ENVIRONMENTS.map((env) => [env, synthBenchEnvironment(env, 2).map((m): RenderedObject => ({ file: m.file, object: m.object }))]));
    const dir = tmpdir('bench-kustomize');
    const overlays = writeKustomizeTree(dir, 'dev', envs);
    const top = YAML.parse(fs.readFileSync(path.join(overlays.get('prod') ?? '', 'kustomization.yaml'), 'utf8'));
    expect(top.resources).toEqual(['svc-0001', 'svc-0002']);
    expect(top.patches).toContainEqual({ target: { version: 'v1', kind: 'Namespace' }, patch: '[{"op":"replace","path":"/metadata/labels/k8s-iac.dev~1environment","value":"prod"}]' });
    const service = YAML.parse(fs.readFileSync(path.join(overlays.get('prod') ?? '', 'svc-0001', 'kustomization.yaml'), 'utf8'));
    expect(service.resources[0]).toBe('../../../base/svc-0001');
    expect(service.patches).toContainEqual({
      target: { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', name: 'svc-0001', namespace: 'svc-0001' },
      // prod serves TLS (its ClusterIssuer), dev does not: the overlay adds the host's certificate
      patch: '[{"op":"replace","path":"/spec/rules/0/host","value":"svc-0001.prod.example.com"},{"op":"add","path":"/spec/tls","value":[{"hosts":["svc-0001.prod.example.com"],"secretName":"svc-0001-tls"}]}]',
    });
  });

  test('comparing a kustomize build with the synth names the objects that differ', () => {
    const objects = synthBenchEnvironment('test', 1).map((m): RenderedObject => ({ file: m.file, object: m.object }));
    const stream = objects.map((o) => YAML.stringify(o.object)).join('---\n');
    expect(differingObjects(parseBuildOutput(stream), objects)).toEqual([]);
    const changed = stream.replace('svc-0001.test.example.com', 'svc-0001.prod.example.com');
    expect(differingObjects(parseBuildOutput(changed), objects)).toEqual(['Ingress/svc-0001/svc-0001']);
  });
});
