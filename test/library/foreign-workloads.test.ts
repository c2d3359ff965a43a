import { ApiObject, App, Chart, Include, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppService, NamespacedApp, workloadFootprints } from 'k8s-iac';
import { synthProblems, synthScope } from 'k8s-iac/testing';
import * as k8s from '../../imports/k8s';
import { DIGEST_IMAGE, LIMITS, QUOTA, SETTINGS, tmpdir } from '../helpers';

/** A namespace with a 4-CPU request quota, as in the report of a workload the checks did not see. */
const namespace = (scope: App | Chart, settings = SETTINGS) => new NamespacedApp(scope, 'shop', { namespace: 'shop', settings, quota: QUOTA, limits: LIMITS });

const problemsOf = (build: (ns: NamespacedApp) => void, settings = SETTINGS) => synthProblems(() => synthScope((scope) => build(namespace(scope as App, settings)))).join('\n');

describe('the checks see every workload in a NamespacedApp, whatever made it', () => {
  test('a cdk8s-plus Deployment of 30 replicas x 2 CPU does not fit a 4-CPU quota', () => {
    const problems = problemsOf((ns) => {
      new kplus.Deployment(ns, 'Web', {
        replicas: 30,
        containers: [{ image: 'registry.example.com/web:v1', portNumber: 8080, resources: { cpu: { request: kplus.Cpu.units(2), limit: kplus.Cpu.units(2) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } } }],
      });
    });
    expect(problems).toMatch(/\[test\] shop: ResourceQuota requests.cpu is 4 but the workloads need 76 at their largest \[Deployment shop-web: 38 pods \(30 replicas \+ surge 8\)\]: raise quota.requests.cpu/);
    expect(problems).toMatch(/\[test\] shop: ResourceQuota limits.cpu is 8 but the workloads need 76 at their largest/);
  });

  test('a cdk8s-plus Deployment whose image has no digest fails where the environment requires digests', () => {
    const problems = problemsOf(
      (ns) => new kplus.Deployment(ns, 'Web', { replicas: 1, containers: [{ image: 'registry.example.com/web:v1', portNumber: 8080 }] }),
      { ...SETTINGS, requireImageDigest: true },
    );
    expect(problems).toMatch(/\[test\] shop\/Web: container main: image "registry.example.com\/web:v1" has no digest, and this environment requires one/);
  });

  test('a raw KubeDeployment without resources gets the LimitRange defaults, and they are counted', () => {
    const manifests = synthScope((scope) => {
      const ns = namespace(scope as App);
      new k8s.KubeDeployment(ns, 'Raw', {
        metadata: { name: 'raw' },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'raw' } },
          template: {
            metadata: { labels: { app: 'raw' } },
            // the restricted security context the namespace's Pod Security level asks for
            spec: {
              securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [{ name: 'raw', image: DIGEST_IMAGE, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
            },
          },
        },
      });
    });
    const [raw] = workloadFootprints(manifests, LIMITS);
    expect(raw).toMatchObject({ kind: 'Deployment', name: 'raw', maxPods: 4, maxPodsReason: '3 replicas + surge 1' });
    // LIMITS: defaultRequest 100m/10Mi, default 200m/100Mi
    expect(raw.containers[0]).toMatchObject({ requests: { cpu: 0.1, memory: 10 * 2 ** 20 }, limits: { cpu: 0.2, memory: 100 * 2 ** 20 } });
  });

  test('an Included YAML StatefulSet too big for the quota is reported, with its claims', () => {
    const file = path.join(tmpdir('include'), 'db.yaml');
    fs.writeFileSync(
      file,
      [
        'apiVersion: apps/v1',
        'kind: StatefulSet',
        'metadata: { name: db, namespace: shop }',
        'spec:',
        '  replicas: 6',
        '  serviceName: db',
        '  selector: { matchLabels: { app: db } }',
        '  template:',
        '    metadata: { labels: { app: db } }',
        `    spec: { containers: [{ name: db, image: "${DIGEST_IMAGE}", resources: { requests: { cpu: 500m, memory: 1Gi }, limits: { cpu: "1", memory: 1Gi } } }] }`,
        '  volumeClaimTemplates:',
        '    - metadata: { name: data }',
        '      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 10Gi } } }',
      ].join('\n'),
    );
    const problems = problemsOf((ns) => new Include(ns, 'Db', { url: file }));
    expect(problems).toMatch(/ResourceQuota requests.storage is 50Gi but the workloads need 60Gi at their largest \[StatefulSet db: 6 pods \(6 replicas\)\]/);
  });

  test('a Service from outside our constructs whose selector matches no pods is named', () => {
    const problems = problemsOf((ns) => {
      new ApiObject(ns, 'Svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'orphan' }, spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] } });
    });
    expect(problems).toMatch(/Service "orphan" selects no pods: selector \{"app":"nothing"\} matches no workload in the namespace \(nearest: no workloads\)/);
  });
});

describe('identity and composition', () => {
  test('NamespacedApp.isNamespacedApp is true for a NamespacedApp and false for a plain Chart (instanceof is true for both)', () => {
    const app = new App();
    const chart = new Chart(app, 'plain');
    const ns = namespace(app);
    expect(NamespacedApp.isNamespacedApp(ns)).toBe(true);
    expect(NamespacedApp.isNamespacedApp(chart)).toBe(false);
    expect(NamespacedApp.isNamespacedApp({})).toBe(false);
  });

  test('a pattern in a plain Chart gets an error naming its path and the fix', () => {
    const app = new App();
    const chart = new Chart(app, 'plain');
    expect(() => new AppService(chart, 'Svc', { name: 'web', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] })).toThrow(
      /^plain\/Svc is not inside a NamespacedApp: create it in one \(new NamespacedApp\(app, 'shop', \{ namespace, settings, quota, limits \}\)\)/,
    );
  });

  test('NamespacedApp.of finds the enclosing app through plain constructs', () => {
    const app = new App();
    const ns = namespace(app);
    const chart = new Chart(ns, 'inner');
    expect(NamespacedApp.of(chart)).toBe(ns);
  });
});
