import { App } from 'cdk8s';
import { AppDeployment, AppGateway, AppIngress, AppSecret, AppService, type ComputeResources, NamespacedApp, NetworkPolicy, renderManifests } from 'k8s-iac';
import { find, IMAGE, LIMITS, QUOTA, SETTINGS, synth, synthErrors, WEB_POD } from '../helpers';

const SMALL: ComputeResources = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };

function api(ns: NamespacedApp, props: Partial<ConstructorParameters<typeof AppDeployment>[2]> = {}): AppDeployment {
  return new AppDeployment(ns, 'Api', { name: 'api', version: 'v1', replicas: 2, container: { image: IMAGE, resources: SMALL }, ...props });
}

describe('NamespacedApp', () => {
  const manifests = synth((ns) => api(ns));

  test('namespace with Pod Security restricted enforced, warned and audited, and ownership', () => {
    const ns = find(manifests, 'Namespace');
    expect(ns.metadata.name).toBe('shop');
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'app.kubernetes.io/managed-by': 'k8s-iac',
      'k8s-iac.dev/environment': 'test',
      owner: 'payments',
    });
    expect(ns.metadata.annotations).toEqual({ email: 'payments@example.com' });
  });

  test('every namespaced object lands in the namespace without repeating it', () => {
    for (const m of manifests.filter((m) => m.kind !== 'Namespace')) expect(m.namespace).toBe('shop');
  });

  test('quota covers compute, storage and object counts', () => {
    expect(find(manifests, 'ResourceQuota').spec.hard).toEqual({
      'requests.cpu': '4',
      'requests.memory': '4Gi',
      'limits.cpu': '8',
      'limits.memory': '8Gi',
      'requests.storage': '50Gi',
      persistentvolumeclaims: 10,
      pods: 40,
      services: 10,
      configmaps: 10,
      secrets: 10,
    });
  });

  test('LimitRange bounds containers, pods and claims', () => {
    const [container, pod, pvc] = find(manifests, 'LimitRange').spec.limits;
    expect(container).toEqual({
      type: 'Container',
      defaultRequest: { cpu: '100m', memory: '10Mi' },
      default: { cpu: '200m', memory: '100Mi' },
      min: { cpu: '10m', memory: '5Mi' },
      max: { cpu: '2', memory: '2Gi' },
      maxLimitRequestRatio: { cpu: '4', memory: '10' },
    });
    expect(pod).toEqual({ type: 'Pod', max: { cpu: '2', memory: '2Gi' } });
    expect(pvc).toEqual({ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } });
  });

  test('default-deny both ways, DNS to kube-dns still allowed', () => {
    expect(find(manifests, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(find(manifests, 'NetworkPolicy', 'allow-dns').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
      ],
    });
  });

  test('opting out is visible: a lower level needs a reason, warn/audit stay restricted', () => {
    const out = synth(() => undefined, { podSecurityOptOut: { level: 'baseline', reason: 'node agent reads host metrics' }, defaultDeny: false });
    const ns = find(out, 'Namespace');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(ns.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    expect(ns.metadata.annotations['k8s-iac.dev/pod-security-opt-out']).toBe('node agent reads host metrics');
    expect(out.filter((m) => m.kind === 'NetworkPolicy')).toHaveLength(0);
    expect(synthErrors(() => undefined, { podSecurityOptOut: { level: 'privileged', reason: ' ' } })).toMatch(/podSecurityOptOut has no reason/);
  });

  test('DNS can be switched off while keeping default-deny', () => {
    const out = synth(() => undefined, { allowDns: false });
    expect(out.filter((m) => m.kind === 'NetworkPolicy').map((m) => m.name)).toEqual(['default-deny']);
  });
});

describe('namespace errors', () => {
  test('default namespace is refused', () => {
    expect(synthErrors(() => undefined, { namespace: 'default' })).toMatch(/\[test\] shop: namespace "default" mixes unrelated apps .*give the app a namespace of its own/);
  });
  test('invalid namespace name', () => {
    expect(synthErrors(() => undefined, { namespace: 'Shop_1' })).toMatch(/namespace "Shop_1" is not a valid DNS-1123 label/);
  });
  test('constructs outside a NamespacedApp are told where to go', () => {
    const app = new App();
    expect(() => new AppService(app, 'S', { name: 's', selector: { a: 'b' }, ports: [] })).toThrow(/S is not inside a NamespacedApp: create it in one/);
    // a Secret only named (made outside the repository) is read in a namespace all the same
    expect(() => new AppSecret(app, 'Db', { name: 'db', key: 'password', source: { kind: 'existing', secretName: 'db' } })).toThrow(/^Db is not inside a NamespacedApp: create it in one/);
    expect(() => new NetworkPolicy(app, 'Policy', { name: 'stray', podSelector: {} })).toThrow(/^Policy is not inside a NamespacedApp: create it in one/);
  });
});

describe('quotaFitsWorkloads', () => {
  test('counts HPA maximum plus surge, with the numbers and the fix', () => {
    const message = synthErrors((ns) => api(ns, { replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 } }), {
      quota: { ...QUOTA, requests: { cpu: '1', memory: '4Gi' } },
    });
    // 10 (HPA max) + 3 (25% surge, rounded up) = 13 pods x 100m = 1.3 cores
    expect(message).toMatch(/\[test\] shop: ResourceQuota requests.cpu is 1 but the workloads need 1300m at their largest \[Deployment api: 13 pods \(HPA max 10 \+ surge 3\)\]: raise quota.requests.cpu to at least 1300m/);
  });

  test('memory limits, pods and services are all checked', () => {
    const message = synthErrors(
      (ns) => {
        api(ns, { replicas: 4 });
        new AppService(ns, 'Svc', { name: 'api', selector: { 'app.kubernetes.io/name': 'api' }, ports: [{ name: 'http', port: 80 }] });
      },
      { quota: { ...QUOTA, limits: { cpu: '8', memory: '512Mi' }, pods: 4, services: 0 } },
    );
    expect(message).toMatch(/ResourceQuota limits.memory is 512Mi but the workloads need 640Mi/);
    expect(message).toMatch(/ResourceQuota pods is 4 but the workloads need 5/);
    expect(message).toMatch(/ResourceQuota services is 0 but the namespace holds 1: raise quota.services to at least 1/);
  });

  test('the breakdown counts in the singular for one: 1 pod (1 replica), and 3 pods (3 replicas)', () => {
    const quota = { ...QUOTA, requests: { cpu: '50m', memory: '4Gi' } };
    const one = synthErrors((ns) => api(ns, { replicas: 1, strategy: { type: 'Recreate' } }), { quota });
    expect(one).toMatch(/ResourceQuota requests.cpu is 50m but the workloads need 100m at their largest \[Deployment api: 1 pod \(1 replica\)\]/);
    const three = synthErrors((ns) => api(ns, { replicas: 3, strategy: { type: 'Recreate' } }), { quota });
    expect(three).toMatch(/\[Deployment api: 3 pods \(3 replicas\)\]/);
  });

  test('Recreate has no surge', () => {
    expect(() => synth((ns) => api(ns, { replicas: 4, strategy: { type: 'Recreate' } }), { quota: { ...QUOTA, pods: 4 } })).not.toThrow();
    expect(synthErrors((ns) => api(ns, { replicas: 4 }), { quota: { ...QUOTA, pods: 4 } })).toMatch(/pods is 4 but the workloads need 5/);
  });

  test("the Secrets cert-manager issues count twice each: the certificate's Secret and its next private key while it renews", () => {
    const settings = { ...SETTINGS, tlsClusterIssuer: 'letsencrypt' };
    const exposed = (ns: NamespacedApp) => {
      new AppDeployment(ns, 'Web', { name: 'web', version: 'v1', ...WEB_POD });
      const service = new AppService(ns, 'Svc', { name: 'web', selector: { 'app.kubernetes.io/name': 'web' }, ports: [{ name: 'http', port: 80 }] });
      new AppIngress(ns, 'Ingress', { name: 'web', className: 'nginx', host: 'shop.example.com', paths: [{ path: '/' }], service });
    };
    expect(synthErrors(exposed, { settings, quota: { ...QUOTA, secrets: 1 } })).toMatch(
      /\[test\] shop: ResourceQuota secrets is 1 but the namespace holds 2 \(0 of its own, and 2 for each certificate cert-manager issues into it, "web-tls": the certificate's Secret, and its next private key while it issues or renews\): raise quota.secrets to at least 2/,
    );
    expect(() => synth(exposed, { settings, quota: { ...QUOTA, secrets: 2 } })).not.toThrow();
    // without an issuer the Secret is the user's own, made outside: nothing is issued into the namespace
    expect(() => synth(exposed, { quota: { ...QUOTA, secrets: 0 } })).not.toThrow();
    const gateway = (ns: NamespacedApp) => void new AppGateway(ns, 'Gateway', { name: 'public', className: 'platform', hostname: 'shop.example.com', routeNamespaces: ['shop'], tlsClusterIssuer: 'letsencrypt' });
    expect(synthErrors(gateway, { quota: { ...QUOTA, secrets: 1 } })).toMatch(/ResourceQuota secrets is 1 but the namespace holds 2 \(0 of its own, and 2 for each certificate cert-manager issues into it, "public-tls"/);
  });

  test('the cluster-made kube-root-ca.crt ConfigMap counts', () => {
    expect(synthErrors(() => undefined, { quota: { ...QUOTA, configMaps: 0 } })).toMatch(/ResourceQuota configmaps is 0 but the namespace holds 1, the kube-root-ca.crt every namespace gets included: raise quota.configMaps to at least 1/);
  });
});

describe('limitRangeAdmitsWorkloads', () => {
  test('container above max, below min, and over the ratio', () => {
    const message = synthErrors((ns) =>
      api(ns, { container: { image: IMAGE, resources: { requests: { cpu: '5m', memory: '10Mi' }, limits: { cpu: '3', memory: '200Mi' } } } }),
    );
    expect(message).toMatch(/shop\/Api: container api: cpu request 5m is below the LimitRange minimum 10m/);
    expect(message).toMatch(/cpu limit 3 is above the LimitRange maximum 2: lower the limit or raise limits.container.max.cpu/);
    expect(message).toMatch(/memory limit\/request ratio 20.00 is above the LimitRange maxLimitRequestRatio 10: raise the request to at least 20Mi or lower the limit/);
    expect(message).toMatch(/the pod's cpu limits add up to 3, above the LimitRange pod maximum 2/);
  });

  test('request above limit', () => {
    expect(synthErrors((ns) => api(ns, { container: { image: IMAGE, resources: { requests: { cpu: '300m', memory: '64Mi' }, limits: { cpu: '200m', memory: '64Mi' } } } }))).toMatch(
      /cpu request 300m is above its limit 200m/,
    );
  });
});

describe('selectors match pods', () => {
  test('pods behind a Service need a readiness probe', () => {
    const message = synthErrors((ns) => {
      api(ns);
      new AppService(ns, 'Svc', { name: 'api', selector: { 'app.kubernetes.io/name': 'api' }, ports: [{ name: 'http', port: 80 }] });
    });
    expect(message).toMatch(/shop\/Api: Service "api" routes to the pods of Deployment api, which have no readiness probe: add container.readinessProbe/);
  });

  test('a Service selecting no pods is a selector mismatch', () => {
    const message = synthErrors((ns) => {
      api(ns);
      new AppService(ns, 'Svc', { name: 'api', selector: { 'app.kubernetes.io/name': 'apii' }, ports: [{ name: 'http', port: 80 }] });
    });
    expect(message).toMatch(/Service "api" selects no pods: selector \{"app.kubernetes.io\/name":"apii"\} matches no workload in the namespace \(nearest: Deployment api has \{.*"app.kubernetes.io\/name":"api"/);
  });
});

test('a full app renders in a fresh App per call (no shared state)', () => {
  const a = new App();
  new NamespacedApp(a, 'x', { namespace: 'x', settings: SETTINGS, quota: QUOTA, limits: LIMITS });
  const b = new App();
  new NamespacedApp(b, 'y', { namespace: 'y', settings: SETTINGS, quota: QUOTA, limits: LIMITS });
  expect(renderManifests(a, 'a').map((m) => m.namespace ?? m.name)).not.toContain('y');
});
